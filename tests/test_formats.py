"""Every role format, read as it is: agent cards, skills, free-form documents, CrewAI YAML,
rosters; identity from the overlay file; collisions; facts from metadata; `rolebook new`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, BuiltSite, build_site, write_tree
from pagetext import broken_links, visible_text
from rolebook.read.markdown import PLACEHOLDER

ROLEBOOK = [sys.executable, str(ROOT / "scripts" / "rolebook")]

AGENTS_YAML = """\
_common: &common
  llm: gpt-4o
  verbose: true

researcher:
  <<: *common
  role: >
    Senior Data Researcher
  goal: >
    Uncover cutting-edge developments in {topic}
  backstory: >
    You're a seasoned researcher with a knack for uncovering the latest
    developments. Hand your findings to the Reporting Analyst.

reporting_analyst:
  <<: *common
  role: Reporting Analyst
  goal: Create detailed reports based on {topic} data analysis
  backstory: You're a meticulous analyst.
"""

TASKS_YAML = """\
research_task:
  description: >
    Conduct a thorough research about {topic}
  expected_output: >
    A list with 10 bullet points of the most relevant information about {topic}
  agent: researcher

reporting_task:
  description: Review the context you got and expand each topic into a full section.
  expected_output: A fully fledged report in markdown.
  agent: reporting_analyst
"""

LIBRARY = {
    "agents/code-reviewer.md": (
        "---\nname: code-reviewer\ndescription: |\n  Reviews code for quality.\n  <example>\n  Context: a PR is open\n"
        "  user: review it\n  <commentary>Use the reviewer</commentary>\n  </example>\n\n"
        "  Use **proactively** after `git commit`.\n"
        "tools: Read, Grep, Glob\nmodel: sonnet\ncolor: purple\n---\n\nYou are a code reviewer.\n"
    ),
    "agents/test-writer.md": (
        "---\nname: test-writer\ndescription: Writes tests.\ntools:\n  - Read\n  - Write\n---\n\n"
        "## Workflow\n- Write tests\n"
    ),
    "skills/pdf/SKILL.md": (
        "---\nname: pdf\ndescription: Fill and read PDF forms.\nlicense: Apache-2.0\nallowed-tools: Bash, Read\n"
        "metadata:\n  version: 1.2\n---\n\n# PDF\n\n## Instructions\n- Use pypdf\n"
    ),
    "handbook/incident-commander.md": (
        "# Role: Incident Commander\n\nLeads the response.\n\n## Duties\n- Run the call\n"
    ),
    # R Markdown and Quarto: Markdown with a YAML header; their chunks are code
    "handbook/night-editor.Rmd": (
        '---\ntitle: "Night Editor"\noutput: html_document\n---\n\n'
        "```{r, include = FALSE}\nask_the_incident_commander <- TRUE  # Ask the Incident Commander\n```\n\n"
        "## Duties\n- Proofread the late pages.\n- Escalate outages to the Incident Commander.\n"
    ),
    "handbook/day-editor.qmd": (
        '---\ntitle: "Day Editor"\nformat: html\n---\n\n::: {.callout-note}\nHands pages to the Night Editor.\n:::\n'
    ),
    "crew/agents.yaml": AGENTS_YAML,
    "crew/tasks.yaml": TASKS_YAML,
    "roster.json": json.dumps([{"id": "archivist", "name": "Archivist", "summary": "Keeps the records."}]),
    # collisions: two cards claiming one id with different content; and identical copies
    "agents/twin-one.md": "---\nname: twin\ndescription: First twin.\n---\n\n## Mission\nFirst twin.\n",
    "more-agents/twin-two.md": (
        "---\nname: twin\ndescription: Second.\n---\n\n## Mission\nSecond twin, different text.\n"
    ),
    "copies/one/ROLE.md": "# Copy - ROLE\n\n## Mission\nThe same words.\n",
    "copies/two/ROLE.md": "# Copy - ROLE\n\n## Mission\nThe same words.\n",
    # overlay grouping and renames
    "rolebook.yml": (
        "roles:\n  reviewer:\n    name: Reviewer\n    documents: [agents/code-reviewer.md]\n"
        "    aliases: [Code Police]\n    renamed_from: [qa-reviewer]\n"
    ),
}


@pytest.fixture(scope="module")
def formats_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("formats") / "roles", LIBRARY)


@pytest.fixture(scope="module")
def formats_site(formats_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(tmp_path_factory.mktemp("formats-site") / "site", sources=formats_dir)


def test_agent_cards_keep_pseudo_xml_visible_and_show_facts(formats_site: BuiltSite) -> None:
    text = visible_text(formats_site.page("roles/reviewer/"))
    assert "<example>" in text and "<commentary>Use the reviewer</commentary>" in text
    html = formats_site.page("roles/reviewer/")
    # the description keeps its lines, as written; the page lead is its first paragraph
    assert "Reviews code for quality.<br>\n&lt;example&gt;<br>\nContext: a PR is open<br>" in html
    # its inline Markdown as Markdown: no literal asterisks
    assert "<p>Use <strong>proactively</strong> after <code>git commit</code>.</p>" in html
    assert re.search(r'<span class="rb-chip">Read</span> <span class="rb-chip">Grep</span>', html)
    assert "sonnet" in text and "purple" in text
    writer = formats_site.page("roles/test-writer/")
    assert '<span class="rb-chip">Read</span> <span class="rb-chip">Write</span>' in writer


def test_skills_and_free_form_documents(formats_site: BuiltSite) -> None:
    pdf = visible_text(formats_site.page("roles/pdf/"))
    assert "Fill and read PDF forms." in pdf and "Apache-2.0" in pdf and "version: 1.2" in pdf
    assert "Use pypdf" in pdf
    commander = visible_text(formats_site.page("roles/incident-commander/"))
    assert "Leads the response." in commander and "Run the call" in commander


def test_crewai_agents_and_tasks(formats_site: BuiltSite) -> None:
    researcher = formats_site.page("roles/researcher/")
    text = visible_text(researcher)
    assert "Senior Data Researcher" in text and "Uncover cutting-edge developments in {topic}" in text
    assert "Conduct a thorough research about {topic}" in text and "A list with 10 bullet points" in text
    assert "gpt-4o" in text  # settings merged from the _common anchor
    assert not (formats_site.site_dir / "roles" / "common").exists()
    assert re.search(r'href="\.\./reporting-analyst/"[^>]*>Reporting Analyst</a>', researcher)
    analyst = visible_text(formats_site.page("roles/reporting-analyst/"))
    assert "A fully fledged report in markdown." in analyst
    assert [m for m in formats_site.messages() if "crew/agents.yaml:1: entry '_common' is a template" in m]


def test_overlay_names_groups_aliases_and_redirects(formats_site: BuiltSite) -> None:
    assert "Reviewer" in visible_text(formats_site.page("roles/reviewer/"))
    assert not (formats_site.site_dir / "roles" / "code-reviewer" / "sources").exists()
    for old in ("qa-reviewer", "code-police", "code-reviewer"):
        redirect = (formats_site.site_dir / "roles" / old / "index.html").read_text(encoding="utf-8")
        assert 'http-equiv="refresh"' in redirect and "../reviewer/" in redirect, old


def test_roster_collisions_and_identical_copies(formats_site: BuiltSite) -> None:
    assert "Keeps the records." in visible_text(formats_site.page("roles/archivist/"))
    warnings = formats_site.messages()
    # two agent cards named alike in two folders are copies of one agent: both published
    assert [m for m in warnings if "another copy of role 'twin'" in m and "agents/twin-one.md" in m]
    assert "First twin." in visible_text(formats_site.page("roles/twin/"))
    assert "Second twin, different text." in visible_text(formats_site.page("roles/twin-2/"))
    assert [m for m in warnings if "copies/two/ROLE.md: identical to" in m and "copies/one/ROLE.md" in m]
    assert (formats_site.site_dir / "roles" / "one").exists() and not (formats_site.site_dir / "roles" / "two").exists()
    assert broken_links(formats_site.site_dir) == []


def test_export_shows_the_formats(formats_dir: Path) -> None:
    done = subprocess.run([*ROLEBOOK, "export", "--source", str(formats_dir)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    model = json.loads(done.stdout)
    roles = {r["id"]: r for r in model["roles"]}
    assert {
        "reviewer",
        "test-writer",
        "pdf",
        "incident-commander",
        "researcher",
        "reporting-analyst",
        "archivist",
    } <= set(roles)
    assert roles["archivist"]["status"] == "listed"
    assert {s["name"] for s in roles["researcher"]["sources"]} == {"agents.yaml", "tasks.yaml"}


def test_new_scaffolds_documents_says_what_next_and_check_warns_until_filled(tmp_path: Path) -> None:
    done = subprocess.run(
        [*ROLEBOOK, "new", "data-engineer", "--kind", "role", "--kind", "standards", "--source", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "data-engineer"
    assert (folder / "ROLE.md").read_text(encoding="utf-8").startswith("# Data Engineer - ROLE")
    # the next step: which files to edit, then the check to run
    next_step = done.stdout[done.stdout.index("Next:") :]
    assert str(folder / "ROLE.md") in next_step and str(folder / "STANDARDS.md") in next_step
    assert PLACEHOLDER in next_step and f"rolebook check --source {tmp_path}" in next_step

    # every line still to write is a warning at its path:line, and nothing else is reported
    marked = [
        f"{tmp_path.name}/data-engineer/{name}:{number}"
        for name in ("ROLE.md", "STANDARDS.md")
        for number, line in enumerate((folder / name).read_text(encoding="utf-8").split("\n"), start=1)
        if PLACEHOLDER in line
    ]
    assert len(marked) > 10
    check = subprocess.run([*ROLEBOOK, "check", "--source", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr  # warnings: only --strict fails on them
    reported = check.stdout.splitlines()
    assert sorted(reported) == sorted(
        f"{where}: warning: unfilled placeholder `{PLACEHOLDER}` from `rolebook new`: write the role's own text here"
        for where in marked
    )
    strict = subprocess.run(
        [*ROLEBOOK, "check", "--strict", "--source", str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert strict.returncode == 1

    # filled in, the scaffold is clean: the templates carry no other finding
    for name in ("ROLE.md", "STANDARDS.md"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(PLACEHOLDER, "").replace("  ", " "), "utf-8")
    filled = subprocess.run(
        [*ROLEBOOK, "check", "--strict", "--source", str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert filled.returncode == 0 and filled.stdout == "", filled.stdout

    again = subprocess.run(
        [*ROLEBOOK, "new", "data-engineer", "--source", str(tmp_path)], cwd=ROOT, capture_output=True
    )
    assert again.returncode == 1 and b"not overwriting" in again.stderr
    bad = subprocess.run([*ROLEBOOK, "new", "Data Engineer", "--source", str(tmp_path)], cwd=ROOT, capture_output=True)
    assert bad.returncode == 2


def test_every_subcommand_has_help() -> None:
    for command in ([], ["check"], ["export"], ["new"]):
        done = subprocess.run([*ROLEBOOK, *command, "--help"], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0 and "usage: rolebook" in done.stdout


def test_sentinel_kit_checks_clean_and_exports_fourteen_roles() -> None:
    kit = SHARED / "corpora" / "sentinel-kit"
    if not kit.is_dir():
        pytest.skip("../shared/corpora/sentinel-kit is not beside this checkout")
    check = subprocess.run([*ROLEBOOK, "check", "--source", str(kit)], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0 and ": error:" not in check.stdout
    model = json.loads(
        subprocess.run(
            [*ROLEBOOK, "export", "--source", str(kit)], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    )
    statuses = [r["status"] for r in model["roles"] if r["status"] != "referenced"]
    assert statuses.count("defined") == 13 and statuses.count("listed") == 1


def test_r_markdown_and_quarto_are_read_as_markdown(formats_site: BuiltSite) -> None:
    night = formats_site.page("roles/night-editor/")
    text = visible_text(night)
    assert "Proofread the late pages." in text and "ask_the_incident_commander" in text
    assert re.search(r"<code[^>]*>[^<]*ask_the_incident_commander", night)  # the chunk stays code
    day = visible_text(formats_site.page("roles/day-editor/"))
    assert "Hands pages to the Night Editor." in day
    roles = json.loads((formats_site.site_dir / "roles.json").read_text(encoding="utf-8"))
    relations = {(r["source"], r["target"], r["location"]) for r in roles["relations"]}
    # the prose links; the comment inside the chunk (line 7) does not
    assert ("night-editor", "incident-commander", "roles/handbook/night-editor.Rmd:12") in relations
    assert not [r for r in relations if r[2] == "roles/handbook/night-editor.Rmd:7"]
    assert ("day-editor", "night-editor", "roles/handbook/day-editor.qmd:7") in relations
