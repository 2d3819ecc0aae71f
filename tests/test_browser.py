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

from conftest import GRAPH_ROLES, build_site, graph_library, write_tree

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
    from playwright.sync_api import expect, sync_playwright

    # a loaded 2-core machine (CI, or tests beside other builds) can take longer than
    # playwright's 5 s default for a page's scripts to settle: wait, then judge
    expect.set_options(timeout=15_000)
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


def _wait_for_path(page: Page, path: str) -> None:
    """Wait until the address is `path`, whatever its #fragment: Material's
    navigation.tracking writes the heading in view there, on a slow machine even before
    the wait starts."""
    page.wait_for_url(re.compile(re.escape(path) + r"(#.*)?$"))


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
    from playwright.sync_api import expect

    # the content follows the URL
    expect(page.locator(".md-content h1").first).to_have_text(re.compile("^Backend"), timeout=15000)
    assert page.locator(".md-content").get_by_text("2–3 representative requests").count() == 1
    page.screenshot(path=str(artifacts / "backend.png"), full_page=True)
    assert outside == [], f"the site tried to reach the network: {outside}"


def test_an_items_line_link_opens_the_line_in_the_source_view(browser_page, served: str) -> None:
    page, outside = browser_page
    page.goto(served + "/roles/backend/")
    page.locator('a.rb-lineref[href$="/roles/backend/sources/#role-md-L8"]').click()
    # Material's navigation.tracking may already have moved the address's # to the heading
    # in view: the landing highlight stays on the line all the same.
    page.wait_for_url("**/roles/backend/sources/**")
    line = page.locator("#role-md-L8.rb-landed")
    line.wait_for()
    assert "DB schema and migrations" in line.inner_text()
    assert outside == []


def test_graph_is_drawn_offline_and_filters_work(browser_page, served: str, artifacts: Path) -> None:
    page, outside = browser_page
    page.goto(served + "/matrices/graph/")
    graph = page.locator("svg#rb-graph")
    graph.wait_for()
    assert page.locator("svg#rb-graph g.rb-node").count() == 11
    delegates = page.locator('svg#rb-graph g[data-type="delegates_to"] path')
    depends = page.locator('svg#rb-graph g[data-type="depends_on"] path')
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
    _wait_for_path(page, "/matrices/graph/")
    page.locator("svg#rb-graph g.rb-node").first.wait_for()
    _settle(page)
    assert page.evaluate("() => window.rbSamePage === true"), "the click reloaded the page: no instant navigation"
    assert page_errors == [], page_errors
    page.screenshot(path=str(artifacts / "graph-after-instant-navigation.png"))
    integrator = page.locator('svg#rb-graph g.rb-node[data-role="integrator"] a')
    integrator.click()  # the first click focuses the role, the second opens its page
    assert page.locator('svg#rb-graph g.rb-node.rb-focus[data-role="integrator"]').count() == 1
    integrator.click()
    _wait_for_path(page, "/roles/integrator/")
    _settle(page)
    assert page_errors == [] and outside == [], (page_errors, outside)


# -- Finding one's way: the navigation, the landing line, a phone ----------------------------


def test_every_generated_page_is_reached_by_clicking_the_navigation(
    browser_page, page_errors: list[str], served: str, artifacts: Path
) -> None:
    """From the home page, with instant navigation, through visible tabs and sidebar links only."""
    page, outside = browser_page
    page_errors.clear()
    page.goto(served + "/")
    page.evaluate("() => { window.rbSamePage = true; }")
    tabs = page.locator("nav.md-tabs")
    sidebar = page.locator(".md-sidebar--primary")

    from playwright.sync_api import expect

    def visit(area, name: str, url: str, title: str) -> None:
        area.get_by_role("link", name=name, exact=True).click()
        _wait_for_path(page, f"/{url}")
        # instant navigation changes the address first, then the content
        expect(page.locator(".md-content h1").first).to_have_text(re.compile("^" + re.escape(title)), timeout=15000)

    visit(tabs, "Roles", "roles/", "Roles")
    visit(sidebar, "Backend", "roles/backend/", "Backend")
    page.screenshot(path=str(artifacts / "role-sidebar.png"))
    visit(sidebar, "Designer", "roles/designer/", "Designer")
    visit(sidebar, "Backend", "roles/backend/", "Backend")
    visit(tabs, "Roles", "roles/", "Roles")
    visit(page.locator("article"), "5", "roles/backend/sources/", "Backend: sources")  # the Documents column
    visit(tabs, "Roles", "roles/", "Roles")
    visit(tabs, "Matrices", "matrices/responsibilities/", "Responsibility matrix")
    visit(sidebar, "Escalations", "matrices/escalations/", "Escalation matrix")
    visit(sidebar, "Relations graph", "matrices/graph/", "Relations graph")
    visit(sidebar, "Conflicts and gaps", "conflicts/", "Conflicts and gaps")
    visit(sidebar, "Gaps", "gaps/", "Gaps")
    visit(tabs, "Document health", "health/", "Document health")
    visit(tabs, "Guide", "guide/add-a-role/", "Add a role")
    visit(sidebar, "Data export", "guide/export/", "Data export")
    assert page.evaluate("() => window.rbSamePage === true"), "a click reloaded the page"
    assert page_errors == [] and outside == [], (page_errors, outside)


def test_a_referenced_by_link_lands_on_its_line_highlighted(browser_page, served: str, artifacts: Path) -> None:
    """Also after Material's instant navigation, which leaves CSS :target behind."""
    page, outside = browser_page
    page.goto(served + "/roles/data-engineer/")
    page.evaluate("() => { window.rbSamePage = true; }")
    page.locator('article a[href*="/roles/backend/#backend-developer-md-L"]').first.click()
    page.wait_for_url("**/roles/backend/#backend-developer-md-L*")
    target = page.locator("#" + page.url.rsplit("#", 1)[1])
    target.wait_for()
    assert page.evaluate("() => window.rbSamePage === true")
    # the document is named once per block, not on every item (177 chips on this page before)
    assert page.locator("article a.rb-src").count() == 0
    assert page.locator("article .rb-from").count() < 40 < page.locator("article a.rb-lineref").count()
    assert "data-engineer" in target.inner_text()
    assert "rb-landed" in (target.get_attribute("class") or "")
    background = target.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900  # on screen
    page.screenshot(path=str(artifacts / "landing-line.png"))
    # the next landing moves the highlight (a 'Works with' row on the same page)
    page.locator('table.rb-relations a[href$="#role-md-L14"]').click()
    page.wait_for_function("() => location.hash === '#role-md-L14'")
    assert page.locator(".rb-landed").evaluate_all("found => found.map(e => e.id)") == ["role-md-L14"]
    assert outside == []


@pytest.mark.parametrize("path", ["roles/backend/", "matrices/responsibilities/", "roles/", "health/"])
def test_no_page_scrolls_sideways_on_a_phone(browser: Browser, served: str, artifacts: Path, path: str) -> None:
    outside: list[str] = []
    errors: list[str] = []
    page = _offline_page(browser, 400, outside, errors)
    try:
        page.goto(f"{served}/{path}")
        _settle(page)
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(artifacts / f"phone-{name}.png"))
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= 400, f"/{path} is {scroll_width} px wide"
        assert errors == [] and outside == [], (errors, outside)
    finally:
        page.context.close()


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


# -- The relations graph of a small library: focus, filter, pan and zoom, and without script --


@pytest.fixture(scope="module")
def graph_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("graph")
    site = build_site(root / "site", sources=write_tree(root / "roles", graph_library()))
    with _serve(site.site_dir) as url:
        yield url


def _view_box(page: Page) -> list[float]:
    return [float(n) for n in page.locator("svg#rb-graph").get_attribute("viewBox").split()]


def test_graph_focus_brings_a_role_and_its_neighbours_into_view(
    browser: Browser, graph_served: str, artifacts: Path
) -> None:
    outside: list[str] = []
    errors: list[str] = []
    page = _offline_page(browser, 1280, outside, errors)
    page.set_viewport_size({"width": 1280, "height": 480})  # the picture starts below the fold
    try:
        page.goto(f"{graph_served}/matrices/graph/")
        nodes = page.locator("svg#rb-graph g.rb-node")
        assert nodes.count() == len(GRAPH_ROLES)
        assert "1 role has none of these relations" in page.locator("article").inner_text()
        assert page.locator("#rb-edges tbody tr").count() == 3 * len(GRAPH_ROLES)
        whole = _view_box(page)

        page.locator("select[data-rb-focus]").select_option("tester")
        _settle(page)
        focused = page.locator('g.rb-node.rb-focus[data-role="tester"] circle')
        box = focused.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 480, box
        # its neighbours (delegates to Releaser, escalates to Observer, hands off to Integrator;
        # named by Builder, Planner, Reviewer) stand out, the other role is dimmed
        near = {n.get_attribute("data-role") for n in page.locator("g.rb-node.rb-near").all()}
        assert near == {"releaser", "observer", "integrator", "builder", "planner", "reviewer"}
        assert page.locator("g.rb-node.rb-dim").count() == 1
        assert "Tester: 6 relations shown, with 6 roles" in page.locator(".rb-graph-status").inner_text()
        page.screenshot(path=str(artifacts / "graph-focus.png"))

        # relation types: unticking one hides its arrows, and the focus counts what is shown
        delegates = page.locator('svg#rb-graph g[data-type="delegates_to"] path')
        assert delegates.count() == len(GRAPH_ROLES) and delegates.first.is_visible()
        page.locator('input[data-rb-edge="delegates_to"]').uncheck()
        assert not any(edge.is_visible() for edge in delegates.all())
        assert page.locator('svg#rb-graph g[data-type="hands_off_to"] path').first.is_visible()
        assert "Tester: 4 relations shown" in page.locator(".rb-graph-status").inner_text()

        # click a role: focus moves there, the page stays; click it again: its page opens
        page.locator('g.rb-node[data-role="observer"] circle').click()
        assert page.locator("select[data-rb-focus]").input_value() == "observer"
        assert page.url.endswith("/matrices/graph/")

        # zoom and pan change what part of the picture shows; "All" shows all of it again
        page.locator(".rb-graph-zoom button", has_text="All").click()
        before = _view_box(page)
        assert before[2] >= whole[2] - 1
        page.locator('.rb-graph-zoom button[aria-label="Zoom in"]').click()
        assert _view_box(page)[2] < before[2] / 1.4
        frame = page.locator("svg#rb-graph").bounding_box()
        assert frame is not None
        page.mouse.move(frame["x"] + 200, frame["y"] + 100)
        page.mouse.down()
        page.mouse.move(frame["x"] + 300, frame["y"] + 150, steps=4)
        page.mouse.up()
        assert _view_box(page)[0] < before[0] + (before[2] - before[2] / 1.5) / 2 - 10  # moved left
        page.locator(".rb-graph-zoom button", has_text="All").click()

        # the table filters on what its rows say: from, relation, to
        rows = page.locator("#rb-edges tbody tr")
        page.locator('input[data-rb-filter="rb-edges"]').fill("escalates to")
        assert len([row for row in rows.all() if row.is_visible()]) == len(GRAPH_ROLES)
        page.locator('input[data-rb-filter="rb-edges"]').fill("tester escalates to")
        assert [row.inner_text().split("\t")[2] for row in rows.all() if row.is_visible()] == ["Observer"]

        # the keyboard: Escape leaves the focus, Enter on a role focuses it
        page.locator('g.rb-node[data-role="observer"] a').focus()
        page.keyboard.press("Escape")
        assert page.locator("select[data-rb-focus]").input_value() == ""
        assert page.locator("g.rb-node.rb-dim").count() == 0
        page.keyboard.press("Enter")
        assert page.locator("select[data-rb-focus]").input_value() == "observer"

        page.locator('g.rb-node[data-role="observer"] circle').click()  # still focused: opens its page
        _wait_for_path(page, "/roles/observer/")
        _settle(page)
        assert errors == [] and outside == [], (errors, outside)
    finally:
        page.context.close()


def test_graph_and_its_table_without_script(browser: Browser, graph_served: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 400, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{graph_served}/matrices/graph/")
        assert page.locator("svg#rb-graph g.rb-node").count() == len(GRAPH_ROLES)
        assert page.locator('svg#rb-graph g[data-type="escalates_to"] path').first.is_visible()
        assert not page.locator("select[data-rb-focus]").is_visible()  # controls that need the script
        table = page.locator("table#rb-edges")
        assert table.locator("caption").inner_text().startswith("Every relation the graph draws")
        assert table.locator("tbody tr").first.inner_text().split("\t")[:3] == ["Builder", "hands off to", "Designer"]
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= 400
        page.screenshot(path=str(artifacts / "graph-no-script-400px.png"), full_page=True)
    finally:
        context.close()
