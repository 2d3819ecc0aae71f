"""The table of contents of pages Rolebook writes in HTML (role and sources pages): their
headings never pass through Python-Markdown's `toc` extension, so they are added here."""

from __future__ import annotations

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from rolebook.render.slots import Heading


def toc_depth(value: object) -> int:
    """The deepest level the `toc` extension lists: `toc_depth` is a number or a range `"2-3"`."""
    try:
        return int(str(value).rsplit("-", 1)[-1])
    except ValueError:
        return 6


def add_to_toc(page: Page, headings: list[Heading], depth: int) -> None:
    """Add the headings of a page written in HTML to its table of contents, under its title,
    down to `depth`."""
    items = page.toc.items
    top = items[0].children if len(items) == 1 and items[0].level == 1 else items
    parents: list[AnchorLink] = []
    for heading in headings:
        if heading.level > depth:
            continue
        link = AnchorLink(heading.title, heading.anchor, heading.level)
        while parents and parents[-1].level >= heading.level:
            parents.pop()
        (parents[-1].children if parents else top).append(link)
        parents.append(link)
