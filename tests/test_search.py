"""Search: what Pagefind indexes (read back from its index), how Material's search box is
pointed at it, Material's own index as the alternative, and, in chromium with the network
blocked, that a responsibility word finds a role first."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import test_browser
from test_browser import _offline_page, _serve

from conftest import SHARED, BuiltSite, build_site
from rolebook.config import SettingsError, read_settings
from rolebook.site import search

small_served, served, browser = test_browser.small_served, test_browser.served, test_browser.browser
"""test_browser's fixtures: its small library and the shipped site, built and served once
for this module too, and chromium."""
SENTINEL = SHARED / "corpora" / "sentinel-kit"

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


def section_words(page: dict, anchor: str) -> str:
    """The words Pagefind holds for one section of `page` (from its heading to the next)."""
    starts = sorted(a["location"] for a in page["anchors"] if a["element"] in ("h1", "h2", "h3", "h4", "h5", "h6"))
    start = next(a["location"] for a in page["anchors"] if a["id"] == anchor)
    end = next((s for s in starts if s > start), None)
    return " ".join(page["content"].split()[start:end])


def test_roles_and_guide_are_indexed_and_role_pages_are_marked(shipped_site: BuiltSite) -> None:
    pages = shipped_site.search_pages()
    assert {"/", "/roles/", "/roles/backend/", "/roles/integrator/", "/guide/links/", "/health/"} <= pages.keys()
    kinds = {url: page["meta"].get("kind") for url, page in pages.items()}
    assert kinds["/roles/backend/"] == kinds["/roles/integrator/"] == "role"
    assert kinds["/"] is kinds["/roles/"] is kinds["/guide/links/"] is None
    # what repeats the role pages, and the code's reference, are not searched
    for url in pages:
        assert not url.startswith(("/roles/backend/sources/", "/matrices/", "/reference/")), url
    assert pages["/roles/backend/"]["meta"]["title"] == "Backend"


def test_sections_hold_their_words_without_chips_or_provenance(shipped_site: BuiltSite) -> None:
    backend = shipped_site.search_pages()["/roles/backend/"]
    assert "migrations" in section_words(backend, "responsibilities--role-md--in-scope")
    assert "idempotent" in section_words(backend, "workflow--playbook-md--intro")
    assert "ROLE.md:8" not in backend["content"] and "From ROLE.md" not in backend["content"]
    assert "¶" not in backend["content"]


def test_cards_rosters_and_boilerplate_are_not_indexed_as_blobs(shipped_site: BuiltSite) -> None:
    pages = shipped_site.search_pages()
    home, roles, gaps, health = (pages[url]["content"] for url in ("/", "/roles/", "/gaps/", "/health/"))
    assert "Rolebook is a knowledge base" in home and "5 source documents" not in home
    assert "Use search to find a role" in roles
    assert "Backender" not in roles and "none (referenced)" not in roles
    assert "referenced only" not in gaps
    assert "Document health" in health and "repaired mojibake" not in health
    # every page of a role no document defines ends with the same how-to: not searched
    assert "Define this role" not in pages["/roles/integrator/"]["content"]
    assert "Integrator" in pages["/roles/integrator/"]["content"]


def test_every_page_asks_rolebooks_worker_and_materials_index_is_empty(shipped_site: BuiltSite) -> None:
    for page in ("", "roles/backend/", "roles/backend/sources/", "404.html"):
        html = shipped_site.page(page)
        assert f'{search.WORKER_URI}"' in html and "workers/search." not in html, page
    worker = shipped_site.site_dir / search.WORKER_URI
    assert worker.read_text(encoding="utf-8") == search.WORKER_SOURCE.read_text(encoding="utf-8")
    index = json.loads((shipped_site.site_dir / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] == [] and index["config"]["lang"] == ["en"]  # Material highlights with the config


def test_marks_and_worker_on_html() -> None:
    article = '<article class="md-content__inner md-typeset"><h1 id="a">A</h1></article>'
    assert search.mark_searchable(article, role=True).startswith(
        '<article class="md-content__inner md-typeset" data-pagefind-body data-pagefind-weight="10" '
        'data-pagefind-meta="kind:role">'
    )
    assert search.mark_searchable(article, role=False).startswith(
        '<article class="md-content__inner md-typeset" data-pagefind-body>'
    )
    config = '{"base": "..", "search": "../assets/javascripts/workers/search.a7633da7.min.js", "tags": null}'
    assert search.use_worker(config) == f'{{"base": "..", "search": "../{search.WORKER_URI}", "tags": null}}'
    assert search.keep_exclusions('<p class="x" data-search-exclude>a</p><div data-search-exclude="">') == (
        '<p class="x" data-pagefind-ignore="all">a</p><div data-pagefind-ignore="all">'
    )


def test_the_indexer_reads_only_the_pages_it_indexes() -> None:
    assert search.files_to_read(["index.html", "roles/a/index.html", "guide/x/index.html"]) == (
        "{roles/*/index.html,guide/x/index.html,index.html}"
    )
    assert search.files_to_read(["odd{name}.html"]) == search.files_to_read(None) == "**/*.html"
    assert search.files_to_read([f"page-{n}/index.html" for n in range(3000)]) == "**/*.html"


@pytest.fixture(scope="module")
def material_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The shipped site with Material's own search (`search: material`)."""
    return build_site(tmp_path_factory.mktemp("material") / "site", settings={"search": "material"})


def test_material_search_indexes_sections_without_excluded_parts(material_site: BuiltSite) -> None:
    assert not (material_site.site_dir / "pagefind").exists()
    assert "workers/search." in material_site.page("") and search.WORKER_URI not in material_site.page("")
    index = material_site.search_index()
    assert not [d for d in index if d["location"].startswith(("roles/backend/sources/", "reference/", "matrices/"))]
    backend = [d for d in index if d["location"].startswith("roles/backend/")]
    assert not [d for d in backend if "PLAYBOOK.md:3 " in d["text"]], "provenance chips are not content"
    for word, anchor in [
        ("migrations", "responsibilities--role-md--in-scope"),
        ("idempotent", "workflow--playbook-md--intro"),
    ]:
        hits = [d for d in index if word in d["text"] and d["location"].startswith("roles/backend/#")]
        assert f"roles/backend/#{anchor}" in {d["location"] for d in hits}, word
    home = next(d for d in index if d["location"] == "#roles")
    assert "5 source documents" not in home["text"]
    roster = next(d for d in index if d["location"] == "roles/")
    assert "none (referenced)" not in roster["text"]


def test_material_search_sees_generated_pages_as_it_would_whole(material_site: BuiltSite) -> None:
    """The search plugin is handed role pages without their search-excluded parts: the
    entries must be exactly those Material makes from the whole page."""
    from material.plugins.search.plugin import Parser

    from rolebook.render.slots import without_search_excluded

    def sections(html: str) -> list[tuple[str, str, str | None]]:
        parser = Parser()
        parser.feed(html)
        parser.close()
        return [("".join(s.title), "".join(s.text), s.id) for s in parser.data if not s.is_excluded()]

    checked = 0
    pages = [*(material_site.site_dir / "roles").glob("*/index.html"), material_site.site_dir / "conflicts/index.html"]
    for path in pages:
        page = path.read_text(encoding="utf-8")
        if "<article" not in page:
            continue  # a redirect from an alias
        article = page[page.index("<article") : page.index("</article>")]
        article = article[article.index(">") + 1 :]
        assert sections(without_search_excluded(article)) == sections(article), path
        checked += "data-search-exclude" in article
    assert checked >= 2


def test_an_unknown_search_engine_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"extra\.rolebook\.search: Expected one of: .*'pagefind'.* 'lunr'"):
        read_settings({"search": "lunr"}, tmp_path)


# -- In chromium, network blocked --------------------------------------------------------


@pytest.fixture(scope="module")
def offline(browser: Browser, small_served: str) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A page of test_browser's small library (Alpha ships releases, Beta owns migrations)
    that can reach nothing but the local server."""
    outside: list[str] = []
    errors: list[str] = []
    page = _offline_page(browser, 1280, outside, errors)
    page.goto(small_served + "/")
    yield page, outside, errors
    page.context.close()


@pytest.fixture(scope="module")
def sentinel_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """sentinel-kit, built and served (13 roles of one framework)."""
    if not SENTINEL.is_dir():
        pytest.skip("../shared/corpora/sentinel-kit is not beside this checkout")
    site_dir = tmp_path_factory.mktemp("sentinel-search") / "site"
    with _serve(site_dir) as url:
        build_site(site_dir, sources=SENTINEL)
        yield url


def _results(page: Page, query: str) -> list[list[str]]:
    """Type `query` into Material's search box; the links of each result, page first."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")
    box.press_sequentially(query, delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    page.wait_for_function(
        "q => document.querySelector('.md-search-result__list a')?.href.includes('h=' + q)", arg=query
    )
    return [
        [link.get_attribute("href") or "" for link in item.locator("a.md-search-result__link").all()]
        for item in page.locator(".md-search-result__item").all()
    ]


@pytest.mark.parametrize(
    ("query", "roles"), [("migrations", {"alpha", "beta"}), ("release", {"alpha"}), ("escalat", {"alpha", "beta"})]
)
def test_a_responsibility_word_finds_a_role_first(offline, small_served: str, query: str, roles: set[str]) -> None:
    page, outside, errors = offline
    results = _results(page, query)
    first = results[0][0].split("?")[0]
    assert first in {f"{small_served}/roles/{role}/" for role in roles}, results
    assert any("#" in link for link in results[0][1:]), "the role's sections are listed under it"
    pages = [links[0].split("?")[0] for links in results]
    assert f"{small_served}/roles/" not in pages, "the roster is no blob of every role's words"
    is_role = [page.startswith(f"{small_served}/roles/") for page in pages]
    assert is_role == sorted(is_role, reverse=True), f"role pages come before the others: {pages}"
    assert outside == [] and errors == [], (outside, errors)


def test_a_result_opens_the_section_with_the_words_highlighted(offline, small_served: str, artifacts: Path) -> None:
    page, outside, errors = offline
    _results(page, "migrations")
    page.screenshot(path=str(artifacts / "search-migrations.png"))
    page.locator(".md-search-result__item a.md-search-result__link").nth(1).click()
    page.wait_for_url("**/roles/*/?h=migrations#*")
    page.locator("mark[data-md-highlight]").first.wait_for()
    assert page.locator("mark[data-md-highlight]").first.inner_text().lower() == "migrations"
    assert outside == [] and errors == [], (outside, errors)


@pytest.mark.parametrize("site", ["shipped", "sentinel-kit"])
def test_responsibility_words_rank_roles_first_on_real_libraries(
    browser: Browser, site: str, request: pytest.FixtureRequest
) -> None:
    """The words of the issue, on the shipped site and on sentinel-kit: the first result is a
    role page, with its sections."""
    url = request.getfixturevalue("served" if site == "shipped" else "sentinel_served")
    outside: list[str] = []
    errors: list[str] = []
    page = _offline_page(browser, 1280, outside, errors)
    try:
        page.goto(url + "/")
        for query in ("escalat", "migrations", "release", "review"):
            results = _results(page, query)
            assert results[0][0].startswith(f"{url}/roles/"), (query, results[:3])
            assert "#" in " ".join(results[0][1:]), (query, results[0])
        assert outside == [] and errors == [], (outside, errors)
    finally:
        page.context.close()
