"""A handbook of human roles: links between role documents keep working after the merge,
images keep showing, links to files outside the sources are findings, several roles in
one document, abbreviations, people as escalation targets."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from conftest import BuiltSite, build_site, write_tree
from pagetext import broken_links, visible_text

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")  # a tiny PNG header

HANDBOOK = {
    "training/incident_commander.md": (
        "---\ndescription: Runs the incident response.\ncover: images/ic.png\n---\n\n"
        "# Incident Commander\n\nThe Incident Commander (IC) leads the response.\n\n"
        "## Duties\n- Delegate to the [Deputy](deputy.md#duties) and the [Scribe](scribe.md)\n"
        "- If the IC is unavailable, page the on-call engineer.\n\n![Flow](images/flow.png)\n"
    ),
    "training/deputy.md": (
        "# Deputy\n\n## Duties\n- Support the IC; ask the [Incident Commander](incident_commander.md) when unsure.\n"
        "- Keep ICU beds and topics out of it.\n"
        "- Escalate to the Incident Commander if paging fails.\n"
        "- If the IC is unreachable, notify the executive on-call.\n"
    ),
    "training/scribe.md": "# Scribe\n\n## Duties\n- Keep the timeline. See [the policy](../../outside/policy.md).\n",
    "training/roles.md": (
        "# Different roles\n\nWho does what during an incident.\n\n"
        "## Incident Commander\n- Owns the call from start to finish.\n\n"
        "## Deputy\n### Backup duties\n- Shadows the Incident Commander.\n\n"
        "## Comms Lead\n- Posts status updates every 30 minutes.\n"
    ),
    "rolebook.yml": "multi_role_documents: [training/roles.md]\n",
    "training/images/flow.png": PNG,
    "training/images/ic.png": PNG,
}


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuiltSite]:
    root = tmp_path_factory.mktemp("handbook")
    sources = write_tree(root / "roles", HANDBOOK)
    return sources, build_site(root / "site", sources=sources)


def test_links_between_documents_point_at_the_merged_pages(handbook: tuple[Path, BuiltSite]) -> None:
    _, site = handbook
    ic = site.page("roles/incident-commander/")
    assert re.search(r'href="\.\./deputy/#[^"]*duties[^"]*">Deputy</a>', ic)
    assert 'href="../scribe/">Scribe</a>' in ic
    deputy = site.page("roles/deputy/")
    assert 'href="../incident-commander/">Incident Commander</a>' in deputy
    assert broken_links(site.site_dir) == []


def test_images_are_published_and_shown(handbook: tuple[Path, BuiltSite]) -> None:
    _, site = handbook
    src = re.search(r'<img[^>]*src="([^"]+)"[^>]*alt="Flow"', site.page("roles/incident-commander/"))
    assert src is not None
    assert (site.site_dir / "roles" / "incident-commander" / src.group(1)).resolve().read_bytes() == PNG


def test_a_link_outside_the_sources_is_a_finding(handbook: tuple[Path, BuiltSite]) -> None:
    sources, site = handbook
    where = f"{sources.name}/training/scribe.md:4"  # named from its sources folder, never absolute
    found = [
        r for r in site.records if r.getMessage().startswith(f"rolebook: {where}: links to '../../outside/policy.md'")
    ]
    assert found and found[0].levelno == logging.WARNING
    assert "neither among the sources nor a page of the site" in visible_text(site.page("health/"))


def test_strict_fails_only_on_the_outside_link(handbook: tuple[Path, BuiltSite]) -> None:
    _, site = handbook
    warnings = [r.getMessage() for r in site.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "outside/policy.md" in warnings[0]


def test_abbreviations_link_as_whole_words_only(handbook: tuple[Path, BuiltSite]) -> None:
    _, site = handbook
    deputy = site.page("roles/deputy/")
    assert re.search(r'Support the <a class="rb-role" href="\.\./incident-commander/"[^>]*>IC</a>', deputy)
    assert "Keep ICU beds and topics out of it." in visible_text(deputy)
    assert not re.search(r">ICU<|>IC</a>U", deputy)
    assert "IC" in visible_text(site.page("roles/incident-commander/")).split("Also known as:")[1][:40]


def test_people_and_roles_as_escalation_targets(handbook: tuple[Path, BuiltSite]) -> None:
    _, site = handbook
    rows = re.findall(
        r'<tr data-rb-row="[^"]*"><th[^>]*>.*?</th><td>(.*?)</td><td data-sort="([^"]*)">',
        site.page("matrices/escalations/"),
    )
    targets = {trigger: target for trigger, target in rows}
    assert targets["If the IC is unavailable, page the on-call engineer."] == "on-call engineer"
    assert targets["If the IC is unreachable, notify the executive on-call."] == "executive on-call"
    assert targets["Escalate to the Incident Commander if paging fails."] == "incident-commander"


def test_front_matter_of_handbook_pages(handbook: tuple[Path, BuiltSite]) -> None:
    _, site = handbook
    text = visible_text(site.page("roles/incident-commander/"))
    assert text.startswith("Incident Commander ¶ Runs the incident response.") or "Runs the incident response." in text
    assert re.search(r"cover images/ic\.png", text)


def test_a_multi_role_document_feeds_each_role(handbook: tuple[Path, BuiltSite]) -> None:
    _, site = handbook
    ic = site.page("roles/incident-commander/")
    assert "Owns the call from start to finish." in visible_text(ic)
    assert re.search(r'<h2 id="from--roles-md--incident-commander"[^>]*>From Different roles', ic)
    assert 'href="../different-roles/">Different roles</a>, which describes several roles.' in ic
    deputy = site.page("roles/deputy/")
    assert "Shadows the" in visible_text(deputy) and re.search(r"<h3[^>]*>Backup duties", deputy)
    whole = visible_text(site.page("roles/different-roles/"))
    assert "Owns the call from start to finish." in whole and "Who does what during an incident." in whole


def test_check_reports_the_outside_link_too(handbook: tuple[Path, BuiltSite]) -> None:
    import subprocess
    import sys

    from conftest import ROOT

    sources, _ = handbook
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rolebook"), "check", "--strict", "--source", str(sources)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert re.search(r"training/scribe\.md:4: warning: links to '\.\./\.\./outside/policy\.md'", done.stdout)
    assert done.stdout.count(": warning:") == 1


def test_a_declared_multi_role_document_defines_the_roles_it_names(handbook: tuple[Path, BuiltSite]) -> None:
    _, site = handbook
    comms = site.page("roles/comms-lead/")
    text = visible_text(comms)
    assert "Posts status updates every 30 minutes." in text
    assert re.search(r"<h1[^>]*>Comms Lead<", comms)
    assert "Owns the call" not in text  # only its own section
    # roles that have pages of their own get the section once, not twice
    assert visible_text(site.page("roles/deputy/")).count("Shadows the") == 1
    assert "Posts status updates every 30 minutes." in visible_text(site.page("roles/different-roles/"))
