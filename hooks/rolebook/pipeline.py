"""The whole pipeline, independent of MkDocs: find sources -> read -> parse -> merge."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .merge import merge_roles
from .metadata import read_metadata
from .model import Document, Escalation, Finding, Relation, Role, RoleMetadata
from .relate import Lexicon, RelationRules, load_relation_rules, relate
from .sources import METADATA_SUFFIXES, ParseCache, SourceFile, find_sources, read_document
from .vocabulary import Vocabulary


class Stopwatch:
    """Adds the time since the last lap to a phase of `timings` (when there is one)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[phase] = self.timings.get(phase, 0.0) + now - self.last
        self.last = now


@dataclass(frozen=True)
class Library:
    """Everything Rolebook knows after reading a set of source folders."""

    roles: tuple[Role, ...]
    """Roles sorted by id: those with documents, those only a roster lists, and those only
    other roles' documents mention."""
    documents: tuple[Document, ...]
    """Every Markdown document that could be read, in source order."""
    sources: tuple[SourceFile, ...]
    """Every file found, including any that could not be read."""
    findings: tuple[Finding, ...]
    """What was noticed on the way, in the order it was noticed."""
    relations: tuple[Relation, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    lexicon: Lexicon | None = None
    """Every name of every role, for linking mentions."""

    @cached_property
    def by_id(self) -> dict[str, Role]:
        return {role.id: role for role in self.roles}

    @cached_property
    def outgoing(self) -> dict[str, list[Relation]]:
        """Relations by the id of the role whose documents state them."""
        index: dict[str, list[Relation]] = {}
        for relation in self.relations:
            index.setdefault(relation.source, []).append(relation)
        return index

    @cached_property
    def incoming(self) -> dict[str, list[Relation]]:
        """Relations by the id of the role they name."""
        index: dict[str, list[Relation]] = {}
        for relation in self.relations:
            index.setdefault(relation.target, []).append(relation)
        return index


def load_library(
    roots: list[Path],
    base: Path,
    vocabulary: Vocabulary,
    rules: RelationRules | None = None,
    cache: ParseCache | None = None,
    timings: dict[str, float] | None = None,
    allow_html: bool = False,
) -> Library:
    """Read every document under `roots` (paths shown relative to `base`), merge roles and
    relate them. With a `cache`, unchanged documents are not parsed again; `timings`
    receives the seconds each phase took; `allow_html` lets raw HTML in documents through
    (for trusted sources only)."""
    clock = Stopwatch(timings)
    if cache is not None:
        cache.start()
    sources, findings = find_sources(roots, base, vocabulary.role_folder_markers)
    read: list[tuple[SourceFile, Document]] = []
    agent_files: dict[str, RoleMetadata] = {}
    roster: list[RoleMetadata] = []
    for source in sources:
        if source.abs_path.suffix.lower() in METADATA_SUFFIXES:
            agent, entries, metadata_findings = read_metadata(source)
            findings.extend(metadata_findings)
            if agent is not None:
                agent_files[source.group] = agent
            roster.extend(entries)
            continue
        document, document_findings = read_document(source, vocabulary, cache, allow_html)
        findings.extend(document_findings)
        if document is not None:
            read.append((source, document))
    clock.lap("read and parse")
    roles, merge_findings = merge_roles(read, agent_files, roster)
    findings.extend(merge_findings)
    clock.lap("merge")
    related = relate(roles, rules or load_relation_rules(), vocabulary)
    findings.extend(related.findings)
    clock.lap("relate")
    return Library(
        roles=related.roles,
        documents=tuple(d for _, d in read),
        sources=tuple(sources),
        findings=tuple(findings),
        relations=related.relations,
        escalations=related.escalations,
        lexicon=related.lexicon,
    )
