"""Nothing lost, nothing leaked: every word of every source (YAML entries included) reaches a
role page, front-matter facts reach roles.json, the build machine's paths reach nothing,
names read as the documents write them, counts agree, and broken links show as broken.

The library lives in a temporary folder outside the site's folder, as `ROLEBOOK_SOURCES`
would put it, so any absolute path the build lets through can be found by a grep."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from markdown_it import MarkdownIt

from conftest import ROOT, BuiltSite, build_site, write_tree
from pagetext import visible_text, words
from rolebook.export import SCHEMA_PATH
from rolebook.read.text import split_front_matter

LIBRARY = {
    # CrewAI: most tasks name no agent; a crews file says who forms the crew and how it runs
    "crew/agents.yaml": (
        "chief_qa_engineer_agent:\n  role: Chief Quality Assurance Engineer\n"
        "  goal: Ensure the code is correct.\n  backstory: You check the senior engineer's work.\n"
        "senior_engineer_agent:\n  role: Senior Software Engineer\n  goal: Write the game.\n"
        "  backstory: You write Python.\n  allow_delegation: false\n"
    ),
    "crew/tasks.yaml": (
        "code_task:\n  description: Write the game in Python.\n  expected_output: The full code.\n"
        "  agent: senior_engineer_agent\n  output_file: game.py\n"
        "review_task:\n  description: Review the code for logic errors.\n  expected_output: Corrected code.\n"
        "evaluate_task:\n  description: Check that the game does what was asked.\n"
        "  expected_output: The final verdict.\n  context: [review_task]\n"
    ),
    "crew/crews.yml": (
        "game_crew:\n  agents: [senior_engineer_agent, chief_qa_engineer_agent]\n"
        "  tasks: [code_task, review_task, evaluate_task]\n  process: sequential\n  memory: true\n"
    ),
    # a human handbook: no H1s, file stems as names, one multi-role document
    "handbook/incident_commander.md": (
        "The incident commander runs the call. If it looks like this, it would be:\n\n"
        "> a major incident: page everyone at once.\n\n"
        "## Duties\n- Decide. Ask [the deputy](deputy.md) and [the liaison](customer_liaison.md#updates).\n"
        "- Read [the duties](customer_liaison.md#duties).\n"
    ),
    "handbook/customer_liaison.md": "Your job as Customer Liaison is to post updates.\n\n## Duties\n- Post often.\n",
    "handbook/roles.md": (
        "# Roles during an incident\n\n## Incident Commander (IC)\n- Owns the call.\n\n"
        "## Comms Lead\n- Posts status updates.\n"
    ),
    "rolebook.yml": "multi_role_documents: [handbook/roles.md]\n",
    # skills and agent cards named by ids; one with front matter that is not valid YAML
    "skills/claude-api/SKILL.md": (
        "---\nname: claude-api\ndescription: Build apps with the Claude API.\nlicense: MIT\n"
        "allowed-tools: [Read, Write]\nmetadata:\n  version: '1.2'\n---\n\nUse the API well.\n"
    ),
    "skills/pdf/SKILL.md": "---\nname: pdf\ndescription: Work with PDF files.\n---\n\nRead PDF files.\n",
    "skills/gitops/SKILL.md": (
        "---\nname: gitops-workflow\ndescription: GitOps workflows with ArgoCD.\n---\n\nSync clusters.\n"
    ),
    "cards/broken-front.md": (
        "---\nname: api-reviewer\ndescription: Reviews APIs: naming, versioning and errors.\n"
        "tools: Read, Grep\nmodel: sonnet\n---\n\nYou review HTTP APIs.\n"
    ),
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuiltSite, dict]:
    root = tmp_path_factory.mktemp("lost")
    sources = write_tree(root / "library", LIBRARY)
    site = build_site(root / "site", sources=sources)
    exported = json.loads((site.site_dir / "roles.json").read_text(encoding="utf-8"))
    return sources, site, exported


def _role_pages(site: BuiltSite, exported: dict) -> dict[str, set[str]]:
    """Words of each role page that shows a document, by the document's published path."""
    shown: dict[str, set[str]] = {}
    for role in exported["roles"]:
        page = {w.casefold() for w in words(visible_text(site.page(f"roles/{role['id']}/")))}
        for source in role["sources"]:
            shown.setdefault(source["path"], set()).update(page)
    return shown


def _values(value: object) -> set[str]:
    """Words of every value in loaded YAML; keys (`role:`, `license:`) are the format's."""
    if isinstance(value, dict):
        return set().union(*map(_values, value.values()))
    if isinstance(value, list):
        return set().union(*map(_values, value))
    return set() if value is None else words(str(value))


def _yaml_words(text: str) -> set[str]:
    """Words of a YAML file's entries: their names (top-level keys) and every value."""
    data = yaml.safe_load(text)
    return {w for key in data for w in words(str(key))} | _values(data)


def test_every_word_of_every_source_is_on_a_role_page(library: tuple[Path, BuiltSite, dict]) -> None:
    sources, site, exported = library
    shown = _role_pages(site, exported)
    for relative, text in LIBRARY.items():
        if relative == "rolebook.yml":
            continue
        published = f"{sources.name}/{relative}"
        assert published in shown, f"{published} is on no role page"
        if relative.endswith((".yaml", ".yml")):
            expected = _yaml_words(text)
        else:
            front = split_front_matter(text, relative)
            body = visible_text(MarkdownIt("commonmark").render(front.body), article_only=False)
            expected = words(body) | _values(front.data)
        missing = {w for w in expected if w.casefold() not in shown[published]}
        assert not missing, f"{published}: {sorted(missing)}"


def test_crew_tasks_without_an_agent_and_the_crew_are_shown_on_its_members_pages(
    library: tuple[Path, BuiltSite, dict],
) -> None:
    _, site, _ = library
    for member in ("chief-qa-engineer-agent", "senior-engineer-agent"):
        text = visible_text(site.page(f"roles/{member}/"))
        assert "Review the code for logic errors." in text and "The final verdict." in text, member
        assert "Crew game_crew" in text and "process: sequential" in text, member
    assert "output_file: game.py" in visible_text(site.page("roles/senior-engineer-agent/"))
    assert not [m for m in site.messages(logging.WARNING) if "not shown" in m]


def test_no_path_of_the_build_machine_is_published(library: tuple[Path, BuiltSite, dict]) -> None:
    sources, site, _ = library
    machine = [str(sources.parent), str(ROOT), str(Path.home())]
    leaks = []
    for path in site.site_dir.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".txt", ".js", ".md"):
            text = path.read_text(encoding="utf-8", errors="replace")
            leaks += [f"{path.relative_to(site.site_dir)}: {m}" for m in machine if m in text]
    assert not leaks
    assert f"{sources.name}/crew/tasks.yaml" in visible_text(site.page("roles/chief-qa-engineer-agent/sources/"))


def test_export_holds_the_facts_and_follows_its_schema(library: tuple[Path, BuiltSite, dict]) -> None:
    _, _, exported = library
    jsonschema.validate(exported, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    roles = {role["id"]: role for role in exported["roles"]}
    facts = {fact["key"]: fact["value"] for fact in roles["claude-api"]["facts"]}
    assert facts == {"license": "MIT", "allowed-tools": ["Read", "Write"], "metadata": {"version": "1.2"}}
    # front matter that is not valid YAML is read key by key
    reviewer = {fact["key"]: fact["value"] for fact in roles["api-reviewer"]["facts"]}
    assert reviewer == {"tools": ["Read", "Grep"], "model": "sonnet"}
    assert roles["api-reviewer"]["summary"] == "Reviews APIs: naming, versioning and errors."
    assert exported["counts"]["roles"] == 10 and exported["counts"]["files"] == 10  # the overlay is not a source


def test_names_read_as_the_documents_write_them(library: tuple[Path, BuiltSite, dict]) -> None:
    _, site, exported = library
    names = {role["id"]: role["name"] for role in exported["roles"]}
    assert {names[i] for i in ("claude-api", "pdf", "gitops", "incident-commander", "customer-liaison")} == {
        "Claude API",
        "PDF",
        "GitOps Workflow",
        "Incident Commander",
        "Customer Liaison",
    }
    assert names["chief-qa-engineer-agent"] == "Chief Quality Assurance Engineer"
    aliases = {role["id"]: role["aliases"] for role in exported["roles"]}
    assert aliases["claude-api"] == [] and aliases["pdf"] == []  # never the role's own id
    assert aliases["gitops"] == ["gitops-workflow"]
    # "## Incident Commander (IC)" of the multi-role document joins Incident Commander
    assert "incident-commander-ic" not in names and aliases["incident-commander"] == ["IC"]
    page = visible_text(site.page("roles/incident-commander/"))
    assert "Owns the call." in page
    # a lead that ends in a colon keeps the block it introduces
    lead = next(r["summary"] for r in exported["roles"] if r["id"] == "incident-commander")
    assert lead.endswith("it would be: a major incident: page everyone at once.")


def test_counts_agree_and_read_well(library: tuple[Path, BuiltSite, dict]) -> None:
    sources, site, exported = library
    index = visible_text(site.page("roles/"))
    referenced = exported["counts"]["referenced_roles"]
    assert f"{exported['counts']['roles']} roles defined by documents" in index
    assert (f"{referenced} more that they name" in index) == (referenced > 0)
    health = visible_text(site.page("health/"))
    files = exported["counts"]["files"]
    assert f"in the {files} source files" in health
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rolebook"), "check", "--source", str(sources)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    summary = check.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"{files} source files, {exported['counts']['roles']} roles: ")
    assert re.search(r"\b1 (error|warning|note)s\b", summary) is None  # "1 note", never "1 notes"


def test_links_that_cannot_resolve_are_warned_about_and_shown_broken(library: tuple[Path, BuiltSite, dict]) -> None:
    sources, site, _ = library
    warnings = site.messages(logging.WARNING)
    where = f"rolebook: {sources.name}/handbook/incident_commander.md:6: links to"
    assert any(m.startswith(f"{where} 'deputy.md'") for m in warnings)
    assert any(m.startswith(f"{where} 'customer_liaison.md#updates'") and "no heading" in m for m in warnings)
    html = site.page("roles/incident-commander/")
    assert re.search(r'<a class="rb-broken" title="Broken link: [^"]*deputy\.md[^"]*">the deputy</a>', html)
    assert 'href="../customer-liaison/">the liaison</a>' in html  # its page, not a missing anchor
    assert re.search(r'href="\.\./customer-liaison/#[^"]*duties">the duties</a>', html)
    for page in site.site_dir.rglob("roles/**/index.html"):
        assert 'href="#"' not in page.read_text(encoding="utf-8"), page
