"""Matrices, conflicts, the source comparison, the data export and the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, BuiltSite, build_site, write_tree
from pagetext import visible_text
from rolebook.export import SCHEMA_PATH, to_csv

ROLEBOOK = [sys.executable, str(ROOT / "scripts" / "rolebook")]


def test_backend_sources_disagree_on_schema_and_migrations(shipped_site: BuiltSite) -> None:
    compare = shipped_site.page("roles/backend/sources/")
    for topic in ("Migrations", "Persistence &amp; schema"):
        row = re.search(rf"<tr [^>]*><th scope=\"row\">{topic}<br>(.*?)</tr>", compare, re.S)
        assert row is not None, topic
        assert "rb-verdict--disagree" in row.group(1)
        assert "Domain models, persistence adapters, DB schema and migrations" in row.group(1)
        assert "Depends on data-engineer for schema changes and migrations" in row.group(1)
    migrations = re.search(r"<th scope=\"row\">Migrations<br>(.*?)</tr>", compare, re.S)
    assert migrations is not None and "Do NOT run migrations yourself" in migrations.group(1)
    persistence = re.search(r"<th scope=\"row\">Persistence &amp; schema<br>(.*?)</tr>", compare, re.S)
    assert persistence is not None and "Ask the Database Architect" in persistence.group(1)
    assert 'href="sources/#compare"' in shipped_site.page("roles/backend/")

    conflicts = shipped_site.page("conflicts/")
    section = conflicts[conflicts.index('id="sources-disagree"') : conflicts.index('id="owner-does-not-claim-it"')]
    assert "<td>Migrations</td>" in section and "<td>Persistence &amp; schema</td>" in section
    # each line says whose it is and which document: "backend/backend-developer.md:110"
    assert re.search(r"backend/backend-developer\.md:11[01] — [^<]*migrations", section)
    assert 'href="../roles/database-architect/"' in section  # who the forbidding line names instead
    # relying on someone for part of an area one owns is not a disagreement
    assert "Depends on data-engineer" not in section
    named = conflicts[conflicts.index('id="owner-does-not-claim-it"') : conflicts.index('id="owned-by-nobody"')]
    assert 'href="../roles/releaser/"' in named  # "CI/CD … (Releaser)": a role nobody defines


def test_responsibility_matrix_cells_link_to_their_lines(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("matrices/responsibilities/")
    row = re.search(r'<tr data-rb-row="backend backend">(.*?)</tr>', html, re.S)
    assert row is not None
    cell = re.search(r'<td data-area="migrations" data-sort="4">(.*?)</td>', row.group(1), re.S)
    assert cell is not None
    assert 'class="rb-stance rb-owns" href="../../roles/backend/#role-md-L8"' in cell.group(1)
    assert '→ <a class="rb-role rb-role--undefined" href="../../roles/data-engineer/">data-engineer</a>' in cell.group(
        1
    )
    assert len(re.findall(r"<th data-rb-sort data-area=", html)) >= 17


def test_escalation_matrix_holds_triggers_of_all_five_seeds(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("matrices/escalations/")
    body = html[html.index('id="rb-escalations"') : html.index('id="pivot"')]
    sources = set(re.findall(r">(ROLE|PLAYBOOK|backend-developer|backend-engineer|SKILL)\.md:\d+</a>", body))
    assert sources == {"ROLE", "PLAYBOOK", "backend-developer", "backend-engineer", "SKILL"}
    text = visible_text(html)
    assert re.search(r"Manual Tests: STOP and ask user to verify\. Do NOT auto-proceed\. user STOP and ask", text)
    assert re.search(r"\(Ask the System Architect\)\. System Architect Ask", text)
    assert "escalate with a dedicated capsule" in text
    pivot = html[html.index('id="pivot"') :]
    assert re.search(r"Database Architect</a></th><td><a [^>]*>Backend</a> \(1\)", pivot)


def test_graph_is_svg_drawn_at_build_time_with_a_table(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("matrices/graph/")
    start = html.index('<svg class="rb-graph"')
    svg = html[start : html.index("</svg>", start)]
    assert svg.count('<g class="rb-node"') + svg.count('<g class="rb-node rb-node--undefined"') == 11
    delegates = svg[svg.index('data-type="delegates_to"') : svg.index("</g>", svg.index('data-type="delegates_to"'))]
    assert 'data-source="backend" data-target="database-architect"' in delegates
    assert "mermaid" not in html.lower()
    assert re.search(r"Backend</a></td><td>depends on</td><td><a [^>]*>data-engineer</a></td><td>1</td>", html)


def test_roles_json_follows_its_schema_and_matches_the_cli(shipped_site: BuiltSite) -> None:
    published = json.loads((shipped_site.site_dir / "roles.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(published, schema)
    assert (shipped_site.site_dir / "roles.schema.json").read_bytes() == SCHEMA_PATH.read_bytes()
    backend = next(r for r in published["roles"] if r["id"] == "backend")
    assert len(backend["sources"]) == 5 and backend["status"] == "defined"
    assert {r["target"] for r in published["relations"]} >= {"data-engineer", "database-architect", "integrator"}
    relation = next(r for r in published["relations"] if r["target"] == "data-engineer")
    assert relation == {
        "source": "backend",
        "target": "data-engineer",
        "type": "depends_on",
        "sentence": "Depends on data-engineer for schema changes and migrations",
        "section": "handoffs",
        "location": "docs/sources/backend/backend-developer.md:108",
        "url": "roles/backend/#backend-developer-md-L108",
    }
    exported = subprocess.run([*ROLEBOOK, "export"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(exported.stdout) == published


def test_csv_cells_cannot_run_as_formulas(shipped_site: BuiltSite) -> None:
    text = to_csv(["a", "b"], [['=HYPERLINK("x")', "+1"], ["-2", "@cmd"], ["plain", "a=b"]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["a", "b"],
        ['\'=HYPERLINK("x")', "'+1"],
        ["'-2", "'@cmd"],
        ["plain", "a=b"],
    ]
    rows = list(csv.DictReader(io.StringIO((shipped_site.site_dir / "matrices/escalations.csv").read_text())))
    assert {r["target"] for r in rows} >= {"database-architect", "user", "unspecified"}


def test_check_exit_codes_and_format(tmp_path: Path) -> None:
    clean = subprocess.run([*ROLEBOOK, "check", "--strict"], cwd=ROOT, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "docs/sources/backend/PLAYBOOK.md:31: info: repaired mojibake" in clean.stdout

    bad = write_tree(tmp_path / "roles", {"x/ROLE.md": "---\nname: a: b\n---\n# X\n", "y/ROLE.md": b"\xff\xfe"})
    warned = subprocess.run([*ROLEBOOK, "check", "--source", str(bad)], cwd=ROOT, capture_output=True, text=True)
    assert warned.returncode == 1  # the undecodable file is an error
    assert re.search(r"x/ROLE\.md:2: warning: front matter is not valid YAML", warned.stdout)
    assert re.search(r"y/ROLE\.md:1: error: not valid UTF-8", warned.stdout)
    as_json = subprocess.run(
        [*ROLEBOOK, "check", "--source", str(bad), "--format", "json"], cwd=ROOT, capture_output=True, text=True
    )
    levels = {f["level"] for f in json.loads(as_json.stdout)}
    assert {"warning", "error"} <= levels <= {"info", "warning", "error"}  # info: y has no headings

    only_warning = write_tree(tmp_path / "warn", {"x/ROLE.md": "---\nname: a: b\n---\n# X\n"})
    relaxed = subprocess.run([*ROLEBOOK, "check", "--source", str(only_warning)], cwd=ROOT, capture_output=True)
    strict = subprocess.run(
        [*ROLEBOOK, "check", "--strict", "--source", str(only_warning)], cwd=ROOT, capture_output=True
    )
    assert (relaxed.returncode, strict.returncode) == (0, 1)
    usage = subprocess.run([*ROLEBOOK, "check", "--source", str(tmp_path / "nope")], cwd=ROOT, capture_output=True)
    assert usage.returncode == 2 and b"no such folder" in usage.stderr
    assert subprocess.run([*ROLEBOOK, "frobnicate"], cwd=ROOT, capture_output=True).returncode == 2


def test_matrix_pages_escape_document_text(tmp_path: Path) -> None:
    sources = write_tree(
        tmp_path / "roles",
        {
            "evil/ROLE.md": "# Evil - ROLE\n\n## In-Scope\n- Own the <script>alert(1)</script> | CI pipeline\n\n"
            "## Escalation Triggers\n- When `<img src=x onerror=alert(1)>` appears, ask the user\n",
        },
    )
    site = build_site(tmp_path / "site", sources=sources)
    for page in ("matrices/responsibilities/", "matrices/escalations/", "conflicts/"):
        html = site.page(page)
        assert "<script>alert(1)" not in html and "<img src=x" not in html, page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | CI pipeline" in site.page("matrices/responsibilities/")


@pytest.mark.parametrize("page", ["matrices/responsibilities/", "matrices/escalations/", "matrices/graph/"])
def test_matrix_pages_speak_of_the_guide_not_of_files_of_the_code(shipped_site: BuiltSite, page: str) -> None:
    html = shipped_site.page(page)
    text = visible_text(html)
    assert not re.search(r"hooks/|\.ya?ml\b|\.py\b", text), re.findall(r"\S*(?:hooks/|\.ya?ml\b|\.py\b)\S*", text)
    if page == "matrices/responsibilities/":
        assert "Areas: the built-in areas (" in text  # where the areas come from, and why
        assert 'href="../../guide/links/#responsibility-areas"' in html
    filters = dict(re.findall(r'data-rb-filter="([^"]+)" placeholder="([^"]+)"', html))
    for table in ("rb-responsibilities", "rb-escalations"):
        assert filters.get(table, "Filter roles…") == "Filter roles…"  # matched against role names only


@pytest.mark.parametrize("page", ["matrices/responsibilities/", "matrices/escalations/", "matrices/graph/"])
def test_matrix_pages_are_out_of_search(shipped_site: BuiltSite, page: str) -> None:
    pages = shipped_site.search_pages()
    assert "/roles/backend/" in pages and not [url for url in pages if url.startswith("/" + page)]


def test_progress_bar_only_on_a_terminal_and_for_many_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    from rolebook import cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    show = cli._progress()
    assert show is not None
    for done in range(1, 11):
        show(done, 10)  # a few documents: no bar
    assert terminal.getvalue() == ""
    for done in range(1, 401):
        show(done, 400)
    assert terminal.getvalue().endswith("] 400/400\n") and "reading [" in terminal.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cli._progress() is None
