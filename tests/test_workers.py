"""Work spread over forked processes: same results, in order, whatever happens to a worker."""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from rolebook.workers import can_fork, fork_map


@pytest.fixture(autouse=True)
def _forkable() -> None:
    if not can_fork():
        pytest.skip(f"needs fork and a single thread; running: {[t.name for t in threading.enumerate()]}")


def test_results_come_in_order_and_equal_serial_ones() -> None:
    items = [f"item {n}" for n in range(1000)]

    def task(start: int, stop: int) -> list[tuple[int, str, int]]:
        return [(n, items[n].upper(), os.getpid()) for n in range(start, stop)]

    parallel = list(fork_map(task, len(items), 2, 10))
    serial = list(fork_map(task, len(items), 1, 10))
    assert [r[:2] for r in parallel] == [r[:2] for r in serial] == [(n, f"ITEM {n}") for n in range(1000)]
    assert {r[2] for r in parallel} - {os.getpid()}, "worker processes did the work"
    assert {r[2] for r in serial} == {os.getpid()}


def test_the_pool_is_gone_once_the_last_result_is_read() -> None:
    results = fork_map(lambda start, stop: list(range(start, stop)), 100, 2, 10)
    for _ in range(100):
        next(results)
    assert threading.active_count() == 1
    assert list(fork_map(lambda start, stop: list(range(start, stop)), 100, 2, 10)) == list(range(100))


def test_work_a_dead_worker_left_is_done_here() -> None:
    parent = os.getpid()

    def task(start: int, stop: int) -> list[int]:
        if os.getpid() != parent and start > 0:
            os._exit(3)  # a worker dies mid-way
        return [n * n for n in range(start, stop)]

    assert list(fork_map(task, 200, 2, 10)) == [n * n for n in range(200)]


def test_small_inputs_stay_in_this_process() -> None:
    assert {pid for pid in fork_map(lambda a, b: [os.getpid()] * (b - a), 5, 2, 10)} == {os.getpid()}


def test_a_library_builds_the_same_with_one_process_or_two(tmp_path: Path) -> None:
    """Large enough for every parallel step (parse, relate, claims, role pages)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_corpus import generate

    corpus = tmp_path / "roles"
    generate(110, corpus, seed=7)
    one = build_site(tmp_path / "one", sources=corpus, settings={"workers": 1})
    two = build_site(tmp_path / "two", sources=corpus, settings={"workers": 2})
    pages = sorted(
        p.relative_to(one.site_dir) for p in one.site_dir.rglob("*") if p.suffix in {".html", ".json", ".csv"}
    )
    assert len(pages) > 300
    assert pages == sorted(
        p.relative_to(two.site_dir) for p in two.site_dir.rglob("*") if p.suffix in {".html", ".json", ".csv"}
    )
    for page in pages:
        assert (one.site_dir / page).read_bytes() == (two.site_dir / page).read_bytes(), page
    assert one.messages(logging.WARNING) == two.messages(logging.WARNING)
