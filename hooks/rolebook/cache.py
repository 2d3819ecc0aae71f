"""What one build computed, kept for the next in the same process (`mkdocs serve`).

Each key names an input and everything the value depends on (a document's digest, the
vocabulary, the names every role goes by), so a key that is found is still right. Entries
that a build did not use are dropped when the next build starts.
"""

from __future__ import annotations

from collections.abc import Hashable
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


RESULTS: BuildCache[Hashable, list[Any]] = BuildCache()
"""Per-document results of relating and claims (see `rolebook.workers.map_groups`)."""
