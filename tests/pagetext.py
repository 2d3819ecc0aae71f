"""Reading built HTML the way a reader sees it: visible text only."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

_WORD = re.compile(r"\w+")
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
"""Elements a browser starts on a new line or cell: their edges separate words; inline tags do not."""


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
            if tag in _BLOCKS:
                self.parts.append(" ")
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1
        if self._inside and tag in _BLOCKS:
            self.parts.append(" ")
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
    return " ".join("".join(parser.parts).split())


def words(text: str) -> set[str]:
    return set(_WORD.findall(text))


_HREF = re.compile(r'<a\b[^>]*\bhref="([^"]*)"')
_ID = re.compile(r'\bid="([^"]+)"')


def broken_links(site_dir: Path) -> list[str]:
    """Every link in the built site's pages whose target page or anchor does not exist:
    what MkDocs cannot validate for HTML that Rolebook generates."""
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            text = path.read_text(encoding="utf-8") if path.suffix == ".html" else ""
            ids[path] = set(_ID.findall(html.unescape(text)))
        return ids[path]

    broken = []
    for page in sorted(site_dir.rglob("*.html")):
        if page.name == "404.html":
            continue  # Material writes it with links from the site's root URL
        for href in _HREF.findall(page.read_text(encoding="utf-8")):
            href = html.unescape(href)
            if not href or href.startswith(("http:", "https:", "mailto:", "data:", "javascript:")):
                continue
            path, _, fragment = href.partition("#")
            target = page if not path else (page.parent / unquote(path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site_dir)}: {href} (no such file)")
            elif fragment and target.suffix == ".html" and fragment not in anchors(target):
                broken.append(f"{page.relative_to(site_dir)}: {href} (no such anchor)")
    return broken
