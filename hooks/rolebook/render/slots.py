"""Pre-rendered HTML kept out of Python-Markdown.

Document bodies, source views and matrices are HTML already. Passing them through
Python-Markdown as raw HTML costs a full HTML parse per page (its raw-HTML preprocessor,
`md_in_html`) for nothing. Instead a page's Markdown holds a small placeholder per
fragment, carrying only the fragment's element ids (so MkDocs still validates links to
them), and the hook swaps the real HTML in during `on_page_content`.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_ID = re.compile(r'\bid="([^"]+)"')
_SLOT = re.compile(r'<div data-rb-slot="(\d+)">.*?</div>', re.S)


class Slots:
    """The fragments of one page."""

    def __init__(self) -> None:
        self.fragments: list[str] = []

    def add(self, fragment: str, ids: bool = True) -> str:
        """Keep `fragment`; return the placeholder to put in the page's Markdown, carrying the
        fragment's ids when Markdown links point into it (`ids`)."""
        index = len(self.fragments)
        self.fragments.append(fragment)
        ids_html = "".join(f'<span id="{anchor}"></span>' for anchor in _ID.findall(fragment)) if ids else ""
        return f'<div data-rb-slot="{index}">{ids_html}</div>'

    def markup(self, fragment: str, ids: bool = True) -> Markup:
        """`add`, for a template: the placeholder as markup that autoescaping leaves alone."""
        return Markup(self.add(fragment, ids))

    def fill(self, html: str) -> str:
        """Replace each placeholder in rendered `html` by its fragment."""
        if not self.fragments:
            return html
        return _SLOT.sub(lambda match: self.fragments[int(match[1])], html)
