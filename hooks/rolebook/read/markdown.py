"""Markdown documents (`MarkdownReader`): front matter, then the body split into sections
and items with source line numbers.

Role documents are written for GitHub and agent runtimes, i.e. CommonMark: `1)` lists,
two-space nesting, lists straight after a paragraph. They are parsed with markdown-it-py
(CommonMark plus tables) and each section's content is rendered to HTML by the same
parser (`rolebook.render.markdown` writes the HTML), so a document looks on its role page
as it looks on its own. Raw HTML in
documents is not interpreted: agent prompts use pseudo-XML (`<example>`) that readers
must see, so it is shown as text.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from urllib.parse import quote, unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from rolebook.model import Document, DocumentKind, Finding, Item, Level, Section
from rolebook.names import former_names, humanise, item_anchor, self_named
from rolebook.read.myst import from_myst, without_comments
from rolebook.read.reader import ReadContext, Reader, ReadResult, TextFile
from rolebook.read.text import split_front_matter
from rolebook.render.markdown import line_chip, new_parser, render_tokens
from rolebook.urls import FILE_HREF
from rolebook.vocabulary import Vocabulary

PLACEHOLDER = "TODO(rolebook):"
"""Marks each line of a `rolebook new` scaffold that its author has still to write (the
templates in `scaffold/` say `$todo`). Every line that still holds it, outside code, is
a warning: a scaffold is a start, not a role."""
PLACEHOLDER_MESSAGE = f"unfilled placeholder `{PLACEHOLDER}` from `rolebook new`: write the role's own text here"


@dataclass(frozen=True)
class ParsedBody:
    """What parsing a document body yields."""

    title: str | None
    """Text of the leading `# H1`, if the document has one."""
    title_line: int | None
    sections: tuple[Section, ...]
    problems: tuple[tuple[int | None, str], ...] = ()
    """`(line, message)` of what the structure gets wrong (each a warning for the caller)."""
    links: tuple[DocumentLink, ...] = ()
    """Relative links and images the document writes, pointed at `FILE_HREF` placeholders."""


@dataclass(frozen=True)
class DocumentLink:
    """A relative link (or image) written in a document."""

    line: int
    href: str
    """As written."""
    target: str
    """Absolute path it points to."""
    fragment: str
    image: bool


def _relative(url: str) -> bool:
    return bool(url) and not url.startswith(("#", "/", "mailto:", "data:")) and ":" not in url.split("/")[0]


def _point_links(tokens: list[Token], offset: int, doc_dir: str) -> list[DocumentLink]:
    """Rewrite relative hrefs and image srcs to `FILE_HREF` placeholders; list them."""
    links: list[DocumentLink] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] + 1 + offset if token.map else offset + 1
        for child in token.children:
            attribute = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            url = str(child.attrGet(attribute) or "") if attribute else ""
            if not attribute or not _relative(url):
                continue
            path, _, fragment = url.partition("#")
            target = os.path.normpath(os.path.join(doc_dir, unquote(path))) if path else ""
            if not target:
                continue
            links.append(DocumentLink(line, url, target, fragment, child.type == "image"))
            child.attrSet(attribute, f"{FILE_HREF}{quote(target)}" + (f"#{fragment}" if fragment else ""))
    return links


_BOXES = {"blockquote_open": "quote", "admonition_open": "note"}
"""Blocks whose paragraphs make one item: a block quote, an admonition (`!!! note`)."""


_PARSERS = {False: new_parser(False), True: new_parser(True)}
"""Raw HTML in documents is text unless a site trusts its sources (`allow_html`)."""
_MD = _PARSERS[False]
DEEPEST_HEADING = 4
"""Deeper source headings still show, but nested under a role page's sections they run out of levels."""
CODE_GAP = " ` "
"""What stands for a code span in prose: not a word, so no name or phrase runs across it."""
_IDENTIFIER = re.compile(r"@?([A-Za-z][A-Za-z0-9]*(?:[-_.:][A-Za-z0-9]+)+)")
"""A code span holding one hyphenated, snake_case, dotted or namespaced identifier
(`plugin:agent-name`): kept in the prose."""


def inline_text(token: Token, code: bool = True) -> str:
    """Visible text of an inline token (emphasis and code marks removed); with `code=False`
    code spans are replaced by `CODE_GAP`."""
    parts: list[str] = []
    for child in token.children or ():
        if child.type == "text":
            parts.append(child.content)
        elif child.type == "code_inline":
            identifier = _IDENTIFIER.fullmatch(child.content.strip())
            # an identifier in backticks may be a role's id (`code-reviewer`, `@qa_expert`)
            parts.append(child.content if code else f" {identifier[1]} " if identifier else CODE_GAP)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(inline_text(child, code))
    return "".join(parts)


def _content(tokens: list[Token], offset: int, label: str, parser: MarkdownIt = _MD) -> tuple[str, tuple[Item, ...]]:
    """Render a run of block tokens to HTML and list its items. Each top-level item (list
    item, paragraph, table row) gets an anchor (`role-md-L8`); list items and paragraphs
    also get a link to their line (`line_link`)."""
    items: list[Item] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = token.map[0] + 1 + offset if token.map else 0
        if token.type == "paragraph_open" and token.level == 0:
            inline = tokens[index + 1]
            text, prose = inline_text(inline), inline_text(inline, code=False)
            items.append(Item(line, "paragraph", text, prose, ((line, text, prose),)))
            token.attrSet("id", item_anchor(label, line))
            inline.children = [*(inline.children or ()), line_chip(label, line)]
        elif token.type == "list_item_open" and token.level == 1:
            end = index + 1
            inlines: list[Token] = []
            while end < len(tokens) and not (tokens[end].type == "list_item_close" and tokens[end].level == 1):
                if tokens[end].type == "inline":
                    inlines.append(tokens[end])
                end += 1
            parts = tuple(
                ((i.map[0] + 1 + offset) if i.map else line, inline_text(i), inline_text(i, code=False))
                for i in inlines
                if i.content.strip()
            )
            text = " ".join(part[1] for part in parts)
            prose = " . ".join(part[2] for part in parts)
            items.append(Item(line, "list item", text, prose, parts))
            token.attrSet("id", item_anchor(label, line))
            if inlines:
                inlines[0].children = [*(inlines[0].children or ()), line_chip(label, line)]
        elif token.type in _BOXES and token.level == 0:
            end = index + 1
            inlines = []
            closing = token.type.replace("_open", "_close")
            while end < len(tokens) and not (tokens[end].type == closing and tokens[end].level == 0):
                if tokens[end].type == "inline" and tokens[end].content.strip():
                    inlines.append(tokens[end])
                end += 1
            parts = tuple(
                ((i.map[0] + 1 + offset) if i.map else line, inline_text(i), inline_text(i, code=False))
                for i in inlines
            )
            if parts:
                text = " ".join(part[1] for part in parts)
                items.append(Item(line, _BOXES[token.type], text, " . ".join(part[2] for part in parts), parts))
                token.attrSet("id", item_anchor(label, line))
                inlines[0].children = [*(inlines[0].children or ()), line_chip(label, line)]
        elif token.type == "tr_open" and token.map:
            cells: list[Token] = []
            end = index + 1
            while end < len(tokens) and tokens[end].type != "tr_close":
                if tokens[end].type == "inline":
                    cells.append(tokens[end])
                end += 1
            text = " | ".join(inline_text(c) for c in cells)
            prose = " | ".join(inline_text(c, code=False) for c in cells)
            items.append(Item(line, "table row", text, prose, ((line, text, prose),)))
            token.attrSet("id", item_anchor(label, line))
        elif token.type in ("fence", "code_block") and token.level == 0:
            items.append(Item(line, "code", token.content, ""))
        index += 1
    return render_tokens(tokens, parser), tuple(items)


def _repeats(front_title: str | None, heading: str) -> bool:
    """Whether a first `# H1` is the document's title: there is no front-matter title, or
    the heading says the same (ignoring case and spacing)."""
    return front_title is None or " ".join(front_title.split()).casefold() == " ".join(heading.split()).casefold()


def parse_body(
    body: str,
    offset: int,
    label: str,
    vocabulary: Vocabulary,
    allow_html: bool = False,
    doc_dir: str | None = None,
    front_title: str | None = None,
) -> ParsedBody:
    """Split a Markdown body into sections at its top-level headings.

    `offset` is the number of file lines before the body (front matter). The first heading,
    when it is an `# H1`, is the document's title rather than a section, unless the front
    matter gives a `title` (`front_title`) that the heading does not repeat: as in MkDocs,
    the front matter's title wins, and the heading is then a section like any other (R
    Markdown and Quarto documents keep their title there and use `#` for sections). Text before the
    first section is the preamble (level 0, untitled and unmapped: the caller knows the
    document's kind and so where it belongs). A heading that maps to no
    vocabulary section inherits its parent's; at top level it stays unmapped (`None`).
    """
    parser = _PARSERS[allow_html]
    tokens = parser.parse(body)
    headings = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.level == 0]
    problems = _structure_problems(body, tokens, headings, offset) + _placeholders(body, tokens, offset)
    links = _point_links(tokens, offset, doc_dir) if doc_dir else []
    title: str | None = None
    title_line: int | None = None
    skip: tuple[int, int] | None = None
    if headings and tokens[headings[0]].tag == "h1" and _repeats(front_title, inline_text(tokens[headings[0] + 1])):
        first = headings[0]
        title = inline_text(tokens[first + 1]).strip()
        title_map = tokens[first].map
        title_line = title_map[0] + 1 + offset if title_map else None
        skip = (first, first + 3)
        headings = headings[1:]

    sections: list[Section] = []
    preamble_end = headings[0] if headings else len(tokens)
    preamble_tokens = [t for i, t in enumerate(tokens[:preamble_end]) if not (skip and skip[0] <= i < skip[1])]
    if preamble_tokens:
        first_line = next((t.map[0] + 1 + offset for t in preamble_tokens if t.map), 1 + offset)
        content, items = _content(preamble_tokens, offset, label, parser)
        sections.append(Section("", (), 0, first_line, None, content, items))

    stack: list[tuple[int, int]] = []  # (heading level, section index)
    for position, start in enumerate(headings):
        end = headings[position + 1] if position + 1 < len(headings) else len(tokens)
        heading = tokens[start]
        level = int(heading.tag[1])
        heading_title = inline_text(tokens[start + 1]).strip()
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        canonical = vocabulary.heading_section(heading_title)
        if canonical is None and parent is not None:
            canonical = sections[parent].canonical
        path = (*(sections[parent].path if parent is not None else ()), heading_title)
        line = heading.map[0] + 1 + offset if heading.map else 0
        content, items = _content(tokens[start + 3 : end], offset, label, parser)
        stack.append((level, len(sections)))
        sections.append(Section(heading_title, path, level, line, canonical, content, items, parent))
    return ParsedBody(title, title_line, tuple(sections), problems, tuple(links))


_WORDLESS = re.compile(r"^[\W_]*$")
_CODE_SPAN = re.compile(r"(`+).*?\1")


def _placeholders(body: str, tokens: list[Token], offset: int) -> tuple[tuple[int, str], ...]:
    """`(line, message)` of each line that still holds the scaffold's `PLACEHOLDER` (a
    document quoting it in code, as a guide would, is not unfilled)."""
    if PLACEHOLDER not in body:
        return ()
    code = {
        line
        for token in tokens
        if token.type in ("fence", "code_block") and token.map
        for line in range(token.map[0], token.map[1])
    }
    return tuple(
        (index + 1 + offset, PLACEHOLDER_MESSAGE)
        for index, text in enumerate(body.split("\n"))
        if index not in code and PLACEHOLDER in _CODE_SPAN.sub("", text)
    )


def _structure_problems(body: str, tokens: list[Token], headings: list[int], offset: int) -> tuple:
    """Unclosed fences, headings without words, headings too deep."""
    problems: list[tuple[int | None, str]] = []
    lines = body.split("\n")
    for index, token in enumerate(tokens):
        if token.type == "fence" and token.map:
            last = lines[token.map[1] - 1].strip() if token.map[1] - 1 < len(lines) else ""
            closed = (
                token.map[1] - token.map[0] > 1 and last.startswith(token.markup) and not last.strip(token.markup[0])
            )
            if not closed:
                problems.append(
                    (
                        token.map[0] + 1 + offset,
                        f"code fence `{token.markup}` is never closed; the rest of the document is shown as code",
                    )
                )
        if token.type == "heading_open" and token.map:
            line = token.map[0] + 1 + offset
            inline = tokens[index + 1] if token.level == 0 else None
            if inline is not None and _WORDLESS.match(inline_text(inline)):
                problems.append((line, "heading has no words (only emoji or punctuation); shown as written"))
            if int(token.tag[1]) > DEEPEST_HEADING:
                problems.append(
                    (
                        line,
                        f"heading level {token.tag[1]} is deeper than {DEEPEST_HEADING}; shown, "
                        "but nested this deep on a role page it loses its own level",
                    )
                )
    return tuple(problems)


def detect_kind(
    name: str, front_matter: dict[str, object], title: str | None, vocabulary: Vocabulary
) -> tuple[DocumentKind, str | None]:
    """The document's kind and the role name its title carries, from the file itself.

    The file name decides first (`PLAYBOOK.md`), then front matter (`name` + `description`
    is an agent card), then the title patterns of the vocabulary; anything else is a role
    document.
    """
    kind = vocabulary.file_names.get(name.lower())
    title_name: str | None = None
    title_kind: str | None = None
    if title:
        for rule in vocabulary.title_patterns:
            match = rule.pattern.match(title)
            if match:
                title_name = match.group("name").strip() or None
                title_kind = rule.kind
                break
    if kind is None and "name" in front_matter and "description" in front_matter:
        kind = DocumentKind.AGENT_CARD.value
    kind = kind or title_kind or DocumentKind.ROLE.value
    return DocumentKind(kind), title_name


DOCUMENT_SUFFIXES = (".md", ".markdown", ".rmd", ".qmd")
"""File endings read as Markdown (lower-cased): R Markdown and Quarto documents are Markdown
with a YAML header, and their code chunks (```` ```{r} ````) are fenced code."""


class MarkdownReader(Reader):
    """Markdown documents of every kind: role, playbook, standards, agent card, skill, free-form."""

    name = "markdown"
    fold_copies = True

    def claims(self, name: str) -> bool:
        return name.lower().endswith(DOCUMENT_SUFFIXES)

    def read(self, files: list[TextFile], context: ReadContext) -> ReadResult:
        documents, findings = [], []
        for file in files:
            document, found = read_markdown(file, context.vocabulary, context.allow_html)
            documents.append((file.source, document))
            findings.extend(found)
        return ReadResult(documents=tuple(documents), findings=tuple(findings))


def _stem_as_a_word(stem: str, text: str) -> str:
    """A file name in capitals ("MAINTAINERS", "ADMINS") as the document's own text writes
    the word in lower case ("Maintainers"); an acronym the text never writes so ("FAQ") or a
    compound ("CODE_OF_CONDUCT") as it is."""
    if not (stem.isupper() and stem.isalpha() and len(stem) > 3):
        return stem
    return stem.capitalize() if re.search(rf"\b{stem.lower()}\b", text) else stem


def read_markdown(file: TextFile, vocabulary: Vocabulary, allow_html: bool = False) -> tuple[Document, list[Finding]]:
    """One Markdown document: front matter, sections and items, kind, title and alias."""
    source, decoded = file.source, file.text
    findings = list(decoded.findings)
    front = split_front_matter(decoded.rendered, source.path)
    findings.extend(front.findings)
    if not decoded.rendered.strip():
        findings.append(Finding(source.path, None, Level.WARNING, "document is empty"))

    name = source.abs_path.name
    fm_title = front.data.get("title")
    fm_title = str(fm_title).strip() if isinstance(fm_title, str) and fm_title.strip() else None
    myst = from_myst(without_comments(front.body))
    if myst.constructs:
        used = ", ".join(myst.constructs)
        message = f"MyST Markdown ({used}) shown as admonitions and text on the rendered page; the file is unchanged"
        findings.append(Finding(source.path, None, Level.INFO, message))
    parsed = parse_body(
        myst.text, front.body_offset, name, vocabulary, allow_html, str(source.abs_path.parent), fm_title
    )
    findings.extend(Finding(source.path, line, Level.WARNING, message) for line, message in parsed.problems)
    headless = parsed.title is None and all(section.level == 0 for section in parsed.sections)
    if headless and front.body.strip() and source.abs_path.stem.lower() not in vocabulary.library_documents:
        # a LICENSE or CHANGELOG without headings is as its kind is written; a role's page is not
        message = "no headings: the whole document is shown as its introduction"
        findings.append(Finding(source.path, None, Level.INFO, message))
    kind, title_name = detect_kind(name, front.data, fm_title or parsed.title, vocabulary)
    fm_name = front.data.get("name")
    fm_name = str(fm_name).strip() if isinstance(fm_name, (str, int, float)) and str(fm_name).strip() else None
    title = (
        fm_title
        or parsed.title
        or humanise(fm_name or _stem_as_a_word(source.abs_path.stem, front.body), decoded.rendered)
    )
    also_known_as: tuple[str, ...] = ()
    if fm_name is None and (title_name is None or title_name == title):
        # "# RELEASE-CAPTAIN – Charter" + "You are **ReleaseCaptain**.": the role is RELEASE-CAPTAIN
        named = self_named(title, name, front.body, vocabulary.self_identity, vocabulary.also_known_as)
        if named is not None:
            title_name, also_known_as = named
    if fm_name is None:  # "previously named **AgentUX**"
        also_known_as += tuple(n for n in former_names(front.body, vocabulary.former_names) if n not in also_known_as)
    sections = parsed.sections
    if sections and sections[0].level == 0:
        preamble = replace(sections[0], title=title, canonical=vocabulary.preamble_section(kind.value))
        sections = (preamble, *sections[1:])
    description = front.data.get("description")
    return (
        Document(
            path=source.path,
            abs_path=str(source.abs_path),
            name=name,
            kind=kind,
            title=title,
            alias=fm_name or title_name,
            front_matter=front.data,
            description=str(description).strip() if description not in (None, "") else None,
            text=decoded.original,
            sections=sections,
            links=parsed.links,
            also_known_as=also_known_as,
            digest=decoded.digest,
            size=decoded.size,
        ),
        findings,
    )
