"""A document's Markdown as HTML: markdown-it-py configured as documents need it (CommonMark,
tables, strikethrough, admonitions; code highlighted with Pygments as Material expects it),
the small links from items to their source lines, and protection from Python-Markdown,
which sees the HTML again inside the page. The reader (`rolebook.read.markdown`) decides
the structure; this module writes the HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from rolebook.urls import SOURCE_HREF


def new_parser(allow_html: bool) -> MarkdownIt:
    """The parser documents are read and rendered with: CommonMark, tables, strikethrough and
    admonitions (`!!! note "Title"` + an indented body, as MkDocs handbooks write them; plain
    CommonMark would show their bodies as code); raw HTML only with `allow_html`."""
    parser = MarkdownIt("commonmark", {"html": allow_html}).enable(["table", "strikethrough"]).use(admon_plugin)
    parser.add_render_rule("fence", _render_fence)
    parser.add_render_rule("code_block", _render_code_block)
    return parser


def _render_fence(self, tokens: Sequence[Token], idx: int, options, env) -> str:  # noqa: ANN001
    token = tokens[idx]
    info = token.info.strip().split(maxsplit=1)
    return highlight_code(token.content, info[0] if info else "")


def _render_code_block(self, tokens: Sequence[Token], idx: int, options, env) -> str:  # noqa: ANN001
    return highlight_code(tokens[idx].content, "")


_FORMATTER = HtmlFormatter(nowrap=True)
_LANG_CLASS = re.compile(r"[^\w+-]")


@lru_cache(maxsize=256)
def _lexer(lang: str):  # noqa: ANN202
    if not lang:
        return TextLexer()
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return TextLexer()


def highlight_code(code: str, lang: str) -> str:
    """Highlight code as Material expects it: `<div class="language-x highlight"><pre><code>`."""
    spans = highlight(code, _lexer(lang.lower()), _FORMATTER)
    css_lang = _LANG_CLASS.sub("", lang) or "text"
    return f'<div class="language-{css_lang} highlight"><pre><span></span><code>{spans}</code></pre></div>\n'


def protect(fragment: str) -> str:
    """Make rendered HTML inert for Python-Markdown, which sees it again inside the page.

    Backticks and tildes at a line start would open a fence for `pymdownx.superfences`
    before the raw HTML is set aside; as character references they render the same.
    """
    return fragment.replace("`", "&#96;").replace("~", "&#126;")


LINE_LINK_CLASS = "rb-lineref"
"""Class of the link from an item (or a subheading) on a role page to its line in the source
view. The document's name is said once, above the block; the link names only the line."""


def line_link(label: str, line: int, href: str) -> str:
    """The small `L8` link to a line of document `label` (named in its tooltip)."""
    return (
        f'<a class="{LINE_LINK_CLASS}" data-search-exclude href="{href}" title="{html.escape(label)}, line {line}">'
        f"L{line}</a>"
    )


def line_chip(label: str, line: int) -> Token:
    """The `line_link` to an item's line, as a token to append to the item's first line."""
    chip = Token("html_inline", "", 0)
    chip.content = " " + line_link(label, line, f"{SOURCE_HREF}{line}")
    return chip


def render_tokens(tokens: list[Token], parser: MarkdownIt) -> str:
    """The HTML of a run of block tokens, made inert for Python-Markdown (`protect`)."""
    return protect(parser.renderer.render(tokens, parser.options, {})) if tokens else ""


_INLINE = MarkdownIt("commonmark", {"html": False, "breaks": True, "xhtmlOut": False})
"""Inline Markdown of a YAML value: emphasis, code and links, raw HTML as text, line breaks kept."""


def text_paragraphs(text: str, anchor: str | None = None) -> str:
    """Text of a YAML value (a card's description, a CrewAI backstory) as HTML paragraphs:
    its inline Markdown rendered (`**bold**`, `` `code` ``, links), HTML and pseudo-XML
    (`<example>`) shown as text, line breaks kept; the first carries the item's anchor, if any."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.strip()) if p.strip()]
    out = []
    for index, paragraph in enumerate(paragraphs):
        opening = f'<p id="{anchor}">' if index == 0 and anchor else "<p>"
        out.append(f"{opening}{protect(_INLINE.renderInline(paragraph))}</p>\n")
    return "".join(out)


def code_block(code: str, lang: str) -> str:
    """Code shown as a highlighted block, inert for Python-Markdown."""
    return protect(highlight_code(code, lang))
