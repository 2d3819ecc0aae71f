"""Reading built HTML the way a reader sees it: visible text only."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_WORD = re.compile(r"\w+")


class _TextExtractor(HTMLParser):
    def __init__(self, start_marker: tuple[str, str] | None) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._start = start_marker
        self._inside = start_marker is None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if not self._inside and self._start and tag == self._start[0] and self._start[1] in classes:
            self._inside = True
            self._depth = 0
        if self._inside:
            self._depth += 1
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1
        if self._inside and self._start:
            self._depth -= 1
            if self._depth == 0:
                self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside and not self._skip:
            self.parts.append(data)


def visible_text(html: str, article_only: bool = True) -> str:
    """Text a browser shows, from the page's main `<article>` (or the whole page)."""
    parser = _TextExtractor(("article", "md-content__inner") if article_only else None)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def words(text: str) -> set[str]:
    return set(_WORD.findall(text))
