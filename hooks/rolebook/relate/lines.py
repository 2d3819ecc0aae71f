"""The lines of text relating reads: each item of each section of a role's documents, with
the section it belongs to (label lines such as "Escalate when:" count as sections), and
the sections of multi-role documents that describe other roles.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from rolebook.model import (
    Document,
    Item,
    Role,
    RoleStatus,
)
from rolebook.names import description_anchor, item_anchor, split_abbreviation
from rolebook.relate.lexicon import Lexicon
from rolebook.relate.rules import words
from rolebook.vocabulary import SectionMeaning, Vocabulary


def item_lines(role: Role, vocabulary: Vocabulary) -> Iterable[tuple[Document, str | None, Item, Item]]:
    """Each line of text of each item: `(document, section key, item, part)`, the part as
    an `Item` of its own. A label line — a playbook step's title ("HANDOFF") or a paragraph
    such as "Escalate When:" — puts the lines under it in the section it names."""
    for document in role.documents:
        if document.description:  # front matter: "Use when … delegate to backend-developer"
            line = _front_matter_line(document.text, "description")
            text = document.description
            yield (
                document,
                SectionMeaning.MISSION,
                Item(line, "description", text, text),
                Item(line, "description", text, text),
            )
        for section in document.sections:
            label_context: str | None = None
            for item in section.items:
                first = item.parts[0][1] if item.parts else ""
                label = vocabulary.section_for(first.rstrip(": ")) if len(first) < 40 else None
                if item.kind == "paragraph" and first.rstrip().endswith(":"):
                    label = label or vocabulary.label_for(first.rstrip(": "))
                    label_context = label
                    if label is not None:
                        continue
                context = label or label_context or section.canonical
                for index, (line, text, prose) in enumerate(item.parts):
                    if index == 0 and label is not None and item.kind == "list item":
                        continue  # the step's title itself
                    yield document, context, item, Item(line, item.kind, text, prose)


def _front_matter_line(text: str, key: str) -> int:
    """1-based line of `key:` in a document's front matter (1 when not found)."""
    for number, line in enumerate(text.split("\n")[1:60], start=2):
        if line.startswith(f"{key}:"):
            return number
        if line.strip() == "---":
            break
    return 1


def line_anchor(document: Document, item: Item) -> str:
    """Where an item is on its role page (a front-matter description has an anchor of its own)."""
    return description_anchor(document.name) if item.kind == "description" else item_anchor(document.name, item.line)


Line = tuple[Role, Document, str | None, Item, Item]
"""A line of text of a role's document: `(role, document, section key, item, part)`."""


def line_groups(lines: list[Line]) -> list[tuple[tuple[str, str, str], int, int]]:
    """Runs of `lines` from one role's document: `((role id, path, digest), start, stop)`."""
    groups: list[tuple[tuple[str, str, str], int, int]] = []
    for index, (role, document, *_) in enumerate(lines):
        key = (role.id, document.path, document.digest)
        if groups and groups[-1][0] == key and groups[-1][2] == index:
            groups[-1] = (key, groups[-1][1], index + 1)
        else:
            groups.append((key, index, index + 1))
    return groups


def sections_for_other_roles(
    roles: Iterable[Role], lexicon: Lexicon, multi_role: Collection[str] = ()
) -> dict[str, list[tuple[Document, int, str]]]:
    """Sections of multi-role documents ("Different roles": `## Incident Commander`,
    `## Deputy` …): a top-level section whose heading is exactly the name of another defined
    role contributes to that role's page; in a document the site declares multi-role
    (`multi_role`, absolute paths), so does one whose heading names one defined role among
    other words ("Steps for Deputy"). Returns target role id -> (document, section index,
    owning role id)."""
    roles = list(roles)
    defined = {role.id for role in roles if role.status is RoleStatus.DEFINED}
    own_paths = {role.id: {d.abs_path for d in role.documents} for role in roles}
    found: dict[str, list[tuple[Document, int, str]]] = {}
    for role in roles:
        for document in role.documents:
            declared = str(document.abs_path) in multi_role
            for index, section in enumerate(document.sections):
                if section.parent is not None or section.level == 0:
                    continue
                name = lexicon.lookup(words(split_abbreviation(section.title)[0]))
                target = name.role if name is not None else None
                if target is None and declared:
                    named = {m.role for m in lexicon.find(section.title) if m.role in defined}
                    target = named.pop() if len(named) == 1 else None
                if (
                    target is not None
                    and target != role.id
                    and target in defined
                    and document.abs_path not in own_paths[target]  # already its own document
                ):
                    found.setdefault(target, []).append((document, index, role.id))
    return found
