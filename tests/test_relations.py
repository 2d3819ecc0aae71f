"""Mentions, relation types and escalation triggers, on small texts of our own, on the
shipped content and on the sentinel-kit corpus."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import SHARED, BuiltSite, build_site, write_tree
from pagetext import broken_links, visible_text
from rolebook import RelationType, load_library, load_vocabulary
from rolebook.model import RoleStatus
from rolebook.relate.discover import discover_names
from rolebook.relate.lexicon import Lexicon, path_spans
from rolebook.relate.rules import load_relation_rules

VOCABULARY = load_vocabulary()
RULES = load_relation_rules()
SENTINEL = SHARED / "corpora" / "sentinel-kit"


def lexicon(**names: list[str]) -> Lexicon:
    result = Lexicon(RULES)
    for role, spellings in names.items():
        for spelling in spellings:
            result.add(role, spelling)
    return result


def found(text: str, lex: Lexicon) -> list[tuple[str, str, str | None]]:
    return [(text[m.start : m.end], m.role, m.cue) for m in lex.find(text)]


LEX = lexicon(
    integrator=["Integrator"],
    data_engineer=["data-engineer"],
    database_architect=["Database Architect"],
    review=["review"],
    qa=["QA"],
    architect=["Architect"],
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tag Integrator to add clients.", [("Integrator", "integrator", "hands_off_to")]),
        ("notify the Integrator", [("Integrator", "integrator", "hands_off_to")]),
        ("Escalate to Integrator now", [("Integrator", "integrator", RelationType.ESCALATES_TO)]),
        ("Depends on data-engineer for schemas", [("data-engineer", "data_engineer", RelationType.DEPENDS_ON)]),
        ("coordinate with Data Engineers", [("Data Engineers", "data_engineer", "collaborates_with")]),
        ("loop in Integrator", [("Integrator", "integrator", "collaborates_with")]),
        ("delegate to Integrator clients", [("Integrator", "integrator", RelationType.DELEGATES_TO)]),
        ("(Ask the Database Architect)", [("Database Architect", "database_architect", RelationType.ESCALATES_TO)]),
        # a list after one cue keeps the cue
        (
            "notify Integrator (gaps), Database Architect (schemas)",
            [
                ("Integrator", "integrator", "hands_off_to"),
                ("Database Architect", "database_architect", "hands_off_to"),
            ],
        ),
    ],
)
def test_cues_type_mentions(text: str, expected: list) -> None:
    assert found(text, LEX) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Run `Integrator` locally",  # code spans are blanked in prose before matching
        "See /ops/integrator/ and src/roles/data-engineer.md",  # paths
        "Please review the diff.",  # an ordinary word that equals a short role id
        "Review the diff first.",  # ... even capitalised at the start of a sentence
        "Lines of qa tests; the ICU and QAnon",  # acronyms match exactly, whole words only
        "Integrator-based clients",  # part of a hyphenated word
    ],
)
def test_false_friends_are_not_mentions(text: str) -> None:
    prose = re.sub(r"`[^`]*`", " ` ", text)
    assert found(prose, LEX) == []


def test_names_inside_longer_names_and_ordinary_words_with_a_cue() -> None:
    assert found("Ask the Database Architect, not the Architect", LEX) == [
        ("Database Architect", "database_architect", RelationType.ESCALATES_TO),
        ("Architect", "architect", None),
    ]
    assert found("Tag review and QA when done", LEX) == [
        ("review", "review", "hands_off_to"),
        ("QA", "qa", "hands_off_to"),
    ]


def test_paths_are_spans_but_role_lists_with_slashes_are_not() -> None:
    text = "(Backender/Frontender) see /ops/commander/ and docs/x.md or CI/CD"
    assert [text[a:b] for a, b in path_spans(text)] == ["/ops/commander/", "docs/x.md"]


def test_roles_nobody_defines_are_discovered_only_where_used_as_roles() -> None:
    def names(text: str, boundary: bool = False) -> list[str]:
        return list(discover_names(text, boundary, RULES))

    assert names("Handoff: notify Integrator (client gaps), Verifier (test focus)") == ["Integrator", "Verifier"]
    assert names("Design database schemas (Ask the Database Architect).", boundary=True) == ["Database Architect"]
    assert names("CI/CD, versioning (Releaser)", boundary=True) == ["Releaser"]
    assert names("Depends on data-engineer for schema changes") == ["data-engineer"]
    assert names("Caching layers (Redis), background jobs (Queues)", boundary=True) == []
    assert names("the architect draws the blueprints; Connect to Stripe; use Docker") == []
    assert names("Releaser (CI steps) in prose without a cue") == []


def _library(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path, files)
    return load_library([tmp_path], tmp_path, VOCABULARY)


def test_a_role_no_line_names_is_not_listed(tmp_path: Path) -> None:
    """ "(Review Steward)" in a boundary reads as the cue "review" + "Steward", but the line
    names the defined role Review Steward: no role "Steward" may appear."""
    library = _library(
        tmp_path,
        {
            "builder/ROLE.md": "# Builder - ROLE\n\n## Out-of-Scope\n- Schema changes (Review Steward)\n",
            "review-steward/ROLE.md": "# Review Steward - ROLE\n\n## Mission\nKeep schemas sound.\n",
        },
    )
    assert sorted(role.id for role in library.roles) == ["builder", "review-steward"]
    assert {(r.source, r.target) for r in library.relations} == {("builder", "review-steward")}
    assert not [f for f in library.findings if "Steward" in f.message]
    assert library.lexicon is not None and library.lexicon.lookup(("steward",)) is None


def test_relation_types_follow_the_section_and_the_cue(tmp_path: Path) -> None:
    library = _library(
        tmp_path,
        {
            "builder/ROLE.md": (
                "# Builder - ROLE\n\n## Mission\nBuild things with Tester.\n\n"
                "## Out-of-Scope\n- Release wiring (handoff to Releaser)\n\n"
                "## Escalation Triggers\n- Flaky gates (loop in Tester)\n"
                "- Missing data from existing Tester fixtures\n\n"
                "## Workflow\n- Handoff: tag Tester; queue Releaser\n- Follow Tester conventions\n"
            ),
            "tester/ROLE.md": "# Tester - ROLE\n\n## Mission\nTest what Builder builds.\n",
            "releaser/ROLE.md": "# Releaser - ROLE\n\n## Mission\nShip.\n",
        },
    )
    relations = {(r.source, r.target, str(r.type), r.sentence) for r in library.relations}
    assert relations == {
        ("builder", "tester", "collaborates_with", "Build things with Tester."),
        ("builder", "releaser", "delegates_to", "Release wiring (handoff to Releaser)"),
        ("builder", "tester", "escalates_to", "Flaky gates (loop in Tester)"),
        ("builder", "tester", "mentions", "Missing data from existing Tester fixtures"),
        ("builder", "tester", "hands_off_to", "Handoff: tag Tester; queue Releaser"),
        ("builder", "releaser", "hands_off_to", "Handoff: tag Tester; queue Releaser"),
        ("builder", "tester", "depends_on", "Follow Tester conventions"),
        ("tester", "builder", "mentions", "Test what Builder builds."),
    }
    triggers = {(e.trigger, e.target, e.action) for e in library.escalations}
    assert triggers == {
        ("Flaky gates (loop in Tester)", "tester", "loop in"),
        ("Missing data from existing Tester fixtures", "unspecified", "escalate"),
    }


def test_escalation_targets_people_and_actions(tmp_path: Path) -> None:
    library = _library(
        tmp_path,
        {
            "dev/SKILL.md": (
                "---\nname: dev\ndescription: Develops.\n---\n\n## Testing\n"
                "- Manual Tests: STOP and ask user to verify. Do NOT auto-proceed.\n"
                "- If still failing, STOP and analyze root cause.\n\n"
                "| Action | Update |\n|---|---|\n| Hit a blocker | `comment()` + set Blocked |\n"
                "- Skip a flaky suite (escalate to the owner)\n"
            ),
        },
    )
    rows = {(e.target, e.target_is_role, e.action) for e in library.escalations}
    assert rows == {
        ("user", False, "STOP and ask user to verify"),
        ("unspecified", False, "STOP and analyze root cause"),
        ("unspecified", False, "comment() + set Blocked"),
        ("owner", False, "escalate to the owner"),  # up to the bracket that closes around it
    }


def test_shipped_content_links_every_referenced_role(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("roles/backend/")
    expected = {
        "integrator": "Integrator",
        "releaser": "Releaser",
        "designer": "Designer",
        "refactorer": "Refactorer",
        "verifier": "Verifier",
        "observer": "Observer",
        "data-engineer": "data-engineer",
        "frontend-developer": "frontend-developer",
        "database-architect": "Database Architect",
        "system-architect": "System Architect",
    }
    for role_id, name in expected.items():
        assert re.search(rf'<a class="rb-role rb-role--undefined" href="\.\./{role_id}/"[^>]*>{name}</a>', html), name
        page = visible_text(shipped_site.page(f"roles/{role_id}/"))
        assert "No document defines this role yet" in page and "Backend" in page
        assert f'href="../roles/{role_id}/"' in shipped_site.page("gaps/")
    # never the role's own names on its own page, never inside code or paths
    assert not re.search(r'class="rb-role[^"]*"[^>]*>(Backender|Backend Engineer|backend-developer)<', html)
    assert "/ops/backend/runbook.md" in visible_text(html)


def test_referenced_by_lists_the_citing_sentence(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("roles/data-engineer/")
    assert 'href="../backend/#backend-developer-md-L108"' in html
    assert "Depends on data-engineer for schema changes and migrations" in visible_text(html)


@pytest.fixture(scope="module")
def sentinel(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    if not SENTINEL.is_dir():
        pytest.skip("../shared/corpora/sentinel-kit is not beside this checkout")
    return build_site(tmp_path_factory.mktemp("sentinel") / "site", sources=SENTINEL, strict=True)


def test_sentinel_kit_roles_relations_and_roster(sentinel: BuiltSite) -> None:
    library = load_library([SENTINEL], SENTINEL, VOCABULARY)
    defined = [r.id for r in library.roles if r.status is RoleStatus.DEFINED]
    assert len(defined) == 13
    warden = library.by_id["contextwarden"]
    assert warden.status is RoleStatus.LISTED and warden.name == "Context Warden"
    assert "Owns Allowed Context include-lists" in visible_text(sentinel.page("roles/contextwarden/"))
    assert not [r for r in library.relations if r.source == r.target]

    def types(source: str, target: str, sentence_part: str) -> set[str]:
        return {
            str(r.type)
            for r in library.relations
            if r.source == source and r.target == target and sentence_part in r.sentence
        }

    assert types("refactorer", "router", "STOP and escalate to Router") == {"escalates_to"}
    assert types("backender", "verifier", "Tag Verifier") == {"hands_off_to"}
    assert types("capsuleauthor", "router", "Notify Router") == {"hands_off_to"}
    assert types("refactorer", "scribe", "Queue Scribe") == {"hands_off_to"}
    assert types("releaser", "verifier", "loop in Verifier") == {"escalates_to"}
    assert types("refactorer", "verifier", "scaffolds (queue Verifier)") == {"delegates_to"}  # a boundary item
    assert types("backender", "integrator", "notify Integrator") == {"hands_off_to"}
    counts = Counter(str(r.type) for r in library.relations)
    assert counts["hands_off_to"] > 40 and counts["delegates_to"] > 40 and counts["escalates_to"] > 10


def test_sentinel_kit_cross_links_resolve(sentinel: BuiltSite) -> None:
    html = sentinel.page("roles/backender/")
    links = set(re.findall(r'<a class="rb-role[^"]*" href="([^"]+)"', html))
    assert "../integrator/" in links and "../verifier/" in links
    assert "../backender/" not in links
    for link in links:
        assert (sentinel.site_dir / "roles" / link.strip("./").rstrip("/") / "index.html").is_file(), link


def test_sentinel_kit_site_has_no_broken_links(sentinel: BuiltSite) -> None:
    assert broken_links(sentinel.site_dir) == []
