"""What one build computed, kept for the next: in the same process (`mkdocs serve`), and on
disk between `mkdocs build` runs (`save_kept` / `load_kept`, in the `cache` folder of the settings).

Each key names an input and everything the value depends on (a document's digest, the
vocabulary, the names every role goes by), so a key that is found is still right. Entries
that a build did not use are dropped when the next build starts. What a key cannot name —
Rolebook's own code, the libraries it parses with, the Python that runs it, the folder the
site is built from — is the cache file's `scope`: a file written under another scope is
not read.
"""

from __future__ import annotations

import ctypes
import dataclasses
import enum
import gc
import hashlib
import os
import pickle
import sys
import time
import zlib
from collections.abc import Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BuildCache(Generic[K, V]):
    """Values by key, from the previous build and the current one."""

    def __init__(self) -> None:
        self._previous: dict[K, V] = {}
        self._current: dict[K, V] = {}

    def start(self) -> None:
        """Begin a build: what the last build used can be reused, the rest is dropped."""
        self._previous, self._current = self._current or self._previous, {}

    def get(self, key: K) -> V | None:
        found = self._previous.get(key, self._current.get(key))
        if found is not None:
            self._current[key] = found
        return found

    def put(self, key: K, value: V) -> None:
        self._current[key] = value

    def is_empty(self) -> bool:
        """Whether this process has built nothing yet."""
        return not self._previous and not self._current

    def entries(self) -> dict[K, V]:
        """What the current build used (what a later build may reuse)."""
        return self._current

    def clear(self) -> None:
        """Forget everything, as a new process starts."""
        self._previous, self._current = {}, {}

    def seed(self, entries: dict[K, V]) -> None:
        """Offer `entries` (a previous process's, from `load_kept`) to the next build."""
        self._current = entries


def fingerprint(value: object) -> str:
    """A digest of `value` that is the same in every process: sets are sorted and dataclasses
    spelt field by field (Python's own `hash` of a string, and so the order of a set, changes
    from one process to the next). An object without a meaningful `repr` gives a digest that
    matches nothing later, which only costs a cache miss."""
    return hashlib.sha256(repr(_canonical(value)).encode()).hexdigest()


def _canonical(value: object) -> object:
    if isinstance(value, enum.Enum):
        return (type(value).__name__, value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__name__, *((f.name, _canonical(getattr(value, f.name))) for f in fields))
    if isinstance(value, (set, frozenset)):
        return ("set", *sorted((_canonical(item) for item in value), key=repr))
    if isinstance(value, dict):
        return ("dict", *sorted(((_canonical(k), _canonical(v)) for k, v in value.items()), key=repr))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(item) for item in value)
    return value


_HIDDEN = [False]
"""Whether an analysis of this process hid what it holds (`keep_out_of_sight`)."""


def keep_out_of_sight(analysis: bool = True) -> None:
    """Move every object alive now out of the garbage collector's sight until the next
    `start_over` (`gc.freeze`). What a build has read and concluded lives until the site is
    written; each full collection would otherwise scan all of it again (at N=1000 the
    collector took 11 s of a cold build, most of it in such full collections). `analysis`:
    whether what is hidden is an analysis's, which the next one frees (the kept cache that
    `load_kept` read is not: the analysis after it finds nothing to free)."""
    gc.freeze()
    if analysis:
        _HIDDEN[0] = True


@contextmanager
def collection_paused() -> Iterator[None]:
    """No garbage collection meanwhile: while an analysis (or `load_kept`) builds what lives as
    long as the build, every full collection scans all of it again and frees next to nothing
    (at N=1000, 20 full collections of a cold analysis)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def start_over() -> None:
    """Before an analysis: when an earlier one in this process hid what it held (`mkdocs
    serve`, tests), the collector sees it again and frees what no build uses any more, so
    builds do not pile up what earlier ones left."""
    if _HIDDEN[0]:
        _HIDDEN[0] = False
        gc.unfreeze()
        gc.collect()


def release(caches: Iterable[BuildCache[Any, Any]]) -> None:
    """Forget what `caches` hold, free it with all else no longer used (hidden or not), and
    hand the freed memory back to the system where the C library can (glibc's `malloc_trim`:
    Python frees most of a build's objects into memory it keeps for later)."""
    for cache in caches:
        cache.clear()
    _HIDDEN[0] = False
    gc.unfreeze()
    gc.collect()
    with suppress(AttributeError, OSError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)


RESULTS: BuildCache[Hashable, list[Any]] = BuildCache()
"""Per-document results of relating and claims (see `rolebook.workers.map_groups`)."""

CACHE_FILE = "documents.pickle"
"""The file in the cache folder that lists the shards `save_kept` wrote (`SHARD_FOLDER`)."""

LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "PyYAML", "ftfy", "Pygments", "lemminflect", "wordfreq", "numpy")
"""Libraries whose version can change what a document parses to, or a kept graph layout
(`rolebook.render.graph_layout.LAYOUTS`): the scope names them."""


def scope(base: Path) -> str:
    """What every entry of a cache file depends on beyond its key: the bytes of this package
    (code, data files, templates), the libraries in `LIBRARIES`, Python's version and the
    site's folder (documents keep their absolute paths)."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library}={version}\0".encode())
    digest.update(f"{sys.version}\0{base.resolve()}".encode())
    return digest.hexdigest()


SHARDS = 16
"""Each kept cache is written in this many files (`SHARD_FOLDER`), by its keys: a build that
changed a few entries rewrites the few files that hold them, not the whole cache."""

SHARD_FOLDER = "kept"
"""The folder, in the cache folder, of the shard files; `CACHE_FILE` lists the ones to read."""

_ON_DISK: dict[tuple[Path, str], dict[tuple[str, int], tuple[str, frozenset[Hashable]]]] = {}
"""By cache folder and scope: each shard's file, and the keys it holds, as this process last
read or wrote them."""


def _shard(key: Hashable) -> int:
    """The shard of `key`: the same in every process for keys of text, numbers, paths and
    dataclasses of them (another key may move between shards, which only rewrites both)."""
    return zlib.crc32(repr(key).encode()) % SHARDS


def load_kept(folder: Path, scope: str, caches: Mapping[str, BuildCache[Any, Any]]) -> int:
    """Seed each of `caches` that is still empty in this process with what the last build
    saved in `folder` under the same `scope`. A missing, unreadable or stale file is
    ignored: the build then computes everything. Returns how many entries were seeded."""
    try:
        with collection_paused(), open(folder / CACHE_FILE, "rb") as stream:  # every object unpickled lives on
            listed = pickle.load(stream)
            if not isinstance(listed, dict) or listed.get("scope") != scope:
                return 0
            saved: dict[tuple[str, int], dict[Any, Any]] = {}
            for (name, shard), file in listed.get("shards", {}).items():
                if name in caches and caches[name].is_empty():
                    with open(folder / SHARD_FOLDER / file, "rb") as shard_file:
                        saved[(name, shard)] = pickle.load(shard_file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return 0
    finally:
        keep_out_of_sight(analysis=False)  # what was kept lives as long as the build
    on_disk = _ON_DISK.setdefault((folder, scope), {})
    seeded = 0
    for name, cache in caches.items():
        if not cache.is_empty():
            continue
        entries: dict[Any, Any] = {}
        for shard in range(SHARDS):
            part = saved.get((name, shard))
            if isinstance(part, dict):
                entries.update(part)
                on_disk[(name, shard)] = (listed["shards"][(name, shard)], frozenset(part))
        cache.seed(entries)
        seeded += len(entries)
    return seeded


def save_kept(folder: Path, scope: str, caches: Mapping[str, BuildCache[Any, Any]]) -> bool:
    """Write what `caches` hold for the current build to `folder`, for `load_kept` in a later
    process: only the shards whose keys changed since they were read or written, each to a
    new file, then the list of shards (`CACHE_FILE`), replaced whole, so a build that stops
    half-way never leaves a broken cache; a folder that cannot be written to is left as it
    is. Returns whether anything changed."""
    on_disk = _ON_DISK.setdefault((folder, scope), {})
    shards: dict[tuple[str, int], dict[Any, Any]] = {}
    for name, cache in caches.items():
        for shard in range(SHARDS):
            shards[(name, shard)] = {}
        for key, value in cache.entries().items():
            shards[(name, _shard(key))][key] = value
    try:
        present = set(os.listdir(folder / SHARD_FOLDER))
    except OSError:
        present = set()
    changed = {
        where: entries
        for where, entries in shards.items()
        if where not in on_disk or on_disk[where][0] not in present or on_disk[where][1] != frozenset(entries)
    }
    if not changed:
        return False
    written: dict[tuple[str, int], tuple[str, frozenset[Hashable]]] = {}
    target = folder / CACHE_FILE
    partial = folder / f"{CACHE_FILE}.{os.getpid()}"
    try:
        (folder / SHARD_FOLDER).mkdir(exist_ok=True)
        for (name, shard), entries in changed.items():
            file = f"{name}-{shard:02d}-{os.getpid()}-{time.time_ns()}.pickle"
            with open(folder / SHARD_FOLDER / file, "wb") as stream:
                pickle.dump(entries, stream, protocol=pickle.HIGHEST_PROTOCOL)
            written[(name, shard)] = (file, frozenset(entries))
        files = {where: (written.get(where) or on_disk[where])[0] for where in shards}
        with open(partial, "wb") as stream:
            pickle.dump({"scope": scope, "shards": files}, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, target)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        partial.unlink(missing_ok=True)
        for file, _ in written.values():
            (folder / SHARD_FOLDER / file).unlink(missing_ok=True)
        return True
    on_disk.update(written)
    listed = set(files.values())
    for name in present - listed:
        (folder / SHARD_FOLDER / name).unlink(missing_ok=True)
    return True


RENDERS: BuildCache[str, bytes] = BuildCache()
"""Python-Markdown's output for the pages kept (`rolebook.site.kept`), pickled."""

PAGES: BuildCache[str, bool] = BuildCache()
"""The keys of the pages kept as the theme's template wrote them; the pages themselves are
files beside the cache file (`rolebook.site.kept`)."""

ROLES: BuildCache[str, bool] = BuildCache()
"""The keys of the role pages kept as the site step assembled them; the pages themselves
are files beside the cache file (`rolebook.site.kept.KeptRoles`)."""
