"""Reading a site's data files (vocabulary, relations, areas, claim rules): a mistake is
reported as `file:line: message`, never as a parser's traceback.

One reader serves them all: `read_data_file` loads the YAML safely and keeps the line of
every mapping key and list item, so a loader that finds a value of the wrong shape can say
where it is (`DataFile.error`), not only that the file is wrong somewhere.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Location = tuple[Hashable, ...]
"""Where a value is in a data file: the keys and list indices that lead to it
(`("areas", 2, "keywords")`)."""


class DataFileError(ValueError):
    """A data file that cannot be used; the message starts with its path (and line)."""

    path: str | None
    """The file, when known."""
    line: int | None
    """The 1-based line the mistake is on, when known."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = None if path is None else str(path)
        self.line = line


@dataclass(frozen=True)
class DataFile:
    """A data file's mapping, with the line each of its keys and list items starts on."""

    path: Path
    data: dict
    lines: dict[Location, int] = field(default_factory=dict)
    """Location -> 1-based line: of the key for a mapping entry, of the item for a list item."""
    error_type: type[DataFileError] = DataFileError
    """What `error` makes: the loader's own subclass (`AreasError`), so callers can tell files apart."""

    def line_of(self, *at: Hashable) -> int | None:
        """The line of the value at `at`, or of the nearest enclosing value that has one."""
        for end in range(len(at), 0, -1):
            if at[:end] in self.lines:
                return self.lines[at[:end]]
        return None

    def error(self, message: str, *at: Hashable) -> DataFileError:
        """`path:line: message` about the value at `at` (keys and indices), to raise."""
        line = self.line_of(*at)
        where = f"{self.path}:{line}" if line else str(self.path)
        return self.error_type(f"{where}: {message}", self.path, line)

    def value(self, *at: Hashable) -> object:
        """The value at `at` (keys and list indices), `None` when there is none."""
        value: object = self.data
        for step in at:
            if isinstance(value, dict):
                value = value.get(step)
            elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
                value = value[step]
            else:
                return None
        return value

    def strings(self, *at: Hashable) -> list[str]:
        """The list of strings at `at` (`[]` when absent or null); any other value is an error
        naming its line."""
        value = self.value(*at)
        if value is None:
            return []
        name = _name(at)
        if not isinstance(value, list):
            raise self.error(f"`{name}` must be a list of strings, got {value!r}", *at)
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(f"`{name}` must be a list of strings, got {item!r} in it", *at, index)
        return value

    def mapping(self, *at: Hashable, holding: str) -> dict:
        """The mapping at `at` (`{}` when absent or null); `holding` says what it maps, for
        the message when it is something else (`"section keys to stances"`)."""
        value = self.value(*at)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(f"`{_name(at)}` must map {holding}, got {value!r}", *at)
        return value


def _name(at: Location) -> str:
    """How a message names the value at `at`: its keys after the last list index
    (`keywords` of `areas.2.keywords`)."""
    start = max((i + 1 for i, step in enumerate(at) if isinstance(step, int)), default=0)
    return ".".join(str(step) for step in at[start:])


def read_data_file(path: str | Path, what: str, error_type: type[DataFileError] = DataFileError) -> DataFile:
    """The YAML mapping in `path` (empty when the file is empty), with its lines; `what` says
    what the mapping should hold, for the message when it is something else. Every mistake,
    here or later through `DataFile.error`, raises `error_type`.

    Read with PyYAML's safe loader: no tag constructs an object."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise error_type(f"{path}: cannot be read: {error}", path) from error
    try:
        try:
            data, lines = _load(_FAST_LOADER, text)
        except yaml.YAMLError:
            data, lines = _load(yaml.SafeLoader, text)  # the pure-Python loader's message
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or str(error)
        where = f"{path}:{line}" if line else str(path)
        raise error_type(f"{where}: not valid YAML: {problem}", path, line) from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise error_type(f"{path}:1: expected a mapping {what}, got a {type(data).__name__}", path, 1)
    return DataFile(path, data, lines, error_type)


_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader on libyaml when PyYAML was built with it: the same documents, marks
and lines, parsed several times faster (the built-in data files took a tenth of a second)."""


def _load(loader_type: Any, text: str) -> tuple[object, dict[Location, int]]:
    """The document in `text` and the line of every key and item in it."""
    loader = loader_type(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        lines: dict[Location, int] = {}
        if node is not None:
            _collect_lines(loader, node, (), lines, set())
        return data, lines
    finally:
        loader.dispose()


def _collect_lines(
    loader: yaml.SafeLoader, node: yaml.Node, at: Location, lines: dict[Location, int], seen: set[int]
) -> None:
    """Record the line of every key and item under `node` (after construction, so merge
    keys `<<:` have been flattened into the mappings that use them). A node an alias repeats
    is walked once: what is under its second use takes the line of the alias."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            try:
                key = loader.construct_object(key_node, deep=True)
            except yaml.YAMLError:
                continue
            if isinstance(key, Hashable):
                lines.setdefault(at + (key,), key_node.start_mark.line + 1)
                _collect_lines(loader, value_node, at + (key,), lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.setdefault(at + (index,), item.start_mark.line + 1)
            _collect_lines(loader, item, at + (index,), lines, seen)
