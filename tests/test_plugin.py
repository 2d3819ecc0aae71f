"""Rolebook as a plugin of another repository's site, installed with pip; and this project's
own site under ProperDocs (the MkDocs 1.6 fork)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, BuiltSite, write_tree

TEAM_REPOSITORY = {
    "mkdocs.yml": (
        "site_name: Team roles\n"
        "theme:\n  name: material\n"
        "plugins:\n"
        "  - search\n"
        "  - rolebook:\n"
        "      sources: [roles, retired-roles]\n"  # the second folder does not exist
        "      worker: 2\n"  # misspelt: a warning naming it, not an error
        "hooks:\n  - drop_conflicts.py\n"
    ),
    # Another plugin removing a page Rolebook links to: the broken link is on the health page.
    "drop_conflicts.py": (
        "from mkdocs.plugins import event_priority\n\n\n"
        "@event_priority(-100)\n"
        "def on_files(files, config):\n"
        "    files.remove(files.get_file_from_path('conflicts.md'))\n"
        "    return files\n"
    ),
    "docs/index.md": "# Team roles\n\nWho does what in this team.\n",
    "roles/reviewer/ROLE.md": (
        "# Reviewer\n\n## Mission\n\nReviews every change before it ships.\n\n"
        "## Boundaries\n\n- Never merges without a green build; asks the Releaser to cut the release.\n"
    ),
    "roles/releaser/ROLE.md": "# Releaser\n\n## Responsibilities\n\n- Cuts releases and owns the changelog.\n",
}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This project, installed with pip (as a wheel, without its dependencies, which the test
    environment has) into a folder of its own: nothing comes from the checkout."""
    work = tmp_path_factory.mktemp("package")
    copy = work / "project"
    copy.mkdir()
    shutil.copy(ROOT / "pyproject.toml", copy)
    shutil.copy(ROOT / "README.md", copy)
    shutil.copytree(ROOT / "hooks", copy / "hooks", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    target = work / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["--target", str(target), str(copy)],
        check=True,
        capture_output=True,
    )
    return target


def test_a_repository_with_only_the_plugin_builds_a_site(installed: Path, tmp_path: Path) -> None:
    repository = write_tree(tmp_path / "team", TEAM_REPOSITORY)
    environment = {**os.environ, "PYTHONPATH": str(installed), "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
        cwd=repository,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "Plugin 'rolebook' option 'worker': Unrecognised configuration name: worker" in run.stderr
    site = tmp_path / "site"
    reviewer = (site / "roles/reviewer/index.html").read_text(encoding="utf-8")
    assert "Reviews every change before it ships." in reviewer
    assert re.search(r'<a class="rb-role"[^>]*href="\.\./releaser/"', reviewer)
    assert (site / "assets/rolebook.css").is_file() and 'href="../../assets/rolebook.css"' in reviewer
    assert json.loads((site / "roles.json").read_text(encoding="utf-8"))["counts"]["roles"] == 2
    # The documents are merged into role pages, not published from the sources folder.
    assert not (site / "roles/reviewer/ROLE").exists()
    health = (site / "health/index.html").read_text(encoding="utf-8")
    assert (
        "matrices/responsibilities.md: link to &#x27;conflicts.md&#x27;, which is not a page of the site"
        in run.stderr.replace("'", "&#x27;")
    )
    assert "link to &#x27;conflicts.md&#x27;, which is not a page of the site" in health
    assert "retired-roles: source folder does not exist" in run.stderr
    assert "<td>retired-roles</td><td>source folder does not exist; no roles are read from it</td>" in health
    # Links into Rolebook's own guide are plain text where the site has no guide.
    assert "rolebook:" not in reviewer and "rolebook:" not in (site / "health/index.html").read_text(encoding="utf-8")


def test_properdocs_builds_the_same_site(shipped_site: BuiltSite, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    generator = re.compile(r'<meta name="generator" content="[^"]*">')
    for page in ("roles/backend/index.html", "matrices/responsibilities/index.html", "health/index.html"):
        ours = generator.sub("", (tmp_path / "site" / page).read_text(encoding="utf-8"))
        assert ours == generator.sub("", (shipped_site.site_dir / page).read_text(encoding="utf-8")), page
