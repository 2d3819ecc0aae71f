"""One way to read every format: each format has a `Reader`, and every reader gets the same
decoded text (`rolebook.read.text.decode`), the same cache across `mkdocs serve` rebuilds
(`PARSE_CACHE`) and the same worker processes (`rolebook.workers`).

A reader says which files it claims (by name), which of them it reads together (a CrewAI
folder's `agents.yaml` and `tasks.yaml`; otherwise each file on its own), and turns their
text into documents, agent metadata, roster entries and findings. `read_sources` does the
rest: reading bytes, decoding, the cache, the workers and the order of the results. So a
new format is one module with its reader, plus its line in `rolebook.read.READERS`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from rolebook.cache import BuildCache
from rolebook.model import Document, Finding, Level, RoleMetadata
from rolebook.read.files import SourceFile
from rolebook.read.text import DecodedText, decode
from rolebook.vocabulary import Vocabulary
from rolebook.workers import fork_map


@dataclass(frozen=True)
class ReadContext:
    """What every reader may use besides the files themselves; part of each cache key."""

    vocabulary: Vocabulary
    allow_html: bool = False
    """Raw HTML in documents is let through (trusted sources only)."""

    @property
    def fingerprint(self) -> str:
        """Changes whenever what a reader makes of the same bytes could change."""
        return self.vocabulary.fingerprint + ("+html" if self.allow_html else "")


@dataclass(frozen=True)
class TextFile:
    """A claimed file, decoded: what a reader reads."""

    source: SourceFile
    text: DecodedText
    """`text.rendered` is what to parse, `text.original` what the source view shows, and
    `text.findings` what decoding noticed (a reader reports them with its own)."""


@dataclass(frozen=True)
class ReadResult:
    """What a reader made of the files it read together."""

    documents: tuple[tuple[SourceFile, Document], ...] = ()
    """Each document with the source file as the merge sees it: its `group` says which role
    the document joins (a role folder's path, the file's own path, or one of the roles a
    file describes, such as a CrewAI agent)."""
    agents: tuple[tuple[str, RoleMetadata], ...] = ()
    """Metadata of the role a group forms (`agent.json`), by group."""
    roster: tuple[RoleMetadata, ...] = ()
    """Roles a roster file lists, whether or not documents define them."""
    findings: tuple[Finding, ...] = ()


class Reader(Protocol):
    """A format. Subclass it (for the defaults) or match it; register an instance in
    `rolebook.read.READERS`."""

    name: ClassVar[str]
    """Short and unique (`markdown`, `crewai`): part of the cache key."""
    fold_copies: ClassVar[bool] = False
    """Whether a file identical to an earlier one of this format is the same document copied
    (a role folder copied elsewhere), reported and published once."""

    def claims(self, name: str) -> bool:
        """Whether a file of this name is this format's to read."""
        ...

    def units(self, files: list[SourceFile]) -> list[list[SourceFile]]:
        """The claimed files (in source order) split into the groups read together; by
        default each file on its own."""
        return [[file] for file in files]

    def read(self, files: list[TextFile], context: ReadContext) -> ReadResult:
        """Read one group of files. Runs in a worker process for large libraries, so it must
        depend on nothing but its arguments; it never raises on bad input (a finding says
        what is wrong, and the rest is still read)."""
        ...


_Loaded = tuple[SourceFile, bytes, str]
"""A file's source, bytes and digest."""
_Key = tuple[str, tuple[tuple[SourceFile, str], ...], str]
"""Reader, `(source, digest)` of each file, context fingerprint. The whole `SourceFile` (its
absolute path, the path shown, its group), not just the path shown: a result holds them, so a
result read where the sources lay before they moved must not be found for the same bytes
at their new place."""


class ParseCache(BuildCache[_Key, ReadResult]):
    """What each group of files was read into in the previous build, by reader, files (where
    they lie, and how the site names and groups them), contents and context: under `mkdocs
    serve` an edit re-reads only the files that changed."""

    def __init__(self) -> None:
        super().__init__()
        self.parsed = 0
        """Groups of files read in this build."""
        self.reused = 0
        """Groups of files whose result came from the previous build."""

    def start(self) -> None:
        super().start()
        self.parsed = self.reused = 0

    def get(self, key: _Key) -> ReadResult | None:
        found = super().get(key)
        self.reused += found is not None
        return found

    def put(self, key: _Key, value: ReadResult) -> None:
        super().put(key, value)
        self.parsed += 1


PARSE_CACHE = ParseCache()
"""Lives as long as the process (the `rolebook` package outlives the hook module that
`mkdocs serve` reloads on each rebuild)."""

PARALLEL_MINIMUM = 200
"""Fewer groups of files to read than this are read in the build's own process: starting
workers costs more than it saves."""


def read_sources(
    sources: Sequence[SourceFile],
    readers: Sequence[Reader],
    context: ReadContext,
    cache: ParseCache | None = None,
    workers: int = 1,
) -> Iterator[tuple[SourceFile, ReadResult]]:
    """Every group of `sources` read by the first of `readers` that claims it, as
    `(first file of the group, result)` in source order (files no reader claims are left
    out). Results of groups whose bytes `cache` holds are reused; with `workers` > 1 and at
    least `PARALLEL_MINIMUM` groups to read, those are read by that many worker processes."""
    claimed: list[list[SourceFile]] = [[] for _ in readers]
    for source in sources:
        index = next((i for i, reader in enumerate(readers) if reader.claims(source.abs_path.name)), None)
        if index is not None:
            claimed[index].append(source)
    position = {id(source): number for number, source in enumerate(sources)}
    units = [
        (reader, sorted(unit, key=lambda source: position[id(source)]))
        for reader, files in zip(readers, claimed, strict=True)
        for unit in reader.units(files)
        if unit
    ]
    units.sort(key=lambda entry: position[id(entry[1][0])])
    planned: list[tuple[list[Finding], _Key | None, ReadResult | None]] = []
    jobs: list[tuple[Reader, list[_Loaded]]] = []
    for reader, unit in units:
        loaded, problems = _load_bytes(unit)
        key: _Key = (reader.name, tuple((source, digest) for source, _, digest in loaded), context.fingerprint)
        cached = cache.get(key) if cache is not None and loaded else None
        if loaded and cached is None:
            jobs.append((reader, loaded))
        planned.append((problems, key if loaded else None, cached))
    results = fork_map(
        lambda start, stop: [_read(*job, context) for job in jobs[start:stop]],
        len(jobs),
        workers,
        PARALLEL_MINIMUM,
    )
    first_copy: dict[tuple[str, str], str] = {}
    for (reader, unit), (problems, unit_key, cached) in zip(units, planned, strict=True):
        result = cached or ReadResult()
        if unit_key is not None and cached is None:
            result = next(results)
            if cache is not None:
                cache.put(unit_key, result)
        findings = [*problems, *result.findings]
        documents = list(result.documents)
        if reader.fold_copies:
            documents = _fold_copies(reader.name, documents, first_copy, findings)
        yield unit[0], ReadResult(tuple(documents), result.agents, result.roster, tuple(findings))


def _load_bytes(unit: list[SourceFile]) -> tuple[list[_Loaded], list[Finding]]:
    """The bytes and digest of each file of `unit`, and what could not be read."""
    loaded: list[_Loaded] = []
    problems: list[Finding] = []
    for source in unit:
        try:
            raw = source.abs_path.read_bytes()
        except OSError as error:
            problems.append(Finding(source.path, None, Level.ERROR, f"cannot read file: {error.strerror or error}"))
            continue
        loaded.append((source, raw, hashlib.sha256(raw).hexdigest()))
    return loaded, problems


def _read(reader: Reader, loaded: list[_Loaded], context: ReadContext) -> ReadResult:
    files = [TextFile(source, decode(raw, source.path, digest)) for source, raw, digest in loaded]
    return reader.read(files, context)


def _fold_copies(
    reader: str,
    documents: list[tuple[SourceFile, Document]],
    first_copy: dict[tuple[str, str], str],
    findings: list[Finding],
) -> list[tuple[SourceFile, Document]]:
    """`documents` without those identical to an earlier file of the same format (noted)."""
    kept = []
    for source, document in documents:
        earlier = first_copy.get((reader, document.digest))
        if earlier is not None and document.size > 0:
            message = f"identical to {earlier}; folded into it, not published twice"
            findings.append(Finding(source.path, None, Level.INFO, message))
            continue
        first_copy[(reader, document.digest)] = source.path
        kept.append((source, document))
    return kept
