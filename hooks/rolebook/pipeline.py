"""The whole pipeline, independent of MkDocs: find sources -> read -> parse -> merge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .merge import merge_roles
from .metadata import read_metadata
from .model import Document, Finding, Role, RoleMetadata
from .sources import METADATA_SUFFIXES, SourceFile, find_sources, read_document
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class Library:
    """Everything Rolebook knows after reading a set of source folders."""

    roles: tuple[Role, ...]
    """Roles sorted by id."""
    documents: tuple[Document, ...]
    """Every Markdown document that could be read, in source order."""
    sources: tuple[SourceFile, ...]
    """Every file found, including any that could not be read."""
    findings: tuple[Finding, ...]
    """What was noticed on the way, in the order it was noticed."""


def load_library(roots: list[Path], base: Path, vocabulary: Vocabulary) -> Library:
    """Read every document under `roots` (paths shown relative to `base`) and merge roles."""
    sources = find_sources(roots, base, vocabulary.role_folder_markers)
    findings: list[Finding] = []
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
        document, document_findings = read_document(source, vocabulary)
        findings.extend(document_findings)
        if document is not None:
            read.append((source, document))
    roles, merge_findings = merge_roles(read, agent_files, roster)
    findings.extend(merge_findings)
    return Library(tuple(roles), tuple(d for _, d in read), tuple(sources), tuple(findings))
