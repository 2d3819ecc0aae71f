"""The site step: from an `Analysis`, every page and file Rolebook adds to a site — a page
per role and its sources page, the documents' bytes and images, redirects from old ids,
the roles index, gaps, matrices, conflicts, health and the export — laid out by
`rolebook.urls`. Independent of MkDocs: the plugin turns each `Generated` into a file of
the site, and fills each page's `Slots` when MkDocs has rendered its Markdown."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs.utils import get_relative_url

from rolebook import urls
from rolebook.analyse import Analysis
from rolebook.export import csv_files, export_parts, export_rest, schema_text
from rolebook.library import Library, Stopwatch
from rolebook.model import Document, Escalation, Role, RoleStatus
from rolebook.names import slugify
from rolebook.read.files import find_images
from rolebook.render.mentions import resolve_role_links
from rolebook.render.pages import (
    gaps_page,
    health_page,
    redirect_page,
    role_cards,
    role_names,
    role_page,
    roles_index,
    roles_summary,
    sources_page,
)
from rolebook.render.slots import Slots
from rolebook.render.views import (
    Part,
    comparison_section,
    conflicts_page,
    escalations_page,
    graph_edges,
    graph_page,
    parts_page,
    responsibility_matrix,
    unowned_section,
)
from rolebook.responsibilities.matrices import Claim, Conflict, compare_sources
from rolebook.site import search
from rolebook.site.kept import KeptRoles, digest
from rolebook.site.nav import parts
from rolebook.vocabulary import Vocabulary
from rolebook.workers import fork_map

ASSETS = Path(__file__).with_name("assets")
"""Rolebook's stylesheet and script (`rolebook.urls.STYLESHEET`, `SCRIPT`)."""


@dataclass
class Generated:
    """A page or file Rolebook adds to the site: text (`content`, or `parts` of it), or a file
    copied as it is (`source`, a path on disk)."""

    uri: str
    """Where it goes (`src_uri`, see `rolebook.urls`)."""
    content: str | None = None
    source: str | None = None
    listed: bool = True
    """Whether the navigation may list it; role and sources pages are not (the roles
    section lists the roles instead, `rolebook.site.nav`)."""
    slots: Slots | None = None
    """Pre-rendered HTML of the page, swapped in for its placeholders."""
    parts: Iterator[str] | None = None
    """Or text made in parts as the file is written (the export), never held whole."""


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
    split_above: int = 300,
    kept: KeptRoles | None = None,
) -> Site:
    """Every page and file for `analysis`. `url_of(uri)` is the URL the site gives a page
    at `uri` (it depends on `use_directory_urls`); role pages are rendered by `workers`
    processes; `pagefind` adds the search worker Material's search box then uses. A library
    of more than `split_above` defined roles gets its cross-role pages split by group
    (`cross_role_pages`). With `kept`, a role page whose inputs did not change since an
    earlier build (`role_keys`) is taken from it instead of being assembled again."""
    clock = Stopwatch(timings)
    library = analysis.library
    site = Site()
    names = role_names(library)
    groups = group_parts(library, split_above) if _defined(library) > split_above else []
    group_of = {role_id: (slug, part) for slug, part in groups for role_id in part.roles}

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
        slots.pack()

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
        page = role_page(
            role,
            library,
            vocabulary,
            href,
            names,
            slots,
            anchors,
            library.borrowed.get(role.id),
            part_of.get(role.id, ""),
        )
        role_links(slots, urls.role_page("x"), role.id)
        return page, slots, sources, anchors

    roles = list(library.roles)
    part_of = {r.id: _part_links(*group_of[r.id]) for r in roles if r.id in group_of and r.status is RoleStatus.DEFINED}
    keys = role_keys(analysis, vocabulary, (relative_sources, to_role, to_own_role), part_of, kept.base) if kept else []
    rendered: list[Any] = [kept.get(key) for key in keys] if kept else [None] * len(roles)
    todo = [index for index, found in enumerate(rendered) if found is None]

    def task(start: int, stop: int) -> list[tuple[Any, bool]]:
        """Assemble the pages of roles `todo[start:stop]`, and write each for later builds."""
        done = []
        for index in todo[start:stop]:
            result = render(roles[index])
            done.append((result, kept is not None and kept.write(keys[index], result)))
        return done

    for index, (result, written) in zip(todo, fork_map(task, len(todo), workers, 100), strict=True):
        rendered[index] = result
        if kept is not None and written:
            kept.keep(keys[index])
    if kept is not None:
        kept.counts["roles assembled"] += len(todo)
        kept.counts["roles kept"] += len(roles) - len(todo)
        kept.assembled += [roles[index].id for index in todo]
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

    site.add(Generated(urls.GAPS, gaps_page(library)))
    for generated in cross_role_pages(analysis, groups, split_above):
        if generated.slots is not None:
            generated.slots.pack()
        site.add(generated)
    clock.lap("matrix pages")

    model = export_rest(library, analysis.claims, analysis.conflicts, analysis.areas)
    site.add(Generated(urls.EXPORT, parts=export_parts(library, model)))
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


def role_keys(
    analysis: Analysis,
    vocabulary: Vocabulary,
    layout: object,
    part_of: dict[str, str],
    base: str,
) -> list[str]:
    """A key for each role's page (in `library.roles` order) naming everything `assemble`
    makes it from: the role and its documents (their sections as parsed), its relations in
    and out, the sections other roles' documents hold for it, its own claims and the areas
    (its sources page compares them), the line leading to its group's parts (`part_of`),
    and what every page shares: the name and status of every role (links), the names the
    lexicon links, the relation types, the vocabulary, the relative URLs between role pages
    (`layout`) and `base` (Rolebook's code and the site's settings). Hashing these takes
    milliseconds per role; an edit to one document changes the keys of its role and of
    the roles whose relations it changed."""
    library = analysis.library
    lexicon = library.lexicon
    shared = digest(
        base,
        layout,
        [(role.id, role.name, role.status.value) for role in library.roles],
        list(lexicon.names.values()) if lexicon is not None else None,
        library.relation_types,
        analysis.areas,
        vocabulary.fingerprint,
    )
    documents: dict[int, str] = {}

    def document(item: Document) -> str:
        if id(item) not in documents:
            documents[id(item)] = digest(item)
        return documents[id(item)]

    borrowed = library.borrowed
    own_claims = analysis.own_claims
    keys = []
    for role in library.roles:
        fields = (role.id, role.name, role.aliases, role.summary, role.source_dir, role.metadata, role.status)
        overview = library.overview_relations if role.status is RoleStatus.OVERVIEW else ()
        keys.append(
            digest(
                shared,
                fields,
                role.former_ids,
                role.copy_of,
                [document(item) for item in role.documents],
                library.incoming.get(role.id, []),
                library.outgoing.get(role.id, []),
                overview,
                [(document(item), line, text) for item, line, text in borrowed.get(role.id, [])],
                own_claims.get(role.id, []) if len(role.documents) > 1 else [],
                part_of.get(role.id, ""),
            )
        )
    return keys


def cross_role_pages(analysis: Analysis, groups: list[tuple[str, Part]], split_above: int) -> list[Generated]:
    """The roles index, conflicts, matrices and graph: each one page, or, for a library of
    more than `split_above` defined roles, split into `groups` (`group_parts`) at
    `rolebook.urls.part`, each page itself then listing its parts. A part shows what its
    group's roles say, so no page grows with the library; what each part shows is sorted
    out in one pass over the library (`_Shares`), so the parts cost what one page does."""
    library = analysis.library
    roles = list(library.roles)
    if not groups:
        slots = [Slots() for _ in SPLIT_VIEWS]
        texts = (
            conflicts_page(library, analysis.conflicts, analysis.areas, analysis.unowned, slots[0]),
            responsibility_matrix(library, analysis.claims, analysis.areas, analysis.areas_reason, slots[1]),
            escalations_page(library, slots[2]),
            graph_page(library, slots[3]),
        )
        return [Generated(urls.ROLES_INDEX, roles_index(roles))] + [
            Generated(uri, text, slots=slot) for uri, text, slot in zip(SPLIT_VIEWS, texts, slots, strict=True)
        ]

    shares = _Shares(analysis)
    pages = []
    for uri in (urls.ROLES_INDEX, *SPLIT_VIEWS):
        rows = []
        for slug, group in groups:
            part = replace(group, overview=uri)
            counts = shares.counts(uri, part)
            if counts is None:
                continue
            text, part_slots = shares.view(uri, part)
            pages.append(Generated(urls.part(uri, slug), text, listed=False, slots=part_slots))
            rows.append((urls.part(uri, slug), part.title, (len(part.roles), *counts)))
        pages.append(Generated(uri, _overview(analysis, uri, rows, split_above)))
    return pages


SPLIT_VIEWS = (urls.CONFLICTS, urls.RESPONSIBILITIES, urls.ESCALATIONS, urls.GRAPH)
"""The cross-role pages besides the roles index, in the order they are generated."""


def home_cards(library: Library, split_above: int, root: str) -> str:
    """The home page's cards (`rolebook.render.pages.role_cards`): one per role, or, for a
    library whose cross-role pages are split, one per group, leading to its roles."""
    roles = list(library.roles)
    if _defined(library) <= split_above:
        return role_cards(roles, root)
    groups = group_parts(library, split_above)
    return role_cards(roles, root, [(p.title, urls.part(urls.ROLES_INDEX, slug), len(p.roles)) for slug, p in groups])


def _defined(library: Library) -> int:
    return sum(1 for role in library.roles if role.status is RoleStatus.DEFINED)


def _part_links(slug: str, part: Part) -> str:
    """HTML of a role page's line leading to its group's part of each split page."""
    links = " · ".join(
        f'<a href="{urls.page_href(urls.part(uri, slug))}">{html.escape(OVERVIEWS[uri][0].lower())}</a>'
        for uri in (urls.RESPONSIBILITIES, urls.CONFLICTS, urls.ESCALATIONS, urls.GRAPH)
    )
    return f"The cross-role pages are split by group; this role is in <em>{html.escape(part.title)}</em>: {links}."


def group_parts(library: Library, split_above: int) -> list[tuple[str, Part]]:
    """The groups a large library's cross-role pages are split into, each with the slug of
    its parts' URLs (`rolebook.urls.part`)."""
    taken: set[str] = set()
    result = []
    for group in parts(library, max(1, split_above // 2)):
        base = slug = slugify(group.title.replace("–", " "))
        number = 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        ids = frozenset(role.id for role in group.roles)
        # roles that say nothing (not defined) are listed, and drawn in the parts of those who name them
        result.append((slug, Part(group.title, ids, urls.ROLES_INDEX)))
    return result


class _Shares:
    """Each role's claims, escalations, graph edges and conflicts, sorted out once, so that a
    part's page reads its own roles' share instead of the whole library (at 75 parts of
    1,000 roles, filtering the whole library per part took ten times one page's cost)."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        library = analysis.library
        self.claims: dict[str, list[Claim]] = {}
        for claim in analysis.claims:
            self.claims.setdefault(claim.role, []).append(claim)
        self.escalations: dict[str, list[Escalation]] = {}
        for escalation in library.escalations:
            self.escalations.setdefault(escalation.role, []).append(escalation)
        self.edges: dict[str, set[tuple[str, str, str]]] = {}
        self.lines = graph_edges(library)
        for key in self.lines:
            for role_id in key[:2]:
                self.edges.setdefault(role_id, set()).add(key)
        # conflict number -> role -> (place in the conflict's claims, claim)
        self.conflicts: dict[str, list[int]] = {}
        self.conflict_claims: list[dict[str, list[tuple[int, Claim]]]] = []
        for number, conflict in enumerate(analysis.conflicts):
            for role_id in conflict.roles:
                self.conflicts.setdefault(role_id, []).append(number)
            by_role: dict[str, list[tuple[int, Claim]]] = {}
            for place, claim in enumerate(conflict.claims):
                by_role.setdefault(claim.role, []).append((place, claim))
            self.conflict_claims.append(by_role)

    def _conflicts(self, part: Part) -> list[Conflict]:
        """The conflicts `part`'s roles are in, with only their roles and lines."""
        conflicts = self.analysis.conflicts
        numbers = sorted({n for role_id in part.roles for n in self.conflicts.get(role_id, ())})
        shared = []
        for number in numbers:
            conflict = conflicts[number]
            mine = tuple(r for r in conflict.roles if r in part.roles)
            lines = sorted(x for r in mine for x in self.conflict_claims[number].get(r, ()))
            shared.append(Conflict(conflict.kind, conflict.area, mine, tuple(claim for _, claim in lines)))
        return shared

    def counts(self, uri: str, part: Part) -> tuple[int, ...] | None:
        """What the overview of `uri` counts for `part`, or None when `part` has no page of it
        (a group of roles no document defines has rows only in the roles index)."""
        library = self.analysis.library
        if uri == urls.ROLES_INDEX:
            return ()
        statuses = {library.by_id[r].status for r in part.roles}
        if not statuses & {RoleStatus.DEFINED, RoleStatus.OVERVIEW}:
            return None
        if uri == urls.CONFLICTS:
            return (len({n for r in part.roles for n in self.conflicts.get(r, ())}),)
        if uri == urls.RESPONSIBILITIES:
            if RoleStatus.DEFINED not in statuses:
                return None
            return (sum(len(self.claims.get(r, ())) for r in part.roles),)
        if uri == urls.ESCALATIONS:
            return (sum(len(self.escalations.get(r, ())) for r in part.roles),)
        return (len({key for r in part.roles for key in self.edges.get(r, ())}),)

    def view(self, uri: str, part: Part) -> tuple[str, Slots | None]:
        """Markdown of `part`'s page of `uri`, and its slots."""
        analysis, library, slots = self.analysis, self.analysis.library, Slots()
        if uri == urls.ROLES_INDEX:
            return roles_index([r for r in library.roles if r.id in part.roles], part.heading("Roles")), None
        if uri == urls.CONFLICTS:
            totals = {(c.kind, c.area): len(c.roles) for c in analysis.conflicts}
            text = conflicts_page(library, self._conflicts(part), analysis.areas, [], slots, part, totals)
        elif uri == urls.RESPONSIBILITIES:
            claims = [c for r in part.roles for c in self.claims.get(r, ())]
            text = responsibility_matrix(library, claims, analysis.areas, analysis.areas_reason, slots, part)
        elif uri == urls.ESCALATIONS:
            text = escalations_page(library, slots, part)
        else:
            keys = {key for r in part.roles for key in self.edges.get(r, ())}
            text = graph_page(library, slots, part, {key: self.lines[key] for key in sorted(keys)})
        return text, slots


OVERVIEWS = {
    urls.ROLES_INDEX: ("Roles", ("Roles",), "Use search to find a role by name, alias or anything its documents say."),
    urls.CONFLICTS: (
        "Conflicts and gaps",
        ("Roles", "Conflicts"),
        "What the [responsibility matrix]({matrix}) should make you look at, with the lines that cause it, "
        "one page per group: a group's page has the conflicts its roles are in, with their lines. How conflicts "
        "are found: [Conflicts]({guide}).",
    ),
    urls.RESPONSIBILITIES: (
        "Responsibility matrix",
        ("Roles", "Claims"),
        "Who owns what, who must not touch it and who sets the rules for it: one row per role, one column "
        "per responsibility area, one page per group of roles. Areas: {reason}. See also the [CSV]({csv}) "
        "of the whole matrix.",
    ),
    urls.ESCALATIONS: (
        "Escalation matrix",
        ("Roles", "Triggers"),
        "Every escalation trigger in the documents, one page per group of the roles whose documents state "
        "them, each with who receives them. See also the [CSV]({escalations_csv}).",
    ),
    urls.GRAPH: (
        "Relations graph",
        ("Roles", "Relations"),
        "Who works with whom, one picture per group of roles: a group's picture draws its roles and the "
        "relations between them, its table every relation to or from them.",
    ),
}
"""Title, counted columns and lead of each split page's overview."""


def _overview(analysis: Analysis, uri: str, rows: list[tuple[str, str, tuple[int, ...]]], split_above: int) -> str:
    """Markdown of the page at `uri` that lists its parts (`rows`: part, group, counts)."""
    title, columns, lead = OVERVIEWS[uri]
    lead = lead.format(
        matrix=urls.page_href(urls.RESPONSIBILITIES),
        guide=urls.guide_href("links.md", "conflicts"),
        reason=html.escape(analysis.areas_reason),
        csv=urls.page_href(urls.matrix_file("responsibilities.csv")),
        escalations_csv=urls.page_href(urls.matrix_file("escalations.csv")),
    )
    size = (
        f"The library has more than {split_above} roles, so this page is split by group, at most "
        f"{max(1, split_above // 2)} roles a part ([Site settings]({urls.guide_href('settings.md', 'split-above')}))."
    )
    if uri == urls.ROLES_INDEX:
        lead = f"{roles_summary(list(analysis.library.roles))} {size} {lead}"
    else:
        lead = f"{lead} {size}"
    text = parts_page(title, lead, columns, rows)
    if uri == urls.CONFLICTS:
        text += "\n" + unowned_section(analysis.unowned)
    return text
