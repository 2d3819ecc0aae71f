"""What a document shows when rendered on its own, as the Markdown Rolebook reads and
renders: HTML comments hidden (`without_comments`), and MyST Markdown (Jupyter Book, Sphinx
with myst-parser) translated (`from_myst`): a directive (```` ```{note} ```` or
``:::{note}``) becomes an admonition (``!!! note``) whose body is still read for roles and
responsibilities, a target line (``(label)=``), a comment (``% …``) and a block break
(``+++``) become blank lines, and an inline role (``{ref}`Text <label>` ``) becomes its text.

The translation keeps every line where it was, so line numbers, anchors and the links to
source lines stay those of the file; the file itself is never changed (the build log says
what was translated). A document with none of these constructs is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_DIRECTIVE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\{(?P<name>[A-Za-z][\w:.-]*)\}[ \t]*(?P<arg>.*)$")
_TARGET = re.compile(r"^ {0,3}\([^()\s][^()]*\)=\s*$")
_COMMENT = re.compile(r"^ {0,3}%")
_BREAK = re.compile(r"^ {0,3}\+\+\+")
_OPTION = re.compile(r"^\s*:[\w-]+:")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ROLE = re.compile(r"(?<![\w$`{])\{(?P<name>[A-Za-z][\w:.-]*)\}(?P<ticks>`+)(?P<body>.+?)(?P=ticks)(?!`)")
_LABELLED = re.compile(r"^(?P<text>.*?)\s*<[^<>]+>$")

ADMONITIONS = {
    "note": "note",
    "tip": "tip",
    "hint": "tip",
    "important": "info",
    "seealso": "info",
    "attention": "warning",
    "caution": "warning",
    "warning": "warning",
    "danger": "danger",
    "error": "failure",
}
"""MyST admonition directives -> Material's admonition types."""

CODE = frozenset({"code", "code-block", "code-cell", "sourcecode", "eval-rst", "math"})
"""Directives whose body is code or math: shown as a code block."""

TITLED = frozenset({"card", "grid-item-card", "dropdown", "topic", "sidebar", "margin", "tab-item", "div"})
"""Directives whose argument is the box's title ("```{card} Team compass"); any other's
title names the directive too ("Team members: executive_council")."""

TEXT_ROLES = frozenset({"ref", "doc", "term", "numref", "eq", "download", "any", "abbr", "cite", "external"})
"""Inline roles whose body is text to show (a cross-reference's title, an abbreviation);
any other (``{kbd}``, ``{math}``, ``{file}``) is shown as inline code."""


@dataclass(frozen=True)
class Translated:
    """A body in the Markdown Rolebook renders, and what was translated (for the build log)."""

    text: str
    constructs: tuple[str, ...] = ()
    """What the document used, e.g. ("directive {note}", "target"), each once."""


def without_comments(body: str) -> str:
    """`body` with its HTML comments (`<!-- … -->`) blanked out, line for line, outside code:
    GitHub and MkDocs never show them, and templates keep their instructions to the author
    there. Raw HTML is otherwise shown as text (see `rolebook.read.markdown`)."""
    if "<!--" not in body:
        return body
    lines = body.split("\n")
    fence: str | None = None
    inside = False
    for number, line in enumerate(lines):
        if fence is not None and not inside:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            continue
        opening = None if inside else _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            continue
        kept, rest = [], line
        while rest:
            if inside:
                end = rest.find("-->")
                if end < 0:
                    rest = ""
                    break
                rest, inside = rest[end + 3 :], False
                continue
            start = rest.find("<!--")
            if start < 0 or rest[:start].count("`") % 2:  # none, or inside a code span
                kept.append(rest)
                break
            kept.append(rest[:start])
            rest, inside = rest[start + 4 :], True
        shown = "".join(kept)
        lines[number] = shown if shown.strip() else ""
    return "\n".join(lines)


def uses_myst(body: str) -> bool:
    """Whether a body writes a MyST directive or target at the start of a line."""
    if "{" not in body and ")=" not in body:
        return False  # most documents: no line to look at
    return any(_directive_at(line) or _TARGET.match(line) for line in body.split("\n"))


def _directive_at(line: str) -> re.Match[str] | None:
    """A directive's opening fence; not an R Markdown or Quarto code chunk (```` ```{r} ````,
    ```` ```{python echo=FALSE} ````): a name Pygments knows as a language is code."""
    match = _DIRECTIVE.match(line)
    return None if match is None or _language(match.group("name")) else match


@lru_cache(maxsize=64)
def _language(name: str) -> bool:
    try:
        get_lexer_by_name(name.rstrip(","))
    except ClassNotFound:
        return False
    return True


def from_myst(body: str) -> Translated:
    """`body` with its MyST constructs translated line for line (see the module's docstring);
    unchanged when it uses none."""
    if not uses_myst(body):
        return Translated(body)
    seen: dict[str, None] = {}
    lines = _block(body.split("\n"), seen)
    return Translated("\n".join(lines), tuple(seen))


def _block(lines: list[str], seen: dict[str, None]) -> list[str]:
    out: list[str] = []
    index = 0
    code_fence: str | None = None
    while index < len(lines):
        line = lines[index]
        if code_fence is not None:  # inside ordinary fenced code: as written
            out.append(line)
            stripped = line.strip()
            if stripped.startswith(code_fence) and not stripped.strip(code_fence[0]):
                code_fence = None
            index += 1
            continue
        directive = _directive_at(line)
        end = _closing(lines, index, directive.group("fence")) if directive else None
        if directive and end is not None:
            out.extend(_directive(directive, lines[index + 1 : end], seen))
            index = end + 1
            continue
        fence = _FENCE.match(line)
        if fence:
            code_fence = fence.group(1)
            out.append(line)
        elif _TARGET.match(line):
            seen["target"] = None
            out.append("")
        elif _COMMENT.match(line):
            seen["comment"] = None
            out.append("")
        elif _BREAK.match(line):
            seen["block break"] = None
            out.append("")
        else:
            out.append(_roles(line, seen))
        index += 1
    return out


def _closing(lines: list[str], start: int, fence: str) -> int | None:
    """The line that closes a directive opened with `fence` (the same character, at least
    as many), skipping directives nested with longer fences."""
    mark = fence[0]
    depth = 0
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        inner = _directive_at(lines[index])
        if inner and inner.group("fence")[0] == mark and len(inner.group("fence")) >= len(fence):
            depth += 1
        elif stripped and not stripped.strip(mark) and len(stripped) >= len(fence):
            if depth == 0:
                return index
            depth -= 1
    return None


def _directive(opening: re.Match[str], body: list[str], seen: dict[str, None]) -> list[str]:
    """A directive as lines of Markdown, as many as it has: its opening line, its body and
    its closing fence."""
    name = opening.group("name").lower().split(":")[-1]
    indent = opening.group("indent")
    argument = opening.group("arg").strip()
    seen[f"directive {{{name}}}"] = None
    options: dict[str, str] = {}
    start = 0
    if body and body[0].strip() == "---":  # options as a YAML block
        close = next((i for i in range(1, len(body)) if body[i].strip() == "---"), None)
        if close is not None:
            start = close + 1
    shown = [""] * start
    while start < len(body) and _OPTION.match(body[start]):
        key, _, value = body[start].strip()[1:].partition(":")
        options[key] = value.strip()
        # a card's link is its point: kept as the box's first line
        shown.append(f"{indent}    <{value.strip()}>" if key == "link" and "://" in value else "")
        start += 1
    rest = body[start:]
    if name in CODE:
        language = "rst" if name == "eval-rst" else "latex" if name == "math" else argument.split(" ")[0]
        fence = "`" * max(3, 1 + max((len(run) for line in rest for run in re.findall("`+", line)), default=0))
        return [f"{indent}{fence}{language}", *([""] * start), *rest, f"{indent}{fence}"]
    if name == "include":
        title = f"Included here in the original site: {argument}" if argument else "Included here in the original site"
        return [f'{indent}!!! info "{_quoted(title)}"', *([""] * len(body)), ""]
    if name == "admonition":
        kind = ADMONITIONS.get(options.get("class", "").split(" ")[0].lower(), "note")
        title = argument or "Note"
    elif name in ADMONITIONS:
        kind = ADMONITIONS[name]
        title = argument or name.capitalize()
    else:  # a card, a dropdown, a table of contents, a site's own directive …: a box
        kind = "note"
        named = name.replace("-", " ").capitalize()
        title = argument if name in TITLED and argument else f"{named}: {argument}" if argument else named
    inner = _block(rest, seen)
    body_lines = (f"    {line}" if line.strip() else "" for line in inner)
    return [f'{indent}!!! {kind} "{_quoted(title)}"', *shown, *body_lines, ""]


def _quoted(title: str) -> str:
    return _roles(title, {}).replace('"', "'")


def _roles(line: str, seen: dict[str, None]) -> str:
    """Inline roles as text: {ref}`Executive Council <ec>` -> Executive Council."""
    if "}`" not in line:
        return line

    def text(match: re.Match[str]) -> str:
        name = match.group("name").lower().split(":")[-1]
        body = match.group("body")
        seen[f"role {{{name}}}"] = None
        if name in TEXT_ROLES:
            labelled = _LABELLED.match(body)
            return labelled.group("text") if labelled and labelled.group("text") else body.strip("<>")
        return f"`{body}`"

    return _ROLE.sub(text, line)
