"""What a person sees: the built site served on 127.0.0.1, driven in Debian's chromium.

No network: any request that does not go to the local server is aborted and recorded, and
the test fails if the site tried to make one (fonts and diagrams must come from the site).
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import build_site, write_tree

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def _serve(directory: Path) -> Iterator[str]:
    """Serve `directory` (which may be filled after this starts) on a free local port."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped site, built for the address it is served at: Material's instant
    navigation only follows links its sitemap lists, and the sitemap needs `site_url`
    (as under `mkdocs serve`, and on any host that sets it)."""
    site_dir = tmp_path_factory.mktemp("served") / "site"
    with _serve(site_dir) as url:
        build_site(site_dir, site_url=url + "/")
        yield url


LOCAL = re.compile(r"^(https?://(127\.0\.0\.1|localhost)(:\d+)?/|data:|blob:)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is not installed: run scripts/test, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _offline_page(browser: Browser, width: int, outside: list[str], errors: list[str]) -> Page:
    """A page in a context of its own that can reach nothing but the local server: any other
    request is aborted and recorded in `outside`; console errors and uncaught exceptions
    go to `errors`."""

    def route(route: Route) -> None:
        if LOCAL.match(route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": width, "height": 900})
    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    return page


@pytest.fixture(scope="module")
def page_errors() -> list[str]:
    """Console errors and uncaught exceptions of `browser_page`, as they happen."""
    return []


@pytest.fixture(scope="module")
def browser_page(browser: Browser, page_errors: list[str]) -> Iterator[tuple[Page, list[str]]]:
    outside: list[str] = []
    page = _offline_page(browser, 1280, outside, page_errors)
    yield page, outside
    page.context.close()


def test_search_finds_backend_and_the_page_renders_offline(browser_page, served: str, artifacts: Path) -> None:
    page, outside = browser_page
    with page.expect_response(lambda response: "search_index.json" in response.url):
        page.goto(served + "/")
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("idempotent", delay=40)
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=15000)
    # results come as the words are typed: wait for those of the whole word
    page.wait_for_function("() => document.querySelector('.md-search-result__list a')?.href.includes('h=idempotent')")
    results_text = page.locator(".md-search-result").inner_text()
    assert "Backend" in results_text
    page.screenshot(path=str(artifacts / "search-idempotent.png"))

    page.locator(".md-search-result__item a").first.click()
    page.wait_for_url("**/roles/backend/**")
    page.locator(".md-content h1").first.wait_for()
    assert page.locator(".md-content h1").first.inner_text().strip(" ¶") == "Backend"
    assert page.locator(".md-content").get_by_text("2–3 representative requests").count() == 1
    page.screenshot(path=str(artifacts / "backend.png"), full_page=True)
    assert outside == [], f"the site tried to reach the network: {outside}"


def test_provenance_chip_opens_the_line_in_the_source_view(browser_page, served: str) -> None:
    page, outside = browser_page
    page.goto(served + "/roles/backend/")
    page.locator('a.rb-src[href$="/roles/backend/sources/#role-md-L8"]').click()
    page.wait_for_url("**/roles/backend/sources/#role-md-L8")
    line = page.locator("#role-md-L8")
    line.wait_for()
    assert "DB schema and migrations" in line.inner_text()
    assert outside == []


def test_graph_is_drawn_offline_and_filters_work(browser_page, served: str, artifacts: Path) -> None:
    page, outside = browser_page
    page.goto(served + "/matrices/graph/")
    graph = page.locator("svg#rb-graph")
    graph.wait_for()
    assert page.locator("svg#rb-graph g.rb-node").count() == 11
    delegates = page.locator('svg#rb-graph path[data-type="delegates_to"]')
    depends = page.locator('svg#rb-graph path[data-type="depends_on"]')
    assert delegates.first.is_visible() and not depends.first.is_visible()
    page.locator('input[data-rb-edge="depends_on"]').check()
    assert depends.first.is_visible()
    page.locator('input[data-rb-edge="delegates_to"]').uncheck()
    assert not delegates.first.is_visible()
    page.locator("select[data-rb-focus]").select_option("data-engineer")
    dimmed = page.locator('svg#rb-graph g.rb-node.rb-dim[data-role="integrator"]')
    assert dimmed.count() == 1
    assert page.locator('svg#rb-graph g.rb-node.rb-dim[data-role="backend"]').count() == 0
    graph.screenshot(path=str(artifacts / "graph.png"))
    assert outside == [], f"the site tried to reach the network: {outside}"


def test_matrix_filter_column_pick_and_sort(browser_page, served: str, artifacts: Path) -> None:
    page, outside = browser_page
    page.goto(served + "/matrices/escalations/")
    rows = page.locator("#rb-escalations tbody tr")
    total = rows.count()
    assert total >= 11
    page.locator('input[data-rb-filter="rb-escalations"]').fill("Backend")
    assert len([r for r in rows.all() if r.is_visible()]) == total  # every trigger here is Backend's
    page.locator('input[data-rb-filter="rb-escalations"]').fill("database architect")
    assert [r for r in rows.all() if r.is_visible()] == []  # a target, not a role with triggers
    page.locator('input[data-rb-filter="rb-escalations"]').fill("")
    assert len([r for r in rows.all() if r.is_visible()]) == total
    page.locator("#rb-escalations thead th", has_text="Escalates to").click()
    targets = [r.locator("td").nth(1).get_attribute("data-sort") for r in rows.all()]
    assert targets == sorted(targets) and targets[0] == "database-architect" and targets[-1] == "user"
    page.locator("#rb-escalations thead th", has_text="Escalates to").click()
    assert [r.locator("td").nth(1).get_attribute("data-sort") for r in rows.all()][0] == "user"

    page.goto(served + "/matrices/responsibilities/")
    page.locator('select[data-rb-columns="rb-responsibilities"]').select_option("migrations")
    shown = page.locator("#rb-responsibilities thead th[data-area]:visible")
    assert shown.count() == 1 and shown.first.inner_text().startswith("Migrations")
    page.screenshot(path=str(artifacts / "responsibilities.png"), full_page=True)
    assert outside == []


# -- Every kind of page, offline, without an error in the console --------------------------

PAGE_KINDS = [
    "",  # home
    "roles/",
    "roles/backend/",  # a role
    "roles/backend/sources/",
    "roles/data-engineer/",  # a role no document defines
    "matrices/responsibilities/",
    "conflicts/",
    "matrices/escalations/",
    "matrices/graph/",
    "gaps/",
    "health/",
    "guide/add-a-role/",
]


def _settle(page: Page) -> None:
    """Let the page's scripts run what they queued after loading."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)))")


def test_every_page_kind_loads_and_navigates_without_errors(
    browser_page, page_errors: list[str], served: str, artifacts: Path
) -> None:
    page, outside = browser_page
    page_errors.clear()
    for path in PAGE_KINDS:
        page.goto(f"{served}/{path}")
        _settle(page)
        assert page_errors == [], f"/{path}: {page_errors}"

    # Material's instant navigation: the graph replaces the page without reloading it, and
    # its links (SVG ones) must neither break that nor lead elsewhere
    page.goto(f"{served}/guide/links/")
    page.evaluate("() => { window.rbSamePage = true; }")
    page.locator('article a[href$="matrices/graph/"]').first.click()
    page.wait_for_url("**/matrices/graph/")
    page.locator("svg#rb-graph g.rb-node").first.wait_for()
    _settle(page)
    assert page.evaluate("() => window.rbSamePage === true"), "the click reloaded the page: no instant navigation"
    assert page_errors == [], page_errors
    page.screenshot(path=str(artifacts / "graph-after-instant-navigation.png"))
    page.locator('svg#rb-graph g.rb-node[data-role="integrator"] a').click()
    page.wait_for_url("**/roles/integrator/")
    _settle(page)
    assert page_errors == [] and outside == [], (page_errors, outside)


# -- A small library of our own: roles that name each other, facts too long for a phone ----

LONG_MODEL = "claude-3-5-sonnet-20241022-with-an-extraordinarily-long-model-identifier-that-never-breaks"
SMALL_LIBRARY = {
    "alpha/ROLE.md": "# Alpha - ROLE\n\n## Mission\nShips releases for the team.\n\n## In-Scope\n"
    "- Owns the release pipeline and deployment\n\n## Out-of-Scope\n"
    "- Do not write database migrations (Beta does)\n\n## Escalation Triggers\n"
    "- Escalate to Beta when a migration blocks a release\n",
    "beta/ROLE.md": "# Beta - ROLE\n\n## Mission\nKeeps the data safe.\n\n## In-Scope\n"
    "- Owns the database schema and migrations\n\n## Escalation Triggers\n"
    "- Escalate to Alpha when a release needs a schema change\n- Stop and ask the user when data would be lost\n",
    "wide/ROLE.md": "---\nname: wide\ndescription: Keeps very long things tidy.\n"
    "tools: Read, Bash(git log --format=%H%n%an%n%s --since=2.weeks.ago:*), "
    "mcp__github__create_pull_request_with_a_very_long_name\n"
    f"model: {LONG_MODEL}\n"
    "homepage: https://example.com/a/very/long/path/that/does/not/break/anywhere/because/it/has/no/spaces/\n"
    "metadata:\n  config_path: /srv/agents/wide/config/production/settings/override/local/agent-settings.yaml\n"
    "---\n\n# Wide - ROLE\n\n## Mission\n"
    "Keeps `/var/lib/rolebook/a/very/long/path/without/any/spaces/in/it/at/all/file-name.txt` tidy.\n\n"
    "## In-Scope\n- Runs `some-command --with-a-very-long-option-name=and-a-very-long-value-that-never-ends`\n\n"
    "```bash\nsome-command --with-a-very-long-option-name=and-a-very-long-value-that-never-ends --and-more\n```\n",
}


@pytest.fixture(scope="module")
def small_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("small")
    site = build_site(root / "site", sources=write_tree(root / "roles", SMALL_LIBRARY))
    with _serve(site.site_dir) as url:
        yield url


def _shown_rows(page: Page, table: str) -> list[tuple[str, str]]:
    """(row header, rest of the row's text) of the rows of `table` that are shown."""
    rows = page.locator(f"{table} tbody tr")
    return [
        (row.locator("th").inner_text().strip(), " ".join(row.locator("td").all_inner_texts()))
        for row in rows.all()
        if row.is_visible()
    ]


def test_filter_roles_matches_role_names_not_the_rest_of_the_row(browser_page, small_served: str) -> None:
    page, outside = browser_page
    page.goto(f"{small_served}/matrices/escalations/")
    box = page.locator('input[data-rb-filter="rb-escalations"]')
    assert box.get_attribute("placeholder") == "Filter roles…"
    everything = _shown_rows(page, "#rb-escalations")
    assert [who for who, _ in everything] == ["Alpha", "Beta", "Beta"]
    assert "Beta" in everything[0][1]  # Alpha's trigger names Beta…
    box.fill("beta")
    assert _shown_rows(page, "#rb-escalations") == everything[1:]  # …and is no row of Beta's
    box.fill("ALPHA ")
    assert _shown_rows(page, "#rb-escalations") == everything[:1]

    page.goto(f"{small_served}/matrices/responsibilities/")
    box = page.locator('input[data-rb-filter="rb-responsibilities"]')
    assert box.get_attribute("placeholder") == "Filter roles…"
    everything = _shown_rows(page, "#rb-responsibilities")
    assert [who for who, _ in everything] == ["Alpha", "Beta", "Wide"] and "Beta" in everything[0][1]
    box.fill("Beta")
    assert [who for who, _ in _shown_rows(page, "#rb-responsibilities")] == ["Beta"]
    box.fill("")
    assert len(_shown_rows(page, "#rb-responsibilities")) == 3
    assert outside == []


def test_a_role_page_with_long_facts_does_not_scroll_sideways_on_a_phone(
    browser: Browser, small_served: str, artifacts: Path
) -> None:
    outside: list[str] = []
    errors: list[str] = []
    page = _offline_page(browser, 400, outside, errors)
    try:
        page.goto(f"{small_served}/roles/wide/")
        facts = page.locator("table.rb-facts")
        assert LONG_MODEL in facts.inner_text().replace("\n", "")
        page.screenshot(path=str(artifacts / "role-long-facts-400px.png"), full_page=True)
        scroll_width, inner_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width == 400
        box = facts.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 400
        assert errors == [] and outside == [], (errors, outside)
    finally:
        page.context.close()
