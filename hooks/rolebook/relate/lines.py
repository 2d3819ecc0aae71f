"""The lines of text relating reads: each item of each section of a role's documents, with
the section it belongs to (label lines such as "Escalate when:" count as sections), and
the sections of multi-role documents that describe other roles.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Collection, Iterable
from functools import lru_cache

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
        for line in document_lines(document, vocabulary):
            yield document, *line


_DOCUMENT_LINES: dict[int, tuple[weakref.ref[Document], Vocabulary, list[tuple[str | None, Item, Item]]]] = {}
"""id of a document -> (the document, the vocabulary, its lines), while the document lives."""


def document_lines(document: Document, vocabulary: Vocabulary) -> list[tuple[str | None, Item, Item]]:
    """The lines of one document (see `item_lines`): `(section key, item, part)`. Relating,
    choosing areas and reading claims each go through every line of the library; the lines
    of a document are worked out once, and kept as long as the document lives."""
    kept = _DOCUMENT_LINES.get(id(document))
    if kept is not None and kept[0]() is document and kept[1] is vocabulary:
        return kept[2]
    lines = list(_document_lines(document, vocabulary))
    key = id(document)
    _DOCUMENT_LINES[key] = (weakref.ref(document, lambda _: _DOCUMENT_LINES.pop(key, None)), vocabulary, lines)
    return lines


def _document_lines(document: Document, vocabulary: Vocabulary) -> Iterable[tuple[str | None, Item, Item]]:
    if document.description:  # front matter: "Use when … delegate to backend-developer"
        line = _front_matter_line(document.text, "description")
        text = document.description
        yield (
            SectionMeaning.MISSION,
            Item(line, "description", text, text),
            Item(line, "description", text, text),
        )
    commented = commented_lines(document.text) if "<!--" in document.text else frozenset()
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
                if line in commented:
                    continue  # `<!-- … -->`: shown on the page, but the author took it out
                if "<!--" in prose:
                    prose = _COMMENT.sub(lambda found: " " * len(found[0]), prose)
                yield context, item, Item(line, item.kind, text, prose)


_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_BLOCK_END = re.compile(r"\n[ \t]*(?:\n|$)")
"""A blank line: where a paragraph ends."""
_LONGEST_BLOCK = 4000
"""Characters of source read after a part's first line to place a name in it."""


def commented_lines(text: str) -> frozenset[int]:
    """1-based lines of `text` inside HTML comments (`<!-- … -->`), which Markdown does not
    show when it renders HTML: what the author took out says nothing about other roles."""
    lines: set[int] = set()
    for match in _COMMENT.finditer(text):
        first = text.count("\n", 0, match.start()) + 1
        last = first + match[0].count("\n")
        # the lines the comment covers whole: text before `<!--` or after `-->` still counts
        opens_line = not text[text.rfind("\n", 0, match.start()) + 1 : match.start()].strip()
        after = text[match.end() : text.find("\n", match.end()) if "\n" in text[match.end() :] else len(text)]
        lines.update(range(first if opens_line else first + 1, (last if not after.strip() else last - 1) + 1))
    return frozenset(lines)


def source_block(source_lines: list[str], first: int) -> str:
    """The source text of the block that starts on line `first` (1-based): up to the next
    blank line, as hard-wrapped Markdown writes a paragraph over several lines."""
    block = "\n".join(source_lines[first - 1 : first + 60])[:_LONGEST_BLOCK]
    end = _BLOCK_END.search(block)
    return block[: end.start()] if end else block


def description_block(source_lines: list[str], first: int) -> str:
    """The source text of a front-matter value that starts on line `first` (1-based): that
    line and the indented lines after it, as a YAML block (`description: |`) writes a long
    description over several lines."""
    end = first
    while end < len(source_lines) and end - first < 200:
        following = source_lines[end]
        if following.strip() and not following[:1].isspace():
            break  # the next key, or the closing `---`
        end += 1
    return "\n".join(source_lines[first - 1 : end]).rstrip()[:_LONGEST_BLOCK]


def line_of(block: str, first: int, prose: str, start: int, end: int) -> int:
    """The line of the source `block` (starting on line `first`) where the words of
    `prose[start:end]` stand — the same occurrence, counted from the start — so a mention on
    the third line of a hard-wrapped paragraph is cited on that line, not the first."""
    words_of = re.findall(r"[^\W_]+", prose[start:end])
    if not words_of or "\n" not in block:
        return first
    block = _LINK_TARGET.sub(lambda found: " " * len(found[0]), block)  # `](night-auditor.md)` is no text
    pattern = _words_pattern(tuple(words_of))
    before = len(pattern.findall(prose[:start]))
    for index, match in enumerate(pattern.finditer(block)):
        if index == before:
            return first + block.count("\n", 0, match.start())
    return first


@lru_cache(maxsize=8192)
def _words_pattern(words_of: tuple[str, ...]) -> re.Pattern[str]:
    """`words_of` as written, any non-word characters between them, as whole words: compiled
    once per name (a large library writes the same few thousand names on many lines, more
    than `re`'s own cache of compiled patterns holds)."""
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, words_of)) + r"(?![^\W_])", re.IGNORECASE)


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


def line_groups(lines: list[Line]) -> list[tuple[tuple[str, str, str, str], int, int]]:
    """Runs of `lines` from one role's document: `((role id, path, absolute path, digest),
    start, stop)`; the absolute path too, as kept results must not outlive a move of the sources."""
    groups: list[tuple[tuple[str, str, str, str], int, int]] = []
    for index, (role, document, *_) in enumerate(lines):
        key = (role.id, document.path, document.abs_path, document.digest)
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
