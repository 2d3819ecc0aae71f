"""Pre-rendered HTML kept out of Python-Markdown.

Document bodies, source views and matrices are HTML already. Passing them through
Python-Markdown as raw HTML costs a full HTML parse per page (its raw-HTML preprocessor,
`md_in_html`, MkDocs' anchor collector) for nothing. Instead a page's Markdown holds a small
placeholder per fragment, and the hook swaps the real HTML in during `on_page_content`.

Pages written entirely in HTML (role and sources pages) also record their headings here
(`heading`): the hook adds them to the page's table of contents, and adds every id in the
fragments to the anchors MkDocs validates links against, as Python-Markdown would have.
"""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

_ID = re.compile(r'id="([^"]+)"')


def _ids(fragment: str) -> list[str]:
    """The values of the `id` attributes in `fragment` (not `data-id`'s and the like: `id`
    as a whole word). The regex starts with a literal, which `re` looks for fast; a `\\b`
    before it made every character a place to try, sixteen times slower on a role page."""
    return [
        found[1]
        for found in _ID.finditer(fragment)
        if not (found.start() and (fragment[found.start() - 1].isalnum() or fragment[found.start() - 1] == "_"))
    ]


_SLOT = re.compile(r'<div data-rb-slot="(\d+)">.*?</div>', re.S)


@dataclass(frozen=True)
class Heading:
    """A heading written in a fragment, for the page's table of contents."""

    level: int
    anchor: str
    title: str
    """As HTML (escaped text)."""


class Slots:
    """The fragments of one page."""

    def __init__(self) -> None:
        self._fragments: list[str] = []
        self._packed: tuple[bytes, tuple[int, ...]] | None = None
        self.headings: list[Heading] = []
        self._ids: frozenset[str] | None = None

    @property
    def fragments(self) -> list[str]:
        """The fragments, in the order their placeholders were made (unpacked if `pack`ed)."""
        if self._packed is not None:
            data, lengths = self._packed
            text = zlib.decompress(data).decode("utf-8")
            self._fragments, self._packed, start = [], None, 0
            for length in lengths:
                self._fragments.append(text[start : start + length])
                start += length
        return self._fragments

    @fragments.setter
    def fragments(self, fragments: list[str]) -> None:
        self._fragments, self._packed = fragments, None

    def pack(self) -> None:
        """Hold the fragments compressed (HTML shrinks about sixfold) until `fill` needs them.

        A library's pages are all assembled before MkDocs renders the first one, so at a
        thousand roles and more their fragments are the largest thing a build holds, and
        they travel from the worker processes pickled: packed, they cost a fraction of the
        memory and of the copying. The anchor ids are worked out first."""
        self.anchor_ids()
        if self._fragments:
            lengths = tuple(len(fragment) for fragment in self._fragments)
            self._packed = (zlib.compress("".join(self._fragments).encode("utf-8"), 1), lengths)
            self._fragments = []

    def add(self, fragment: str, ids: bool = True) -> str:
        """Keep `fragment`; return the placeholder to put in the page's Markdown, carrying the
        fragment's ids when Markdown links point into it (`ids`)."""
        index = len(self.fragments)
        self.fragments.append(fragment)
        ids_html = "".join(f'<span id="{anchor}"></span>' for anchor in _ids(fragment)) if ids else ""
        return f'<div data-rb-slot="{index}">{ids_html}</div>'

    def markup(self, fragment: str, ids: bool = True) -> Markup:
        """`add`, for a template: the placeholder as markup that autoescaping leaves alone."""
        return Markup(self.add(fragment, ids))

    def heading(self, level: int, anchor: str, title: str, after: str = "") -> Markup:
        """An `<hN>` with a permanent link, the way Python-Markdown's `toc` extension writes
        it, with `after` (HTML, such as a link to the source line) after its title; recorded
        for the table of contents (without `after`)."""
        text = html.escape(title, quote=False)
        self.headings.append(Heading(level, anchor, text))
        return Markup(
            f'<h{level} id="{anchor}">{text}{after}<a class="headerlink" href="#{anchor}" '
            f'title="Permanent link">&para;</a></h{level}>'
        )

    def anchor_ids(self) -> frozenset[str]:
        """Every element id in the fragments (worked out once: call it when they are final)."""
        if self._ids is None:
            self._ids = frozenset(anchor for fragment in self.fragments for anchor in _ids(fragment))
        return self._ids

    def rewrite(self, change: Callable[[str], str]) -> None:
        """Apply `change` to every fragment."""
        self.fragments = [change(fragment) for fragment in self.fragments]
        self._ids = None

    def release(self) -> None:
        """Drop the fragments once the page holds them (`fill`): MkDocs keeps every page's
        HTML until it writes the site, so kept fragments would hold each page twice. The
        anchor ids stay."""
        self.anchor_ids()
        self.fragments = []

    def fill(self, html: str) -> str:
        """Replace each placeholder in rendered `html` by its fragment."""
        fragments = self.fragments
        if not fragments:
            return html
        return _SLOT.sub(lambda match: fragments[int(match[1])], html)


_SEARCH_EXCLUDED = re.compile(r'<(a|p|table) class="rb-[\w -]+" data-search-exclude[^>]*>.*?</\1>', re.S)
"""The elements Rolebook marks `data-search-exclude` (source chips, provenance lines, relation
and conflict tables): none holds another element of its own tag."""


def without_search_excluded(html: str) -> str:
    """`html` without the elements Rolebook excludes from search.

    Material's search plugin skips them anyway, but only after parsing them with Python's
    `HTMLParser`, which costs about half the time it spends on a role page. Handing it this
    view gives the same search entries (tested) for half the parsing.
    """
    return _SEARCH_EXCLUDED.sub("", html)
