"""Workarounds for other projects' internals, in one place.

Each names the version it was written against (`requirements.txt` pins them) and has a test
in `tests/test_compat.py` that fails when the workaround stops working or stops being
needed, so an upgrade shows what to revisit instead of silently costing time or memory.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import posixpath
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, Undefined
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import StructureItem
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme

UNBOUNDED_CACHES = (
    ("mkdocstrings_handlers.python._internal.rendering", "_test_existing_template"),
    ("griffe._internal.extensions.dataclasses", "_dataclass_parameters"),
)
"""`functools.cache`s of the API reference's libraries (mkdocstrings-python 2.0, griffe 2.4)
keyed by per-build objects (a Jinja environment, a loaded class)."""


def release_previous_build() -> None:
    """Let `mkdocs serve` free the previous build.

    Through `UNBOUNDED_CACHES`, every earlier build's environment, handler, autorefs plugin,
    loaded API and pages stayed alive: under `mkdocs serve` each rebuild kept ~30,000 more
    objects and ran a few per cent slower than the one before. Emptying those caches when a
    build starts lets them go; a later version without them needs nothing."""
    for module_name, function in UNBOUNDED_CACHES:
        module = sys.modules.get(module_name)
        cache_clear = getattr(getattr(module, function, None), "cache_clear", None)
        if cache_clear is not None:
            cache_clear()


def list_theme_files_quickly(theme: Theme) -> None:
    """Have MkDocs 1.6 list the theme's own files without walking its hidden folders.

    Right after `on_config` and `on_pre_build`, `mkdocs.commands.build` lists the theme's
    static files: `Files.add_files_from_theme` asks the environment of `theme.get_env()` for
    every template (`list_templates`) through a filter that drops every path with a hidden
    part (`.*`, `*/.*`). Jinja walks every file of every theme folder first: Material's are
    some 14,500, nearly all icons under `.icons`, for 43 files kept (a fifth of a second of
    a small site's build). The environments `theme.get_env` returns from here on list the
    same files without entering a hidden folder, whenever the filter they are given drops
    hidden paths; any other listing is Jinja's own."""
    get_env = theme.get_env

    def environment() -> Environment:
        env = get_env()
        env.list_templates = functools.partial(_visible_templates, env)  # type: ignore[method-assign]
        return env

    theme.get_env = environment  # type: ignore[method-assign]


def _visible_templates(
    env: Environment, extensions: Any = None, filter_func: Callable[[str], bool] | None = None
) -> list[str]:
    """`Environment.list_templates` (Jinja 3.1) for a filter that drops hidden paths, without
    walking hidden folders; Jinja's own listing otherwise."""
    loader = env.loader
    drops_hidden = filter_func is not None and not filter_func(".folder/file") and not filter_func("a/.folder/file")
    if extensions is not None or filter_func is None or not drops_hidden or type(loader) is not FileSystemLoader:
        return Environment.list_templates(env, extensions, filter_func)
    found: set[str] = set()
    for searchpath in loader.searchpath:
        for folder, subfolders, names in os.walk(searchpath, followlinks=loader.followlinks):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for name in names:
                template = os.path.join(folder, name)[len(searchpath) :].strip(os.path.sep).replace(os.path.sep, "/")
                found.add(template.removeprefix("./"))
    return [name for name in sorted(found) if filter_func(name)]


def handler_environment(config: MkDocsConfig) -> Any:
    """The Jinja environment mkdocstrings' default handler renders the API reference with
    (mkdocstrings 1.0: `handlers.get_handler(name).env`), or `None` when the site has no
    mkdocstrings or its internals moved."""
    mkdocstrings = config.plugins.get("mkdocstrings")
    if mkdocstrings is None:
        return None
    try:
        handlers = mkdocstrings.handlers
        return handlers.get_handler(handlers.get_handler_name({})).env
    except (AttributeError, RuntimeError, ImportError):
        return None


class ListedPage(Page):
    """A role page listed among others in a section. Every role page is an `index.md`
    (`roles/<id>/`), and with `navigation.indexes` (Material 9.8) Material makes the first
    index page of a section the section's own page, dropping it from the list."""

    @property
    def is_index(self) -> bool:
        return False


def link_navigation(nav: Navigation) -> None:
    """Parents, the flat page list and previous/next links, as MkDocs 1.6 sets them when it
    reads the `nav` of `mkdocs.yml` (`mkdocs.structure.nav.get_navigation`, which offers no
    function for a navigation changed afterwards)."""
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


_SIDEBARS = ('<div class="md-sidebar md-sidebar--primary"', '<div class="md-content"')
_BLANK_RUN = re.compile(r"\n\s+")


def compact_sidebars(output: str) -> str:
    """Compact the sidebars' whitespace. Material 9.8's navigation templates surround each
    link with ~600 bytes of indentation and blank lines, and a role page's sidebar lists its
    group of roles: that was a third of the page. A line break and the whitespace after it
    become one line break, which HTML shows the same (the sidebars hold no `<pre>`)."""
    start = output.find(_SIDEBARS[0])
    end = output.find(_SIDEBARS[1], start)
    if start < 0 or end < 0:
        return output
    return output[:start] + _BLANK_RUN.sub("\n", output[start:end]) + output[end:]


SEARCH_ATTRIBUTE = re.compile(r'\s?data-search-\w+="[^"]+"')
"""The `data-search-*` attributes with values, which the search plugin (MkDocs 1.6, used by
Material 9.8) removes from the pages it indexes (`mkdocs.contrib.search`'s
`on_page_context` rewrites `page.content`)."""


class SearchView:
    """Hand the search plugin a lighter view of a generated page, then put the page back.

    The search plugin parses each page's HTML with Python's `HTMLParser` in its
    `on_page_context`, only to drop what is marked `data-search-exclude`; for a role page
    that was half its parsing. `hide` (before the plugin, priority 100) swaps in the page
    without those parts (`without`), `restore` (after every plugin, priority -100) puts the
    whole HTML back, minus the attributes the plugin would have removed."""

    def __init__(self) -> None:
        self._full: str | None = None

    def hide(self, page: Page, without: Any) -> None:
        if page.content:
            self._full = page.content
            page.content = without(page.content)

    def restore(self, page: Page, strip_attributes: bool) -> None:
        if self._full is not None:
            strip = strip_attributes and "data-search-" in self._full
            page.content = SEARCH_ATTRIBUTE.sub("", self._full) if strip else self._full
            self._full = None


SEARCH_PLUGINS = ("material.plugins.search.plugin.SearchPlugin", "mkdocs.contrib.search.SearchPlugin")
"""The search plugins (Material 9.8's, MkDocs 1.6's) whose `on_page_context` only indexes a
page and strips `SEARCH_ATTRIBUTE` from it."""


def only_search_reads_contexts(config: MkDocsConfig, own: object) -> bool:
    """Whether every `on_page_context` of the site but `own`'s (the Rolebook plugin) is a
    search plugin's (`SEARCH_PLUGINS`): then a page the search plugin does not index can be
    hidden from it whole by `SearchView`, and its whole HTML given back, attributes
    stripped, with nothing else having read or changed it meanwhile. With Pagefind,
    Material's plugin indexes no page but still scans every page's HTML for the attributes
    (a tenth of a second per hundred role pages)."""
    for method in config.plugins.events.get("page_context", []):
        owner = getattr(method, "__self__", None)
        if owner is own:
            continue
        kind = f"{type(owner).__module__}.{type(owner).__qualname__}"
        if kind not in SEARCH_PLUGINS:
            return False
    return True


HTML_READERS = (
    *SEARCH_PLUGINS,
    "mkdocstrings._internal.plugin.MkdocstringsPlugin",
    "mkdocs_autorefs._internal.plugin.AutorefsPlugin",
)
"""The plugins (mkdocstrings 1.0, mkdocs-autorefs 1.4 and the search plugins) whose handlers of
the events `HeldPages` spans read a page's HTML only to index it, or to rewrite the
cross-reference and backlink elements (`HELD_MARKERS`) in it."""

HELD_EVENTS = ("page_content", "env", "page_context", "post_page", "post_build")
"""The events from a page's `on_page_content` to the end of the build."""

HELD_MARKERS = ("<autoref", "data-autorefs-", "<backlinks")
"""What mkdocs-autorefs (`fix_refs`, in its `on_env`) and mkdocstrings (backlinks, in its
`on_env`) rewrite in every page's HTML between MkDocs' two passes."""


def only_known_plugins_read_html(config: MkDocsConfig, own: object) -> bool:
    """Whether every handler but `own`'s (the Rolebook plugin) of `HELD_EVENTS` is one of
    `HTML_READERS`', with `own`'s `on_page_context` first: then `HeldPages` may hold a
    generated page's HTML aside from its `on_page_content` to its `on_page_context`, and
    again once it is written."""
    contexts = config.plugins.events.get("page_context", [])
    if not contexts or getattr(contexts[0], "__self__", None) is not own:
        return False
    for event in HELD_EVENTS:
        for method in config.plugins.events.get(event, []):
            owner = getattr(method, "__self__", None)
            if owner is not own and f"{type(owner).__module__}.{type(owner).__qualname__}" not in HTML_READERS:
                return False
    return True


class HeldPages:
    """Generated pages' HTML, compressed, while MkDocs does not need it.

    MkDocs 1.6 converts every page (`on_page_content`) before it renders any page's template
    (`on_page_context`), and keeps each page's HTML (`page.content`) to the end of the build:
    at 1,000 roles that was some 300 MiB of text, most of it in role pages Rolebook wrote,
    held at once. A held page's `content` is meanwhile its stand-in (the page as
    Python-Markdown wrote it, placeholders and headings), and its HTML is kept compressed
    (`hold`) until its template is rendered (`bring_back`), then dropped once the page is
    written (`put_away`). Only where `only_known_plugins_read_html`: those plugins rewrite
    `HELD_MARKERS` between the passes, so a page whose stand-in or HTML has any is not held."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[str, bytes]] = {}
        self._written: dict[str, str] = {}

    def hold(self, page: Page, html: str, stand_in: str) -> str:
        """What `on_page_content` returns for `page`: `stand_in`, with `html` held; or `html`
        when a marker in either would be rewritten."""
        if any(marker in html or marker in stand_in for marker in HELD_MARKERS):
            return html
        self._held[page.file.src_uri] = (stand_in, zlib.compress(html.encode("utf-8"), 1))
        return stand_in

    def bring_back(self, page: Page) -> None:
        """Give a held page its HTML again (first in `on_page_context`)."""
        held = self._held.pop(page.file.src_uri, None)
        if held is not None:
            self._written[page.file.src_uri] = held[0]
            page.content = zlib.decompress(held[1]).decode("utf-8")

    def put_away(self, page: Page) -> None:
        """Drop a held page's HTML once its template is rendered (`on_post_page`)."""
        stand_in = self._written.pop(page.file.src_uri, None)
        if stand_in is not None:
            page.content = stand_in


KEPT_TEMPLATE = "rolebook/kept.html"
"""A template that writes out a page the theme's own template already rendered (or a
previous build kept): `rolebook.site.kept` renders the page's template itself, last in
`on_page_context`, so it can skip that render when nothing the page shows has changed."""

CONTEXT_SHARED = frozenset({"nav", "pages", "config", "page", "build_date_utc"})
"""The keys of MkDocs 1.6's page context (`mkdocs.commands.build.get_context`) that hold
objects rather than data; `rolebook.site.kept` names what the theme can read of them."""

_KEPT_VARIABLE = "rolebook_kept"


def stand_in_template(env: Environment, page: Page) -> str | None:
    """Let `KEPT_TEMPLATE` stand in for `page`'s own template; returns the page's own
    `template` setting (`None` for the default), for `restore_template`.

    MkDocs 1.6's `_build_page` picks a page's template (`page.meta['template']`, else
    `main.html`) before it runs `on_page_context`, and renders it with the context that
    event returns; MkDocs has no event that replaces the render itself."""
    loaders = getattr(env.loader, "loaders", [])
    if not any(isinstance(loader, DictLoader) and KEPT_TEMPLATE in loader.mapping for loader in loaders):
        own = DictLoader({KEPT_TEMPLATE: "{{ " + _KEPT_VARIABLE + " }}"})
        env.loader = ChoiceLoader([own, *([env.loader] if env.loader is not None else [])])
    own_template = page.meta.get("template")
    page.meta["template"] = KEPT_TEMPLATE
    return own_template


def restore_template(page: Page, own_template: str | None) -> None:
    """Put back the page's own `template` setting, before the page is rendered."""
    if own_template is None:
        page.meta.pop("template", None)
    else:
        page.meta["template"] = own_template


def give_kept(context: dict[str, Any], output: str) -> None:
    """Hand `KEPT_TEMPLATE` the page as its own template writes it."""
    context[_KEPT_VARIABLE] = output


def render_with(page: Page, render: Callable[[MkDocsConfig, Files], None]) -> None:
    """Have MkDocs 1.6's `_populate_page` call `render` instead of `Page.render` for `page`,
    once: it calls `page.render(config, files)` after `on_page_markdown` and before
    `on_page_content`, and no event can skip it."""

    def once(config: MkDocsConfig, files: Files) -> None:
        delattr(page, "render")
        render(config, files)

    page.render = once  # type: ignore[method-assign]


class ReusedMarkdown:
    """MkDocs 1.6's `Page.render` with one Python-Markdown instance for many pages.

    `Page.render` makes a new `markdown.Markdown` for every page: loading every extension
    again (mkdocstrings', autorefs', PyMdown's), some 0.6 ms of CPU a page, more than
    converting a generated page's few lines (a title and a placeholder). Python-Markdown's
    own contract is that an instance is `reset` between conversions; MkDocs' per-page
    processors (anchors, relative links, title, raw HTML) are registered afresh for each
    page under the names `Page.render` gives them, replacing the last page's. Used only for
    the pages Rolebook generates and only on sites whose extensions are all ones
    `renders_from_markdown_alone` knows; the result is the same, byte for byte
    (`tests/test_compat.py`)."""

    def __init__(self) -> None:
        self._md: Any = None
        self._config: MkDocsConfig | None = None

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        from mkdocs.structure import pages
        from mkdocs.structure.toc import get_toc

        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if self._md is None or self._config is not config:
            self._md = pages.markdown.Markdown(
                extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {}
            )
            self._config = config
        md = self._md.reset()
        raw_html = pages._RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative = pages._RelativePathTreeprocessor(page.file, files, config)
        relative._register(md)
        title = pages._ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if pages.log.getEffectiveLevel() > pages.logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors


AUTODOC_BLOCK = re.compile(r"^(?:#{1,6} *|)::: ?.+?$", flags=re.MULTILINE)
"""An API block of mkdocstrings 1.0 (`mkdocstrings`' `AutoDocProcessor.regex`): `::: module.name`."""

PAGE_ONLY_EXTENSIONS = ("markdown.extensions.", "pymdownx.", "material.extensions.", "mkdocs_autorefs", "mkdocstrings")
"""Markdown extensions (by module) that render a page from its Markdown and the site's
settings alone (Python-Markdown's own, PyMdown's, Material's, autorefs'; mkdocstrings'
blocks as `RenderRecord` tells), but `FILE_READING_EXTENSIONS`."""

FILE_READING_EXTENSIONS = frozenset({"pymdownx.snippets", "pymdownx.b64"})
"""Extensions among `PAGE_ONLY_EXTENSIONS` that read other files into a page (snippets,
images inlined as data)."""


def renders_from_markdown_alone(config: MkDocsConfig) -> bool:
    """Whether every Markdown extension of the site is one of `PAGE_ONLY_EXTENSIONS`, so that
    a hand-written page's render can be kept under a key naming its Markdown, its URL, every
    file's URL and the settings (`rolebook.site.kept`). An extension of another package may
    read anything (a file, the clock), so a site with one keeps no hand-written page. Nor
    does a site whose extension settings hold code of its own (a `slugify` or a fence
    formatter from the project: the key names code only by its name), or an extension
    instance other than those the autorefs and mkdocstrings plugins add (its arguments are
    in no key)."""
    for extension in config.markdown_extensions:
        name = extension if isinstance(extension, str) else type(extension).__module__
        if not isinstance(extension, str) and not name.startswith(PLUGIN_EXTENSIONS):
            return False
        if "." not in name and importlib.util.find_spec(f"markdown.extensions.{name}") is not None:
            name = f"markdown.extensions.{name}"  # Python-Markdown's own, by its short name
        if name in FILE_READING_EXTENSIONS or not name.startswith(PAGE_ONLY_EXTENSIONS):
            return False
    return not any(_foreign_code(value) for value in (config.mdx_configs or {}).values())


PLUGIN_EXTENSIONS = ("mkdocs_autorefs", "mkdocstrings")
"""Modules whose extension instances plugins add to `markdown_extensions` themselves."""


def _foreign_code(value: object) -> bool:
    """Whether an extension setting holds a callable from outside `PAGE_ONLY_EXTENSIONS`."""
    if isinstance(value, dict):
        return any(_foreign_code(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_foreign_code(item) for item in value)
    if isinstance(value, functools.partial):
        return _foreign_code(value.func) or _foreign_code(value.args) or _foreign_code(value.keywords)
    if callable(value):
        module = getattr(value, "__module__", None) or type(value).__module__
        return not str(module).startswith(PAGE_ONLY_EXTENSIONS)
    return False


def holds_autodoc(markdown: str, config: MkDocsConfig) -> bool:
    """Whether a page renders API blocks with mkdocstrings, whose render reads the code it
    documents (`autodoc_sources`)."""
    return config.plugins.get("mkdocstrings") is not None and bool(AUTODOC_BLOCK.search(markdown))


class RenderRecord:
    """What rendering a page did besides giving the page its HTML, recorded so that a kept
    render can do it again (mkdocs-autorefs 1.4, mkdocstrings 1.0).

    autorefs' Markdown extension registers a page's headings and Markdown anchors
    (`register_anchor`) when the autorefs plugin scans pages; mkdocstrings'
    `AutoDocProcessor._process_headings` registers every object's heading with autorefs
    (the page's own identifiers and their aliases, which other pages' cross-references
    resolve to) and in its objects inventory (written as `objects.inv`). None of it lives in
    the page's HTML or table of contents."""

    def __init__(self) -> None:
        self.anchors: list[tuple[str, str | None, str | None, bool]] = []
        """`register_anchor(page, identifier, anchor, title=, primary=)` calls, in order."""
        self.inventory: dict[str, Any] = {}
        """Objects inventory items added, by name, in order."""
        self.sources: tuple[str, ...] = ()
        """The files the render read that no installed package holds: the Python modules
        the handler loaded, the folders they sit in (a new module is a new member) and
        templates outside the handler's package (`custom_templates`)."""

    @contextmanager
    def recording(self, config: MkDocsConfig) -> Iterator[None]:
        """Record what rendering a page meanwhile registers."""
        autorefs = config.plugins.get("autorefs")
        inventory = _inventory(config)
        before = dict(inventory) if inventory is not None else {}
        register = getattr(autorefs, "register_anchor", None)

        def record(page: Page, identifier: str, anchor: str | None = None, **more: Any) -> None:
            self.anchors.append((identifier, anchor, more.get("title"), more.get("primary", True)))
            assert register is not None
            register(page, identifier, anchor, **more)

        if register is not None:
            autorefs.register_anchor = record  # type: ignore[union-attr]
        try:
            yield
        finally:
            if register is not None:
                del autorefs.register_anchor  # type: ignore[union-attr]
        if inventory is not None:
            self.inventory = {name: item for name, item in inventory.items() if before.get(name) is not item}

    def replay(self, config: MkDocsConfig, page: Page) -> None:
        """Register for `page` what its render registered when it was kept."""
        autorefs = config.plugins.get("autorefs")
        if autorefs is not None:
            for identifier, anchor, title, primary in self.anchors:
                autorefs.register_anchor(page, identifier, anchor, title=title, primary=primary)
        inventory = _inventory(config)
        if inventory is not None:
            inventory.update(self.inventory)


def _inventory(config: MkDocsConfig) -> dict[str, Any] | None:
    """mkdocstrings' objects inventory; `None` without one (no mkdocstrings, or one set
    `enabled: false`, whose `handlers` raises `RuntimeError` as it never read its config)."""
    try:
        inventory = getattr(getattr(config.plugins.get("mkdocstrings"), "handlers", None), "inventory", None)
    except RuntimeError:
        return None
    return inventory if isinstance(inventory, dict) else None


def autodoc_sources(config: MkDocsConfig, installed: Callable[[Path], bool]) -> list[Path] | None:
    """The files, and folders, that mkdocstrings' default handler read to render the API
    blocks so far (mkdocstrings-python 2.0 on griffe 2: the modules in
    `handler._modules_collection` and the folders they sit in, every template under the
    template loader's search path), but those `installed` says a package holds; `None` when
    they cannot be told (another handler, or its internals moved)."""
    mkdocstrings = config.plugins.get("mkdocstrings")
    try:
        handlers = mkdocstrings.handlers  # type: ignore[union-attr]
        handler = handlers.get_handler(handlers.get_handler_name({}))
        modules = handler._modules_collection.members.values()
        loader = handler.env.loader
    except (AttributeError, RuntimeError, ImportError):
        return None
    found: set[Path] = set()

    def walk(module: Any) -> None:
        paths = module.filepath if isinstance(module.filepath, list) else [module.filepath]
        for path in paths:
            if path is not None:
                found.update((Path(path), Path(path).parent))
        for submodule in module.modules.values():
            if not submodule.is_alias:
                walk(submodule)

    try:
        for module in modules:
            walk(module)
    except AttributeError:
        return None
    loaders = [loader]
    while loaders:
        current = loaders.pop()
        loaders += getattr(current, "loaders", [])
        for folder in map(Path, getattr(current, "searchpath", [])):
            if not installed(folder):
                found.update((folder, *(path for path in folder.rglob("*") if path.is_file())))
    return sorted(path for path in found if not installed(path))


NAV_ITEM = "partials/nav-item.html"
"""Material 9.8's template of one navigation item, whose `render` macro calls itself for
each child of a section."""

_NAV_MACRO = "{% macro render(nav_item, path, level, parent) %}"
_NAV_MEMO = "rolebook_nav_item"
_NAV_WRAPPER = (
    "\n{% macro render(nav_item, path, level, parent) -%}\n"
    "{{ " + _NAV_MEMO + "(_material_render, nav_item, path, level, parent, page) }}\n"
    "{%- endmacro %}\n"
)


def reuse_navigation_items(env: Environment, config: MkDocsConfig, own: object) -> bool:
    """Render each navigation item once for all the pages it looks the same on.

    Material draws the whole navigation into every page: a role page lists its group's
    roles, and drawing them was half of the time the theme took for a page. An item looks
    the same on every page it is not active on, as long as its links, relative to the page,
    are the same: they are for two pages in the same folder, unless a link goes into the
    page's own folder (`_NavigationItems`). Material's `render` macro becomes
    `_material_render`, and `render` asks `_NavigationItems` for an item drawn before,
    drawing it with Material's macro the first time: the HTML is Material's, byte for byte.

    Done only when the site draws the navigation with Material's own `nav-item.html` (no
    override in `custom_dir`), and every other `on_page_context` is a search plugin's, so
    nothing changes the navigation while pages are rendered. Returns whether it is done."""
    if env.loader is None or not only_search_reads_contexts(config, own):
        return False
    material = Path(importlib.util.find_spec("material").origin or "").parent  # type: ignore[union-attr]
    sources = {}
    for name in (NAV_ITEM, TOC):
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except Exception:  # noqa: BLE001 - any loader failure: leave the theme alone
            return False
        if filename is None or Path(filename) != material / "templates" / name:
            return False
        sources[name] = source
    if sources[NAV_ITEM].count(_NAV_MACRO) != 1:
        return False
    patched = sources[NAV_ITEM].replace(_NAV_MACRO, _NAV_MACRO.replace("render(", "_material_render(")) + _NAV_WRAPPER
    own = {NAV_ITEM: patched, TOC: _TOC_WRAPPER, _MATERIAL_TOC: sources[TOC]}
    env.loader = ChoiceLoader([DictLoader(own), env.loader])
    env.globals[_NAV_MEMO] = _NavigationItems()
    env.globals[_TOC_MEMO] = _PageToc()
    return True


TOC = "partials/toc.html"
"""Material 9.8's table of contents of the page, drawn twice into each page: under the
page's entry in the navigation, and in the sidebar on the right."""

_MATERIAL_TOC = "rolebook/material-toc.html"
_TOC_MEMO = "rolebook_toc"
_TOC_WRAPPER = (
    "{% set drawn = " + _TOC_MEMO + "(page) %}{% if drawn is none %}{% set drawn %}"
    '{% include "' + _MATERIAL_TOC + '" %}{% endset %}{{ ' + _TOC_MEMO + "(page, drawn) }}"
    "{% else %}{{ drawn }}{% endif %}"
)


class _PageToc:
    """The last page's table of contents as Material's `toc.html` drew it: it depends on the
    page's `toc` and the site's settings only, so its second drawing into a page is the first."""

    def __init__(self) -> None:
        self._page: object = None
        self._drawn: Any = None

    def __call__(self, page: Any, drawn: Any = None) -> Any:
        if drawn is not None:
            self._page, self._drawn = page, drawn
            return drawn
        return self._drawn if page is not None and page is self._page else None


def _url_parts(url: str) -> tuple[str, ...]:
    """A URL's path as MkDocs 1.6 compares it (`mkdocs.utils._norm_parts`)."""
    path = posixpath.normpath("/" + url)[1:]
    return tuple(path.split("/")) if path else ()


_HOLE = "\x00rolebook: a child of this section\x00"
"""What a section's child is drawn as while the section's outline is drawn."""


class _NavigationItems:
    """Navigation items drawn by Material's `render` macro, by what the drawing depends on.

    Besides the item and the macro's arguments, the drawing of an item that is not active
    depends on the page only through its links, which MkDocs 1.6 makes relative to the page
    (`url` filter, `normalize_url`, `get_relative_url`): from a page whose folder is
    `P + [name]`, a link to `D` is the same for every `name` when `D` does not start with the
    whole folder. So the page is keyed by its parent folder when no link of the item goes
    into the page's own folder, else by its URL (then nothing is shared).

    A section the page is in (active) is drawn around its children: the outline, drawn
    once with a hole for each child, is the same on every page of the folder as long as its
    own link (its index page) is, and the page is not that index page; each child is then
    drawn (or found drawn) and put in its hole."""

    def __init__(self) -> None:
        self._drawn: dict[tuple[object, ...], Any] = {}
        self._outlines: dict[tuple[object, ...], tuple[list[str], list[tuple[Any, str, int]]] | None] = {}
        self._folders: dict[tuple[str, int], frozenset[tuple[str, ...]]] = {}
        """Per item, every folder its links go into: each link's path and its parents."""
        self._holes: tuple[Any, list[tuple[Any, str, int]]] | None = None
        """While a section's outline is drawn: the section, and its children as drawn into it."""

    def __call__(self, render: Callable[..., Any], item: Any, path: str, level: int, parent: Any, page: Any) -> Any:
        if self._holes is not None and parent is self._holes[0]:
            self._holes[1].append((item, path, level))
            return _HOLE
        key = self._key(item, path, level, parent, page)
        if key is not None:
            drawn = self._drawn.get(key)
            if drawn is None:
                drawn = self._drawn[key] = render(item, path, level, parent)
            return drawn
        outline_key = self._outline_key(item, path, level, parent, page)
        if outline_key is None:
            return render(item, path, level, parent)
        if outline_key not in self._outlines:
            self._outlines[outline_key] = self._outline(render, item, path, level, parent)
        outline = self._outlines[outline_key]
        if outline is None:
            return render(item, path, level, parent)
        parts, children = outline
        drawn = [parts[0]]
        for (child, child_path, child_level), after in zip(children, parts[1:], strict=True):
            drawn.append(str(self(render, child, child_path, child_level, item, page)))
            drawn.append(after)
        return "".join(drawn)

    def _outline(
        self, render: Callable[..., Any], item: Any, path: str, level: int, parent: Any
    ) -> tuple[list[str], list[tuple[Any, str, int]]] | None:
        """The section drawn with a hole for each child (`None` if the holes cannot be told)."""
        children: list[tuple[Any, str, int]] = []
        self._holes = (item, children)
        try:
            drawn = render(item, path, level, parent)
        finally:
            self._holes = None
        if type(drawn) is not str:  # an environment that escapes: draw it whole each time
            return None
        parts = drawn.split(_HOLE)
        return (parts, children) if len(parts) == len(children) + 1 else None

    def _key(self, item: Any, path: str, level: int, parent: Any, page: Any) -> tuple[object, ...] | None:
        if page is None or isinstance(page, Undefined) or getattr(item, "active", False) or item is page:
            return None
        if hasattr(item, "pages") or not isinstance(item, (Page, Section, Link)):
            return None
        where = self._where("all", item, [item], page)
        return (id(item), path, level, _active(parent), where)

    def _outline_key(self, item: Any, path: str, level: int, parent: Any, page: Any) -> tuple[object, ...] | None:
        if page is None or isinstance(page, Undefined) or not isinstance(item, Section) or hasattr(item, "pages"):
            return None
        indexes = [child for child in item.children if getattr(child, "is_index", False)]
        if any(index is page or index == page for index in indexes):
            return None
        return ("outline", id(item), path, level, _active(parent), self._where("indexes", item, indexes, page))

    def _where(self, which: str, item: Any, linked: list[Any], page: Page) -> object:
        """The page as far as the links of `linked` (and their children) see it."""
        url = page.url
        folder, _, name = url.rpartition("/")
        own = _url_parts(folder if "." in name else url)
        folders = self._folders.get((which, id(item)))
        if folders is None:
            parts = [_url_parts(link) for one in linked for link in _links_of(one)]
            folders = frozenset(link[:end] for link in parts for end in range(len(link) + 1))
            self._folders[(which, id(item))] = folders
        return own[:-1] if own and own not in folders else url


def _active(parent: Any) -> bool | None:
    """Whether the macro's `parent` argument is active (`None`: not given)."""
    return None if isinstance(parent, Undefined) else bool(getattr(parent, "active", False))


def _links_of(item: StructureItem) -> Iterator[str]:
    """The URLs the navigation links `item` and its children to that MkDocs makes relative
    to the page (`normalize_url`: not those with a scheme, a host, or a leading / or #)."""
    if isinstance(item, Section):
        for child in item.children:
            yield from _links_of(child)
        return
    url = str(getattr(item, "url", "") or ".")
    split = urlsplit(url)
    if not (split.scheme or split.netloc or url.startswith(("/", "#"))):
        yield url
