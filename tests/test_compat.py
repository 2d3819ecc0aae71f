"""Each workaround in `rolebook.compat` still meets the internals it was written for: these
fail when an upgrade moves them, so the workaround is revisited, not silently dropped."""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Section, get_navigation
from mkdocs.structure.pages import Page

from conftest import ROOT, BuiltSite, write_tree
from rolebook import compat


def test_the_unbounded_caches_are_still_there_to_clear() -> None:
    for module_name, function in compat.UNBOUNDED_CACHES:
        module = importlib.import_module(module_name)
        cached = getattr(module, function, None)
        assert cached is not None, f"{module_name}.{function} is gone: drop it from UNBOUNDED_CACHES"
        assert callable(getattr(cached, "cache_clear", None)), f"{module_name}.{function} is no longer a cache"


def test_material_still_makes_an_index_page_the_sections_own() -> None:
    """`ListedPage` exists because Material's navigation lifts `is_index` pages."""
    material = importlib.import_module("material")
    template = Path(material.__file__).parent / "templates" / "partials" / "nav-item.html"
    text = template.read_text(encoding="utf-8")
    assert "navigation.indexes" in text and "item.is_index" in text
    file = File("roles/x/index.md", src_dir=None, dest_dir="/tmp/site", use_directory_urls=True)
    assert Page(None, file, {}).is_index is True  # type: ignore[arg-type]
    assert compat.ListedPage(None, file, {}).is_index is False  # type: ignore[arg-type]


def test_navigation_links_match_what_mkdocs_sets(tmp_path: Path) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    names = ("a.md", "b/c.md", "b/d.md", "e.md")
    files = Files(
        [File(name, src_dir=str(tmp_path), dest_dir=str(tmp_path / "site"), use_directory_urls=True) for name in names]
    )
    config.nav = ["a.md", {"B": ["b/c.md", "b/d.md"]}, "e.md"]
    expected = get_navigation(files, config)
    linked = get_navigation(files, config)
    for page in linked.pages:
        page.previous_page = page.next_page = page.parent = None
    compat.link_navigation(linked)

    def shape(nav: object) -> list[tuple[str, str | None, str | None, str | None]]:
        return [
            (
                page.file.src_uri,
                page.previous_page and page.previous_page.file.src_uri,
                page.next_page and page.next_page.file.src_uri,
                page.parent.title if isinstance(page.parent, Section) else None,
            )
            for page in nav.pages  # type: ignore[attr-defined]
        ]

    assert shape(linked) == shape(expected)
    assert all(isinstance(page, Page) for page in linked.pages)


def test_sidebars_are_still_found_and_compacted(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("roles/backend/")
    start = html.find('<div class="md-sidebar md-sidebar--primary"')
    end = html.find('<div class="md-content"', start)
    assert start >= 0 and end > start, "Material's sidebar markup moved: update compat.compact_sidebars"
    assert "\n  " not in html[start:end]


@contextmanager
def _shipped_config() -> Iterator[MkDocsConfig]:
    """The shipped site's settings, as every plugin's `on_config` left them."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        config.plugins.run_event("config", config)
        yield config
    finally:
        config.plugins.on_shutdown()


def test_the_api_reference_handler_environment_is_reachable() -> None:
    with _shipped_config() as config:
        environment = compat.handler_environment(config)
    assert environment is not None and hasattr(environment, "bytecode_cache")


def test_the_search_plugin_still_reads_and_strips_search_attributes() -> None:
    """`SearchView` hands Material's search plugin a page without what it would exclude,
    and strips the attributes it would strip."""
    plugin = importlib.import_module("material.plugins.search.plugin")
    source = inspect.getsource(plugin)
    assert "data-search-exclude" in source
    assert compat.SEARCH_ATTRIBUTE.pattern in source.replace('\\"', '"')


KEPT_HOOK = """
from rolebook import compat

def on_pre_page(page, config, files):
    def render(config, files):
        page.content = "<p>rendered by the stand-in</p>"
        page.toc = type(page.toc)([])
    compat.render_with(page, render)
    return page

def on_env(env, config, files):
    for file in files.documentation_pages():
        assert compat.stand_in_template(env, file.page) is None
    return env

def on_page_context(context, page, config, nav):
    compat.restore_template(page, None)
    assert "template" not in page.meta
    compat.give_kept(context, "<html>kept: " + page.content + "</html>")
    return context
"""


def test_a_page_render_and_its_template_can_still_be_stood_in_for(tmp_path: Path) -> None:
    """`render_with` and `stand_in_template` lean on MkDocs 1.6's order: `_populate_page`
    calls `page.render` between `on_page_markdown` and `on_page_content`; `_build_page` picks
    `page.meta['template']` before `on_page_context` and renders it with the returned context."""
    from mkdocs.commands.build import build

    write_tree(
        tmp_path,
        {
            "mkdocs.yml": "site_name: T\nhooks: [kept_hook.py]\n",
            "kept_hook.py": KEPT_HOOK,
            "docs/index.md": "# Written\n\nPython-Markdown never sees this.\n",
        },
    )
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    assert (tmp_path / "site" / "index.html").read_text() == "<html>kept: <p>rendered by the stand-in</p></html>"


def test_api_blocks_what_they_register_and_what_they_read_can_still_be_told() -> None:
    """`holds_autodoc`, `RenderRecord` and `autodoc_sources` lean on mkdocstrings 1.0's block
    pattern, on its registering each heading with autorefs and the inventory while a page
    renders, and on the Python handler's loaded modules and template loader."""
    from mkdocstrings._internal.extension import AutoDocProcessor

    for line in ("::: rolebook.plugin", "## ::: rolebook", "see ::: here", ":::", "    ::: indented"):
        assert bool(compat.AUTODOC_BLOCK.search(line)) == bool(AutoDocProcessor.regex.search(line)), line
    source = inspect.getsource(AutoDocProcessor._process_headings)
    assert "self._autorefs.register_anchor(" in source and "self._handlers.inventory.register(" in source
    with _shipped_config() as config:
        sources = compat.autodoc_sources(config, lambda path: False)
    assert sources is not None and any(path.name == "module.html.jinja" for path in sources)


def test_only_extensions_that_read_nothing_else_let_hand_written_pages_be_kept() -> None:
    """The shipped site's extensions (Python-Markdown's, PyMdown's, mkdocstrings' and
    autorefs' once their plugins ran) render a page from its Markdown alone; snippets or an
    extension of another package do not."""
    with _shipped_config() as config:
        assert any(not isinstance(extension, str) for extension in config.markdown_extensions)
        assert compat.renders_from_markdown_alone(config)
        for other in ("pymdownx.snippets", "markdown_exec"):
            config.markdown_extensions.append(other)
            assert not compat.renders_from_markdown_alone(config), other
            config.markdown_extensions.pop()
        # code of the site's own in an extension's settings: its name alone keys nothing
        config.mdx_configs["toc"] = {**config.mdx_configs.get("toc", {}), "slugify": _own_slugify}
        assert not compat.renders_from_markdown_alone(config)
        config.mdx_configs["toc"]["slugify"] = functools.partial(_own_slugify, separator="_")
        assert not compat.renders_from_markdown_alone(config)
        from pymdownx.slugs import slugify

        config.mdx_configs["toc"]["slugify"] = slugify(case="lower")
        assert compat.renders_from_markdown_alone(config)


def _own_slugify(value: str, separator: str) -> str:
    return separator.join(value.split())


def test_a_page_is_hidden_from_search_only_where_nothing_else_reads_its_context() -> None:
    """With Pagefind, the shipped site hides each page from Material's search plugin (whose
    `on_page_context` only indexes and strips attributes); a site with another plugin or
    hook reading pages' contexts does not."""
    from material.plugins.search.plugin import SearchPlugin

    source = inspect.getsource(SearchPlugin.on_page_context)
    assert "add_entry_from_context(page)" in source and "data-search-" in source
    with _shipped_config() as config:
        readers = config.plugins.events["page_context"]
        own = next(method.__self__ for method in readers if type(method.__self__).__name__ == "RolebookPlugin")
        assert compat.only_search_reads_contexts(config, own)
        readers.append(lambda context, page, config, nav: context)
        assert not compat.only_search_reads_contexts(config, own)


def test_the_theme_files_are_listed_the_same_without_walking_hidden_folders() -> None:
    """MkDocs still lists the theme's files through a filter that drops hidden paths, over
    thousands of hidden icons; the quick listing gives the same files in the same order
    without walking them, and a filter that keeps hidden paths gets Jinja's own listing."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    slow = Files([])
    slow.add_files_from_theme(config.theme.get_env(), config)
    compat.list_theme_files_quickly(config.theme)
    env = config.theme.get_env()
    quick = Files([])
    quick.add_files_from_theme(env, config)
    assert [file.src_uri for file in quick] == [file.src_uri for file in slow]
    assert any(file.src_uri.startswith("assets/javascripts/") for file in quick)

    def counted(seen: list[str], keep_hidden: bool) -> Callable[[str], bool]:
        return lambda name: seen.append(name) is None and (keep_hidden or "/." not in f"/{name}")

    quickly_seen: list[str] = []
    every: list[str] = []
    env.list_templates(filter_func=counted(quickly_seen, keep_hidden=False))
    hidden_too = env.list_templates(filter_func=counted(every, keep_hidden=True))
    assert len(every) > 10_000 > 20 * len(quickly_seen), "the theme's hidden folders no longer cost a walk"
    assert any(name.startswith(".icons/") for name in hidden_too)


def test_html_is_held_between_the_passes_only_where_known_plugins_read_it() -> None:
    """The shipped site's other readers of pages' HTML from `on_page_content` on are the
    search plugin, mkdocstrings and autorefs, which rewrite only the markers `HeldPages`
    leaves alone; any other reader, or one reading contexts before Rolebook, keeps every
    page's HTML where MkDocs keeps it."""
    from mkdocs_autorefs._internal import references
    from mkdocstrings._internal.plugin import MkdocstringsPlugin

    assert "<autoref" in references.AUTOREF_RE.pattern and "data-autorefs-" in inspect.getsource(references)
    assert "<backlinks" in inspect.getsource(MkdocstringsPlugin._on_env_apply_backlinks)
    with _shipped_config() as config:
        own = next(
            m.__self__ for m in config.plugins.events["page_context"] if type(m.__self__).__name__ == "RolebookPlugin"
        )
        assert compat.only_known_plugins_read_html(config, own)
        config.plugins.events["page_context"].insert(0, lambda context, page, config, nav: context)
        assert not compat.only_known_plugins_read_html(config, own)
        config.plugins.events["page_context"].pop(0)
        config.plugins.events["env"].append(lambda env, config, files: env)
        assert not compat.only_known_plugins_read_html(config, own)


def test_a_held_page_gets_its_html_back_and_keeps_the_markers_others_rewrite(tmp_path: Path) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    page = Page("A role", File("roles/a/index.md", "docs", str(tmp_path), True), config)
    held = compat.HeldPages()
    full = "<p>Ünïcode role text</p>" * 50
    page.content = held.hold(page, full, "<div data-rb-slot=0></div>")
    assert page.content == "<div data-rb-slot=0></div>"
    held.bring_back(page)
    assert page.content == full
    held.put_away(page)
    assert page.content == "<div data-rb-slot=0></div>"
    marked = '<autoref identifier="x">x</autoref>'
    assert held.hold(page, marked, "<div></div>") == marked


REUSED_PAGES = {
    "a/index.md": '# Quality *Lead* & Co\n\n<div data-rb-slot="0"></div>\n',
    "a/sources.md": "# Lead: sources\n\n## Where `it` comes from\n\nSee [the other](../b/index.md#steps).\n",
    "b/index.md": "# Second\n\n## Steps { #steps }\n\nA note[^1] and HTML.\n\n[^1]: Once.\n\n*[HTML]: Markup\n",
    "c.md": '!!! note "Heads up"\n    Text\n\n```python\nx = 1\n```\n\n<p id="own">raw</p>\n',
}


def test_one_markdown_instance_renders_pages_as_a_new_one_each_would() -> None:
    """`ReusedMarkdown` mirrors MkDocs 1.6's `Page.render`: page after page, one instance
    gives each the content, table of contents, title, anchors and links a fresh one gives."""
    assert "markdown.Markdown(" in inspect.getsource(Page.render)
    with _shipped_config() as config:
        files = Files([File(uri, "docs", "site", use_directory_urls=True) for uri in REUSED_PAGES])
        reused = compat.ReusedMarkdown()
        for _ in range(2):
            for file in files:
                fresh, again = (Page(None, file, config) for _ in range(2))
                for page in (fresh, again):
                    page.markdown = REUSED_PAGES[file.src_uri]
                    autorefs = config.plugins.get("autorefs")
                    if autorefs is not None:
                        autorefs.current_page = page
                fresh.render(config, files)
                reused.render(again, config, files)
                assert again.content == fresh.content, file.src_uri
                assert _anchors(again.toc.items) == _anchors(fresh.toc.items)
                assert again._title_from_render == fresh._title_from_render
                assert again.present_anchor_ids == fresh.present_anchor_ids
                assert again.links_to_anchors == fresh.links_to_anchors
    assert reused._md is not None


def _anchors(items: list) -> list:
    return [(item.title, item.id, item.level, _anchors(item.children)) for item in items]


def test_navigation_items_are_drawn_once_as_material_draws_them(tmp_path: Path, monkeypatch) -> None:
    """`reuse_navigation_items` leans on Material 9.8's `nav-item.html`: one `render` macro
    that calls itself for each child. Every page of a library in groups (role pages, their
    sources pages, the roles index whose folder the role pages are in, hand-written pages)
    is the same byte for byte with items drawn once and with Material drawing every item."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_corpus import generate

    from conftest import build_site

    material = importlib.import_module("material")
    source = (Path(material.__file__).parent / "templates" / compat.NAV_ITEM).read_text(encoding="utf-8")
    assert source.count(compat._NAV_MACRO) == 1, "Material's render macro changed: revisit reuse_navigation_items"

    corpus = tmp_path / "roles"
    generate(50, corpus, seed=3)  # more than one group of GROUP_SIZE roles
    drawn = []
    reuse = compat.reuse_navigation_items

    def counted(*args: object) -> bool:
        done = reuse(*args)  # type: ignore[arg-type]
        drawn.append(done)
        return done

    monkeypatch.setattr(compat, "reuse_navigation_items", counted)
    reused = build_site(tmp_path / "reused", sources=corpus, settings={"search": "material", "cache": False})
    monkeypatch.setattr(compat, "reuse_navigation_items", lambda *args: False)
    plain = build_site(tmp_path / "plain", sources=corpus, settings={"search": "material", "cache": False})
    assert drawn == [True]
    pages = sorted(p.relative_to(plain.site_dir) for p in plain.site_dir.rglob("*.html"))
    assert len(pages) > 100
    assert pages == sorted(p.relative_to(reused.site_dir) for p in reused.site_dir.rglob("*.html"))
    for page in pages:
        assert (reused.site_dir / page).read_bytes() == (plain.site_dir / page).read_bytes(), page
    role_page = next(p for p in pages if p.parts[0] == "roles" and "md-nav__link--active" in plain.page(str(p)))
    assert plain.page(str(role_page)).count('class="md-nav__link"') > 20  # its group is listed


NAV_INTO_A_FOLDER = """site_name: T
theme:
  name: material
  features: [navigation.sections]
hooks: [{root}/hooks/rolebook_hook.py]
extra:
  rolebook:
    sources: [roles]
    search: material
    cache: false
plugins: [search]
nav:
  - Home: index.md
  - Team: team/index.md
  - Others: other/index.md
  - Work:
      - Plans: team/plans.md
      - Notes: team/notes/index.md
      - External: https://example.com/x/
  - Roles: roles/index.md
"""


def test_an_item_linking_into_a_pages_own_folder_is_drawn_for_that_page(tmp_path: Path, monkeypatch) -> None:
    """From `team/` the link to `team/plans/` is `plans/`, from `other/` it is
    `../team/plans/`: two pages in the same folder share an item only when none of its
    links goes into either page's own folder."""
    from conftest import build_site

    write_tree(
        tmp_path,
        {
            "mkdocs.yml": NAV_INTO_A_FOLDER.format(root=ROOT),
            "docs/index.md": "# Home\n",
            "docs/team/index.md": "# Team\n",
            "docs/other/index.md": "# Others\n",
            "docs/team/plans.md": "# Plans\n",
            "docs/team/notes/index.md": "# Notes\n",
            "roles/tester/ROLE.md": "# Tester - ROLE\n\n## Mission\n\nTest the plans.\n",
        },
    )
    config_file = tmp_path / "mkdocs.yml"
    reused = build_site(tmp_path / "reused", config_file=config_file, sources=tmp_path / "roles")
    monkeypatch.setattr(compat, "reuse_navigation_items", lambda *args: False)
    plain = build_site(tmp_path / "plain", config_file=config_file, sources=tmp_path / "roles")
    assert 'href="plans/"' in plain.page("team/") and 'href="../team/plans/"' in plain.page("other/")
    for page in ("", "team/", "other/", "team/plans/", "team/notes/", "roles/"):
        assert reused.page(page) == plain.page(page), page
