"""The facts a role's metadata gives: front matter other than `name` and `description`, and
`agent.json` or roster fields. One list, read by the role page's facts table and by
`roles.json`, so the export holds everything the page shows."""

from __future__ import annotations

from dataclasses import dataclass

from rolebook.model import Role

LIST_KEYS = frozenset({"tools", "allowed-tools", "allowed_tools", "keywords", "tags", "skills"})
"""Front-matter keys whose string values are comma-separated lists ("Read, Grep, Bash")."""

TITLES = {
    "tools": "Tools",
    "allowed-tools": "Allowed tools",
    "model": "Model",
    "color": "Colour",
    "license": "Licence",
    "version": "Version",
    "keywords": "Keywords",
    "rulesHash": "Rules hash",
    "metadata": "Metadata",
}
"""Row titles of well-known keys; any other key is shown as written."""

HIDDEN_METADATA = frozenset({"mount_paths", "prompt_files"})
"""`agent.json` fields that are internal wiring, not facts about the role."""

FactValue = str | list[str] | dict[str, str]


@dataclass(frozen=True)
class Fact:
    """One row of a role's facts."""

    key: str
    """The key as written (`allowed-tools`)."""
    title: str
    """How the page labels it (`Allowed tools`)."""
    value: FactValue
    """Text, a list (tools, keywords) or a mapping (`metadata:`), every leaf as text."""
    source: str
    """Path of the document or JSON file that states it."""


def fact_value(key: str, value: object) -> FactValue:
    """A front-matter value as its reader sees it: lists and mappings with text leaves, a
    comma-separated string under a list key as a list, anything else as text."""
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _text(v) for k, v in value.items()}
    text = _text(value)
    if key.lower() in LIST_KEYS and "," in text:
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def _text(value: object) -> str:
    return "" if value is None else str(value)


def role_facts(role: Role) -> list[Fact]:
    """Every fact of `role`, documents first (in page order), then its JSON metadata."""
    facts = []
    for document in role.documents:
        for key, value in document.front_matter.items():
            if key not in ("name", "description"):
                facts.append(Fact(key, TITLES.get(key, key), fact_value(key, value), document.path))
    if role.metadata is not None:
        source = role.metadata.path
        if role.metadata.keywords:
            facts.append(Fact("keywords", "Keywords", list(role.metadata.keywords), source))
        for key, text in role.metadata.fields:
            if key not in HIDDEN_METADATA:
                facts.append(Fact(key, TITLES.get(key, key), text, source))
    return facts
