"""Shared fixtures: real MkDocs builds in temporary folders, built once per session."""

from __future__ import annotations

import gzip
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import hypothesis
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTIFACTS = ROOT / "test-artifacts"

sys.path.insert(0, str(ROOT / "hooks"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# Property tests explore new inputs on every local run; CI replays the same ones, so that a
# landing never depends on what the random search happens to find that day.
hypothesis.settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis.settings.load_profile("ci")


@dataclass
class BuiltSite:
    """A site built by MkDocs, with what its build logged."""

    site_dir: Path
    records: list[logging.LogRecord]

    def page(self, url_path: str) -> str:
        """HTML of a page by its URL path (`roles/backend/`)."""
        path = self.site_dir / url_path
        if url_path.endswith("/") or not url_path:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def search_index(self) -> list[dict]:
        return json.loads((self.site_dir / "search/search_index.json").read_text(encoding="utf-8"))["docs"]

    def search_pages(self) -> dict[str, dict]:
        """What Pagefind indexed, by URL path (`/roles/backend/`): each page's `content`
        (its words, in order), `meta` (title; `kind: role` on role pages) and `anchors`
        (elements with an id, and the word each starts at), read from the index's fragments."""
        pages = {}
        for fragment in (self.site_dir / "pagefind" / "fragment").glob("*.pf_fragment"):
            data = gzip.decompress(fragment.read_bytes())
            page = json.loads(data[data.index(b"{") :])
            pages[page["url"]] = page
        return pages

    def messages(self, level: int = logging.INFO) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= level and r.name.startswith("mkdocs")]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def build_site(
    site_dir: Path,
    *,
    sources: Path | None = None,
    strict: bool = False,
    settings: dict | None = None,
    site_url: str | None = None,
    level: int = logging.INFO,
    config_file: Path = ROOT / "mkdocs.yml",
) -> BuiltSite:
    """Build the project's `mkdocs.yml` (or `config_file`) into `site_dir`, from `sources`
    when given (the way `ROLEBOOK_SOURCES` does), with `settings` added to `extra.rolebook`
    and `site_url` set when given, collecting the log from `level` up."""
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(level)
    previous = os.environ.get("ROLEBOOK_SOURCES")
    try:
        if sources is not None:
            os.environ["ROLEBOOK_SOURCES"] = str(sources)
        else:
            os.environ.pop("ROLEBOOK_SOURCES", None)
        overrides = {"site_url": site_url} if site_url else {}
        config = load_config(str(config_file), site_dir=str(site_dir), strict=strict, **overrides)
        config.extra["rolebook"] = {**config.extra["rolebook"], **(settings or {})}
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        if previous is None:
            os.environ.pop("ROLEBOOK_SOURCES", None)
        else:
            os.environ["ROLEBOOK_SOURCES"] = previous
    return BuiltSite(site_dir, handler.records)


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `{relative path: text or bytes}` under `root`."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The shipped site (the seeds), built once for the whole session."""
    return build_site(tmp_path_factory.mktemp("shipped") / "site")


@pytest.fixture(scope="session")
def artifacts() -> Iterator[Path]:
    ARTIFACTS.mkdir(exist_ok=True)
    yield ARTIFACTS


@cache
def load_script(name: str) -> ModuleType:
    """`scripts/<name>.py`, imported once (a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


GRAPH_ROLES = ("Planner", "Builder", "Tester", "Releaser", "Observer", "Reviewer", "Designer", "Integrator")
"""A ring of roles for the relations graph: each delegates to the next, escalates to the one
after, and hands off to the one five along; Loner names nobody and nobody names it."""


def graph_library() -> dict[str, str]:
    """`{path: text}` of the `GRAPH_ROLES` library."""
    files = {"loner/ROLE.md": "# Loner - ROLE\n\n## Mission\nWorks alone.\n"}
    for i, name in enumerate(GRAPH_ROLES):
        after = [GRAPH_ROLES[(i + step) % len(GRAPH_ROLES)] for step in (1, 2, 5)]
        files[f"{name.lower()}/ROLE.md"] = (
            f"# {name} - ROLE\n\n## Mission\nKeeps the {name.lower()} work moving.\n\n"
            f"## Out-of-Scope\n- Deployments ({after[0]})\n\n"
            f"## Escalation Triggers\n- Escalate to {after[1]} when blocked\n\n"
            f"## Handoffs\n- Hand off to {after[2]} when done\n"
        )
    return files
