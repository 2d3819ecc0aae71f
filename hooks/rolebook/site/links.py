"""Links in a page's finished HTML, resolved into URLs relative to that page: links to role
pages and generated pages (`rolebook.urls`), to Rolebook's guide, and to files that
documents link to (`rolebook.read.markdown.FILE_HREF`: another document, which now lives on
its role's page, an image, or a page of the site)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from mkdocs.utils import get_relative_url

from rolebook import urls
from rolebook.names import slugify
from rolebook.read.markdown import DOCUMENT_SUFFIXES
from rolebook.render.mentions import broken_link
from rolebook.urls import FILE_HREF

_LINK = re.compile(r'href="rolebook:(role|page|guide)/([^"#]+)(#[^"]*)?"')
_FILE_LINK = re.compile(r'(href|src)="' + re.escape(FILE_HREF) + r'([^"#]+)(?:#([^"]*))?"')
_GUIDE_LINK = re.compile(r'<a href="rolebook:guide/([^"#]*)[^"]*">(.*?)</a>', re.S)


class Links:
    """What resolving a page's links needs to know about the whole site.

    `url_of(src_uri)`: the URL of a page or file of the site, `None` when there is none;
    `page_of(path)`: the `src_uri` of the site's page at a path on disk, if any."""

    def __init__(
        self,
        url_of: Callable[[str], str | None],
        page_of: Callable[[str], str | None],
        targets: dict[str, str],
        anchors: dict[tuple[str, str], str],
    ) -> None:
        self.url_of = url_of
        self.page_of = page_of
        self.targets = targets
        """Document or image path on disk -> `src_uri` of what now holds it."""
        self.anchors = anchors
        """(document path on disk, heading slug) -> anchor on its role page."""

    def resolve(self, html: str, page_url: str) -> tuple[str, list[str]]:
        """`html` with every Rolebook link resolved for a page at `page_url`, and what could
        not be (a message per missing page; the link shows as broken)."""
        if "rolebook:" not in html:
            return html, []
        problems: list[str] = []
        if FILE_HREF in html:  # `_FILE_LINK` tries a match at every "h" and "s" of a page
            html = _FILE_LINK.sub(lambda match: self._file(match, page_url), html)
        # a guide page the site does not have (any site but this project's): the link's text
        html = _GUIDE_LINK.sub(lambda m: m[0] if self.url_of(urls.GUIDE + m[1]) else m[2], html)
        found: dict[str, str] = {}  # a page links to the same few pages many times

        def resolve(match: re.Match[str]) -> str:
            kind, target = match[1], match[2]
            src_uri = urls.role_page(target) if kind == "role" else urls.GUIDE + target if kind == "guide" else target
            attribute = found.get(src_uri)
            if attribute is None:
                url = self.url_of(src_uri)
                if url is None:
                    problems.append(f"link to '{src_uri}', which is not a page of the site")
                    attribute = broken_link("href", f"no page {src_uri} in this site")
                else:
                    attribute = f'href="{get_relative_url(url, page_url)}'
                found[src_uri] = attribute
            return attribute if attribute.startswith("class=") else f'{attribute}{match[3] or ""}"'

        return _LINK.sub(resolve, html), problems

    def _file(self, match: re.Match[str], page_url: str) -> str:
        """A link (or image) written in a document, to the file at a path on disk."""
        path = unquote(match[2])
        moved = self.targets.get(path)
        src_uri = moved or self.page_of(path)
        url = None if src_uri is None else self.url_of(src_uri)
        if url is None:  # reported with the document's path and line when it was read
            return broken_link(match[1], f"{Path(path).name} is neither a source nor a page of this site")
        fragment = match[3] or ""
        if fragment:
            anchor = self.anchors.get((path, slugify(fragment)))
            # a heading the document does not have (reported too): the link leads to its page
            fragment = anchor or ("" if moved is not None and path.lower().endswith(DOCUMENT_SUFFIXES) else fragment)
        return f'{match[1]}="{get_relative_url(url, page_url)}' + (f"#{fragment}" if fragment else "") + '"'
