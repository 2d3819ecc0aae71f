"""Spread per-item work over the machine's processors.

Parsing documents and scanning their lines for role names are independent per item and
pure Python, so threads would not help. Worker processes are forked from the build: they
start with everything the build has loaded (documents, the lexicon), and only item
numbers go to them; results come back pickled, in order.

Forking a process that runs other threads can deadlock a child, so work stays in the
build's own process when other threads run (`mkdocs serve` after its first build), where
processes cannot be forked (not Linux), for small inputs, and when asked for one worker.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from rolebook.cache import BuildCache

T = TypeVar("T")

_TASK: Callable[[int, int], list[Any]] | None = None
"""The task of the running `fork_map`, inherited by its workers."""


def available_cpus() -> int:
    """How many processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether workers can be forked safely now."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _TASK is not None
    return _TASK(*bounds)


def fork_map(task: Callable[[int, int], list[T]], count: int, workers: int, minimum: int) -> Iterator[T]:
    """The results of items `0 … count-1`, in order: `task(start, stop)` returns those of
    items `start … stop-1`, one each. With `workers` > 1, at least `minimum` items and
    `can_fork()`, chunks run in that many forked processes; if a worker dies, what is left
    runs here."""
    global _TASK
    done = 0
    if workers > 1 and count >= minimum and can_fork():
        size = -(-count // (workers * 4))
        chunks = [(start, min(start + size, count)) for start in range(0, count, size)]
        # The last chunk is held back until the pool is shut down, so that the caller never
        # sees every result while the pool's threads still run.
        pending: list[T] = []
        _TASK = task
        # Objects the workers inherit are moved out of the collector's sight while they run:
        # a collection in a worker would otherwise write to every object it inherited, and so
        # copy the whole heap into the worker, page by page.
        frozen_before = gc.get_freeze_count() > 0
        gc.freeze()
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                for results in pool.map(_run, chunks):
                    yield from pending
                    done += len(pending)
                    pending = results
        except (BrokenProcessPool, OSError):
            pending = []  # run again below
        finally:
            _TASK = None
            if not frozen_before:  # else the build keeps what it froze (`rolebook.cache.keep_out_of_sight`)
                gc.unfreeze()
        yield from pending
        done += len(pending)
    if done < count:
        yield from task(done, count)


def map_groups(
    task: Callable[[int], T],
    groups: Sequence[tuple[Hashable, int, int]],
    workers: int,
    minimum: int,
    cache: BuildCache[Hashable, list[Any]] | None = None,
) -> list[T]:
    """`task(i)` for every item of `groups` (`(key, start, stop)`, covering items in order),
    reusing from `cache` the results of groups whose key it holds, the rest through
    `fork_map`."""
    count = groups[-1][2] if groups else 0
    results: list[Any] = [None] * count
    todo: list[int] = []
    missing = []
    for key, start, stop in groups:
        cached = cache.get(key) if cache is not None else None
        if cached is not None and len(cached) == stop - start:
            results[start:stop] = cached
        else:
            todo.extend(range(start, stop))
            missing.append((key, start, stop))
    computed = fork_map(lambda a, b: [task(i) for i in todo[a:b]], len(todo), workers, minimum)
    for index, result in zip(todo, computed, strict=True):
        results[index] = result
    if cache is not None:
        for key, start, stop in missing:
            cache.put(key, results[start:stop])
    return results
