"""What a person sees: the built site served on 127.0.0.1, driven in Debian's chromium.

No network: any request that does not go to the local server is blocked and recorded, and
the test fails if the site tried to make one (fonts and diagrams must come from the site).
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import BuiltSite

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


@pytest.fixture(scope="module")
def served(shipped_site: BuiltSite) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(shipped_site.site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser_page(served: str) -> Iterator[tuple[object, list[str]]]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is not installed: run scripts/test, which installs it")
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})

        page = context.new_page()
        # The machine has no network; record any attempt to reach one.
        page.on(
            "request",
            lambda request: None if request.url.startswith((served, "data:", "blob:")) else outside.append(request.url),
        )
        yield page, outside
        browser.close()


def test_search_finds_backend_and_the_page_renders_offline(browser_page, served: str, artifacts: Path) -> None:
    page, outside = browser_page
    with page.expect_response(lambda response: "search_index.json" in response.url):
        page.goto(served + "/")
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("idempotent", delay=40)
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=15000)
    results_text = page.locator(".md-search-result").inner_text()
    assert "Backend" in results_text
    page.screenshot(path=str(artifacts / "search-idempotent.png"))

    page.locator(".md-search-result__item a").first.click()
    page.wait_for_url("**/roles/backend/**")
    page.locator("h1").first.wait_for()
    assert page.locator("h1").first.inner_text().strip(" ¶") == "Backend"
    assert page.get_by_text("2–3 representative requests").count() == 1
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
    page.locator('input[data-rb-filter="rb-escalations"]').fill("user")
    visible = [r for r in rows.all() if r.is_visible()]
    assert len(visible) == 1 and "STOP and ask user" in visible[0].inner_text()
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
