#!/usr/bin/env python3
"""Benchmark Rolebook on synthetic libraries (scripts/gen_corpus.py): whole-process
`mkdocs build` medians, peak memory, the hooks' own share, growth exponent, a naive
baseline (the same documents as plain Material pages, no hooks), the `mkdocs serve`
rebuild after one edit, `mkdocs build` after one changed document (with the cache the
build before kept), and the search index in headless chromium. Writes a Markdown table.

    .venv/bin/python scripts/benchmark.py                      # all sizes, ~20 minutes
    .venv/bin/python scripts/benchmark.py --sizes 30 100 --runs 3 --no-baseline --no-search --rebuild 100
    .venv/bin/python scripts/benchmark.py --scale 10000          # only the scale run, opt-in

The scale run (`--scale N`, never part of the default sizes) builds N roles in team folders
once, cold, and reports time, peak memory, the largest generated page and the search index,
against the bar of 300 s, 4 GiB and 2 MB at N=10,000.

Benchmarks are never unit tests: run this by hand and quote its table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

sys.path.insert(0, str(ROOT / "hooks"))

from gen_corpus import generate  # noqa: E402

from rolebook.cache import CACHE_FILE  # noqa: E402

RUNNER = """
import resource, sys
from mkdocs.__main__ import cli
try:
    cli(sys.argv[1:])
except SystemExit as exit:
    if exit.code:
        raise
print("maxrss_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""

BASELINE_CONFIG = """site_name: Baseline
theme:
  name: material
  font: false
plugins:
  - search
"""


def build_once(config: Path, site: Path, env: dict[str, str]) -> tuple[float, int]:
    """One whole-process build: (seconds, peak memory in KiB)."""
    if site.exists():
        shutil.rmtree(site)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, "build", "-q", "-f", str(config), "-d", str(site)],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("maxrss_kib"))
    return seconds, peak


def environment(**extra: str) -> dict[str, str]:
    """The builds' environment. Python writes and reads compiled bytecode (`__pycache__`) as in
    a user's builds: with PYTHONDONTWRITEBYTECODE (set in some containers) every build
    compiled Rolebook's modules from source again, 0.15 s of CPU a build."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra)
    return env


def measure_rolebook(corpus: Path, work: Path, runs: int) -> dict:
    """Whole builds of `corpus` with no documents kept from a previous build (the cache folder
    keeps compiled templates and the lexicon's answers after the first run, not documents)."""
    timings = work / "timings.jsonl"
    timings.unlink(missing_ok=True)
    cache = work / "cache"
    env = environment(ROLEBOOK_SOURCES=str(corpus), ROLEBOOK_TIMINGS=str(timings), ROLEBOOK_CACHE=str(cache))
    results = []
    for _ in range(runs):
        (cache / CACHE_FILE).unlink(missing_ok=True)
        results.append(build_once(ROOT / "mkdocs.yml", work / "site", env))
    phases = [json.loads(line) for line in timings.read_text().splitlines()]
    seconds = [r[0] for r in results]
    hooks = [p["on_files"] + p.get("fill pages", 0.0) for p in phases]
    site = work / "site"
    return {
        "median": statistics.median(seconds),
        "runs": seconds,
        "peak_mib": max(r[1] for r in results) / 1024,
        "hooks": statistics.median(hooks),
        "hooks_share": statistics.median(h / s for h, s in zip(hooks, seconds, strict=True)),
        "phases": {k: statistics.median(p[k] for p in phases) for k in phases[0] if k not in ("parsed", "reused")},
        "pages": sum(1 for _ in site.rglob("*.html")) - 1,  # without 404.html
        "index_kib": search_kib(site),
    }


def search_kib(site: Path) -> float:
    """Size of the search files in a built site (Material's index and Pagefind's bundle)."""
    return sum(f.stat().st_size for d in ("search", "pagefind") for f in (site / d).rglob("*") if f.is_file()) / 1024


def measure_baseline(corpus: Path, work: Path, runs: int) -> float:
    docs = work / "baseline" / "docs"
    if docs.parent.exists():
        shutil.rmtree(docs.parent)
    shutil.copytree(corpus, docs)
    (docs / "index.md").write_text("# Baseline\n", encoding="utf-8")
    config = docs.parent / "mkdocs.yml"
    config.write_text(BASELINE_CONFIG, encoding="utf-8")
    return statistics.median(build_once(config, work / "baseline-site", environment())[0] for _ in range(runs))


def measure_rebuild(corpus: Path, work: Path, runs: int) -> dict:
    """`mkdocs build` after one changed document, with the cache the previous build kept:
    a first build fills it, then each run appends a line to another document and builds."""
    copy = work / "rebuild-corpus"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(corpus, copy)
    cache = work / "rebuild-cache"
    shutil.rmtree(cache, ignore_errors=True)
    timings = work / "rebuild-timings.jsonl"
    timings.unlink(missing_ok=True)
    env = environment(ROLEBOOK_SOURCES=str(copy), ROLEBOOK_TIMINGS=str(timings), ROLEBOOK_CACHE=str(cache))
    first = build_once(ROOT / "mkdocs.yml", work / "rebuild-site", env)[0]
    seconds = []
    for edited in sorted(copy.glob("*/ROLE.md"))[:runs]:
        edited.write_text(edited.read_text(encoding="utf-8") + "\n- One more line, edited.\n", encoding="utf-8")
        seconds.append(build_once(ROOT / "mkdocs.yml", work / "rebuild-site", env)[0])
    phases = [json.loads(line) for line in timings.read_text().splitlines()][1:]
    return {
        "first": first,
        "runs": seconds,
        "median": statistics.median(seconds),
        "parsed": max(p["parsed"] for p in phases),
        "hooks": statistics.median(p["on_files"] + p.get("fill pages", 0.0) for p in phases),
        "pages rendered": max(p.get("pages rendered", 0) for p in phases),
        "pages kept": min(p.get("pages kept", 0) for p in phases),
        "roles assembled": max(p.get("roles assembled", 0) for p in phases),
        "role pages": statistics.median(p.get("role pages", 0.0) for p in phases),
    }


SERVE_PROBE = """
import json, os, sys, threading, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

def once():
    config = load_config(sys.argv[1], site_dir=sys.argv[2])
    config.plugins.on_startup(command="serve", dirty=False)
    started = time.perf_counter()
    build(config, serve_url="http://127.0.0.1:8000/")
    return time.perf_counter() - started

first = once()
# `mkdocs serve` builds once, then starts its server and watcher threads and rebuilds while
# they run (so the rebuild runs in one process: see rolebook/workers.py).
threading.Thread(target=threading.Event().wait, daemon=True).start()
rebuilds = []
for edited in sys.argv[3:]:
    edited = Path(edited)
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text + "\\n- One more line, edited while serving.\\n", encoding="utf-8")
    rebuilds.append(once())
print(json.dumps({"first": first, "rebuilds": rebuilds}))
"""


NO_API_CONFIG = """INHERIT: {root}/mkdocs.yml
docs_dir: {root}/docs
hooks:
  - {root}/hooks/rolebook_hook.py
plugins:
  - search
  - mkdocstrings:
      enabled: false
"""


def measure_shipped_parts(work: Path, runs: int) -> dict:
    """The shipped site with and without its API reference (mkdocstrings), the shipped site
    again with everything the build before kept in its cache folder (`kept`: nothing
    changed, as a second `mkdocs build` finds it), and a one-page Material site (what MkDocs
    and the theme cost on this machine), run in turns."""
    work.mkdir(parents=True, exist_ok=True)
    no_api = work / "no-api.yml"
    no_api.write_text(NO_API_CONFIG.format(root=ROOT), encoding="utf-8")
    floor = work / "floor"
    (floor / "docs").mkdir(parents=True, exist_ok=True)
    (floor / "docs" / "index.md").write_text("# Home\n\nOne page.\n", encoding="utf-8")
    (floor / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    env = environment(ROLEBOOK_SOURCES=str(ROOT / "docs" / "sources"))
    times: dict[str, list[float]] = {"full": [], "no_api": [], "kept": [], "floor": []}
    kept = environment(ROLEBOOK_SOURCES=str(ROOT / "docs" / "sources"), ROLEBOOK_CACHE=str(work / "kept-cache"))
    shutil.rmtree(work / "kept-cache", ignore_errors=True)
    build_once(ROOT / "mkdocs.yml", work / "site", kept)  # fills the cache folder
    for _ in range(runs):
        times["full"].append(build_once(ROOT / "mkdocs.yml", work / "site", env)[0])
        times["kept"].append(build_once(ROOT / "mkdocs.yml", work / "site", kept)[0])
        times["no_api"].append(build_once(no_api, work / "site", env)[0])
        times["floor"].append(build_once(floor / "mkdocs.yml", work / "site", env)[0])
    return {key: statistics.median(values) for key, values in times.items()}


def measure_serve(corpus: Path, work: Path) -> dict:
    """What `mkdocs serve` does on an edit: load the config again and build again, in the
    same process (so the parse cache of the first build is there)."""
    copy = work / "serve-corpus"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(corpus, copy)
    edited = sorted(copy.glob("*/ROLE.md"))[:3]
    timings = work / "serve-timings.jsonl"
    timings.unlink(missing_ok=True)
    env = environment(ROLEBOOK_SOURCES=str(copy), ROLEBOOK_TIMINGS=str(timings))
    done = subprocess.run(
        [sys.executable, "-c", SERVE_PROBE, str(ROOT / "mkdocs.yml"), str(work / "serve-site"), *map(str, edited)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["rebuild"] = statistics.median(result["rebuilds"])
    phases = [json.loads(line) for line in timings.read_text().splitlines()]
    result["parsed_on_rebuild"] = phases[-1]["parsed"]
    result["reused_on_rebuild"] = phases[-1]["reused"]
    return result


SEARCH_ENGINE_CONFIG = """INHERIT: {root}/mkdocs.yml
docs_dir: {root}/docs
hooks:
  - {root}/hooks/rolebook_hook.py
extra:
  rolebook:
    search: {engine}
"""

SEARCH_FILES = ("/pagefind/", "/search/", "/workers/search.", "/search-worker.js")
"""What a page fetches for search, with either engine."""


def build_with_search(corpus: Path, work: Path, engine: str) -> Path:
    """Build `corpus` with `extra.rolebook.search: engine` into `work/site-<engine>`."""
    work.mkdir(parents=True, exist_ok=True)
    config = work / f"search-{engine}.yml"
    config.write_text(SEARCH_ENGINE_CONFIG.format(root=ROOT, engine=engine), encoding="utf-8")
    site = work / f"site-{engine}"
    build_once(config, site, environment(ROLEBOOK_SOURCES=str(corpus)))
    return site


TIMER = """() => {
  window.rbKey = null; window.rbShown = null
  document.querySelector("input.md-search__input").addEventListener("keydown", () => {
    window.rbKey = performance.now() }, { once: true })
  new MutationObserver((changes, observer) => {
    if (window.rbKey !== null && changes.some(change => [...change.addedNodes].some(node =>
        node.classList && node.classList.contains("md-search-result__item")))) {
      window.rbShown = performance.now(); observer.disconnect() }
  }).observe(document.querySelector(".md-search-result__list"), { childList: true })
}"""
"""Times, in the page, the last key typed and the first result Material shows after it."""


def measure_search(site: Path, queries: list[str], runs: int = 3) -> dict:
    """Search in headless chromium, as a person meets it, each run in a fresh browser
    context (empty cache):

    - first query: entered as soon as the page has loaded, to its results;
    - entered whole: each query put into the box emptied of the one before (whose results
      are gone first) at once, to its results: one question to the search worker, about
      words not searched before;
    - typed: each query typed a key at a time (120 ms apart), from its last key to the
      first result shown after it.

    Medians, and the bytes fetched for search until the first results."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import Page, Request, sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]

    def ask(page: Page, query: str) -> float:
        box = page.locator("input.md-search__input")
        box.fill(query)
        started = time.perf_counter()
        box.press("End")  # Material reads the box on key events
        page.locator(".md-search-result__item").first.wait_for(timeout=120000)
        return time.perf_counter() - started

    def type_in(page: Page, query: str) -> float:
        """Type `query` as a person does; seconds from the last key to the first result
        shown after it (measured in the page, on Material's result list)."""
        box = page.locator("input.md-search__input")
        box.fill("")
        box.press("End")
        box.press_sequentially(query[:-1], delay=120)
        page.wait_for_timeout(400)
        page.evaluate(TIMER)
        box.press(query[-1])
        page.wait_for_function("() => window.rbShown !== null", timeout=60000, polling=50)
        return page.evaluate("() => (window.rbShown - window.rbKey) / 1000")

    firsts, whole, typed, fetched = [], [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                sizes: list[int] = []

                def count(request: Request, sizes: list[int] = sizes) -> None:
                    if any(part in request.url for part in SEARCH_FILES):
                        sizes.append(request.sizes()["responseBodySize"])

                page.on("requestfinished", count)
                page.goto(url, wait_until="load")
                page.locator("input.md-search__input").click()
                firsts.append(ask(page, queries[0]))
                fetched.append(sum(sizes))
                for query in queries:
                    page.locator("input.md-search__input").fill("")
                    page.locator("input.md-search__input").press("End")
                    page.locator(".md-search-result__item").first.wait_for(state="detached", timeout=60000)
                    whole.append(ask(page, query))
                for query in queries:
                    typed.append(type_in(page, query))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return {
        "first": statistics.median(firsts),
        "firsts": firsts,
        "whole": statistics.median(whole),
        "typed": statistics.median(typed),
        "typed_max": max(typed),
        "fetched_kib": statistics.median(fetched) / 1024,
        "index_kib": search_kib(site),
    }


def compare_search(corpus: Path, work: Path, queries: list[str], runs: int) -> dict[str, dict]:
    """Both engines on the same library, built and measured in turns."""
    sites = {engine: build_with_search(corpus, work, engine) for engine in ("material", "pagefind")}
    return {engine: measure_search(site, queries, runs) for engine, site in sites.items()}


SEARCH_QUERIES = ["escalate", "migrations", "release", "review", "idempotent", "security"]


def search_table(where: object, engines: dict[str, dict]) -> list[str]:
    """Markdown lines comparing the search engines measured at `where`."""
    lines = [
        f"Search at {where if isinstance(where, str) else f'N={where}'} in headless chromium (medians; "
        f"queries {', '.join(SEARCH_QUERIES)}):",
        "",
        "| engine | files on disk (KiB) | fetched until first results (KiB) | first query (ms) "
        "| query entered whole (ms) | typed query, last key to results (ms) | slowest typed (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for engine, result in engines.items():
        lines.append(
            f"| {engine} | {result['index_kib']:.0f} | {result['fetched_kib']:.0f} | {1000 * result['first']:.0f} "
            f"| {1000 * result['whole']:.0f} | {1000 * result['typed']:.0f} | {1000 * result['typed_max']:.0f} |"
        )
    return lines


def share_of_build(rows: list[tuple[int, dict]], size: int, seconds: float, words: str) -> str:
    """`words` with `seconds` as a multiple of the whole build's median at `size` (and that
    median), or "" when that size was not built."""
    whole = dict(rows).get(size, {}).get("median")
    return f"{words.format(f'{seconds / whole:.2f}')} ({whole:.2f} s)" if whole else ""


SCALE_TEAM = 200
"""Roles per team folder in the scale run: a library of thousands keeps its roles in teams."""


def largest_pages(site: Path, count: int = 5) -> list[tuple[int, str]]:
    """The `count` largest HTML pages of a built site: (bytes, path from the site's top)."""
    sizes = [(page.stat().st_size, page.relative_to(site).as_posix()) for page in site.rglob("*.html")]
    return sorted(sizes, reverse=True)[:count]


def measure_scale(size: int, work: Path) -> dict:
    """One cold build of `size` roles in team folders (`SCALE_TEAM` a team): seconds, peak
    memory, the hooks' phases, the largest pages and the search index."""
    corpus = work / f"corpus-{size}-teams"
    if not corpus.exists():
        generate(size, corpus, teams=max(1, size // SCALE_TEAM))
    timings = work / f"scale-{size}.jsonl"
    timings.unlink(missing_ok=True)
    site = work / f"scale-site-{size}"
    env = environment(ROLEBOOK_SOURCES=str(corpus), ROLEBOOK_TIMINGS=str(timings), ROLEBOOK_CACHE="")
    seconds, peak = build_once(ROOT / "mkdocs.yml", site, env)
    phases = json.loads(timings.read_text().splitlines()[-1])
    return {
        "seconds": seconds,
        "peak_mib": peak / 1024,
        "phases": phases,
        "pages": sum(1 for _ in site.rglob("*.html")) - 1,
        "largest": largest_pages(site),
        "index_kib": search_kib(site),
    }


def scale_table(size: int, result: dict) -> str:
    """Markdown of the scale run, against the bar (300 s, 4 GiB, 2 MB)."""
    largest = result["largest"][0][0] / 1e6
    lines = [
        f"Scale run on {os.cpu_count()} cores, one cold build, Python {sys.version.split()[0]}.",
        "",
        "| N roles | documents | pages | build (s) | peak memory (MiB) | largest page (MB) | search index (KiB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {size} | {3 * size} | {result['pages']} | {result['seconds']:.1f} | {result['peak_mib']:.0f} "
        f"| {largest:.2f} | {result['index_kib']:.0f} |",
        "",
        f"Bar at N=10,000: build ≤ 300 s ({'met' if result['seconds'] <= 300 else 'missed'}), peak ≤ 4096 MiB "
        f"({'met' if result['peak_mib'] <= 4096 else 'missed'}), largest page ≤ 2 MB "
        f"({'met' if largest <= 2 else 'missed'}).",
        "Largest pages: " + ", ".join(f"{path} {n / 1e6:.2f} MB" for n, path in result["largest"]) + ".",
        "Phases (s): "
        + ", ".join(f"{k} {v:.1f}" for k, v in result["phases"].items() if k not in ("parsed", "reused"))
        + ".",
    ]
    return "\n".join(lines) + "\n"


def exponent(sizes: list[int], medians: list[float]) -> float:
    """Least-squares slope of log(time) against log(N)."""
    xs, ys = [math.log(n) for n in sizes], [math.log(t) for t in medians]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def search_only(size: int, work: Path, runs: int, out: Path) -> None:
    """Compare the search engines on `size` generated roles and on the shipped site."""
    corpus = work / f"corpus-{size}"
    if not corpus.exists():
        generate(size, corpus)
    lines = [
        f"Search benchmark on {os.cpu_count()} cores, {runs} runs (fresh browser context each), Python "
        f"{sys.version.split()[0]}.",
        "",
    ]
    lines += search_table(size, compare_search(corpus, work / f"n{size}", SEARCH_QUERIES, runs))
    lines += [
        "",
        *search_table(
            "the shipped site", compare_search(ROOT / "docs" / "sources", work / "shipped", SEARCH_QUERIES, runs)
        ),
    ]
    table = "\n".join(lines) + "\n"
    out.write_text(table, encoding="utf-8")
    print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 100, 300, 1000])
    parser.add_argument("--runs", type=int, default=3, help="builds per size (median)")
    parser.add_argument("--baseline", type=int, nargs="*", default=[30, 300], help="sizes to compare with")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--serve", type=int, default=300, help="size for the serve rebuild probe (0: skip)")
    parser.add_argument(
        "--rebuild", type=int, default=1000, help="size for `mkdocs build` after one changed document (0: skip)"
    )
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmark-results.md")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temp folder)")
    parser.add_argument(
        "--scale",
        type=int,
        metavar="N",
        help="only the scale run: one cold build of N roles in team folders (opt-in; N=10000 takes minutes)",
    )
    parser.add_argument(
        "--search-only", type=int, metavar="N", help="only compare the search engines, on N roles and the shipped site"
    )
    args = parser.parse_args()

    work_root = args.work or Path(tempfile.mkdtemp(prefix="rolebook-bench-"))
    if args.search_only:
        search_only(args.search_only, work_root, args.runs, args.out)
        return
    if args.scale:
        table = scale_table(args.scale, measure_scale(args.scale, work_root))
        args.out.write_text(table, encoding="utf-8")
        print(table)
        return
    rows, medians = [], []
    shutil.rmtree(ROOT / ".cache" / "rolebook", ignore_errors=True)  # the first build starts cold
    shipped = measure_rolebook(ROOT / "docs" / "sources", work_root / "shipped", max(args.runs, 5))
    print(f"shipped site: median {shipped['median']:.2f}s", flush=True)
    reference = measure_shipped_parts(work_root / "shipped-parts", max(args.runs, 5))
    print(f"shipped site parts: {json.dumps(reference)}", flush=True)
    shipped_search = None
    if not args.no_search:
        shipped_search = compare_search(ROOT / "docs" / "sources", work_root / "shipped", SEARCH_QUERIES, args.runs)
        print(f"shipped site search: {json.dumps(shipped_search)}", flush=True)
    search: dict | None = None
    for size in args.sizes:
        corpus = work_root / f"corpus-{size}"
        generate(size, corpus)
        work = work_root / f"n{size}"
        work.mkdir(parents=True, exist_ok=True)
        result = measure_rolebook(corpus, work, args.runs)
        if not args.no_baseline and size in args.baseline:
            result["baseline"] = measure_baseline(corpus, work, max(1, args.runs if size < 300 else 1))
        if not args.no_search and size == max(args.sizes):
            search = compare_search(corpus, work, SEARCH_QUERIES, args.runs)
        print(f"N={size}: {json.dumps(result)}", flush=True)
        rows.append((size, result))
        medians.append(result["median"])
    serve = None
    if args.serve:
        corpus = work_root / f"corpus-{args.serve}"
        if not corpus.exists():
            generate(args.serve, corpus)
        serve = measure_serve(corpus, work_root / "serve")
        print(f"serve at N={args.serve}: {json.dumps(serve)}", flush=True)

    rebuild = None
    if args.rebuild:
        corpus = work_root / f"corpus-{args.rebuild}"
        if not corpus.exists():
            generate(args.rebuild, corpus)
        rebuild = measure_rebuild(corpus, work_root / "rebuild", args.runs)
        print(f"rebuild at N={args.rebuild}: {json.dumps(rebuild)}", flush=True)

    large = [(n, t) for n, t in zip(args.sizes, medians, strict=True) if n >= 100]
    slope = exponent([n for n, _ in large], [t for _, t in large]) if len(large) >= 2 else float("nan")
    lines = [
        f"Benchmark on {os.cpu_count()} cores, {args.runs} runs per size (medians), Python {sys.version.split()[0]}.",
        "",
        "| N roles | documents | pages | build median (s) | hooks (s) | hooks' share | peak memory (MiB) "
        "| search index (KiB) | naive baseline (s) | Rolebook / baseline |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, result in rows:
        baseline = result.get("baseline")
        base_text = f"{baseline:.2f}" if baseline else "—"
        ratio_text = f"{result['median'] / baseline:.2f}" if baseline else "—"
        lines.append(
            f"| {size} | {3 * size} | {result['pages']} | {result['median']:.2f} | {result['hooks']:.2f} "
            f"| {100 * result['hooks_share']:.0f} % | {result['peak_mib']:.0f} | {result['index_kib']:.0f} "
            f"| {base_text} | {ratio_text} |"
        )
    lines += [
        "",
        f"Growth exponent (N ≥ 100): {slope:.2f}. Shipped site: median {shipped['median']:.2f} s "
        f"({', '.join(f'{s:.2f}' for s in shipped['runs'])}; the first with no template cache); "
        "measured side by side: with the API reference "
        f"{reference['full']:.2f} s, without it (mkdocstrings off) {reference['no_api']:.2f} s, with everything "
        f"the build before kept {reference['kept']:.2f} s, and a one-page "
        f"Material site with search {reference['floor']:.2f} s (medians).",
    ]
    biggest = rows[-1][1]
    lines.append(
        f"Hooks' phases at N={rows[-1][0]} (median s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in biggest["phases"].items())
        + "."
    )
    if serve:
        versus = share_of_build(rows, args.serve, serve["rebuild"], ", {}× a whole `mkdocs build`")
        lines.append(
            f"Serve at N={args.serve}: first build {serve['first']:.2f} s; rebuild after one edit, median of "
            f"{len(serve['rebuilds'])} ({', '.join(f'{r:.2f}' for r in serve['rebuilds'])}): {serve['rebuild']:.2f} s "
            f"= {serve['rebuild'] / serve['first']:.2f}× the first build in the same process{versus}; "
            f"{serve['parsed_on_rebuild']} document(s) parsed on the last, {serve['reused_on_rebuild']} reused."
        )
    if rebuild:
        versus = share_of_build(rows, args.rebuild, rebuild["median"], " = {}× a build with nothing kept")
        lines.append(
            f"`mkdocs build` at N={args.rebuild} after one changed document, with the cache the previous build "
            f"kept: median of {len(rebuild['runs'])} ({', '.join(f'{r:.2f}' for r in rebuild['runs'])}): "
            f"{rebuild['median']:.2f} s{versus}; hooks {rebuild['hooks']:.2f} s; at most {rebuild['parsed']} "
            f"document(s) parsed, {rebuild['roles assembled']} role page(s) assembled "
            f"({rebuild['role pages']:.2f} s) and {rebuild['pages rendered']} page(s) rendered, at least "
            f"{rebuild['pages kept']} kept (first build {rebuild['first']:.2f} s)."
        )
    if search:
        lines += ["", *search_table(rows[-1][0], search)]
    if shipped_search:
        lines += ["", *search_table("the shipped site", shipped_search)]
    table = "\n".join(lines) + "\n"
    args.out.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
