"""The MkDocs plugin: `plugins: [rolebook]` in any site's `mkdocs.yml` (this project's own
site uses it through `hooks/rolebook_hook.py`, with the same settings under
`extra.rolebook`).

It only adapts MkDocs events: `on_files` runs the analysis (`rolebook.analyse`) and the
site step (`rolebook.site`) and adds what they generate to the site's files; the page
events swap each page's pre-rendered HTML in and resolve its links
(`rolebook.site.links`); findings go to MkDocs' logger, so `mkdocs build --strict` counts
them. Workarounds for other projects' internals live in `rolebook.compat`.
"""

from __future__ import annotations

import json
import os
import posixpath
import tempfile
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from rolebook import compat, lexical, urls
from rolebook.analyse import Analysis, analyse
from rolebook.cache import (
    PAGES,
    RENDERS,
    RESULTS,
    ROLES,
    BuildCache,
    fingerprint,
    load_kept,
    release,
    save_kept,
    scope,
)
from rolebook.config import SPLIT_ABOVE, RolebookConfig, Settings, SettingsError, read_settings, settings_from
from rolebook.library import Stopwatch
from rolebook.model import Finding, Level
from rolebook.read.reader import PARSE_CACHE
from rolebook.render.graph_layout import LAYOUTS
from rolebook.render.pages import health_page
from rolebook.render.slots import Slots, without_search_excluded
from rolebook.site import search
from rolebook.site.kept import KeptPages, KeptRoles
from rolebook.site.links import Links
from rolebook.site.nav import add_roles_section
from rolebook.site.pages import assemble, home_cards
from rolebook.site.toc import add_to_toc, toc_depth

log = get_plugin_logger("rolebook")

ROLE_CARDS_MARKER = "<!-- rolebook:role-cards -->"
"""Where a hand-written page (the home page) wants a card per role."""

_LOG_LEVELS = {Level.INFO: log.info, Level.WARNING: log.warning, Level.ERROR: log.error}

SPILL_ABOVE = 256 * 1024
"""A generated file of more characters than this (the CSV files of a large library; the
export, written in parts, always) waits on disk, not in memory, until MkDocs copies it into
the site: otherwise it would be held through every page's rendering. Pages never do: their
Markdown is a few placeholders."""


class RolebookPlugin(BasePlugin[RolebookConfig]):
    """Role documents merged into one page per role, with matrices, a graph and an export."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.raw_settings: object = None
        """`extra.rolebook`, when the hook (not `plugins:`) runs this plugin."""
        self.last_build = False
        """Whether the build is the process's last (`mkdocs build`, `mkdocs gh-deploy`): then
        nothing it holds is kept in memory for another (`_let_go`)."""
        self._reset()

    def _reset(self) -> None:
        """What one build knows; `mkdocs serve` builds again with the same instance."""
        self.settings: Settings | None = None
        self.base = Path()
        self.analysis: Analysis | None = None
        self.links: Links | None = None
        self.slots: dict[str, Slots] = {}
        """Pre-rendered HTML of each generated page, by `src_uri`."""
        self.timings: dict[str, float] = {}
        """Seconds per phase; logged at debug level, and appended as JSON to the file named
        by ROLEBOOK_TIMINGS (for scripts/benchmark.py)."""
        self.toc_depth = 6
        self.search = "pagefind"
        """What answers the search box; "" when the site has no search."""
        self.pagefind = search.PagefindPages()
        self.search_view = compat.SearchView()
        self.search_alone: bool | None = None
        self.held = compat.HeldPages()
        self.spilled: tempfile.TemporaryDirectory[str] | None = None
        """Where large generated files wait to be copied into the site (`SPILL_ABOVE`);
        removed when the build ends, or with this object."""
        self.hold_html: bool | None = None
        """Whether generated pages' HTML is held aside between the passes
        (`compat.only_known_plugins_read_html`)."""
        """Whether only the search plugin reads pages' contexts (`compat.only_search_reads_contexts`)."""
        self.late: list[Finding] = []
        """Findings of the page events, after the health page was written (it is refreshed)."""
        self.health_content: str | None = None
        self.cache_scope = ""
        """What the cache file must have been written under to be read (`rolebook.cache.scope`)."""
        self.kept: KeptPages | None = None
        """Rendered pages kept between builds; `None` without a cache folder."""
        self.kept_roles: KeptRoles | None = None
        """Role pages as the site step assembled them, kept between builds; `None` without a
        cache folder."""
        self.generated: set[str] = set()
        """The `src_uri` of every page Rolebook generated."""
        self.nav: Navigation | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.last_build = command in ("build", "gh-deploy")

    @property
    def cache(self) -> Path | None:
        return self.settings.cache if self.settings else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._reset()
        compat.release_previous_build()
        self.base = Path(config.config_file_path or ".").resolve().parent
        try:
            if self.raw_settings is not None or not self.config:
                self.settings = read_settings(self.raw_settings, self.base)
            else:
                self.settings = settings_from(self.config, self.base)
        except SettingsError as error:
            raise PluginError(str(error)) from error
        has_search = "material/search" in config.plugins or "search" in config.plugins
        self.search = self.settings.search if has_search else ""
        if self.settings.cache is not None:
            try:
                (self.settings.cache / "templates").mkdir(parents=True, exist_ok=True)
                lexical.use_cache(self.settings.cache)
                started = time.perf_counter()
                self.cache_scope = scope(self.base)
                RENDERS.start()
                PAGES.start()
                ROLES.start()
                search.INDEXES.start()
                LAYOUTS.start()
                load_kept(self.settings.cache, self.cache_scope, self._kept())
                self.kept = KeptPages(self.cache_scope, self.settings.cache)
                settings = fingerprint(replace(self.settings, workers=1, cache=None, warnings=()))
                self.kept_roles = KeptRoles(self.cache_scope, settings, self.settings.cache)
                self.timings["cache load"] = time.perf_counter() - started
            except OSError as error:
                problem = f"cache: cannot create {self.settings.cache} ({error.strerror}); building without a cache"
                self.settings = replace(self.settings, cache=None, warnings=(*self.settings.warnings, problem))
        # The settings' warnings are findings of the analysis: logged, and on the health page.
        compat.list_theme_files_quickly(config.theme)
        self.toc_depth = toc_depth((config.mdx_configs or {}).get("toc", {}).get("toc_depth", 6))
        if urls.STYLESHEET not in config.extra_css:
            config.extra_css.append(urls.STYLESHEET)
        if urls.SCRIPT not in map(str, config.extra_javascript):
            config.extra_javascript.append(ExtraScriptValue(urls.SCRIPT))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.settings is not None
        started = time.perf_counter()
        docs_dir = Path(config.docs_dir).resolve()

        def page_of(path: str) -> str | None:
            """The `src_uri` of the site's page at a path on disk, if there is one."""
            try:
                uri = Path(path).relative_to(docs_dir).as_posix()
            except ValueError:
                return None
            return uri if files.get_file_from_path(uri) is not None else None

        analysis = analyse(
            self.settings,
            self.base,
            is_page=lambda path: page_of(path) is not None,
            timings=self.timings,
            keep=True,
        )
        self.analysis = analysis
        library = analysis.library
        log.debug(
            f"read {len(library.documents)} documents: {PARSE_CACHE.parsed} parsed, {PARSE_CACHE.reused} unchanged"
        )
        for finding in library.findings:
            _LOG_LEVELS[finding.level](_located(finding))
        for name, holders in library.lexicon.ambiguous.items() if library.lexicon else ():
            log.debug(f"the name '{name}' is given to {', '.join(holders)}; it links to none of them")
        log.info(f"responsibility areas: {analysis.areas_reason}")

        # The documents are merged into role pages, not published as pages of their own.
        for source in library.sources:
            published = files.get_file_from_path(page_of(str(source.abs_path.resolve())) or "")
            if published is not None:
                files.remove(published)

        site = assemble(
            analysis,
            self.settings.vocabulary,
            list(self.settings.roots),
            lambda uri: File.generated(config, uri, content="").url,
            self.settings.workers,
            self.search == "pagefind",
            self.timings,
            self.settings.split_above,
            self.kept_roles,
        )
        clock = Stopwatch(self.timings)
        for generated in site.files:
            inclusion = InclusionLevel.UNDEFINED if generated.listed else InclusionLevel.NOT_IN_NAV
            if generated.source is not None:
                file = File.generated(config, generated.uri, abs_src_path=generated.source, inclusion=inclusion)
            elif generated.parts is not None or (
                len(generated.content or "") > SPILL_ABOVE and not generated.uri.endswith(".md")
            ):
                path = self._spill(generated.uri, generated.parts or [generated.content or ""])
                file = File.generated(config, generated.uri, abs_src_path=path, inclusion=inclusion)
            else:
                file = File.generated(config, generated.uri, content=generated.content or "", inclusion=inclusion)
            existing = files.get_file_from_path(generated.uri)
            if existing is not None:
                files.remove(existing)
            files.append(file)
            if generated.slots is not None:
                self.slots[generated.uri] = generated.slots
            if generated.content is not None and file.is_documentation_page():
                self.generated.add(generated.uri)

        def url_of(uri: str) -> str | None:
            file = files.get_file_from_path(uri)
            return None if file is None else file.url

        self.links = Links(url_of, page_of, site.targets, site.anchors)
        clock.lap("site files")
        self.timings["on_files"] = time.perf_counter() - started
        return files

    def _spill(self, uri: str, parts: Iterable[str]) -> str:
        """Write the text of the file at `uri` (in `parts`) to a temporary folder; its path."""
        if self.spilled is None:
            self.spilled = tempfile.TemporaryDirectory(prefix="rolebook-files-")
        path = Path(self.spilled.name, uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as stream:
            stream.writelines(parts)
        return str(path)

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """List every role in the navigation, under the roles index (`rolebook.site.nav`)."""
        if self.analysis is not None:
            add_roles_section(nav, files, config, self.analysis.library)
        self.nav = nav
        return nav

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        """A page Rolebook generated, or one with API blocks, is converted by Python-Markdown
        only when its Markdown (or anything else it depends on) changed since a kept build
        (`rolebook.site.kept`)."""
        kept = self.kept
        if kept is not None:
            generated = page.file.src_uri in self.generated
            compat.render_with(page, lambda config, files: kept.render_markdown(page, config, files, generated))
        return page

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if ROLE_CARDS_MARKER in markdown and self.analysis is not None:
            root = posixpath.relpath(".", posixpath.dirname(page.file.src_uri) or ".") + "/"
            split_above = self.settings.split_above if self.settings else SPLIT_ABOVE
            cards = home_cards(self.analysis.library, split_above, root.removeprefix("./"))
            markdown = markdown.replace(ROLE_CARDS_MARKER, cards)
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Swap pre-rendered HTML in for its placeholders, then resolve Rolebook's links into
        URLs relative to this page; a generated page's HTML is then held aside until its
        template is rendered (`compat.HeldPages`)."""
        started = time.perf_counter()
        stand_in = html
        slots = self.slots.get(page.file.src_uri)
        if slots is not None:
            if page.file.src_uri == urls.HEALTH:
                self.health_content = html  # filled last, with what the other pages found
            html = slots.fill(html)
            if slots.headings:
                add_to_toc(page, slots.headings, self.toc_depth)
                if page.present_anchor_ids is not None:
                    page.present_anchor_ids |= slots.anchor_ids()
            slots.release()
        if self.links is not None:
            html, problems = self.links.resolve(html, page.url)
            for problem in problems:
                self.late.append(Finding(page.file.src_uri, None, Level.WARNING, problem))
                log.warning(f"{page.file.src_uri}: {problem}")
        if slots is not None and page.file.src_uri != urls.HEALTH:
            if self.hold_html is None:
                self.hold_html = compat.only_known_plugins_read_html(config, self)
            if self.hold_html:
                html = self.held.hold(page, html, stand_in)
        self.timings["fill pages"] = self.timings.get("fill pages", 0.0) + time.perf_counter() - started
        return html

    @event_priority(100)
    def _search_view_in(self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        """Before the search plugin indexes a page: with Pagefind, note which pages to index
        and keep the search plugin from indexing any (its index is not used), and hide the
        page from it when no other plugin reads it; with Material's search, show it a
        generated page without the parts excluded from search. A generated page gets its
        HTML back first (`compat.HeldPages`)."""
        self.held.bring_back(page)
        if page.file.src_uri == urls.HEALTH and self.late:
            page.content = self._refreshed_health(page)
        if self.search == "pagefind":
            self.pagefind.before_search_plugin(page)
            if self.search_alone is None:
                self.search_alone = compat.only_search_reads_contexts(config, self)
            if self.search_alone:
                self.search_view.hide(page, lambda content: "")
        elif page.file.src_uri in self.slots:
            self.search_view.hide(page, without_search_excluded)
        return context

    @event_priority(-100)
    def _search_view_out(self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        """After every plugin has seen the page, put its whole HTML back; then render the
        page's template, unless a kept build already did for the same inputs."""
        strip = self.search == "pagefind" or bool(self.settings and self.settings.allow_html)
        self.search_view.restore(page, strip_attributes=strip)
        if self.kept is not None:
            started = time.perf_counter()
            self.kept.render_template(context, page)
            self.timings["templates"] = self.timings.get("templates", 0.0) + time.perf_counter() - started
        return context

    on_page_context = CombinedEvent(_search_view_in, _search_view_out)

    def _refreshed_health(self, page: Page) -> str | None:
        """The health page again, now with the findings of the page events too: every page's
        content is rendered before any page's template (MkDocs builds in two passes)."""
        if self.analysis is None or self.health_content is None or self.links is None:
            return page.content
        library = self.analysis.library
        slots = Slots()
        findings = [*library.findings, *self.late]
        health_page(findings, len(library.sources), list(library.roles), slots)
        html, _ = self.links.resolve(slots.fill(self.health_content), page.url)
        return html

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """Keep compiled Jinja templates between builds (the theme's, and mkdocstrings' for
        the API reference): compiling them is most of what a small site's build costs. Jinja
        checks each template's source, so an edited template is compiled again."""
        if self.cache is not None:
            env.bytecode_cache = FileSystemBytecodeCache(str(self.cache / "templates"))
        if self.kept is not None and self.nav is not None:
            self.kept.stand_in(env, config, self.nav, files)
        compat.reuse_navigation_items(env, config, self)
        return env

    def on_pre_build(self, config: MkDocsConfig) -> None:
        handler_env = compat.handler_environment(config)
        if self.cache is not None and handler_env is not None:
            handler_env.bytecode_cache = FileSystemBytecodeCache(str(self.cache / "templates"))

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Compact the sidebars; with Pagefind, point Material's search box at Rolebook's
        worker and mark what to index."""
        self.held.put_away(page)
        output = compat.compact_sidebars(output)
        return self.pagefind.page_written(output, page) if self.search == "pagefind" else output

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        """The 404 page searches like the others."""
        return search.use_worker(output) if self.search == "pagefind" and template_name == "404.html" else output

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.spilled is not None:  # MkDocs copied the files before rendering the pages
            self.spilled.cleanup()
            self.spilled = None
        lexical.save_cache()
        if self.kept is not None:
            counts = self.kept.counts
            log.info(f"pages: {counts['pages rendered']} rendered, {counts['pages kept']} kept from an earlier build")
            log.debug("pages rendered: " + ", ".join(self.kept.rendered))
            log.debug("markdown kept: " + ", ".join(self.kept.markdown_kept))
        if self.kept_roles is not None:
            log.debug("role pages assembled: " + ", ".join(self.kept_roles.assembled))
        site_dir = Path(config.site_dir)
        kept_index = self.cache / search.KEPT_FOLDER if self.cache is not None else None
        planned: tuple[str | None, bool] = (None, False)
        if self.search == "pagefind":
            started = time.perf_counter()
            planned = search.plan_index(site_dir, self.pagefind.pages, kept_index)
            self.timings["search index"] = time.perf_counter() - started
        if self.cache is not None:
            started = time.perf_counter()
            if save_kept(self.cache, self.cache_scope, self._kept()):
                if self.kept is not None:
                    self.kept.prune()
                if self.kept_roles is not None:
                    self.kept_roles.prune()
            self.timings["cache save"] = time.perf_counter() - started
        if self.last_build:
            started = time.perf_counter()
            self._let_go()
            self.timings["let go"] = time.perf_counter() - started
        if self.search == "pagefind":
            started = time.perf_counter()
            try:
                stats = search.build_index(site_dir, self.pagefind.pages, kept_index, planned)
                kept_from = " (the index an earlier build made of the same pages)" if stats.kept else ""
                log.debug(f"search: indexed {stats.pages} pages, {stats.words} words{kept_from}")
            except search.SearchError as error:
                log.error(f"search: {error}")
            self.timings["search index"] += time.perf_counter() - started
        timings = {phase: round(seconds, 4) for phase, seconds in self.timings.items()}
        log.debug("time per phase: " + ", ".join(f"{phase} {seconds:.2f}s" for phase, seconds in timings.items()))
        target = os.environ.get("ROLEBOOK_TIMINGS")
        if target:
            timings["parsed"], timings["reused"] = PARSE_CACHE.parsed, PARSE_CACHE.reused
            timings.update(self.kept.counts if self.kept is not None else {})
            timings.update(self.kept_roles.counts if self.kept_roles is not None else {})
            with open(target, "a", encoding="utf-8") as stream:
                stream.write(json.dumps(timings) + "\n")

    def _let_go(self) -> None:
        """Free what the build holds before the search indexer, a process of its own, runs:
        once the site is written and the cache saved, a `mkdocs build` needs none of it, and
        at 1,000 roles it was 300 MiB held while the indexer took 300 MiB more. `mkdocs
        serve` keeps it for its next build."""
        self.analysis, self.links, self.slots, self.nav = None, None, {}, None
        release(self._kept().values())

    @staticmethod
    def _kept() -> dict[str, BuildCache[Any, Any]]:
        """The caches kept on disk between `mkdocs build` runs, by name."""
        return {
            "documents": PARSE_CACHE,
            "results": RESULTS,
            "renders": RENDERS,
            "pages": PAGES,
            "roles": ROLES,
            "search": search.INDEXES,
            "layouts": LAYOUTS,
        }

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuild when a source folder outside `docs_dir` changes."""
        docs_dir = Path(config.docs_dir).resolve()
        for root in self.settings.roots if self.settings else ():
            if root.is_dir() and not root.is_relative_to(docs_dir):
                server.watch(str(root))
        return server


def _located(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    return f"{where}: {finding.message}"
