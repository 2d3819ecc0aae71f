"""Group documents into roles and give each role its identity, aliases and summary."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Document, DocumentKind, Finding, Level, Role
from .sources import SourceFile

KIND_ORDER = {
    DocumentKind.ROLE: 0,
    DocumentKind.PLAYBOOK: 1,
    DocumentKind.STANDARDS: 2,
    DocumentKind.AGENT_CARD: 3,
    DocumentKind.SKILL: 4,
}
"""Order of documents on a role page: the role definition first, then how, then rules."""

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A URL-safe id: ASCII letters and digits joined by `-` (`"Backend Engineer"` -> `backend-engineer`)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "role"


def display_name(identifier: str) -> str:
    """A readable name from a folder or file name: `backend` -> `Backend`, `data_engineer` -> `Data Engineer`."""
    words = re.split(r"[-_\s]+", identifier.strip())
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or identifier


@dataclass(frozen=True)
class _Group:
    key: str
    folder: str
    is_folder: bool
    documents: tuple[Document, ...]


def merge_roles(documents: Iterable[tuple[SourceFile, Document]]) -> tuple[list[Role], list[Finding]]:
    """Merge documents that share a group (a role folder) into roles, sorted by id.

    Identity: a role folder gives the id and name (`backend/` -> `backend`, "Backend"); a
    document on its own is named by its front-matter `name`, else its title, else its file
    name. Every other name the documents give becomes an alias.
    """
    grouped: dict[str, list[tuple[SourceFile, Document]]] = {}
    for source, document in documents:
        grouped.setdefault(source.group, []).append((source, document))

    findings: list[Finding] = []
    roles: dict[str, Role] = {}
    for key in sorted(grouped):
        members = grouped[key]
        source = members[0][0]
        docs = tuple(sorted((d for _, d in members), key=lambda d: (KIND_ORDER[d.kind], d.path)))
        is_folder = source.group != source.path
        if is_folder:
            name = display_name(source.folder)
            base_id = slugify(source.folder)
        else:
            name = docs[0].alias or docs[0].title
            base_id = slugify(name)
        role_id = base_id
        if role_id in roles:
            counter = 2
            while f"{base_id}-{counter}" in roles:
                counter += 1
            role_id = f"{base_id}-{counter}"
            findings.append(
                Finding(
                    docs[0].path,
                    None,
                    Level.WARNING,
                    f"role id '{base_id}' is already used by {roles[base_id].documents[0].path}; "
                    f"this role is published as '{role_id}'",
                )
            )
        aliases: list[str] = []
        for document in docs:
            for alias in (document.alias,):
                if alias and alias != name and alias not in aliases:
                    aliases.append(alias)
        roles[role_id] = Role(
            id=role_id,
            name=name,
            aliases=tuple(aliases),
            documents=docs,
            summary=summarize(docs),
            source_dir=key if is_folder else "",
        )
    return [roles[k] for k in sorted(roles)], findings


def summarize(documents: tuple[Document, ...]) -> str:
    """One paragraph for cards and the page lead: a `Mission` section's first paragraph,
    else a front-matter description, else the first paragraph of any document."""
    for document in documents:
        for section in document.sections:
            if section.canonical == "mission" and section.level > 0:
                for item in section.items:
                    if item.text.strip():
                        return item.text.strip()
    for document in documents:
        if document.description:
            return document.description
    for document in documents:
        for section in document.sections:
            for item in section.items:
                if item.kind == "paragraph" and item.text.strip():
                    return item.text.strip()
    return ""
