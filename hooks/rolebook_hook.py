"""MkDocs hook: the only file `mkdocs.yml` names. It adapts MkDocs events to the plain
`rolebook` package beside it: read everything in `on_files`, add one generated page per
role, and report findings through MkDocs' logger so `--strict` counts them.

Settings live under `extra.rolebook` in `mkdocs.yml` (see the guide's "Site settings").
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from rolebook import Level, Library, lexical, load_library
from rolebook.cache import RESULTS
from rolebook.config import SettingsError, read_settings
from rolebook.export import csv_files, export_model, schema_text, to_json
from rolebook.library import Stopwatch
from rolebook.model import Document, Role, RoleStatus
from rolebook.names import slugify
from rolebook.read.markdown import FILE_HREF
from rolebook.read.sources import DOCUMENT_SUFFIXES, PARSE_CACHE, find_images
from rolebook.relate.lines import sections_for_other_roles
from rolebook.relate.rules import RelationRules
from rolebook.render import (
    gaps_page,
    health_page,
    redirect_page,
    role_cards,
    role_names,
    role_page,
    roles_index,
    sources_page,
)
from rolebook.render.mentions import broken_link, resolve_role_links
from rolebook.render.slots import Heading, Slots, without_search_excluded
from rolebook.render.views import (
    comparison_section,
    conflicts_page,
    escalations_page,
    graph_page,
    responsibility_matrix,
)
from rolebook.responsibilities.claims import ClaimRules
from rolebook.responsibilities.matrices import (
    Area,
    areas_for,
    claims_by_role,
    collect_claims,
    compare_sources,
    find_conflicts,
    unowned,
)
from rolebook.site import search
from rolebook.site.nav import Shelf, shelves
from rolebook.vocabulary import Vocabulary
from rolebook.workers import fork_map

log = get_plugin_logger("rolebook")

ROLE_CARDS_MARKER = "<!-- rolebook:role-cards -->"
"""Where a hand-written page (the home page) wants a card per role."""

_LOG_LEVELS = {Level.INFO: log.info, Level.WARNING: log.warning, Level.ERROR: log.error}


class _State:
    """What one build knows; reset in `on_config` because `mkdocs serve` reuses the module."""

    def __init__(self) -> None:
        self.roots: list[Path] = []
        self.base = Path()
        self.vocabulary: Vocabulary | None = None
        self.areas: list[Area] = []
        self.rules: RelationRules | None = None
        self.claim_rules: ClaimRules | None = None
        self.allow_html = False
        self.workers = 1
        """Processes that parse, relate and render large libraries (`extra.rolebook.workers`)."""
        self.cache: Path | None = None
        """Folder for what builds can share (`extra.rolebook.cache`), if any."""
        self.library: Library | None = None
        self.timings: dict[str, float] = {}
        """Seconds per phase of this build; logged at debug level, and written as JSON to
        the file named by ROLEBOOK_TIMINGS (for scripts/benchmark.py)."""
        self.anchors: dict[tuple[str, str], str] = {}
        """(document path on disk, heading slug) -> anchor on its role page."""
        self.targets: dict[str, File] = {}
        """Document or image path on disk -> the file that now holds it (role page, image copy)."""
        self.toc_depth = 6
        """Deepest heading level in a page's table of contents (the `toc` extension's `toc_depth`)."""
        self.slots: dict[str, Slots] = {}
        """Pre-rendered HTML of each generated page, by `src_uri`, swapped in by `on_page_content`."""
        self.full_content: str | None = None
        """A page's HTML while the search plugin indexes a lighter view of it."""
        self.search = "pagefind"
        """What answers the search box (`extra.rolebook.search`); "" when the site has no search."""
        self.search_pages: list[str] = []
        """Where the pages Pagefind indexes are in the site (`dest_uri`)."""
        self.searchable: dict[str, bool] = {}
        """Pages Pagefind indexes, by `src_uri`: whether each is a role's page (ranked first)."""


_state = _State()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _state
    _state = _State()
    _release_previous_build()
    _state.base = Path(config.config_file_path or ".").resolve().parent
    try:
        settings = read_settings(dict(config.extra or {}).get("rolebook"), _state.base)
    except SettingsError as error:
        raise PluginError(str(error)) from error
    _state.roots = list(settings.roots)
    _state.vocabulary, _state.rules, _state.areas = settings.vocabulary, settings.rules, settings.areas
    _state.claim_rules = settings.claims
    _state.allow_html, _state.workers = settings.allow_html, settings.workers
    _state.search = settings.search if "material/search" in config.plugins or "search" in config.plugins else ""
    if settings.cache is not None:
        try:
            (settings.cache / "templates").mkdir(parents=True, exist_ok=True)
            _state.cache = settings.cache
            lexical.use_cache(settings.cache)
        except OSError as error:
            log.warning(f"{settings.cache}: cannot create the cache folder ({error.strerror}); building without it")
    _state.toc_depth = _toc_depth((config.mdx_configs or {}).get("toc", {}).get("toc_depth", 6))
    for root in _state.roots:
        if not root.is_dir():
            log.warning(f"{root}: source folder does not exist; no roles are read from it")
    return config


_UNBOUNDED_CACHES = (
    ("mkdocstrings_handlers.python._internal.rendering", "_test_existing_template"),
    ("griffe._internal.extensions.dataclasses", "_dataclass_parameters"),
)
"""`functools.cache`s of the API reference's libraries (mkdocstrings-python 2.0, griffe)
keyed by per-build objects (a Jinja environment, a loaded class)."""


def _release_previous_build() -> None:
    """Let `mkdocs serve` free the previous build.

    Through `_UNBOUNDED_CACHES`, every earlier build's environment, handler, autorefs plugin,
    loaded API and pages stayed alive: under `mkdocs serve` each rebuild kept ~30,000 more
    objects and ran a few per cent slower than the one before. Emptying those caches when a
    build starts lets them go; a later version without them needs nothing."""
    for module_name, function in _UNBOUNDED_CACHES:
        module = sys.modules.get(module_name)
        cache_clear = getattr(getattr(module, function, None), "cache_clear", None)
        if cache_clear is not None:
            cache_clear()


def _toc_depth(value: object) -> int:
    """The deepest level the `toc` extension lists: `toc_depth` is a number or a range `"2-3"`."""
    try:
        return int(str(value).rsplit("-", 1)[-1])
    except ValueError:
        return 6


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _state.vocabulary is not None
    started = time.perf_counter()
    docs_dir = Path(config.docs_dir).resolve()
    library = load_library(
        _state.roots,
        _state.base,
        _state.vocabulary,
        _state.rules,
        cache=PARSE_CACHE,
        timings=_state.timings,
        allow_html=_state.allow_html,
        is_page=lambda path: _site_page(path, files, docs_dir) is not None,
        workers=_state.workers,
    )
    log.debug(f"read {len(library.documents)} documents: {PARSE_CACHE.parsed} parsed, {PARSE_CACHE.reused} unchanged")
    clock = Stopwatch(_state.timings)
    _state.library = library
    for finding in library.findings:
        where = f"{finding.path}:{finding.line}" if finding.line else finding.path
        _LOG_LEVELS[finding.level](f"{where}: {finding.message}")

    # The raw documents are merged into role pages, not published as pages of their own.
    for source in library.sources:
        try:
            src_uri = source.abs_path.resolve().relative_to(docs_dir).as_posix()
        except ValueError:
            continue
        raw = files.get_file_from_path(src_uri)
        if raw is not None:
            files.remove(raw)

    hidden = InclusionLevel.NOT_IN_NAV
    names = role_names(library)
    borrowed = sections_for_other_roles(library.roles, library.lexicon, library.multi_role) if library.lexicon else {}
    assert _state.claim_rules is not None
    choice = areas_for(library, _state.vocabulary, _state.areas, _state.claim_rules)
    areas = choice.areas
    log.info(f"rolebook: responsibility areas: {choice.reason}")
    claims = collect_claims(library, _state.vocabulary, areas, _state.workers, RESULTS, _state.claim_rules)
    own_claims = claims_by_role(claims)
    clock.lap("responsibility claims")

    def publish(src_uri: str, markdown: str, slots: Slots, inclusion: InclusionLevel = hidden) -> None:
        _state.slots[src_uri] = slots
        _add(files, File.generated(config, src_uri, content=markdown, inclusion=inclusion))

    # Every role page sits at roles/<id>/ beside its sources page: the relative links between
    # them are the same for all, and are written while the pages are rendered.
    def url_of(src_uri: str) -> str:
        return File.generated(config, src_uri, content="").url

    relative_sources = get_relative_url(url_of("roles/x/sources.md"), url_of("roles/x/index.md"))
    sibling = "rolebook-sibling"
    pages = ("roles/x/index.md", "roles/x/sources.md")
    to_role = {page: get_relative_url(url_of(f"roles/{sibling}/index.md"), url_of(page)) for page in pages}
    to_own_role = {page: get_relative_url(url_of("roles/x/index.md"), url_of(page)) for page in pages}

    def role_links(slots: Slots, page: str, own: str) -> None:
        """Resolve the links to role pages in `slots` of role `own`'s `page` (as laid out for x)."""
        before, after = to_role[page].split(sibling)

        def url(role_id: str) -> str | None:
            if role_id == own:
                return to_own_role[page]
            return f"{before}{quote(role_id)}{after}" if role_id in library.by_id else None

        slots.rewrite(lambda html: resolve_role_links(html, url))
        slots.anchor_ids()

    def render_role(role: Role) -> tuple[str, Slots, tuple[str, Slots] | None, dict[tuple[str, str], str]]:
        """A role's page, its sources page (defined roles), and where source headings landed."""
        anchors: dict[tuple[str, str], str] = {}
        sources = None
        if role.status in (RoleStatus.DEFINED, RoleStatus.OVERVIEW):
            slots = Slots()
            comparison = ""
            if len(role.documents) > 1:
                paths = {d.path for d in role.documents}  # what its own documents say, side by side
                mine = [c for c in own_claims.get(role.id, []) if c.path in paths and not c.by]
                rows = compare_sources(role, mine, areas)
                comparison = comparison_section(library, role, rows, areas, slots)
            raw_names = {document.path: _raw_uri(role, document) for document in role.documents}
            sources = (sources_page(role, raw_names, slots, comparison), slots)
            role_links(slots, "roles/x/sources.md", role.id)
        slots = Slots()
        sources_href = relative_sources if sources is not None else ""
        assert _state.vocabulary is not None
        page = role_page(role, library, _state.vocabulary, sources_href, names, slots, anchors, borrowed.get(role.id))
        role_links(slots, "roles/x/index.md", role.id)
        return page, slots, sources, anchors

    roles = list(library.roles)
    rendered = fork_map(
        lambda start, stop: [render_role(r) for r in roles[start:stop]], len(roles), _state.workers, 100
    )
    for role, (page, slots, sources, anchors) in zip(roles, rendered, strict=True):
        if sources is not None:
            for document in role.documents:
                _add(files, File.generated(config, _raw_uri(role, document), abs_src_path=document.abs_path))
            publish(f"roles/{role.id}/sources.md", *sources)
        publish(f"roles/{role.id}/index.md", page, slots)
        for key, anchor in anchors.items():
            _state.anchors.setdefault(key, anchor)
        role_file = files.get_file_from_path(f"roles/{role.id}/index.md")
        for document in role.documents:
            if role_file is not None:
                _state.targets[document.abs_path] = role_file

    clock.lap("role pages")

    # Images in the sources are published, so documents keep showing them.
    for number, (root, image) in enumerate(find_images(_state.roots)):
        copy = File.generated(
            config, f"assets/sources/{number}-{image.relative_to(root).as_posix()}", abs_src_path=str(image)
        )
        _add(files, copy)
        _state.targets[str(image)] = copy

    # Old ids and aliases keep working: a static redirect page at /roles/<old>/.
    taken = {role.id for role in library.roles}
    for role in library.roles:
        for old in role.redirect_ids():
            if old in taken:
                continue
            taken.add(old)
            target = get_relative_url(
                File.generated(config, f"roles/{role.id}/index.md", content="").url, f"roles/{old}/"
            )
            _add(files, File.generated(config, f"roles/{old}/index.html", content=redirect_page(target, role.name)))

    shown = InclusionLevel.UNDEFINED
    _add(files, File.generated(config, "roles/index.md", content=roles_index(list(library.roles))))
    _add(files, File.generated(config, "gaps.md", content=gaps_page(library)))
    conflicts = find_conflicts(claims, areas)
    for src_uri, render in (
        ("conflicts.md", lambda slots: conflicts_page(library, conflicts, areas, unowned(claims, areas), slots)),
        (
            "matrices/responsibilities.md",
            lambda slots: responsibility_matrix(library, claims, areas, choice.reason, slots),
        ),
        ("matrices/escalations.md", lambda slots: escalations_page(library, slots)),
        ("matrices/graph.md", lambda slots: graph_page(library, slots)),
    ):
        slots = Slots()
        publish(src_uri, render(slots), slots, shown)
    clock.lap("matrix pages")
    model = export_model(library, claims, conflicts, areas)
    _add(files, File.generated(config, "roles.json", content=to_json(model)))
    _add(files, File.generated(config, "roles.schema.json", content=schema_text(library.relation_types)))
    if _state.search == "pagefind":
        _add(files, File.generated(config, search.WORKER_URI, abs_src_path=str(search.WORKER_SOURCE)))
    for name, text in csv_files(model).items():
        _add(files, File.generated(config, f"matrices/{name}", content=text))
    slots = Slots()
    health = health_page(list(library.findings), len(library.sources), list(library.roles), slots)
    publish("health.md", health, slots, shown)
    clock.lap("export and health")
    _state.timings["on_files"] = time.perf_counter() - started
    return files


ROLES_INDEX = "roles/index.md"
"""The roles index: where `mkdocs.yml`'s `nav` lists it (else at the end), it becomes a section
holding every role, the index its own page."""


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """List every role in the navigation, under the roles index, grouped (`rolebook.site.nav`).
    Material then shows the list in the sidebar of role pages, the current role highlighted,
    other groups collapsed (pruned).

    Sources pages are left out: each is linked from its role page and from the roles index.
    Listed under their roles they would carry the role list too, doubling what the
    navigation costs a build (measured: +1.8 s instead of +0.9 s at 300 roles)."""
    if _state.library is None:
        return nav
    listed = shelves(_state.library)

    # Titles: a page's comes from its `# heading` (escaped text), a section's is escaped here;
    # Material writes both into the navigation as HTML.
    def role_item(role: Role) -> StructureItem | None:
        file = files.get_file_from_path(f"roles/{role.id}/index.md")
        return None if file is None else _ListedPage(None, file, config)

    def shelf_item(shelf: Shelf) -> Section:
        def items(roles: tuple[Role, ...]) -> list[StructureItem]:
            return [item for item in map(role_item, roles) if item is not None]

        groups: list[StructureItem] = [Section(html.escape(group.title), items(group.roles)) for group in shelf.groups]
        return Section(shelf.title, items(shelf.roles) + groups)

    index = files.get_file_from_path(ROLES_INDEX)
    if index is None:
        return nav

    def roles_section(index_page: Page) -> Section:
        return Section(index_page.title or "Roles", [index_page, *map(shelf_item, listed)])

    if not _replace_page(nav.items, index, roles_section):
        nav.items.append(roles_section(Page("Roles", index, config)))
    _link_navigation(nav)
    return nav


def _replace_page(items: list[StructureItem], file: File, replace: Callable[[Page], StructureItem]) -> bool:
    """Put `replace(page)` where the navigation lists `file`'s page; False if it does not."""
    for number, item in enumerate(items):
        if isinstance(item, Page) and item.file is file:
            items[number] = replace(item)
            return True
        if isinstance(item, Section) and _replace_page(item.children, file, replace):
            return True
    return False


class _ListedPage(Page):
    """A role page listed among others in a section. Every role page is an `index.md`
    (`roles/<id>/`), and with `navigation.indexes` Material makes the first index page of a
    section the section's own page, dropping it from the list."""

    @property
    def is_index(self) -> bool:
        return False


def _link_navigation(nav: Navigation) -> None:
    """Parents, the flat page list and previous/next links, as MkDocs sets them when it reads
    the `nav` of `mkdocs.yml` (`mkdocs.structure.nav.get_navigation`)."""
    pages: list[Page] = []

    def walk(items: list[StructureItem], parent: Section | None) -> None:
        for item in items:
            item.parent = parent
            if isinstance(item, Section):
                walk(item.children, item)
            elif isinstance(item, Page):
                pages.append(item)

    walk(nav.items, None)
    for number, page in enumerate(pages):
        page.previous_page = pages[number - 1] if number else None
        page.next_page = pages[number + 1] if number + 1 < len(pages) else None
    nav.pages = pages


def _raw_uri(role: Role, document: Document) -> str:
    """Where a document's bytes are published as written."""
    return f"roles/{role.id}/raw/{document.name}.txt"


def _site_page(path: str, files: Files, docs_dir: Path) -> File | None:
    """The page of the site that a file path (written as a link in a document) is, if any."""
    try:
        return files.get_file_from_path(Path(path).relative_to(docs_dir).as_posix())
    except ValueError:
        return None


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if ROLE_CARDS_MARKER in markdown and _state.library is not None:
        root = posixpath.relpath(".", posixpath.dirname(page.file.src_uri) or ".") + "/"
        markdown = markdown.replace(ROLE_CARDS_MARKER, role_cards(list(_state.library.roles), root.removeprefix("./")))
    return markdown


_LINK = re.compile(r'href="rolebook:(role|page)/([^"#]+)(#[^"]*)?"')
_FILE_LINK = re.compile(r'(href|src)="' + re.escape(FILE_HREF) + r'([^"#]+)(?:#([^"]*))?"')


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Swap pre-rendered HTML in for its placeholders, then resolve the role links that
    mentions became into URLs relative to this page."""
    started = time.perf_counter()
    try:
        return _fill_page(html, page, files, Path(config.docs_dir).resolve())
    finally:
        _state.timings["fill pages"] = _state.timings.get("fill pages", 0.0) + time.perf_counter() - started


def _fill_page(html: str, page: Page, files: Files, docs_dir: Path) -> str:
    slots = _state.slots.get(page.file.src_uri)
    if slots is not None:
        html = slots.fill(html)
        if slots.headings:
            _add_to_toc(page, slots.headings)
            if page.present_anchor_ids is not None:
                page.present_anchor_ids |= slots.anchor_ids()
    if "rolebook:" not in html:
        return html

    def resolve_file(match: re.Match[str]) -> str:
        target_path = unquote(match[2])
        source = _state.targets.get(target_path)
        target = source or _site_page(target_path, files, docs_dir)
        if target is None:  # reported by the pipeline with the document's path and line
            return broken_link(match[1], f"{Path(target_path).name} is neither a source nor a page of this site")
        fragment = match[3] or ""
        if fragment:
            moved = _state.anchors.get((target_path, slugify(fragment)))
            # a heading the document does not have (reported too): the link leads to its page
            fragment = moved or ("" if source is not None and target_path.endswith(DOCUMENT_SUFFIXES) else fragment)
        url = get_relative_url(target.url, page.url) + (f"#{fragment}" if fragment else "")
        return f'{match[1]}="{url}"'

    html = _FILE_LINK.sub(resolve_file, html)

    urls: dict[str, str] = {}  # a page links to the same few pages many times

    def resolve(match: re.Match[str]) -> str:
        src_uri = f"roles/{match[2]}/index.md" if match[1] == "role" else match[2]
        url = urls.get(src_uri)
        if url is None:
            target = files.get_file_from_path(src_uri)
            if target is None:
                log.warning(f"{page.file.src_uri}: link to '{src_uri}', which is not a page of the site")
                url = broken_link("href", f"no page {src_uri} in this site")
            else:
                url = f'href="{get_relative_url(target.url, page.url)}'
            urls[src_uri] = url
        return url if url.startswith("class=") else f'{url}{match[3] or ""}"'

    return _LINK.sub(resolve, html)


@event_priority(100)
def _search_view_in(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Before the search plugin indexes a generated page, show it the page without the parts
    excluded from search (it would parse and then drop them). With Pagefind, note which
    pages to index and keep the search plugin from indexing any: its index is not used."""
    if _state.search == "pagefind":
        meta = page.meta.get("search") or {}
        if not meta.get("exclude"):
            uri = page.file.src_uri
            _state.searchable[uri] = uri.startswith("roles/") and uri.count("/") == 2
            if page.content:
                page.content = search.keep_exclusions(page.content)
        page.meta["search"] = {**meta, "exclude": True}
        return context
    if page.content and page.file.src_uri in _state.slots:
        _state.full_content = page.content
        page.content = without_search_excluded(page.content)
    return context


_SEARCH_ATTRIBUTE = re.compile(r'\s?data-search-\w+="[^"]+"')


@event_priority(-100)
def _search_view_out(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """After every plugin has seen the page, put its whole HTML back, minus the `data-search-*`
    attributes with values, which the search plugin removes from pages."""
    if _state.full_content is not None:
        # Rolebook's own markup has none; a document's raw HTML may, when allowed.
        page.content = _SEARCH_ATTRIBUTE.sub("", _state.full_content) if _state.allow_html else _state.full_content
        _state.full_content = None
    return context


on_page_context = CombinedEvent(_search_view_in, _search_view_out)


def _add_to_toc(page: Page, headings: list[Heading]) -> None:
    """Add the headings of a page written in HTML to its table of contents, under its title,
    down to the depth the `toc` extension is set to show."""
    items = page.toc.items
    top = items[0].children if len(items) == 1 and items[0].level == 1 else items
    parents: list[AnchorLink] = []
    for heading in headings:
        if heading.level > _state.toc_depth:
            continue
        link = AnchorLink(heading.title, heading.anchor, heading.level)
        while parents and parents[-1].level >= heading.level:
            parents.pop()
        (parents[-1].children if parents else top).append(link)
        parents.append(link)


_SIDEBARS = ('<div class="md-sidebar md-sidebar--primary"', '<div class="md-content"')
_BLANK_RUN = re.compile(r"\n\s+")


def _compact_sidebars(output: str) -> str:
    """Compact the sidebars' whitespace. Material's navigation templates surround each link
    with ~600 bytes of indentation and blank lines, and a role page's sidebar lists its group
    of roles: that was a third of the page. A line break and the whitespace after it become
    one line break, which HTML shows the same (the sidebars hold no `<pre>`)."""
    start = output.find(_SIDEBARS[0])
    end = output.find(_SIDEBARS[1], start)
    if start < 0 or end < 0:
        return output
    return output[:start] + _BLANK_RUN.sub("\n", output[start:end]) + output[end:]


def on_pre_build(config: MkDocsConfig) -> None:
    """Keep mkdocstrings' compiled templates between builds (see `on_env`)."""
    mkdocstrings = config.plugins.get("mkdocstrings")
    if _state.cache is None or mkdocstrings is None:
        return
    try:
        handlers = mkdocstrings.handlers
        handler = handlers.get_handler(handlers.get_handler_name({}))
        handler.env.bytecode_cache = FileSystemBytecodeCache(str(_state.cache / "templates"))
    except (AttributeError, RuntimeError, ImportError) as error:
        log.debug(f"mkdocstrings' templates are not cached: {error}")


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Keep compiled Jinja templates between builds (the theme's here, mkdocstrings' for the
    API reference in `on_pre_build`): compiling them is most of what a small site's build
    costs. Jinja checks each template's source, so an edited template is compiled again."""
    if _state.cache is not None:
        env.bytecode_cache = FileSystemBytecodeCache(str(_state.cache / "templates"))
    return env


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Compact the sidebars (`_compact_sidebars`); with Pagefind, point Material's search box
    at Rolebook's worker and mark what to index."""
    output = _compact_sidebars(output)
    if _state.search != "pagefind":
        return output
    output = search.use_worker(output)
    role = _state.searchable.get(page.file.src_uri)
    if role is None:
        return output
    _state.search_pages.append(page.file.dest_uri)
    return search.mark_searchable(output, role)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The 404 page searches like the others."""
    return search.use_worker(output) if _state.search == "pagefind" and template_name == "404.html" else output


def on_post_build(config: MkDocsConfig) -> None:
    lexical.save_cache()
    if _state.search == "pagefind":
        started = time.perf_counter()
        try:
            stats = search.build_index(Path(config.site_dir), _state.search_pages)
            log.debug(f"search: indexed {stats.pages} pages, {stats.words} words")
        except search.SearchError as error:
            log.error(f"search: {error}")
        _state.timings["search index"] = time.perf_counter() - started
    timings = {phase: round(seconds, 4) for phase, seconds in _state.timings.items()}
    log.debug("time per phase: " + ", ".join(f"{phase} {seconds:.2f}s" for phase, seconds in timings.items()))
    target = os.environ.get("ROLEBOOK_TIMINGS")
    if target:
        timings["parsed"], timings["reused"] = PARSE_CACHE.parsed, PARSE_CACHE.reused
        with open(target, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(timings) + "\n")


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    docs_dir = Path(config.docs_dir).resolve()
    for root in _state.roots:
        if root.is_dir() and not root.is_relative_to(docs_dir):
            server.watch(str(root))
    return server
