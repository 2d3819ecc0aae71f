"""Where everything Rolebook generates sits in the site: the one place its URL layout is
spelt. Paths are MkDocs `src_uri`s (relative to `docs_dir`, `/`-separated); MkDocs turns
them into URLs (`roles/backend/index.md` -> `roles/backend/`).

Generated HTML links to these pages with the `PAGE_HREF` and `ROLE_HREF` schemes, which
the site step resolves into URLs relative to the page that holds the link
(`rolebook.site.links`), so a page never has to know where it is itself.
"""

from __future__ import annotations

ROLES_INDEX = "roles/index.md"
"""The roles index: a table of every role; the navigation's Roles section."""
GAPS = "gaps.md"
CONFLICTS = "conflicts.md"
HEALTH = "health.md"
RESPONSIBILITIES = "matrices/responsibilities.md"
ESCALATIONS = "matrices/escalations.md"
GRAPH = "matrices/graph.md"
STYLESHEET = "assets/rolebook.css"
SCRIPT = "assets/rolebook.js"
"""Rolebook's own style and behaviour (filters, graph focus), added to every page."""
SEARCH_WORKER = "assets/rolebook/search-worker.js"
"""What answers Material's search box from Pagefind's index (`rolebook.site.search`)."""
EXPORT = "roles.json"
SCHEMA = "roles.schema.json"

PAGE_HREF = "rolebook:page/"
"""Link to a page of the site by its `src_uri`: `rolebook:page/gaps.md#referenced`."""
GUIDE_HREF = "rolebook:guide/"
"""Link to a page of Rolebook's guide (`rolebook:guide/links.md#conflicts`): a site that has
the guide (`guide/` beside its pages, as this project's own) gets a link, any other the text."""
SOURCE_HREF = "rolebook:source#L"
"""Placeholder href of provenance chips; the role page turns it into the source view's line anchor."""
FILE_HREF = "rolebook:file/"
"""Placeholder for a relative link or image in a document: the hook points it at the page
(and section) that now holds the target document, or at the published copy of an image."""
ROLE_HREF = "rolebook:role/"
"""Link to a role's page by its id: `rolebook:role/backend#boundaries`. On role pages these
are resolved while the page is rendered; a role with no page leaves the text unlinked."""


def role_page(role_id: str) -> str:
    """A role's merged page."""
    return f"roles/{role_id}/index.md"


def is_role_page(uri: str) -> bool:
    """Whether `uri` is a role's page (not its sources page, not the roles index)."""
    parts = uri.split("/")
    return len(parts) == 3 and uri == role_page(parts[1])


ROLE_PAGES_GLOB = "roles/*/index.html"
"""Every role page as built (directory URLs), for tools that take file patterns."""


def role_url(role_id: str) -> str:
    """A role's page as a directory URL from the site's top (for the export)."""
    return f"roles/{role_id}/"


def sources_page(role_id: str) -> str:
    """A defined role's documents side by side, line by line."""
    return f"roles/{role_id}/sources.md"


def raw_document(role_id: str, document_name: str) -> str:
    """A document's bytes, published as written."""
    return f"roles/{role_id}/raw/{document_name}.txt"


def redirect(old_id: str) -> str:
    """A static page at an old id or alias of a role, leading to its page."""
    return f"roles/{old_id}/index.html"


def source_image(number: int, relative: str) -> str:
    """An image of the sources, published so documents keep showing it (`number` keeps two
    source folders' `images/a.png` apart)."""
    return f"assets/sources/{number}-{relative}"


def matrix_file(name: str) -> str:
    """A file beside the matrices (the CSV exports)."""
    return f"matrices/{name}"


ROLE_GROUPS = "groups"
"""Folder of the roles index's parts, when a large library splits it (`part`)."""


def part(page: str, slug: str) -> str:
    """One group's part of a cross-role page that a large library splits by group
    (`matrices/responsibilities.md` -> `matrices/responsibilities/billing.md`; the roles
    index's parts sit in `groups/`, beside no role's page). `page` itself then lists its parts."""
    stem = ROLE_GROUPS if page == ROLES_INDEX else page.removesuffix(".md")
    return f"{stem}/{slug}.md"


def page_href(src_uri: str, fragment: str = "") -> str:
    """An href to a page of the site, resolved later into a relative URL."""
    return f"{PAGE_HREF}{src_uri}" + (f"#{fragment}" if fragment else "")


def role_href(role_id: str, fragment: str = "") -> str:
    """An href to a role's page, resolved later into a relative URL."""
    return f"{ROLE_HREF}{role_id}" + (f"#{fragment}" if fragment else "")


GUIDE = "guide/"
"""Where a site that publishes Rolebook's guide has it."""


def guide_href(page: str, fragment: str = "") -> str:
    """An href to a page of Rolebook's guide, a link only where the site has that page."""
    return f"{GUIDE_HREF}{page}" + (f"#{fragment}" if fragment else "")
