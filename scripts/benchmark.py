#!/usr/bin/env python3
"""Benchmark Rolebook on synthetic libraries (scripts/gen_corpus.py): whole-process
`mkdocs build` medians, peak memory, the hooks' own share, growth exponent, a naive
baseline (the same documents as plain Material pages, no hooks), the `mkdocs serve`
rebuild after one edit, and the search index in headless chromium. Writes a Markdown table.

    .venv/bin/python scripts/benchmark.py                      # all sizes, ~20 minutes
    .venv/bin/python scripts/benchmark.py --sizes 30 100 --runs 3 --no-baseline --no-search

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

from gen_corpus import generate  # noqa: E402

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
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.update(extra)
    return env


def measure_rolebook(corpus: Path, work: Path, runs: int) -> dict:
    timings = work / "timings.jsonl"
    timings.unlink(missing_ok=True)
    env = environment(ROLEBOOK_SOURCES=str(corpus), ROLEBOOK_TIMINGS=str(timings))
    results = [build_once(ROOT / "mkdocs.yml", work / "site", env) for _ in range(runs)]
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
        "index_kib": (site / "search" / "search_index.json").stat().st_size / 1024,
    }


def measure_baseline(corpus: Path, work: Path, runs: int) -> float:
    docs = work / "baseline" / "docs"
    if docs.parent.exists():
        shutil.rmtree(docs.parent)
    shutil.copytree(corpus, docs)
    (docs / "index.md").write_text("# Baseline\n", encoding="utf-8")
    config = docs.parent / "mkdocs.yml"
    config.write_text(BASELINE_CONFIG, encoding="utf-8")
    return statistics.median(build_once(config, work / "baseline-site", environment())[0] for _ in range(runs))


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
    """The shipped site with and without its API reference (mkdocstrings), and a one-page
    Material site (what MkDocs and the theme cost on this machine), run in turns."""
    work.mkdir(parents=True, exist_ok=True)
    no_api = work / "no-api.yml"
    no_api.write_text(NO_API_CONFIG.format(root=ROOT), encoding="utf-8")
    floor = work / "floor"
    (floor / "docs").mkdir(parents=True, exist_ok=True)
    (floor / "docs" / "index.md").write_text("# Home\n\nOne page.\n", encoding="utf-8")
    (floor / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    env = environment(ROLEBOOK_SOURCES=str(ROOT / "docs" / "sources"))
    times: dict[str, list[float]] = {"full": [], "no_api": [], "floor": []}
    for _ in range(runs):
        times["full"].append(build_once(ROOT / "mkdocs.yml", work / "site", env)[0])
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


def measure_search(site: Path, queries: list[str]) -> dict:
    """Index load time and time from typing a query to the first result, in chromium."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

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
    latencies = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            page = browser.new_page()
            started = time.perf_counter()
            with page.expect_response(lambda response: "search_index.json" in response.url):
                page.goto(url)
            page.wait_for_load_state("networkidle")
            box = page.locator("input.md-search__input")
            box.click()
            box.press_sequentially("zz", delay=20)  # wait until the worker answers at all
            page.locator(".md-search-result__meta").wait_for(timeout=120000)
            ready = time.perf_counter() - started
            for query in queries:
                box.fill("")
                box.press("Backspace")
                page.wait_for_timeout(300)
                before = time.perf_counter()
                box.press_sequentially(query)  # Material listens to key events
                page.locator(".md-search-result__item").first.wait_for(timeout=60000)
                latencies.append(time.perf_counter() - before)
            browser.close()
    finally:
        server.shutdown()
    return {"ready": ready, "latency": statistics.median(latencies), "latencies": latencies}


def exponent(sizes: list[int], medians: list[float]) -> float:
    """Least-squares slope of log(time) against log(N)."""
    xs, ys = [math.log(n) for n in sizes], [math.log(t) for t in medians]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 100, 300, 1000])
    parser.add_argument("--runs", type=int, default=3, help="builds per size (median)")
    parser.add_argument("--baseline", type=int, nargs="*", default=[30, 300], help="sizes to compare with")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--serve", type=int, default=300, help="size for the serve rebuild probe (0: skip)")
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmark-results.md")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temp folder)")
    args = parser.parse_args()

    work_root = args.work or Path(tempfile.mkdtemp(prefix="rolebook-bench-"))
    rows, medians = [], []
    shutil.rmtree(ROOT / ".cache" / "rolebook", ignore_errors=True)  # the first build starts cold
    shipped = measure_rolebook(ROOT / "docs" / "sources", work_root / "shipped", max(args.runs, 5))
    print(f"shipped site: median {shipped['median']:.2f}s", flush=True)
    reference = measure_shipped_parts(work_root / "shipped-parts", max(args.runs, 5))
    print(f"shipped site parts: {json.dumps(reference)}", flush=True)
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
            search = measure_search(work / "site", ["escalate", "idempotent", "migrations"])
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
        f"{reference['full']:.2f} s, without it (mkdocstrings off) {reference['no_api']:.2f} s, and a one-page "
        f"Material site with search {reference['floor']:.2f} s (medians).",
    ]
    biggest = rows[-1][1]
    lines.append(
        f"Hooks' phases at N={rows[-1][0]} (median s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in biggest["phases"].items())
        + "."
    )
    if serve:
        whole = dict(rows).get(args.serve, {}).get("median")
        versus = f", {serve['rebuild'] / whole:.2f}× a whole `mkdocs build` ({whole:.2f} s)" if whole else ""
        lines.append(
            f"Serve at N={args.serve}: first build {serve['first']:.2f} s; rebuild after one edit, median of "
            f"{len(serve['rebuilds'])} ({', '.join(f'{r:.2f}' for r in serve['rebuilds'])}): {serve['rebuild']:.2f} s "
            f"= {serve['rebuild'] / serve['first']:.2f}× the first build in the same process{versus}; "
            f"{serve['parsed_on_rebuild']} document(s) parsed on the last, {serve['reused_on_rebuild']} reused."
        )
    if search:
        lines.append(
            f"Search at N={rows[-1][0]}: index {biggest['index_kib']:.0f} KiB, ready in chromium after "
            f"{search['ready']:.2f} s, query to first result median {search['latency'] * 1000:.0f} ms "
            f"({', '.join(f'{1000 * s:.0f}' for s in search['latencies'])} ms)."
        )
    table = "\n".join(lines) + "\n"
    args.out.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
