"""Model -> Markdown pages. Templates live in `templates/`; everything taken from a document
is escaped on the way in (`md` / `cell` filters, autoescape), so no document text can
become markup on a generated page."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from rolebook import urls
from rolebook.library import Library
from rolebook.model import (
    Document,
    Finding,
    Level,
    Relation,
    RelationTypes,
    RelationTypeSpec,
    Role,
    RoleStatus,
    Section,
)
from rolebook.names import counted, description_anchor, slugify
from rolebook.read.facts import FactValue, role_facts
from rolebook.read.text import CONTROL
from rolebook.render.markdown import line_link, protect, text_paragraphs
from rolebook.render.mentions import link_mentions, role_link
from rolebook.render.slots import Slots
from rolebook.urls import SOURCE_HREF, role_href
from rolebook.vocabulary import SectionMeaning, Vocabulary

_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!<>&]")
"""Python-Markdown's escapable characters, plus what must become an entity (`<`, `>`, `&`)."""
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def md_inline(text: object) -> Markup:
    """Escape text for a Markdown paragraph or heading: shown literally, never as markup.

    Line breaks are folded into spaces, so the text stays one paragraph.
    """
    value = " ".join(str(text).split())
    escaped = _MD_SPECIAL.sub(lambda m: _ENTITIES.get(m[0], "\\" + m[0]), value)
    if escaped.startswith(":"):
        escaped = "&#58;" + escaped[1:]  # a leading ": " would start a definition list
    return Markup(escaped)


def md_cell(text: object) -> Markup:
    """Like `md_inline`, for a table cell: `|` is escaped too, so it cannot split the cell."""
    return Markup(md_inline(text).replace("|", "\\|"))


def shorten(text: object, limit: int = 240) -> str:
    """Cut text at a word boundary near `limit` characters, with an ellipsis."""
    value = " ".join(str(text).split())
    if len(value) <= limit:
        return value
    return value[:limit].rsplit(" ", 1)[0] + "…"


_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters.update(
    md=md_inline,
    cell=md_cell,
    shorten=shorten,
    oneline=lambda text: " ".join(str(text).split()),
    page_href=urls.page_href,
    role_page_href=lambda role_id: urls.page_href(urls.role_page(role_id)),
    guide_href=urls.guide_href,
)
_ENV.globals["urls"] = urls


@dataclass
class Block:
    """A heading and what is under it on a role page."""

    level: int
    title: str
    anchor: str
    document: Document | None
    line: int | None
    body: Markup
    note: str = ""
    """What the source calls this part when it is not a heading (`front matter`, `introduction`)."""
    heading_slug: str = ""
    """Slug of the source heading (as a link written in another document would name it)."""
    line_link: Markup = Markup("")
    """For a subheading under a block of the same document: the link to its line, shown in the
    heading instead of a second "From …" line."""


@dataclass
class PageSection:
    """A canonical section (or an unmapped source section) of a role page."""

    title: str
    anchor: str
    blocks: list[Block] = field(default_factory=list)


def document_anchor(document: Document) -> str:
    """Anchor of a document on its role's sources page (`role-md` for `ROLE.md`)."""
    return slugify(document.name)


@dataclass(frozen=True)
class _Linker:
    """What `_body` needs on one role's page: mentions to link, and where fragments go."""

    slots: Slots
    library: Library | None = None
    role: Role | None = None
    names: dict[str, tuple[str, bool]] = field(default_factory=dict)
    anchors: dict[tuple[str, str], str] = field(default_factory=dict)
    """Filled while the page is built: `(document path on disk, heading slug)` -> anchor of the
    block holding that heading, so links written between documents land on the right part."""
    mention_lines: frozenset[tuple[str, int]] = frozenset()
    """`(path, line)` of every line where `relate` found another role named: only sections
    holding one need their HTML scanned for links."""
    borrowed: tuple[tuple[Document, int, str], ...] = ()
    """Sections of other roles' multi-role documents that belong on this page."""


def _mentions_in(section: Section, document: Document, mention_lines: frozenset[tuple[str, int]]) -> bool:
    return any((document.path, part[0]) in mention_lines for item in section.items for part in item.parts)


def _provenance(document: Document, line: int | None, note: str, sources_href: str) -> str:
    """ "From ROLE.md, line 9 · role": where a block comes from, linked to the source view."""
    target = f"{sources_href}#{document_anchor(document)}" + (f"-L{line}" if line else "")
    where = html.escape(document.name) + (f", line {line}" if line else "")
    extra = f" · {html.escape(note)}" if note else ""
    return (
        f'<p class="rb-from" data-search-exclude>From <a href="{target}">{where}</a> · '
        f"{html.escape(document.kind.value)}{extra}</p>\n"
    )


def _line_link(document: Document, line: int | None, sources_href: str) -> Markup:
    if not line:
        return Markup("")
    return Markup(" " + line_link(document.name, line, f"{sources_href}#{document_anchor(document)}-L{line}"))


def _body(
    section: Section,
    document: Document,
    sources_href: str,
    linker: _Linker,
    note: str = "",
    lead: str = "",
    provenance: bool = True,
) -> Markup:
    """A source section's HTML, its mentions linked, under the line that says where it comes
    from (`provenance`; a subsection of a block already headed by its document goes without)."""
    # only the chips' hrefs: a document may well say "rolebook:source#L" in its text
    fragment = section.html.replace(f'href="{SOURCE_HREF}', f'href="{sources_href}#{document_anchor(document)}-L')
    lexicon = linker.library.lexicon if linker.library is not None else None
    own = linker.role is not None and document in linker.role.documents
    if (
        lexicon is not None
        and linker.role is not None
        and (not own or _mentions_in(section, document, linker.mention_lines))
    ):
        fragment = link_mentions(fragment, lexicon, linker.role.id, linker.names)
    body = f'<div class="rb-body">\n{fragment}</div>' if fragment.strip() else ""
    origin = _provenance(document, section.line, note, sources_href) if provenance else ""
    return Markup(origin + lead + body)


def role_names(library: Library) -> dict[str, tuple[str, bool]]:
    """Role id -> (display name, defined by a document?)."""
    return {role.id: (role.name, role.status is RoleStatus.DEFINED) for role in library.roles}


def role_sections(role: Role, vocabulary: Vocabulary, sources_href: str, linker: _Linker) -> list[PageSection]:
    """The role page's sections: canonical ones in vocabulary order, then each unmapped
    source section under its own title. Each source section lands exactly once."""
    canonical: dict[str, PageSection] = {spec.key: PageSection(spec.title, spec.key) for spec in vocabulary.sections}
    unmapped: list[PageSection] = []
    used: set[str] = set(canonical)

    def unique(anchor: str) -> str:
        candidate, counter = anchor, 2
        while candidate in used:
            candidate = f"{anchor}-{counter}"
            counter += 1
        used.add(candidate)
        return candidate

    for document in role.documents:
        doc_slug = document_anchor(document)
        if document.description:
            mission = SectionMeaning.MISSION
            canonical.setdefault(mission, PageSection(vocabulary.title_of(mission), mission))
            canonical[mission].blocks.append(
                Block(
                    3,
                    "Description",
                    unique(description_anchor(document.name)),
                    document,
                    None,
                    Markup(
                        _provenance(document, None, "front matter", sources_href)
                        + f'<div class="rb-body">\n{text_paragraphs(document.description)}</div>'
                    ),
                    note="front matter",
                )
            )
        sections = document.sections
        head_of: list[int] = []
        depth_of: list[int] = []
        for index, section in enumerate(sections):
            parent = section.parent
            inherits = parent is not None and sections[parent].canonical == section.canonical
            head_of.append(head_of[parent] if inherits else index)  # type: ignore[index]
            depth_of.append(depth_of[parent] + 1 if inherits else 0)  # type: ignore[index]
        has_members = {head for index, head in enumerate(head_of) if head != index}
        has_children = {s.parent for s in sections if s.parent is not None}
        home: dict[int, PageSection] = {}
        for index, section in enumerate(sections):
            head = head_of[index]
            if head == index and not section.html.strip() and index in has_children and index not in has_members:
                continue  # an empty heading whose subsections all map elsewhere: its title is in their paths
            if section.level == 0:
                title, note, slug = section.title, "introduction", "intro"
            else:
                title = " › ".join(section.path) if head == index else section.title
                note, slug = "", slugify("-".join(section.path))
            # a subsection continues its parent's block: the document is named once, above it
            nested = depth_of[index] > 0
            body = _body(section, document, sources_href, linker, note, provenance=not nested)
            if head == index and section.canonical is None:
                home[index] = PageSection(title, unique(f"{doc_slug}--{slug}"))
                unmapped.append(home[index])
                home[index].blocks.append(
                    Block(0, title, home[index].anchor, document, section.line, body, note, slugify(section.title))
                )
                continue
            if head == index:
                key = section.canonical or ""
                home[index] = canonical.setdefault(key, PageSection(vocabulary.title_of(key), unique(key)))
            base = 2 if section.canonical is None else 3
            home[head].blocks.append(
                Block(
                    min(base + depth_of[index], 6),
                    title,
                    unique(f"{section.canonical or 'other'}--{doc_slug}--{slug}"),
                    document,
                    section.line,
                    body,
                    note,
                    slugify(section.title) if section.level else "",
                    _line_link(document, section.line, sources_href) if nested else Markup(""),
                )
            )
    for document, start, owner in linker.borrowed:
        # a section of another role's multi-role document, with its subsections
        doc_slug = document_anchor(document)
        owner_href = urls.page_href(urls.sources_page(owner))
        lead = (
            f'<p class="rb-from" data-search-exclude>Part of <a href="{role_href(owner)}">'
            f"{html.escape(document.title)}</a>, which describes several roles.</p>\n"
        )
        top = document.sections[start]
        page_section = PageSection(f"From {document.title}", unique(f"from--{doc_slug}--{slugify(top.title)}"))
        page_section.blocks.append(
            Block(
                0,
                top.title,
                page_section.anchor,
                document,
                top.line,
                _body(top, document, owner_href, linker, "section for this role", lead),
                "",
                slugify(top.title),
            )
        )
        end = start + 1
        while end < len(document.sections) and document.sections[end].level > top.level:
            sub = document.sections[end]
            page_section.blocks.append(
                Block(
                    min(3 + sub.level - top.level - 1, 6),
                    sub.title,
                    unique(f"from--{doc_slug}--{slugify('-'.join(sub.path))}"),
                    document,
                    sub.line,
                    _body(sub, document, owner_href, linker, provenance=False),
                    "",
                    slugify(sub.title),
                    _line_link(document, sub.line, owner_href),
                )
            )
            end += 1
        unmapped.append(page_section)
    page_sections = [s for s in canonical.values() if s.blocks] + unmapped
    for page_section in page_sections:
        for block in page_section.blocks:
            if block.document is not None and block.heading_slug:
                linker.anchors.setdefault((block.document.abs_path, block.heading_slug), block.anchor)
    return page_sections


def _role_link(library: Library, role_id: str) -> str:
    defined = library.by_id[role_id].status is RoleStatus.DEFINED
    return role_link(library, role_id) + ("" if defined else " <small>(not defined)</small>")


def _relations_table(library: Library, relations: list[Relation], outgoing: bool) -> str:
    """The Works with (outgoing) or Referenced by (incoming) table of a role page."""
    types = library.relation_types
    rows = []
    for relation in relations:
        sentence = html.escape(shorten(relation.sentence, 160))
        if outgoing:
            cells = (
                html.escape(types[relation.type].label),
                _role_link(library, relation.target),
                f'<a href="#{relation.anchor}">{sentence}</a>' if relation.anchor else sentence,
            )
        else:
            cells = (
                _role_link(library, relation.source),
                html.escape(types[relation.type].label),
                f'<a href="{role_href(relation.source, relation.anchor)}">{sentence}</a>',
            )
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    head = ("Relation", "Role", "Where the documents say so") if outgoing else ("Role", "Relation", "Sentence")
    return (
        '<table class="rb-relations" data-search-exclude><thead><tr>'
        + "".join(f"<th>{h}</th>" for h in head)
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _chips(values: list[str]) -> str:
    return " ".join(f'<span class="rb-chip">{html.escape(v)}</span>' for v in values)


def _fact_html(value: FactValue) -> str:
    """Lists as chips, mappings as `key: value` chips, text as text."""
    if isinstance(value, list):
        return _chips(value)
    if isinstance(value, dict):
        return _chips([f"{k}: {v}" for k, v in value.items()])
    return html.escape(value)


def facts_table(role: Role) -> str:
    """The role's facts (`rolebook.read.facts`) as an HTML table; empty when there are none."""
    body = "".join(
        f'<tr><th scope="row">{html.escape(fact.title)}</th><td>{_fact_html(fact.value)}</td>'
        f"<td><small>{html.escape(fact.source.rsplit('/', 1)[-1])}</small></td></tr>"
        for fact in role_facts(role)
    )
    return f'<table class="rb-facts"><tbody>{body}</tbody></table>' if body else ""


def _grouped(relations: list[Relation], types: RelationTypes) -> list[tuple[RelationTypeSpec, list[Relation]]]:
    """The relations of each type, in the types' order (types with none left out)."""
    groups = [(kind, [r for r in relations if r.type == kind.key]) for kind in types]
    return [(kind, members) for kind, members in groups if members]


def role_page(
    role: Role,
    library: Library,
    vocabulary: Vocabulary,
    sources_href: str,
    names: dict[str, tuple[str, bool]],
    slots: Slots,
    anchors: dict[tuple[str, str], str] | None = None,
    borrowed: list[tuple[Document, int, str]] | None = None,
    parts: str = "",
) -> str:
    """Markdown of `/roles/<id>/`: a defined role's merged documents, or what is known of a
    role no document defines. A defined role's page is HTML below its title, kept in `slots`
    (with its headings, for the table of contents); `anchors` receives where each source
    heading landed; `parts` is HTML leading to the role's group's part of each cross-role
    page, when a large library splits them."""
    incoming = library.incoming.get(role.id, [])
    if role.status not in (RoleStatus.DEFINED, RoleStatus.OVERVIEW):
        return _ENV.get_template("role_stub.md.j2").render(
            role=role,
            incoming=incoming,
            grouped=_grouped(incoming, library.relation_types),
            library=library,
            citing=sorted({r.source for r in incoming}),
        )
    stated = library.outgoing.get(role.id, []) if role.status is RoleStatus.DEFINED else library.overview_relations
    mention_lines = frozenset((r.path, r.line) for r in stated if r.source == role.id)
    linker = _Linker(
        slots, library, role, names, anchors if anchors is not None else {}, mention_lines, tuple(borrowed or ())
    )
    outgoing = [r for _, group in _grouped(library.outgoing.get(role.id, []), library.relation_types) for r in group]
    facts = facts_table(role)
    body = _ENV.get_template("role.html.j2").render(
        role=role,
        overview=role.status is RoleStatus.OVERVIEW,
        slots=slots,
        sources_href=sources_href,
        facts=Markup(facts) if facts else None,
        parts=Markup(parts),
        sections=role_sections(role, vocabulary, sources_href, linker),
        document_anchor=document_anchor,
        works_with=Markup(_relations_table(library, outgoing, True)) if outgoing else None,
        referenced_by=Markup(_relations_table(library, incoming, False)) if incoming else None,
    )
    return f"# {md_inline(role.name)}\n\n{slots.add(body, ids=False)}\n"


def gaps_page(library: Library) -> str:
    """Markdown of `/gaps/`: roles that are named or listed but that no document defines."""
    missing = [role for role in library.roles if role.status in (RoleStatus.LISTED, RoleStatus.REFERENCED)]
    return _ENV.get_template("gaps.md.j2").render(missing=missing, library=library, RoleStatus=RoleStatus)


def _source_lines(document: Document) -> str:
    anchor = document_anchor(document)
    # escaped whole, then split: neither the escapes nor the control characters replaced touch "\n"
    lines = html.escape(CONTROL.sub(chr(0xFFFD), document.text)).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rows = [
        f'<span class="rb-line" id="{anchor}-L{n}"><a class="rb-ln" href="#{anchor}-L{n}">{n}</a>{line}\n</span>'
        for n, line in enumerate(lines, start=1)
    ]
    return protect(f'<div class="rb-source highlight"><pre><code>{"".join(rows)}</code></pre></div>')


_SOURCES_FRONT_MATTER = "---\nsearch:\n  exclude: true\nhide:\n  - navigation\n---\n\n"


def sources_page(role: Role, raw_names: dict[str, str], slots: Slots, comparison: str = "") -> str:
    """Markdown of `/roles/<id>/sources/`: what each document says per topic (`comparison`,
    HTML), then every document as written with line anchors. Everything below the title is
    HTML kept in `slots`; `raw_names` maps a document's path to its raw copy's `src_uri`."""
    body = _ENV.get_template("sources.html.j2").render(
        role=role,
        slots=slots,
        role_href=urls.page_href(urls.role_page(role.id)),
        document_anchor=document_anchor,
        source_lines=lambda document: Markup(_source_lines(document)),
        raw_names={path: urls.page_href(src_uri) for path, src_uri in raw_names.items()},
        comparison=Markup(comparison),
    )
    return f"{_SOURCES_FRONT_MATTER}# {md_inline(role.name)}: sources\n\n{slots.add(body, ids=False)}\n"


def roles_index(roles: list[Role], heading: str = "") -> str:
    """Markdown of `/roles/`: one row per role (instead of hundreds of sidebar entries); or,
    under `heading` (title and lead of a part of it), of one group's roles."""
    overviews = [role for role in roles if role.status is RoleStatus.OVERVIEW]
    roles = [role for role in roles if role.status is not RoleStatus.OVERVIEW]
    return _ENV.get_template("roles_index.md.j2").render(
        roles=roles, overviews=overviews, RoleStatus=RoleStatus, summary=roles_summary(roles), heading=Markup(heading)
    )


def roles_summary(roles: list[Role]) -> Markup:
    """ "12 roles defined by documents, each merged into one page; 3 more that they name…"
    (Markdown), of `roles`, library documents left out."""
    by_status = {status: sum(1 for role in roles if role.status is status) for status in RoleStatus}
    parts = [f"{counted(by_status[RoleStatus.DEFINED], 'role')} defined by documents, each merged into one page"]
    if by_status[RoleStatus.REFERENCED]:
        parts.append(f"{by_status[RoleStatus.REFERENCED]} more that they name but no document defines yet")
    if by_status[RoleStatus.LISTED]:
        parts.append(f"{by_status[RoleStatus.LISTED]} only listed in a roster")
    return md_inline("; ".join(parts) + ".")


def role_cards(roles: list[Role], root: str, groups: list[tuple[str, str, int]] | None = None) -> str:
    """Material grid cards, one per role with documents, for the home page; `root` leads
    from the page to the site's top (`""` or `"../"`). With `groups` (title, `src_uri` of its
    part of the roles index, how many roles), for a library too large for a card per role,
    one card per group instead."""
    defined = [role for role in roles if role.status is RoleStatus.DEFINED]
    others = sum(1 for role in roles if role.status in (RoleStatus.LISTED, RoleStatus.REFERENCED))
    return _ENV.get_template("cards.md.j2").render(roles=defined, others=others, root=root, groups=groups or [])


def health_page(findings: list[Finding], file_count: int, roles: list[Role], slots: Slots) -> str:
    """Markdown of `/health/`: every finding of the build, worst first, each linked to the
    line in the source view when the document belongs to a role (the table goes to `slots`)."""
    views = {d.path: urls.page_href(urls.sources_page(r.id), document_anchor(d)) for r in roles for d in r.documents}
    order = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
    ordered = sorted(findings, key=lambda f: (order[f.level], f.path, f.line or 0, f.message))
    counts = {level: sum(1 for f in findings if f.level is level) for level in Level}
    rows = []
    for finding in ordered:
        where = html.escape(f"{finding.path}:{finding.line}" if finding.line else finding.path)
        if finding.path in views:
            target = views[finding.path] + (f"-L{finding.line}" if finding.line else "")
            where = f'<a href="{target}">{where}</a>'
        rows.append(
            f'<tr class="rb-{finding.level.value}"><td>{finding.level.value}</td><td>{where}</td>'
            f"<td>{html.escape(finding.message)}</td></tr>"
        )
    table = (
        '<table class="rb-relations rb-findings" data-search-exclude><thead>'
        "<tr><th>Level</th><th>Where</th><th>Message</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    findings_html = _ENV.get_template("health_findings.html.j2").render(
        findings=ordered,
        counts=counts,
        Level=Level,
        file_count=file_count,
        counted=counted,
        table=Markup(table),
    )
    # One fragment: the plugin renders it again with what the page events find later.
    return _ENV.get_template("health.md.j2").render(findings=slots.markup(findings_html.strip("\n"), ids=False))


def redirect_page(target: str, name: str) -> str:
    """A static page that sends an old role URL (a renamed id, an alias) to the role's page;
    the fragment is kept, so links to a section still land on it."""
    href = html.escape(target)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(name)}</title>\n"
        f'<link rel="canonical" href="{href}">\n<meta http-equiv="refresh" content="0; url={href}">\n'
        '<meta name="robots" content="noindex">\n</head>\n<body>\n'
        f'<p>This role’s page is now <a href="{href}">{html.escape(name)}</a>.</p>\n'
        f"<script>location.replace({json.dumps(target)} + location.hash)</script>\n</body>\n</html>\n"
    )
