"""`mkdocs serve` survives a broken edit: the error is reported, the server keeps running,
and the page comes back when the document is fixed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT, write_tree

GOOD = "# Editor - ROLE\n\n## Mission\nVersion one of the mission.\n"
FIXED = "# Editor - ROLE\n\n## Mission\nVersion two, after the fix.\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except OSError as error:
        return getattr(error, "code", 0) or 0, ""


def _wait(condition: Callable[[], bool], seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen]]:
    sources = write_tree(tmp_path / "roles", {"editor/ROLE.md": GOOD, "other/ROLE.md": "# Other - ROLE\n\nStays.\n"})
    port = _free_port()
    env = dict(os.environ, ROLEBOOK_SOURCES=str(sources), NO_MKDOCS_2_WARNING="1")
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        assert _wait(lambda: _get(url + "/roles/editor/")[0] == 200, 90), "mkdocs serve did not start"
        yield url, sources, process
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_serve_survives_a_broken_edit_and_recovers(server: tuple[str, Path, subprocess.Popen]) -> None:
    url, sources, process = server
    assert "Version one of the mission." in _get(url + "/roles/editor/")[1]
    document = sources / "editor" / "ROLE.md"
    document.write_bytes(b"---\nname: broken: yaml\n---\n# Editor - ROLE\n\nBad \xff byte.\n")
    assert _wait(lambda: "not valid UTF-8" in _get(url + "/health/")[1]), "the broken edit was not reported"
    assert process.poll() is None, "the server stopped"
    status, page = _get(url + "/roles/editor/")
    assert status == 200 and "Bad" in page
    assert "Stays." in _get(url + "/roles/other/")[1]
    document.write_text(FIXED, encoding="utf-8")
    assert _wait(lambda: "Version two, after the fix." in _get(url + "/roles/editor/")[1]), "the page did not come back"
    assert "not valid UTF-8" not in _get(url + "/health/")[1]
    assert process.poll() is None


def test_a_rebuild_in_the_same_process_equals_a_fresh_build(tmp_path: Path) -> None:
    """What `mkdocs serve` reuses between builds (parsed documents, per-document relations and
    claims) must give the pages a fresh `mkdocs build` gives: after an edit to one document,
    and after a rename that changes every role's names."""
    from conftest import build_site

    sources = write_tree(
        tmp_path / "roles",
        {
            "builder/ROLE.md": "# Builder - ROLE\n\n## Mission\nBuild endpoints with the Quality Lead.\n\n"
            "## Out-of-Scope\n- Database schema (Releaser)\n",
            "tester/ROLE.md": "# Quality Lead - ROLE\n\n## Mission\nTest what Builder builds.\n",
            "releaser/ROLE.md": "# Releaser - ROLE\n\n## Responsibilities\n- Own deployments; ask Builder\n",
        },
    )
    build_site(tmp_path / "first", sources=sources)
    edits = [
        ("builder/ROLE.md", "\n## Workflow\n- Handoff: queue Releaser; escalate to Tester\n"),
        ("tester/ROLE.md", "\n## Escalation Triggers\n- Flaky runs (loop in Builder)\n"),
    ]
    # builder/ROLE.md is not edited, but "the Quality Lead" in it stops naming the tester
    renames = [("tester/ROLE.md", "# Quality Lead - ROLE", "# Test Lead - ROLE")]
    steps: list[Callable[[], None]] = [
        *(lambda path=path, text=text: _append(sources / path, text) for path, text in edits),
        *(lambda path=path, old=old, new=new: _replace(sources / path, old, new) for path, old, new in renames),
    ]
    for number, step in enumerate(steps):
        step()
        again = build_site(tmp_path / f"again-{number}", sources=sources)
        fresh = tmp_path / f"fresh-{number}"
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(fresh)],
            # nothing kept by earlier builds (ROLEBOOK_CACHE empty: no cache folder)
            env={**os.environ, "ROLEBOOK_SOURCES": str(sources), "ROLEBOOK_CACHE": "", "NO_MKDOCS_2_WARNING": "1"},
            check=True,
            capture_output=True,
        )
        for page in ("roles.json", "roles/builder/index.html", "roles/tester/index.html", "roles/releaser/index.html"):
            assert (again.site_dir / page).read_bytes() == (fresh / page).read_bytes(), (number, page)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
