"""Site search: a chunked static index (Pagefind) behind Material's own search box.

Material's search downloads one JSON file holding every word of the site and builds a
Lunr index from it in the browser before the first query can be answered: at 1,000 roles
that is a 12 MB download and about two seconds, and a common word then takes as long
again to rank and highlight. Pagefind indexes the built pages once, after the build, into
small chunks; the browser loads only the chunks the words typed need and the excerpts of
the results it shows.

Material's search box, dialog, keyboard handling and result list stay as they are:
Material talks to its search through a web worker with a documented message protocol and
lets a site name its own worker. `search-worker.js` beside this module is that worker,
answering from the Pagefind index. Everything here works on finished HTML and files; the
hook decides when to call it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from rolebook import urls
from rolebook.cache import BuildCache

ENGINES = ("pagefind", "material")
"""`extra.rolebook.search`: Pagefind (default), or Material's own Lunr index."""

WORKER_SOURCE = Path(__file__).with_name("search-worker.js")
WORKER_URI = urls.SEARCH_WORKER
"""Where the worker is published in the site."""

BUNDLE = "pagefind"
"""The folder of the site that holds the index (Pagefind's default name)."""

IGNORED = ("[data-pagefind-ignore]", ".headerlink")
"""Left out of the index: what is marked `data-search-exclude` (see `keep_exclusions`), and
the permanent-link marks of headings."""

KEPT_FOLDER = "search"
"""The folder, in the cache folder, of the last index built (`build_index`)."""

INDEXES: BuildCache[str, bool] = BuildCache()
"""The key of the index in `KEPT_FOLDER`, kept with the parsed documents (`rolebook.cache`):
the index is reused only when both have it, so removing `documents.pickle` builds it afresh
too, as it does every page."""

TIMEOUT = 600
"""Seconds the indexer may take before the build gives up on search."""

_EXCLUDE = re.compile(r'\sdata-search-exclude(?:="[^"]*")?')
_ARTICLE = '<article class="md-content__inner md-typeset">'
_WORKER_SETTING = re.compile(r'("search": ")([^"]*)assets/javascripts/workers/search\.\w+\.min\.js"')


class SearchError(RuntimeError):
    """The index could not be built; the message says why, for the build log."""


def keep_exclusions(html: str) -> str:
    """`html` (a page's content) with Material's `data-search-exclude` marks as Pagefind's.

    Pages keep parts out of search the way Material documents (`data-search-exclude`; Rolebook
    marks provenance lines, source chips, relation tables, card grids and rosters that repeat
    the role pages so), but Material's search plugin removes the mark from a page once it has
    read it, before Pagefind sees the page."""
    return _EXCLUDE.sub(' data-pagefind-ignore="all"', html)


ROLE_WEIGHT = 10
"""How much a word on a role page counts against the same word on any other page, when
Pagefind ranks them (its largest weight; headings and word counts still count)."""


def mark_searchable(html: str, role: bool) -> str:
    """`html` (a finished page) with its article marked as the part of the page to index,
    and role pages weighted and marked `kind: role` for ranking; unchanged when the theme
    wrote no such article. Pages left unmarked are not indexed, and the header and
    navigation of none are."""
    marks = " data-pagefind-body"
    if role:
        marks += f' data-pagefind-weight="{ROLE_WEIGHT}" data-pagefind-meta="kind:role"'
    return html.replace(_ARTICLE, f"{_ARTICLE[:-1]}{marks}>", 1)


def use_worker(html: str) -> str:
    """`html` with Material's search worker replaced by ours, at the same depth.

    Material names its worker in the page's `__config` script (Material 9's documented way
    for a site to bring its own search); a theme that writes it otherwise keeps its own
    worker, which then finds no documents (tests/test_search.py guards this)."""
    return _WORKER_SETTING.sub(lambda match: f'{match[1]}{match[2]}{WORKER_URI}"', html, count=1)


@dataclass(frozen=True)
class IndexStats:
    """What the indexer reported."""

    pages: int
    words: int
    kept: bool = False
    """Whether the index was copied from an earlier build's (`build_index`)."""


def plan_index(site_dir: Path, pages: list[str] | None, kept: Path | None) -> tuple[str | None, bool]:
    """The key an index of `pages` is kept under in `kept` (`None` without either), and
    whether the last build kept one under it. The key is noted in `INDEXES` now, so that a
    cache saved before the indexer runs names it; an index that then fails to be built or
    kept is found missing by the next build, which builds it."""
    key = _index_key(site_dir, pages) if kept is not None and pages is not None else None
    if key is None:
        return None, False
    found = INDEXES.get(key) is not None
    INDEXES.put(key, True)
    return key, found


def build_index(
    site_dir: Path,
    pages: list[str] | None = None,
    kept: Path | None = None,
    planned: tuple[str | None, bool] | None = None,
) -> IndexStats:
    """Index the marked pages of the built site in `site_dir` into `site_dir/pagefind/`.

    `pages` (paths in the site) are the only files the indexer needs to read; without them
    it reads every HTML file, the sources pages too (a third of the time at 1,000 roles).
    With a `kept` folder (in the build's cache folder), an index built from the same bytes
    of the same pages by the same indexer is copied from there instead of built again
    (the indexer takes a tenth of a second or more even for a small site). `planned`: what
    `plan_index` gave for the same arguments, when it ran earlier."""
    key, found = planned if planned is not None else plan_index(site_dir, pages, kept)
    if kept is not None and key is not None and found:
        stats = _kept_index(kept / key, site_dir / BUNDLE)
        if stats is not None:
            return stats
    stats = _run_indexer(site_dir, pages)
    if kept is not None and key is not None:
        _keep_index(site_dir / BUNDLE, kept, key, stats)
    return stats


def _run_indexer(site_dir: Path, pages: list[str] | None) -> IndexStats:
    try:
        from pagefind_bin import get_executable
    except ImportError as error:
        raise SearchError("the search indexer is not installed: run pip install -r requirements.txt") from error
    command = [
        str(get_executable()),
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE,
        "--exclude-selectors",
        ", ".join(IGNORED),
        "--glob",
        files_to_read(pages),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, cwd=site_dir)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchError(f"the search indexer did not run: {error}") from error
    if done.returncode != 0:
        raise SearchError(f"the search indexer failed: {(done.stderr or done.stdout).strip()[-2000:]}")
    return IndexStats(_count(done.stdout, "pages"), _count(done.stdout, "words"))


_STATS = "stats.json"


def _index_key(site_dir: Path, pages: list[str]) -> str | None:
    """What an index depends on: the indexer's version and options (ours, its `PAGEFIND_*`
    environment variables and a `pagefind.yml`/`.yaml`/`.toml`/`.json` it would read in the
    site folder), and the path and bytes of every page it indexes (only pages marked
    `data-pagefind-body` are, and `pages` lists every page so marked); `None` when a page
    cannot be read."""
    try:
        from pagefind_bin import get_executable

        indexer = Path(get_executable())
        spelt = hashlib.sha256(f"{indexer.resolve()}\0{indexer.stat().st_size}\0{IGNORED}\0{BUNDLE}".encode())
        for name, value in sorted(os.environ.items()):
            if name.startswith("PAGEFIND_"):
                spelt.update(f"{name}={value}\0".encode())
        for config in ("pagefind.yml", "pagefind.yaml", "pagefind.toml", "pagefind.json"):
            if (site_dir / config).is_file():
                spelt.update(config.encode() + b"\0" + (site_dir / config).read_bytes())
        for page in sorted(pages):
            spelt.update(page.encode() + b"\0" + hashlib.sha256((site_dir / page).read_bytes()).digest())
    except (ImportError, OSError):
        return None
    return spelt.hexdigest()


def _kept_index(kept: Path, bundle: Path) -> IndexStats | None:
    """Copy a kept index into the site; `None` when there is none (or it cannot be copied)."""
    try:
        stats = json.loads((kept / _STATS).read_text(encoding="utf-8"))
        shutil.rmtree(bundle, ignore_errors=True)
        shutil.copytree(kept / BUNDLE, bundle)
        return IndexStats(int(stats["pages"]), int(stats["words"]), kept=True)
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(bundle, ignore_errors=True)
        return None


def _keep_index(bundle: Path, kept: Path, key: str, stats: IndexStats) -> bool:
    """Keep the index just built under `key`, whole or not at all, in place of any other;
    whether it was kept."""
    partial = kept / f"{key}.{os.getpid()}"
    try:
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(bundle, partial / BUNDLE)
        (partial / _STATS).write_text(json.dumps({"pages": stats.pages, "words": stats.words}), encoding="utf-8")
        shutil.rmtree(kept / key, ignore_errors=True)
        os.replace(partial, kept / key)
        for other in os.listdir(kept):
            if other != key:
                shutil.rmtree(kept / other, ignore_errors=True)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
        return False
    return True


ROLE_PAGES = urls.ROLE_PAGES_GLOB
_GLOB_SPECIAL = re.compile(r"[][{}*?!,\\]")
_GLOB_LIMIT = 30_000
"""Characters of a list of files to read, beyond which the indexer reads every page (an
argument of a command may not be much longer than 128 KiB)."""


def files_to_read(pages: list[str] | None) -> str:
    """The indexer's `--glob`: role pages by pattern, the other `pages` by name; every HTML
    file when a name has a character that globs treat specially, or the list is too long."""
    if pages is None:
        return "**/*.html"
    others = sorted({page for page in pages if not PurePosixPath(page).match(ROLE_PAGES)})
    names = [ROLE_PAGES, *others]
    if any(_GLOB_SPECIAL.search(page) for page in others) or sum(len(n) + 1 for n in names) > _GLOB_LIMIT:
        return "**/*.html"
    return "{" + ",".join(names) + "}"


def _count(report: str, what: str) -> int:
    found = re.search(rf"Indexed (\d+) {what}", report)
    return int(found[1]) if found else 0


class PagefindPages:
    """What Pagefind needs to learn while MkDocs builds the pages: which to index (not those
    a page's `search: exclude` leaves out) and which are roles' pages, ranked first."""

    def __init__(self) -> None:
        self.searchable: dict[str, bool] = {}
        """Pages to index, by `src_uri`: whether each is a role's page."""
        self.pages: list[str] = []
        """Where those pages are in the site (`dest_uri`), once written."""

    def before_search_plugin(self, page: Any) -> None:
        """Note whether to index `page`, mark what Rolebook excludes from search so that
        Pagefind skips it too, and keep MkDocs' search plugin from indexing the page: its
        index is not used."""
        meta = page.meta.get("search") or {}
        if not meta.get("exclude"):
            uri = page.file.src_uri
            self.searchable[uri] = urls.is_role_page(uri)
            if page.content:
                page.content = keep_exclusions(page.content)
        page.meta["search"] = {**meta, "exclude": True}

    def page_written(self, output: str, page: Any) -> str:
        """A page's final HTML: its search box asks Rolebook's worker, and a page to index
        is marked for Pagefind."""
        output = use_worker(output)
        role = self.searchable.get(page.file.src_uri)
        if role is None:
            return output
        self.pages.append(page.file.dest_uri)
        return mark_searchable(output, role)
