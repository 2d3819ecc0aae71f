"""The cross-role pages: responsibility matrix, conflicts, a role's source comparison,
escalation matrix and the relations graph. Tables and the graph are HTML/SVG built here,
every piece of document text escaped; links to roles go through `rolebook:role/` so the
hook resolves them relative to each page."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from rolebook import urls
from rolebook.library import Library
from rolebook.model import Escalation, RelationTypeSpec, Role, RoleStatus, Stance
from rolebook.names import counted
from rolebook.render.graph_layout import LABEL_OFFSET, layout
from rolebook.render.mentions import role_link
from rolebook.render.pages import md_inline
from rolebook.render.slots import Slots
from rolebook.responsibilities.areas import Area
from rolebook.responsibilities.matrices import Claim, Conflict, TopicRow, disclaims, matrix_rows
from rolebook.urls import role_href

WIDE_PAGE = "---\nsearch:\n  exclude: true\nhide:\n  - toc\n---\n\n"
"""Front matter of the matrix pages: no table of contents (the navigation stays, to reach the
other matrices), and out of search (their text is the role pages')."""


@dataclass(frozen=True)
class Part:
    """One group's share of a cross-role page that a large library splits by group
    (`rolebook.site.pages`): the page shows only what the group's roles say."""

    title: str
    roles: frozenset[str]
    """Ids of the group's roles."""
    overview: str
    """`src_uri` of the page that lists the parts."""

    def heading(self, title: str) -> str:
        """The part's `# title: group` and the line that leads to the other parts."""
        return (
            f"# {title}: {md_inline(self.title)}\n\n"
            f"This part shows the {len(self.roles)} roles of *{md_inline(self.title)}*; "
            f"[all parts]({urls.page_href(self.overview)}).\n\n"
        )


def parts_page(title: str, lead: str, columns: tuple[str, ...], rows: list[tuple[str, str, tuple[int, ...]]]) -> str:
    """Markdown of a split page's overview: `lead`, then one row per part (`src_uri`, group
    title and its counts under `columns`), each linking to its part."""
    head = " | ".join(("Group", *columns))
    lines = "".join(
        f"| [{md_inline(group)}]({urls.page_href(uri)}) | {' | '.join(str(n) for n in counts)} |\n"
        for uri, group, counts in rows
    )
    return f"# {title}\n\n{lead}\n\n| {head} |\n| --- |{' ---: |' * len(columns)}\n{lines}"


GRAPH_MARGIN = 24
"""Pixels around the picture, for the circles and curves at its edges."""
NODE_RADIUS = 7
"""Pixels: a role's circle in the relations graph."""


def _claim_badge(library: Library, claim: Claim, count: int = 1) -> str:
    """A stance badge linking to the line that states it (on the page of the role whose
    document it is), titled with that document's path, line and text."""
    title = f"{claim.path}:{claim.line} — {claim.text}"
    if count > 1:
        title += f" (and {count - 1} more line{'s' if count > 2 else ''})"
    badge = (
        f'<a class="rb-stance {claim.stance.css_class}" href="{role_href(claim.writer, claim.anchor)}" '
        f'title="{escape(title)}">{escape(claim.stance.label)}</a>'
    )
    if claim.by:  # "CI/release wiring (Releaser)" in another role's boundaries
        badge = f'<span class="rb-instead">{badge} ← {role_link(library, claim.by)}</span>'
    elif disclaims(claim):
        names = ", ".join(role_link(library, other) for other in claim.others)
        badge = f'<span class="rb-instead">{badge} → {names}</span>'
    return badge


def _cell(library: Library, claims: list[Claim]) -> tuple[str, int]:
    """Badges for a cell, one per stance (first claim linked), and a sort score."""
    by_stance: dict[Stance, list[Claim]] = {}
    for claim in claims:
        by_stance.setdefault(claim.stance, []).append(claim)
    badges = [_claim_badge(library, found[0], len(found)) for stance, found in sorted(by_stance.items())]
    return " ".join(badges), max((s.rank for s in by_stance), default=0)


def _tools(table_id: str, placeholder: str, columns: list[tuple[str, str]] | None = None) -> str:
    parts = [
        f'<div class="rb-tools"><input type="search" class="md-input rb-filter" data-rb-filter="{table_id}" '
        f'placeholder="{escape(placeholder)}" aria-label="{escape(placeholder)}">'
    ]
    if columns:
        options = "".join(f'<option value="{escape(key)}">{escape(title)}</option>' for key, title in columns)
        parts.append(
            f'<select class="rb-columns" data-rb-columns="{table_id}" aria-label="Show one column">'
            f'<option value="">All areas</option>{options}</select>'
        )
    parts.append("</div>")
    return "".join(parts)


def distinct_tails(paths: list[str]) -> list[str]:
    """The shortest end of each path (its file name, then with its folder …) that tells it
    from the others: `x/one.md`, `y/two.md` -> `one.md`, `two.md`; `a/SOUL.md`, `b/SOUL.md`
    -> `a/SOUL.md`, `b/SOUL.md`."""
    parts = [path.split("/") for path in paths]
    longest = max(map(len, parts), default=1)
    for depth in range(1, longest):
        tails = ["/".join(p[-depth:]) for p in parts]
        if len(set(tails)) == len(tails):
            return tails
    return list(paths)


def responsibility_matrix(
    library: Library, claims: list[Claim], areas: list[Area], reason: str, slots: Slots, part: Part | None = None
) -> str:
    """Markdown of the roles × areas page, or of one `part` of it (its group's rows);
    `reason` says where its areas come from."""
    shown = [r for r in library.roles if part is None or r.id in part.roles]
    cells: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        cells.setdefault((claim.role, claim.area), []).append(claim)
    head = "".join(f'<th data-rb-sort data-area="{escape(a.key)}" scope="col">{escape(a.title)}</th>' for a in areas)
    rows = []
    for group in matrix_rows(library, shown):  # one role written up in two documents: one row
        role = group[0]
        tds = []
        for area in areas:
            content, score = _cell(library, [c for r in group for c in cells.get((r.id, area.key), [])])
            tds.append(f'<td data-area="{escape(area.key)}" data-sort="{score}">{content}</td>')
        key = escape(role.name.lower())
        labels = distinct_tails([r.documents[0].path for r in group]) if len(group) > 1 else []
        pages = " · ".join(  # which page is which: the end of its document's path
            f'<a class="rb-role" href="{role_href(r.id)}">{escape(label)}</a>'
            for r, label in zip(group, labels, strict=False)
        )
        rows.append(
            f'<tr data-rb-row="{key} {escape(" ".join(r.id for r in group))}"><th scope="row" data-sort="{key}">'
            f"{role_link(library, role.id)}{f' <small>{pages}</small>' if pages else ''}</th>{''.join(tds)}</tr>"
        )
    table = (
        f'<div class="rb-matrix-wrap"><table class="rb-matrix" id="rb-responsibilities">'
        f'<thead><tr><th data-rb-sort scope="col">Role</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    legend = " ".join(f'<span class="rb-stance {s.css_class}">{escape(s.label)}</span>' for s in Stance)
    return (
        WIDE_PAGE
        + (part.heading("Responsibility matrix") if part else "# Responsibility matrix\n\n")
        + "Who owns what, who must not touch it and who sets the rules for it: one row per role, "
        "one column per responsibility area. Each badge links to the line that says so (hover for "
        'the document, line and text); "→" names the role the line leaves the area to, "←" the role '
        "whose document names this one as the owner. "
        f"Areas: {escape(reason)}; see [Responsibility areas]({urls.guide_href('links.md', 'responsibility-areas')}) "
        "for how they are chosen and how a site gives its own. See also "
        f"[Conflicts and gaps]({urls.page_href(urls.CONFLICTS)}) and the "
        f"[CSV]({urls.page_href(urls.matrix_file('responsibilities.csv'))}).\n\n"
        f'<p class="rb-legend">{legend}</p>\n\n'
        f"{_tools('rb-responsibilities', 'Filter roles…', [(a.key, a.title) for a in areas])}\n\n"
        f"{slots.add(table)}\n"
    )


CONFLICT_TEXT = {
    "owned by several roles": "The documents of more than one role say it owns the area.",
    "sources disagree": "One document gives the role the area; another forbids it.",
    "owner does not claim it": (
        'A line names the role as the one who does this ("CI/release wiring (Releaser)" in another '
        "role's boundaries), but the role's own documents never say it owns the area."
    ),
}


def _claim_line(library: Library, claim: Claim) -> str:
    """A claim as a list entry: its badge, whose claim it is, and where it is said."""
    who = role_link(library, claim.role)
    return (
        f"<li>{who} {_claim_badge(library, claim)} "
        f'<span class="rb-quote">{escape(claim.path)}:{claim.line} — {escape(claim.text)}</span></li>'
    )


def conflicts_page(
    library: Library,
    conflicts: list[Conflict],
    areas: list[Area],
    unowned: list[Area],
    slots: Slots,
    part: Part | None = None,
    totals: dict[tuple[str, str], int] | None = None,
) -> str:
    """Markdown of `/conflicts/`: each kind of conflict with the lines behind it, then the
    areas no role owns; or of one `part` of it: the conflicts its group's roles are in, with
    their lines only (`totals`: how many roles each conflict has in all, by kind and area,
    when `conflicts` are the part's share already)."""
    titles = {a.key: a.title for a in areas}
    out = [
        part.heading("Conflicts and gaps") if part else "# Conflicts and gaps\n",
        f"What the [responsibility matrix]({urls.page_href(urls.RESPONSIBILITIES)}) should make you look at, "
        "with the lines that cause it: each names the role, the document and the line, and links "
        "there. Nothing here fails the build: disagreement between documents is information, and "
        "the role pages show every side. How conflicts are found: "
        f"[Conflicts]({urls.guide_href('links.md', 'conflicts')}).\n",
    ]
    for kind, text in CONFLICT_TEXT.items():
        found = [c for c in conflicts if c.kind == kind]
        if part is not None:  # its group's roles and their lines; how many other roles are in it
            found = [
                Conflict(c.kind, c.area, mine, tuple(x for x in c.claims if x.role in part.roles))
                for c in found
                if (mine := tuple(r for r in c.roles if r in part.roles))
            ]
            elsewhere = totals or {(c.kind, c.area): len(c.roles) for c in conflicts if c.kind == kind}
        out.append(f"## {kind.capitalize()} {{ #{kind.replace(' ', '-')} }}\n\n{text}\n")
        if not found:
            out.append("None.\n")
            continue
        rows = []
        for conflict in found:
            who = ", ".join(role_link(library, r) for r in conflict.roles)
            if part is not None and (more := elsewhere[(kind, conflict.area)] - len(conflict.roles)):
                who += f" and {counted(more, 'role')} of other groups"
            lines = "".join(_claim_line(library, c) for c in conflict.claims)
            rows.append(
                f"<tr><td>{escape(titles.get(conflict.area, conflict.area))}</td><td>{who}</td>"
                f'<td><ul class="rb-claims">{lines}</ul></td></tr>'
            )
        out.append(
            slots.add(
                # quotes of lines the role pages show (and search) already
                '<div class="rb-matrix-wrap"><table class="rb-matrix rb-list" data-search-exclude><thead><tr>'
                f"<th>Area</th><th>Roles</th><th>Lines</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
            )
            + "\n"
        )
    if part is None:
        out.append(unowned_section(unowned))
    return "\n".join(out)


def unowned_section(unowned: list[Area]) -> str:
    """The conflicts page's last section: the areas no role owns."""
    listed = f'<p class="rb-nobody">{", ".join(escape(a.title) for a in unowned)}</p>' if unowned else "None."
    return (
        f"## Areas no role owns {{ #owned-by-nobody }}\n\nNo role's documents say they own these areas.\n\n{listed}\n"
    )


def comparison_section(library: Library, role: Role, rows: list[TopicRow], areas: list[Area], slots: Slots) -> str:
    """HTML of the "What each source says" section of a role's sources page: topics ×
    documents, the lines about each topic side by side (its heading recorded in `slots`)."""
    titles = {a.key: a.title for a in areas}
    documents = list(role.documents)
    head = "".join(f'<th scope="col">{escape(d.name)}<br><small>{escape(d.kind.value)}</small></th>' for d in documents)
    body = []
    for row in rows:
        tds = []
        for document in documents:
            found = row.cells.get(document.path, [])
            items = "".join(
                f'<li>{_claim_badge(library, c)} <span class="rb-quote">{escape(c.text)}</span></li>' for c in found
            )
            tds.append(f"<td>{f'<ul class=rb-claims>{items}</ul>' if items else ''}</td>")
        verdict = f'<span class="rb-verdict rb-verdict--{row.verdict.replace(" ", "-")}">{row.verdict}</span>'
        body.append(
            f'<tr data-rb-row="{escape(titles.get(row.area, row.area).lower())} {row.verdict}">'
            f'<th scope="row">{escape(titles.get(row.area, row.area))}<br>{verdict}</th>{"".join(tds)}</tr>'
        )
    disagreements = [r for r in rows if r.verdict == "disagree"]
    summary = (
        "The documents disagree on: "
        + ", ".join(f"<strong>{escape(titles.get(r.area, r.area))}</strong>" for r in disagreements)
        + "."
        if disagreements
        else "The documents do not contradict each other on any topic."
    )
    table = (
        '<div class="rb-matrix-wrap"><table class="rb-matrix rb-compare" id="rb-compare"><thead><tr>'
        f'<th scope="col">Topic</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )
    return (
        f"{slots.heading(2, 'compare', 'What each source says')}\n"
        f'<p>Topics × the {len(documents)} documents of <a href="{urls.page_href(urls.role_page(role.id))}">'
        f"{escape(role.name)}</a>, the lines about each topic side by side. <em>disagree</em>: one document "
        "owns the topic while another forbids it; <em>agree</em>: several documents speak of it "
        f"without such a contradiction.</p>\n<p>{summary}</p>\n{_tools('rb-compare', 'Filter topics…')}\n{table}\n"
    )


def _target(library: Library, escalation: Escalation) -> str:
    if escalation.target_is_role:
        return role_link(library, escalation.target)
    return f'<span class="rb-person">{escape(escalation.target)}</span>'


def escalations_page(library: Library, slots: Slots, part: Part | None = None) -> str:
    """Markdown of the escalation matrix and its pivot, or of one `part` of them (the
    triggers in its group's roles' documents)."""
    escalations = [e for e in library.escalations if part is None or e.role in part.roles]
    rows = []
    for e in escalations:
        source = library.by_id[e.role]
        rows.append(
            f'<tr data-rb-row="{escape(source.name.lower())} {escape(e.target.lower())}">'
            f'<th scope="row" data-sort="{escape(source.name.lower())}">{role_link(library, e.role)}</th>'
            f'<td>{escape(e.trigger)}</td><td data-sort="{escape(e.target)}">{_target(library, e)}</td>'
            f"<td>{escape(e.action)}</td>"
            f'<td><a href="{role_href(e.role, e.anchor)}">{escape(e.path.rsplit("/", 1)[-1])}:{e.line}</a></td></tr>'
        )
    pivot: dict[str, dict[str, int]] = {}
    for e in escalations:
        pivot.setdefault(e.target, {}).setdefault(e.role, 0)
        pivot[e.target][e.role] += 1
    pivot_rows = []
    for target in sorted(pivot, key=lambda t: (t == "unspecified", t)):
        is_role = target in library.by_id
        receiver = role_link(library, target) if is_role else f'<span class="rb-person">{escape(target)}</span>'
        senders = ", ".join(
            f"{role_link(library, source)} ({count})" for source, count in sorted(pivot[target].items())
        )
        pivot_rows.append(f'<tr><th scope="row">{receiver}</th><td>{senders}</td></tr>')
    csv = urls.page_href(urls.matrix_file("escalations.csv")) if part else "escalations.csv"
    return (
        WIDE_PAGE
        + (part.heading("Escalation matrix") if part else "# Escalation matrix\n\n")
        + "Every escalation trigger in the documents: the lines of Escalation sections, and any line that "
        "says to escalate, to stop and ask, or what to do when blocked. *Escalates to* is the role the "
        'line names, else the person it names ("the user"), else *unspecified*. '
        f"[CSV]({csv}).\n\n"
        f"{_tools('rb-escalations', 'Filter roles…')}\n\n"
        + slots.add(
            '<div class="rb-matrix-wrap"><table class="rb-matrix rb-list" id="rb-escalations"><thead><tr>'
            '<th data-rb-sort scope="col">Role</th><th scope="col">Trigger</th><th data-rb-sort scope="col">'
            'Escalates to</th><th scope="col">Action / channel</th><th scope="col">Source</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )
        + "\n\n## Who receives escalations from whom { #pivot }\n\n"
        + slots.add(
            '<div class="rb-matrix-wrap"><table class="rb-matrix rb-list"><thead><tr><th scope="col">Receiver</th>'
            f'<th scope="col">From (triggers)</th></tr></thead><tbody>{"".join(pivot_rows)}</tbody></table></div>'
        )
        + "\n"
    )


def graph_edges(library: Library) -> dict[tuple[str, str, str], int]:
    """Lines per (source, target, type) of the relation types the graph draws, sorted."""
    keys = {kind.key for kind in library.relation_types.drawn}
    edges: dict[tuple[str, str, str], int] = {}
    for relation in library.relations:
        if relation.type in keys and relation.source != relation.target:
            key = (relation.source, relation.target, relation.type)
            edges[key] = edges.get(key, 0) + 1
    return dict(sorted(edges.items()))


def _edge_path(start: tuple[int, int], end: tuple[int, int], order: int) -> str:
    """A curve from node to node, stopping short of both circles. It bends to its left, more
    the longer it is, so it clears the roles in between on its row or column, and the two
    directions between a pair of roles (and each relation type: `order` is its place among
    the drawn types) take a curve of their own."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1
    ux, uy = dx / length, dy / length
    bend = 0.12 * length + 6 * order
    sx, sy = x1 + ux * NODE_RADIUS * 1.6, y1 + uy * NODE_RADIUS * 1.6
    ex, ey = x2 - ux * NODE_RADIUS * 1.6, y2 - uy * NODE_RADIUS * 1.6
    cx, cy = (sx + ex) / 2 + uy * bend, (sy + ey) / 2 - ux * bend
    return f"M{sx:.0f} {sy:.0f}Q{cx:.0f} {cy:.0f} {ex:.0f} {ey:.0f}"


def graph_page(
    library: Library, slots: Slots, part: Part | None = None, edges: dict[tuple[str, str, str], int] | None = None
) -> str:
    """Markdown of the relations graph: an SVG laid out and drawn here (no script, no network
    needed to see it), focus, filters, pan and zoom that a small script adds, and the same
    facts as a table. Every role with a relation the graph draws is in the picture; the
    others are listed under it. The relation types drawn, their colours and which show at
    first are the build's (`relations.yml`), the colours set as CSS custom properties.

    One `part` of the graph draws its group's roles, the relations between them and the
    roles no document defines that they name; its table lists every relation from or to them
    (`edges`: `graph_edges`, or the share of it that touches the part)."""
    types = library.relation_types.drawn
    edges = listed = graph_edges(library) if edges is None else edges
    if part is not None:
        listed = {key: n for key, n in edges.items() if key[0] in part.roles or key[1] in part.roles}
        edges = {
            (s, t, k): n
            for (s, t, k), n in listed.items()
            if s in part.roles and (t in part.roles or library.by_id[t].status is not RoleStatus.DEFINED)
        }
    drawn = sorted({role_id for source, target, _ in edges for role_id in (source, target)})
    index = {role_id: i for i, role_id in enumerate(drawn)}
    placed = layout(
        [library.by_id[role_id].name for role_id in drawn],
        sorted({(index[source], index[target]) for source, target, _ in edges}),
    )
    position = dict(zip(drawn, placed.positions, strict=True))
    margin = GRAPH_MARGIN
    shown = {t.key for t in types if t.shown}
    # Fewer edges show stronger: at 400 roles several thousand lines would otherwise be a wall.
    visible = sum(1 for _, _, kind in edges if kind in shown)
    opacity = min(0.75, max(0.15, 0.75 * math.sqrt(120 / max(visible, 1))))
    # One group per relation type: its colour, arrowhead and visibility are set once, on the group.
    groups = []
    for order, kind in enumerate(types):
        paths = "".join(
            f'<path class="rb-edge" data-source="{escape(source)}" data-target="{escape(target)}" '
            f'd="{_edge_path(position[source], position[target], order)}"'
            + (f' stroke-width="{min(1 + count * 0.5, 4):.1f}"' if count > 1 else "")
            + "/>"
            for (source, target, type_), count in edges.items()
            if type_ == kind.key
        )
        hidden = "" if kind.key in shown else "; display:none"
        groups.append(
            f'<g class="rb-edge-group" data-type="{kind.key}" style="{_colour(kind)}{hidden}" '
            f'marker-end="url(#rb-arrow-{kind.key})">{paths}</g>'
        )
    nodes = []
    for role_id in drawn:
        x, y = position[role_id]
        role = library.by_id[role_id]
        css = "rb-node" if role.status is RoleStatus.DEFINED else "rb-node rb-node--undefined"
        # `xlink:href`, not `href`: Material's instant navigation makes every relative
        # `[href]` absolute by assigning `element.href`, which an SVG <a> only has a getter
        # for (an SVGAnimatedString), so a plain `href` here throws a TypeError on every load.
        nodes.append(
            f'<g class="{css}" data-role="{escape(role_id)}"><a xlink:href="{role_href(role_id)}">'
            f'<circle cx="{x}" cy="{y}" r="{NODE_RADIUS}"/>'
            f'<text x="{x + LABEL_OFFSET}" y="{y + 4}">{escape(role.name)}</text></a></g>'
        )
    markers = "".join(
        f'<marker id="rb-arrow-{t.key}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" '
        f'markerWidth="9" markerHeight="9" orient="auto-start-reverse" style="{_colour(t)}">'
        '<path d="M 0 0 L 10 5 L 0 10 z"/></marker>'
        for t in types
    )
    width, height = placed.width + 2 * margin, placed.height + 2 * margin
    svg = (
        f'<svg class="rb-graph" id="rb-graph" viewBox="{-margin} {-margin} {width} {height}" width="{width}" '
        f'height="{height}" style="max-width: {round(width * 1.4)}px" role="img" '
        f'aria-label="Relations between {len(drawn)} roles (the table below lists them)">'
        f'<defs>{markers}</defs><g class="rb-edges" style="--rb-edge-opacity: {opacity:.2f}">'
        f'{"".join(groups)}</g><g class="rb-nodes">{"".join(nodes)}</g></svg>'
    )
    toggles = "".join(
        f'<label class="rb-toggle"><input type="checkbox" data-rb-edge="{t.key}"'
        f'{" checked" if t.key in shown else ""}> <span class="rb-key" style="{_colour(t)}"></span> '
        f"{escape(t.label)}</label>"
        for t in types
    )
    options = "".join(
        f'<option value="{escape(r)}">{escape(library.by_id[r].name)}</option>'
        for r in sorted(drawn, key=lambda r: (library.by_id[r].name.lower(), r))
    )
    figure = (
        '<div class="rb-graph-figure" id="rb-graph-figure"><div class="rb-tools rb-graph-tools" hidden>'
        f'<select data-rb-focus="rb-graph" aria-label="Focus on a role"><option value="">All roles</option>'
        f"{options}</select>{toggles}</div>"
        '<div class="rb-graph-bar"><p class="rb-graph-status" aria-live="polite"></p></div>'
        f'<div class="rb-graph-frame">{svg}</div></div>'
    )
    if not drawn:
        figure = '<p class="rb-graph-empty">No document names another role with one of these relations yet.</p>'
    others = [role for role in library.roles if role.id not in index and (part is None or role.id in part.roles)]
    unrelated = ""
    if others:
        unrelated = (
            f"\n\n{len(others)} role{'s have' if len(others) != 1 else ' has'} none of these relations"
            + (" within the group" if part else "")
            + ", so "
            f"{'they are' if len(others) != 1 else 'it is'} not in the picture: "
            + ", ".join(role_link(library, role.id) for role in others)
            + ".\n"
        )
    table_rows = "".join(
        f"<tr><td>{role_link(library, s, 'works-with')}</td><td>{escape(library.relation_types[k].label)}</td>"
        f"<td>{role_link(library, t)}</td><td>{count}</td></tr>"
        for (s, t, k), count in listed.items()
    )
    return (
        WIDE_PAGE
        + (part.heading("Relations graph") if part else "# Relations graph\n\n")
        + f"Who {escape(_listed([t.label for t in types if t.shown]))} whom: {len(drawn)} roles, as their "
        "documents say it. Arrows point from the role whose documents say it to the role they name; thicker means more "
        "lines say so; grey nodes are roles no document defines; roles that work together are drawn near "
        "each other. Pick or click a role to focus on it and its neighbours (click it again to open its "
        "page); drag to move, Ctrl + scroll or the buttons to zoom. The [table below](#table) has the same "
        + ("facts, and the relations to and from other groups.\n\n" if part else "facts.\n\n")
        + f"{slots.add(figure)}{unrelated}\n\n## As a table {{ #table }}\n\n"
        f"{_tools('rb-edges', 'Filter by role or relation…')}\n\n"
        + slots.add(
            '<div class="rb-matrix-wrap"><table class="rb-matrix rb-list" id="rb-edges"><caption>Every relation '
            "the graph draws: from, type, to, and how many lines say it</caption><thead><tr>"
            '<th data-rb-sort scope="col">From</th><th data-rb-sort scope="col">Relation</th>'
            '<th data-rb-sort scope="col">To</th><th data-rb-sort scope="col">Lines</th></tr></thead>'
            f"<tbody>{table_rows}</tbody></table></div>"
        )
        + "\n"
    )


def _colour(kind: RelationTypeSpec) -> str:
    """The `style` that gives a drawn relation type its colour (`--rb-edge-colour`, which
    `rolebook.css` applies to the type's curves, arrowheads and legend key)."""
    return f"--rb-edge-colour: {kind.colour}"


def _listed(labels: list[str]) -> str:
    """ "delegates to, hands off to and escalates to"."""
    return " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)
