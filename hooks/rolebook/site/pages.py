"""The site step: from an `Analysis`, every page and file Rolebook adds to a site — a page
per role and its sources page, the documents' bytes and images, redirects from old ids,
the roles index, gaps, matrices, conflicts, health and the export — laid out by
`rolebook.urls`. Independent of MkDocs: the plugin turns each `Generated` into a file of
the site, and fills each page's `Slots` when MkDocs has rendered its Markdown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from mkdocs.utils import get_relative_url

from rolebook import urls
from rolebook.analyse import Analysis
from rolebook.export import csv_files, export_model, schema_text, to_json
from rolebook.library import Stopwatch
from rolebook.model import Role, RoleStatus
from rolebook.read.files import find_images
from rolebook.render.mentions import resolve_role_links
from rolebook.render.pages import (
    gaps_page,
    health_page,
    redirect_page,
    role_names,
    role_page,
    roles_index,
    sources_page,
)
from rolebook.render.slots import Slots
from rolebook.render.views import (
    comparison_section,
    conflicts_page,
    escalations_page,
    graph_page,
    responsibility_matrix,
)
from rolebook.responsibilities.matrices import compare_sources
from rolebook.site import search
from rolebook.vocabulary import Vocabulary
from rolebook.workers import fork_map

ASSETS = Path(__file__).with_name("assets")
"""Rolebook's stylesheet and script (`rolebook.urls.STYLESHEET`, `SCRIPT`)."""


@dataclass
class Generated:
    """A page or file Rolebook adds to the site: text (`content`) or a file copied as it is
    (`source`, a path on disk)."""

    uri: str
    """Where it goes (`src_uri`, see `rolebook.urls`)."""
    content: str | None = None
    source: str | None = None
    listed: bool = True
    """Whether the navigation may list it; role and sources pages are not (the roles
    section lists the roles instead, `rolebook.site.nav`)."""
    slots: Slots | None = None
    """Pre-rendered HTML of the page, swapped in for its placeholders."""


@dataclass
class Site:
    """What the site step adds to a site."""

    files: list[Generated] = field(default_factory=list)
    targets: dict[str, str] = field(default_factory=dict)
    """Document or image path on disk -> `uri` of what now holds it (its role's page, the
    image's copy), for links written in documents."""
    anchors: dict[tuple[str, str], str] = field(default_factory=dict)
    """(document path on disk, heading slug) -> anchor on its role page."""

    def add(self, generated: Generated) -> None:
        self.files.append(generated)


def assemble(
    analysis: Analysis,
    vocabulary: Vocabulary,
    roots: list[Path],
    url_of: Callable[[str], str],
    workers: int = 1,
    pagefind: bool = False,
    timings: dict[str, float] | None = None,
) -> Site:
    """Every page and file for `analysis`. `url_of(uri)` is the URL the site gives a page
    at `uri` (it depends on `use_directory_urls`); role pages are rendered by `workers`
    processes; `pagefind` adds the search worker Material's search box then uses."""
    clock = Stopwatch(timings)
    library = analysis.library
    site = Site()
    names = role_names(library)

    # Every role page sits at roles/<id>/ beside its sources page: the relative links between
    # them are the same for all, and are written while the pages are rendered.
    relative_sources = get_relative_url(url_of(urls.sources_page("x")), url_of(urls.role_page("x")))
    sibling = "rolebook-sibling"
    pages = (urls.role_page("x"), urls.sources_page("x"))
    to_role = {page: get_relative_url(url_of(urls.role_page(sibling)), url_of(page)) for page in pages}
    to_own_role = {page: get_relative_url(url_of(urls.role_page("x")), url_of(page)) for page in pages}

    def role_links(slots: Slots, page: str, own: str) -> None:
        """Resolve the links to role pages in `slots` of role `own`'s `page` (as laid out for x)."""
        before, after = to_role[page].split(sibling)

        def url(role_id: str) -> str | None:
            if role_id == own:
                return to_own_role[page]
            return f"{before}{quote(role_id)}{after}" if role_id in library.by_id else None

        slots.rewrite(lambda html: resolve_role_links(html, url))
        slots.anchor_ids()

    def render(role: Role) -> tuple[str, Slots, tuple[str, Slots] | None, dict[tuple[str, str], str]]:
        """A role's page, its sources page (defined roles), and where source headings landed."""
        anchors: dict[tuple[str, str], str] = {}
        sources = None
        if role.status in (RoleStatus.DEFINED, RoleStatus.OVERVIEW):
            slots = Slots()
            comparison = ""
            if len(role.documents) > 1:
                paths = {d.path for d in role.documents}  # what its own documents say, side by side
                mine = [c for c in analysis.own_claims.get(role.id, []) if c.path in paths and not c.by]
                rows = compare_sources(role, mine, analysis.areas)
                comparison = comparison_section(library, role, rows, analysis.areas, slots)
            raw = {document.path: urls.raw_document(role.id, document.name) for document in role.documents}
            sources = (sources_page(role, raw, slots, comparison), slots)
            role_links(slots, urls.sources_page("x"), role.id)
        slots = Slots()
        href = relative_sources if sources is not None else ""
        page = role_page(role, library, vocabulary, href, names, slots, anchors, library.borrowed.get(role.id))
        role_links(slots, urls.role_page("x"), role.id)
        return page, slots, sources, anchors

    roles = list(library.roles)
    rendered = fork_map(lambda start, stop: [render(r) for r in roles[start:stop]], len(roles), workers, 100)
    for role, (page, slots, sources, anchors) in zip(roles, rendered, strict=True):
        if sources is not None:
            for document in role.documents:
                site.add(Generated(urls.raw_document(role.id, document.name), source=document.abs_path))
            site.add(Generated(urls.sources_page(role.id), sources[0], listed=False, slots=sources[1]))
        site.add(Generated(urls.role_page(role.id), page, listed=False, slots=slots))
        for key, anchor in anchors.items():
            site.anchors.setdefault(key, anchor)
        for document in role.documents:
            site.targets[document.abs_path] = urls.role_page(role.id)
    clock.lap("role pages")

    # Images in the sources are published, so documents keep showing them.
    for number, (root, image) in enumerate(find_images(roots)):
        uri = urls.source_image(number, image.relative_to(root).as_posix())
        site.add(Generated(uri, source=str(image)))
        site.targets[str(image)] = uri

    # Old ids and aliases keep working: a static redirect page at /roles/<old>/.
    taken = {role.id for role in library.roles}
    for role in library.roles:
        for old in role.redirect_ids():
            if old not in taken:
                taken.add(old)
                target = get_relative_url(url_of(urls.role_page(role.id)), urls.redirect(old))
                site.add(Generated(urls.redirect(old), redirect_page(target, role.name)))

    site.add(Generated(urls.ROLES_INDEX, roles_index(roles)))
    site.add(Generated(urls.GAPS, gaps_page(library)))
    for uri, view in (
        (
            urls.CONFLICTS,
            lambda slots: conflicts_page(library, analysis.conflicts, analysis.areas, analysis.unowned, slots),
        ),
        (
            urls.RESPONSIBILITIES,
            lambda slots: responsibility_matrix(library, analysis.claims, analysis.areas, analysis.areas_reason, slots),
        ),
        (urls.ESCALATIONS, lambda slots: escalations_page(library, slots)),
        (urls.GRAPH, lambda slots: graph_page(library, slots)),
    ):
        slots = Slots()
        site.add(Generated(uri, view(slots), slots=slots))
    clock.lap("matrix pages")

    model = export_model(library, analysis.claims, analysis.conflicts, analysis.areas)
    site.add(Generated(urls.EXPORT, to_json(model)))
    site.add(Generated(urls.SCHEMA, schema_text(library.relation_types)))
    for uri in (urls.STYLESHEET, urls.SCRIPT):
        site.add(Generated(uri, source=str(ASSETS / Path(uri).name)))
    if pagefind:
        site.add(Generated(search.WORKER_URI, source=str(search.WORKER_SOURCE)))
    for name, text in csv_files(model).items():
        site.add(Generated(urls.matrix_file(name), text))
    slots = Slots()
    health = health_page(list(library.findings), len(library.sources), roles, slots)
    site.add(Generated(urls.HEALTH, health, slots=slots))
    clock.lap("export and health")
    return site
