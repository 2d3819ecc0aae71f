"""The responsibility matrix says what the documents say (issue 12): how a line is read
(clauses, negation scope, exceptions, named owners), which areas a library gets, and the
conflicts page, on a handbook of human roles of our own and on the lines the guide quotes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import ROOT, BuiltSite, build_site, load_script, write_tree
from pagetext import broken_links, visible_text
from rolebook.lexical import states_a_duty
from rolebook.relate.rules import load_relation_rules
from rolebook.responsibilities.areas import AreaMatcher, load_areas
from rolebook.responsibilities.claims import LineClaim, Span, Stance, load_claim_rules, read_line

RULES = load_claim_rules(load_relation_rules().negations)
MATCHER = AreaMatcher(load_areas())


def read(text: str, section: Stance | None, roles: dict[str, bool] | None = None) -> set[tuple[str | None, str, str]]:
    """The stances of a line, with `roles` ({name as written: relied on}) named in it."""
    named = [
        (Span(text.index(name), text.index(name) + len(name), name.lower()), relied)
        for name, relied in (roles or {}).items()
    ]
    found: list[LineClaim] = read_line(text, section, MATCHER.spans(text), named, RULES)
    return {(c.role, c.area, c.stance.value) for c in found}


@pytest.mark.parametrize(
    ("text", "section", "roles", "expected"),
    [
        # a negation reaches its own clause only
        (
            "Local view-models/adapters for props shaping (no external API design)",
            Stance.OWNS,
            None,
            {(None, "integrations", "must not")},
        ),
        ("Local-only dev scripts that are not part of CI", Stance.MUST_NOT, None, set()),
        # after a comma, "not" says what the forbidden thing is not
        ("Local dev scripts, not part of CI", Stance.MUST_NOT, None, set()),
        # a duty that opens with a verb of attention names what the role looks at
        ("Analyze error messages and logs", Stance.OWNS, None, set()),
        ("Add strategic debug logging", Stance.OWNS, None, {(None, "observability", "owns")}),
        ("Check out the test dashboard", Stance.OWNS, None, set()),
        ("Assess the logging of each service", Stance.OWNS, None, set()),
        # … unless another verb does the work: "Identify and fix"
        ("Identify and fix logging gaps", Stance.OWNS, None, {(None, "observability", "owns")}),
        ("Please read the test plan", Stance.OWNS, None, set()),
        # "validate" is also an idea or a plan: only "validation" and its tools name the area
        ("Validate that optimizations keep their promise", Stance.OWNS, None, set()),
        # an area's keyword before a word for people names the group, not the area
        ("Build fixtures for the testing team", Stance.OWNS, None, {(None, "testing", "owns")}),
        ("Keep the security team informed", Stance.OWNS, None, set()),
        # "beyond" names what is allowed; the named role owns what is forbidden
        (
            "Writing docs beyond integration notes (Scribe)",
            Stance.MUST_NOT,
            {"Scribe": False},
            {(None, "documentation", "must not"), ("scribe", "documentation", "owns")},
        ),
        # several roles named: who owns which is not said
        (
            "Server feature logic or UI code (Backender/Frontender)",
            Stance.MUST_NOT,
            {"Backender": False, "Frontender": False},
            {(None, "business-logic", "must not"), (None, "frontend", "must not")},
        ),
        # among standards a prohibition is a rule, unless it forbids doing the work
        ("Never log secrets in plain text", Stance.STANDARDS, None, {(None, "security", "sets standards")}),
        ("Do not modify CI or release config", Stance.STANDARDS, None, {(None, "ci-cd", "must not")}),
        ("Don't ever directly modify CI config", Stance.STANDARDS, None, {(None, "ci-cd", "must not")}),
        # a single named owner owns what its own clause, or the clause before it, forbids
        (
            "CI/release wiring; secrets handling (Releaser)",
            Stance.MUST_NOT,
            {"Releaser": False},
            {(None, "ci-cd", "must not"), (None, "security", "must not"), ("releaser", "security", "owns")},
        ),
        (
            "Do not edit CI config; handoff to Releaser",
            Stance.MUST_NOT,
            {"Releaser": False},
            {(None, "ci-cd", "must not"), ("releaser", "ci-cd", "owns")},
        ),
        # ownership in words, for the role named before the phrase
        (
            "The Scribe is responsible for the documentation of the call",
            None,
            {"Scribe": False},
            {("scribe", "documentation", "owns")},
        ),
        ("You may not deploy releases", None, None, {(None, "ci-cd", "must not")}),
        # relying on a role is for what the line asks of it, not for what comes before it
        ("Take over the release from the Releaser when asked", Stance.OWNS, {"Releaser": True}, set()),
        # a clause that gives its work to others owns none of it
        ("Delegate all repair actions and refactors", Stance.OWNS, None, set()),
        # "no X" in a playbook step is a rule, not a boundary
        ("No secrets in logs", None, None, set()),
        # a negation that lifts an obligation, or a statement about others, forbids nothing
        ("You don't need to write the documentation yourself", Stance.OWNS, None, set()),
        ("Customers don't care about the documentation", Stance.OWNS, None, set()),
        # a condition about someone else is a circumstance, not the role's work
        ("Review the Designer spec if the UI depends on this API", None, {"Designer": True}, set()),
        ("Publish the docs when the release is tagged", Stance.OWNS, None, {(None, "documentation", "owns")}),
        ("Write tests when you change the API", Stance.OWNS, None, {(None, "testing", "owns"), (None, "api", "owns")}),
        # where the work goes is not the work
        ("Put the rollback steps into the runbook", Stance.STANDARDS, None, set()),
        ("Never copy tokens into scripts or logs", Stance.STANDARDS, None, set()),
        ("Contributes to the documentation", Stance.OWNS, None, {(None, "documentation", "owns")}),
        # a sentence among constraints is a rule of the work, an item without a verb is out of scope
        ("Keyboard accessibility is part of every change", Stance.MUST_NOT, None, {(None, "ux", "sets standards")}),
        ("Deployment config changes", Stance.MUST_NOT, None, {(None, "ci-cd", "must not")}),
        # relying on a role: the clause that names it
        (
            "Write the handlers; use the Integrator's clients for external APIs",
            Stance.OWNS,
            {"Integrator": True},
            {(None, "integrations", "relies on")},
        ),
        # after a comma, "not" and a noun phrase say what the role is not; "never" and a verb forbid
        ("You sit with the developers, not a separate testing group", Stance.OWNS, None, set()),
        ("You write code, never deploy", Stance.OWNS, None, {(None, "ci-cd", "must not")}),
        # a keyword coordinated with others before a word for a time names the time
        ("Joins at the Design, Test and Release stages", Stance.OWNS, None, set()),
        ("Joins the release stage and owns documentation", Stance.OWNS, None, {(None, "documentation", "owns")}),
        # after "when:", a sentence with its own subject is a circumstance; a task is the role's
        (
            "Call on this agent when: - A new API requires a design review - Writing the release notes",
            Stance.OWNS,
            None,
            {(None, "documentation", "owns")},
        ),
        # an area as a statement's subject is what the statement is about; after the reader's verb, the work
        ("The weekly deployment is on Friday", Stance.OWNS, None, set()),
        ("Make sure the deployment is green", Stance.OWNS, None, {(None, "ci-cd", "owns")}),
        # "rather than" names what the role does not do, like "instead of"
        ("Give advice on priorities rather than day-to-day testing", Stance.OWNS, None, set()),
        # reviewing something is looking at it
        ("Review the architecture for gaps", Stance.OWNS, None, set()),
        # work shared with or done for others is not owned; organising it is
        ("Pair with the testing team on fixtures", Stance.OWNS, None, set()),
        ("Align on release communication", Stance.OWNS, None, set()),
        ("Collaborate with QA on test data", Stance.OWNS, None, set()),
        ("Supports the rollout of deployments", Stance.OWNS, None, set()),
        ("Coordinate releases across teams", Stance.OWNS, None, {(None, "ci-cd", "owns")}),
        ("Assisting the lead in planning deployments", Stance.OWNS, None, set()),  # any form of the verb
        ("Sync the rollout plan with Ops before each release", Stance.OWNS, None, set()),  # "… with" later
        ("You should suggest a caching strategy", Stance.OWNS, None, set()),  # advice, not the decision
        ("Offer a proposal for the test data", Stance.OWNS, None, set()),  # a light verb and the act's noun
        ("Provide a handoff of release checks", Stance.OWNS, None, set()),  # the act of handing off
        ("Celebrate each deployment with the team", Stance.OWNS, None, set()),  # appreciation, not the work
        # a caution among steps stays one when it names a role that is neither owner nor relied on
        ("Don't ask the Verifier to rerun tests twice", None, {"Verifier": False}, set()),
        ("Offer caching for the gateway", Stance.OWNS, None, {(None, "performance", "owns")}),
        # what a duty is for is not the duty, up to the next comma
        ("Package the bundle for deployment", Stance.OWNS, None, set()),
        ("Check specs for drift, write unit tests", Stance.OWNS, None, {(None, "testing", "owns")}),
        ("Be responsible for deployment", Stance.OWNS, None, {(None, "ci-cd", "owns")}),
        ("Coordinate with Frontender; you own the API", Stance.OWNS, None, {(None, "api", "owns")}),
        # a prohibition with a condition forbids a way of working, not the area
        ("Do not deploy models that don't meet criteria", None, None, set()),
        ("Never write migrations only when asked", Stance.MUST_NOT, None, set()),
        ("Do not deploy to production", None, None, {(None, "ci-cd", "must not")}),
        # a titled rule that opens with "No" among restrictions says how to work, with its explanation
        (
            "No Plaintext Secrets: keep credentials in the vault. Use the deploy key only",
            Stance.MUST_NOT,
            None,
            {(None, "security", "sets standards"), (None, "ci-cd", "sets standards")},
        ),
        ("FORBIDDEN: Make major architectural changes", Stance.MUST_NOT, None, {(None, "architecture", "must not")}),
        ("No database migrations", Stance.MUST_NOT, None, {(None, "migrations", "must not")}),
        # what the work is subject to is what it keeps to, not the work
        ("All communication is subject to the security policy", Stance.OWNS, None, set()),
        # an area after a preposition of extent says where the work applies
        ("Write clear docs across any security tooling", Stance.OWNS, None, {(None, "documentation", "owns")}),
        # forbidding to leave the work out requires it
        ("Skip testing under deadline pressure", Stance.MUST_NOT, None, set()),
        ("Do not bypass the security checks", Stance.MUST_NOT, None, set()),
        ("Do not touch the security checks", Stance.MUST_NOT, None, {(None, "security", "must not")}),
        # "not limited to" lists examples; it forbids nothing
        ("Runs the project, including but not limited to releases and docs", Stance.OWNS, None, set()),
        # "without X approval" in a boundary: allowed once approved, relying on X when X is a role
        ("Change the release notes without archivist approval", Stance.MUST_NOT, None, set()),
        (
            "Change the release notes without Archivist approval",
            Stance.MUST_NOT,
            {"Archivist": True},
            {(None, "documentation", "relies on")},
        ),
        ("No refactors without explicit approval", Stance.MUST_NOT, None, {(None, "refactoring", "must not")}),
        # among duties, a rule of how things must be is the role's work and a standard too
        (
            "Logging by Default: Every service must emit logs",
            Stance.OWNS,
            None,
            {(None, "observability", "owns"), (None, "observability", "sets standards")},
        ),
        ("You must own the logging of every service", Stance.OWNS, None, {(None, "observability", "owns")}),
        # an area that qualifies a noun of norms, in a list of duties, is a standard set for it
        ("Error handling standards for every service", Stance.OWNS, None, {(None, "errors", "sets standards")}),
        ("You own the logging guidelines", Stance.OWNS, None, {(None, "observability", "owns")}),
    ],
)
def test_a_line_is_read_clause_by_clause(
    text: str, section: Stance | None, roles: dict[str, bool] | None, expected: set
) -> None:
    assert read(text, section, roles) == expected


def test_a_compound_is_about_its_head_and_a_label_about_itself() -> None:
    assert [s.key for s in MATCHER.spans("Security testing and API caching")] == ["testing", "performance"]
    assert [s.key for s in MATCHER.spans("Unit and integration tests")] == ["testing"]  # not integrations
    assert [s.key for s in MATCHER.spans("Migrate database schema")] == ["migrations", "persistence"]  # a verb
    assert MATCHER.spans("see /ops/backend/runbook.md and src/<name>/metrics.json") == []  # paths name no area
    assert MATCHER.spans("npm run lint:security, then check:contracts") == []  # nor does a script's name
    text = "Your job is to run background jobs"
    assert [(text[s.start : s.end], s.key) for s in MATCHER.spans(text)] == [("background jobs", "jobs")]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Owns the storage architecture of the app", []),  # a field's design, not the system's
        ("Designs a sturdy security architecture", ["security"]),  # the field names an area: that one
        ('Reviews the "Safe by Default" architecture', []),
        ("Draws the overall architecture", ["architecture"]),  # an adjective does not narrow it
        ("Keeps the system architecture coherent", ["architecture"]),
        ("Writes the architecture decision records", ["architecture"]),
    ],
)
def test_a_broad_area_after_a_noun_is_that_fields_design(text: str, keys: list[str]) -> None:
    assert [s.key for s in MATCHER.spans(text)] == keys


def test_a_list_of_words_in_capitals_names_documents() -> None:
    """A README is documentation; "SECURITY, and ARCHITECTURE" beside it are documents'
    names, not areas; an ordinary word in capitals alone is emphasis."""
    assert [s.key for s in MATCHER.spans("Keep README, SECURITY, and ARCHITECTURE current")] == ["documentation"]
    assert [s.key for s in MATCHER.spans("NEVER weaken SECURITY checks")] == ["security"]


@pytest.mark.parametrize(
    ("heading", "duty"),
    [
        ("Provide executive status updates", True),
        ("Assigning tasks", True),
        ("Alert IC to timers", True),
        ("Status updates", False),
        ("Start of call announcement", False),
        ("Training process", False),
        ("Design principles", False),
        ("Round 2: Caching and limits", False),  # a numbered label, not the verb "round"
        ("Purpose", False),
    ],
)
def test_a_heading_that_states_a_duty(heading: str, duty: bool) -> None:
    assert states_a_duty(heading) is duty


HANDBOOK = {
    "rolebook.yml": "multi_role_documents: [handbook/different_roles.md]\n",
    "handbook/different_roles.md": (
        "# Different roles\n\nWho does what during a major outage.\n\n"
        "## Incident Commander (IC)\n\n### What are the responsibilities?\n\n"
        "1. Make the final decisions about the response.\n"
        "1. Approve status updates before anyone sends them.\n"
        "1. Approve customer communication that the Customer Liaison drafts.\n"
        "1. Never carry out remediation yourself.\n\n"
        "## Deputy\n\n### What are the responsibilities?\n\n"
        "- Send status updates to executives every 30 minutes.\n"
        "- Support decisions by polling the Subject Matter Experts.\n"
        "- Keep the timeline when no Scribe is on the call.\n\n"
        "## Scribe\n\n### What are the responsibilities?\n\n"
        "- Keep the timeline of the outage.\n"
        "- Record decisions and follow-up items.\n"
        "- Do not send status updates.\n\n"
        "## Customer Liaison\n\n### What are the responsibilities?\n\n"
        "- Draft customer communication for the public status page.\n"
        "- Post customer communication once the IC approves it.\n\n"
        "## Internal Liaison\n\n### What are the responsibilities?\n\n"
        "- Send status updates to internal stakeholders.\n"
        "- Page additional responders when the IC asks.\n\n"
        "## Subject Matter Expert\n\n### What are the responsibilities?\n\n"
        "- Investigate the failing system and propose remediation.\n"
        "- Carry out remediation once the IC decides.\n"
    ),
    "handbook/incident_commander.md": (
        "# Incident Commander\n\n## Purpose\n\nThe Incident Commander is in charge of the response.\n\n"
        "## Incident call\n\n### Polling during a decision\n\nAsk for strong objections, then decide.\n"
    ),
    "handbook/deputy.md": "# Deputy\n\n## Purpose\n\nThe Deputy supports the Incident Commander.\n",
    "handbook/scribe.md": (
        "# Scribe\n\n## Purpose\n\nThe Scribe keeps the record.\n\n"
        "## During the call\n\n### Send the hourly status updates\n\nPost them in the outage channel.\n"
    ),
    "handbook/customer_liaison.md": "# Customer Liaison\n\n## Purpose\n\nThe voice of the customer.\n",
    "handbook/internal_liaison.md": "# Internal Liaison\n\n## Purpose\n\nThe voice of the company.\n",
    "handbook/subject_matter_expert.md": "# Subject Matter Expert\n\n## Purpose\n\nKnows one system well.\n",
}

SITE_AREAS = """defaults: false
areas:
  - key: status-updates
    title: Status updates
    keywords: [status update, status updates]
  - key: customers
    title: Customer communication
    keywords: [customer communication, status page]
"""


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuiltSite]:
    root = tmp_path_factory.mktemp("claims-handbook")
    sources = write_tree(root / "roles", HANDBOOK)
    return sources, build_site(root / "site", sources=sources)


def _text(fragment: str) -> str:
    """The words of an HTML fragment."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _matrix_cells(site: BuiltSite) -> dict[tuple[str, str], str]:
    """(role id, area key) -> the cell's visible text."""
    html = site.page("matrices/responsibilities/")
    cells = {}
    for row in re.findall(r"<tr data-rb-row=\"[^\"]*\"><th[^>]*>.*?</tr>", html, re.S):
        role = re.search(r'href="[^"]*roles/([^/"]+)/"', row)
        assert role is not None
        for area, content in re.findall(r'<td data-area="([^"]+)"[^>]*>(.*?)</td>', row, re.S):
            if content.strip():
                cells[(role.group(1), area)] = _text(content)
    return cells


def test_a_handbook_of_human_roles_gets_areas_of_its_own(handbook: tuple[Path, BuiltSite]) -> None:
    _, site = handbook
    text = visible_text(site.page("matrices/responsibilities/"))
    assert "areas derived from the phrases the roles' responsibility lines share" in text
    assert any("derived from the phrases" in m for m in site.messages())  # and the build log says so
    cells = _matrix_cells(site)
    assert cells[("deputy", "status-update")].startswith("owns")
    assert cells[("customer-liaison", "customer-communication")].startswith("owns")
    assert "must not" in cells[("scribe", "status-update")]
    assert "must not" in cells[("incident-commander", "remediation")]
    assert cells[("subject-matter-expert", "remediation")].startswith("owns")
    assert cells[("scribe", "timeline")].startswith("owns")
    # "Different roles" lends its sections to the roles it describes: it is no row of its own
    assert not any(
        "different-roles" in row
        for row in re.findall(r'data-rb-row="([^"]*)"', site.page("matrices/responsibilities/"))
    )
    # no column for a role's name, a section word or the library's own subject
    columns = {area for _, area in cells}
    assert not columns & {"incident-commander", "responsibility", "role", "outage"}


def test_conflicts_name_role_document_and_line(handbook: tuple[Path, BuiltSite]) -> None:
    _, site = handbook
    conflicts = site.page("conflicts/")
    disagree = conflicts[conflicts.index('id="sources-disagree"') : conflicts.index('id="owner-does-not-claim-it"')]
    # the Scribe's page sends status updates; the Different roles page forbids it
    assert "handbook/scribe.md:9 — Send the hourly status updates" in _text(disagree)
    assert "handbook/different_roles.md:28 — Do not send status updates." in _text(disagree)
    assert re.search(r'href="\.\./roles/scribe/#different-roles-md-L28"', disagree)
    several = conflicts[conflicts.index('id="owned-by-several-roles"') : conflicts.index('id="sources-disagree"')]
    assert 'href="../roles/deputy/"' in several and 'href="../roles/internal-liaison/"' in several
    assert broken_links(site.site_dir) == []  # every cited line is on the page the badge links to


def test_a_site_gives_its_own_areas(handbook: tuple[Path, BuiltSite], tmp_path: Path) -> None:
    sources, _ = handbook
    areas = tmp_path / "handbook-areas.yml"
    areas.write_text(SITE_AREAS, encoding="utf-8")
    site = build_site(tmp_path / "site", sources=sources, settings={"areas": str(areas)})
    html = site.page("matrices/responsibilities/")
    assert re.findall(r'<th data-rb-sort data-area="([^"]+)"', html) == ["status-updates", "customers"]
    cells = _matrix_cells(site)
    assert cells[("internal-liaison", "status-updates")].startswith("owns")
    assert cells[("customer-liaison", "customers")].startswith("owns")


def test_an_areas_file_with_an_error_names_its_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "roles").mkdir()
    (tmp_path / "areas.yml").write_text("areas:\n  - key: x\n    keywords: [a, b\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nextra:\n  rolebook:\n    sources: roles\n    areas: areas.yml\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rolebook"), "--config", str(tmp_path / "mkdocs.yml"), "check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert re.search(r"areas\.yml:\d+: not valid YAML", done.stderr + done.stdout)
    assert "Traceback" not in done.stderr


def test_a_label_line_opening_with_a_prohibition_lists_that_section() -> None:
    from rolebook import load_vocabulary

    vocabulary = load_vocabulary()
    assert vocabulary.label_for("Avoid generic server patterns that undermine production systems") == "anti-patterns"
    assert vocabulary.label_for("Escalate when") == "escalation"
    assert vocabulary.label_for("Testing approach for new features") is None  # a topic, not a section
    assert vocabulary.section_for("What are the responsibilities?") == "responsibilities"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("areas:\n  - key: ci\n    keywords: ci\n", "`keywords` must be a list of strings"),
        ("areas:\n  - key: ci\n    keywords: [null]\n", "`keywords` must be a list of strings"),
        ("defaults: 'no'\nareas: []\n", "`defaults` must be true or false"),
        ("areas: {key: x}\n", "`areas` must be a list"),
    ],
)
def test_an_areas_file_of_the_wrong_shape_says_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    from rolebook.responsibilities.areas import AreasError

    path = tmp_path / "areas.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AreasError, match=re.escape(message)):
        load_areas(path)


def test_a_claims_file_of_the_wrong_shape_says_what_is_wrong(tmp_path: Path) -> None:
    from rolebook.responsibilities.claims import ClaimRulesError

    path = tmp_path / "claims.yml"
    path.write_text("owning: takes care of\n", encoding="utf-8")
    with pytest.raises(ClaimRulesError, match="`owning` must be a list of strings"):
        load_claim_rules(RULES.negations, path)
    path.write_text("sections: [responsibilities]\n", encoding="utf-8")
    with pytest.raises(ClaimRulesError, match="`sections` must map"):
        load_claim_rules(RULES.negations, path)
    path.write_text("boilerplate: many\n", encoding="utf-8")
    with pytest.raises(ClaimRulesError, match=r"claims\.yml:1: `boilerplate` must be a number of documents"):
        load_claim_rules(RULES.negations, path)


CAPABILITY_CARD = """---
name: business-analyst
description: Use when analysing business processes and writing requirements documentation.
---

You are a business analyst.

Solution design:
- Requirements documentation
- System architecture
- Interface design

Documentation skills:
- Functional specifications
- Process flow diagrams

## Capabilities

- **Middleware**: Auth checks, rate limiting
- Backlog grooming
  - Test plans
"""


def test_a_lead_in_to_a_list_of_duties_is_no_label(tmp_path: Path) -> None:
    """A label that ends with a function word ("The releaser is expected to:") introduces
    duties; it is not a topic its items detail."""
    card = (
        "---\nname: releaser\ndescription: Ships the product.\n---\n\nThe releaser is expected to:\n\n- Run releases\n"
    )
    write_tree(tmp_path, {"releaser.md": card})
    _, claims, _, _ = load_script("eval_claims").analyse(tmp_path)
    assert {(c.area, c.stance) for c in claims} == {("ci-cd", Stance.OWNS)}


def test_another_roles_name_is_not_an_area(tmp_path: Path) -> None:
    """ "Security Reviewer" on another role's page names the role, not security work; on the
    reviewer's own page its name says what it does."""
    write_tree(
        tmp_path,
        {
            "developer.md": "---\nname: developer\ndescription: Writes the code.\n---\n\n"
            "## Responsibilities\n\n- Ask the Security Reviewer to look at each change\n",
            "security-reviewer.md": "---\nname: security-reviewer\ndescription: Security reviewer.\n---\n\n"
            "Reviews changes.\n",
        },
    )
    _, claims, _, _ = load_script("eval_claims").analyse(tmp_path)
    assert {(c.role, c.area) for c in claims} == {("security-reviewer", "security")}


def test_a_table_row_that_says_when_to_call_a_role_is_no_reliance() -> None:
    """ "| Specialist | When to Spawn |": the areas in the other cell say when the role is
    called in, not what the writer relies on it for; in the role's own cell they do."""
    from rolebook.model import Item
    from rolebook.responsibilities.matrices import _other_cells

    row = Item(kind="table row", text="| tide-analyst | Tide tables |", line=3)
    text = "tide-analyst | Tide tables"
    assert _other_cells(row, text, 0, [Span(15, 26, "tides")])
    assert not _other_cells(row, "tide-analyst for tide tables | now", 0, [Span(17, 28, "tides")])


def _areas_and_lines(folder: Path, name: str, card: str) -> set[tuple[str, int]]:
    """The (area, line) of each claim of a library of one card."""
    write_tree(folder, {f"{name}.md": card})
    _, claims, _, _ = load_script("eval_claims").analyse(folder)
    return {(c.area, c.line) for c in claims}


def test_a_quoted_name_is_a_title_and_a_second_sense_no_area(tmp_path: Path) -> None:
    """'A "Testing notes" section' names a section, not testing work; "logs" one reads and
    "cache" the verb name no area, where "logging" and "caching" do."""
    card = (
        "---\nname: operator\ndescription: Runs the jobs.\n---\n\n## Responsibilities\n\n"
        '- Append a "Testing notes" section to the handoff\n'
        "- Capture outputs and logs to the run folder\n"
        "- Keep pipelines idempotent and cache where safe\n"
        "- Add structured logging to the workers\n"
    )
    assert _areas_and_lines(tmp_path, "operator", card) == {("observability", 11)}


def test_one_role_is_one_row_and_a_page_of_several_roles_is_none(tmp_path: Path) -> None:
    """A page that lends sections to several roles ("Different Roles") is not a row of the
    matrix; two documents that describe the role of one name share a row."""
    from rolebook.render.views import distinct_tails
    from rolebook.responsibilities.matrices import matrix_rows

    card = "---\ntitle: Review Editor\n---\n\n# Review Editor\n\n## Responsibilities\n\n- {}\n"
    write_tree(
        tmp_path,
        {
            "how-to/editor-description.md": card.format("Write the release notes"),
            "how-to/editors-guide.md": card.format("Keep the release notes current"),
            "different_roles.md": "# Different Roles\n\nWho does what.\n\n## Review Editor\n\n"
            "### Responsibilities\n\n- Keep the docs\n\n## Tester\n\n### Responsibilities\n\n- Run tests\n",
            "tester.md": "# Tester\n\n## Responsibilities\n\n- Write tests\n",
        },
    )
    library, claims, conflicts, _ = load_script("eval_claims").analyse(tmp_path)
    assert "different-roles" in library.by_id  # a page of its own, but no row
    assert [[role.id for role in row] for row in matrix_rows(library)] == [
        ["review-editor", "review-editor-2"],
        ["tester"],
    ]
    assert distinct_tails(["how-to/editor-description.md", "guide/editors-guide.md"]) == [
        "editor-description.md",
        "editors-guide.md",
    ]
    assert distinct_tails(["agents/a/SOUL.md", "agents/b/SOUL.md"]) == ["a/SOUL.md", "b/SOUL.md"]
    # both write-ups own the release notes: one role, so no "owned by several roles"
    assert {c.role for c in claims if c.area == "documentation"} >= {"review-editor", "review-editor-2"}
    assert [c for c in conflicts if c.kind == "owned by several roles"] == []


def test_a_capability_list_names_areas_in_passing(tmp_path: Path) -> None:
    """An item of a list under a label ("Solution design:"), a sub-bullet, and what follows a
    label that names no area ("Middleware: Auth checks") are details of what the role does:
    alone they own nothing; a label that names an area, or the description, does."""
    write_tree(tmp_path, {"business-analyst.md": CAPABILITY_CARD})
    _, claims, _, _ = load_script("eval_claims").analyse(tmp_path)
    owned = {c.area for c in claims if c.stance is Stance.OWNS}
    assert owned == {"documentation"}
    evidence = sorted(c.line for c in claims if c.area == "documentation")
    assert evidence == [3, 9, 13]  # the description, an item of the list, the label


def test_the_words_that_state_a_stance_name_no_area() -> None:
    """A site's area whose keyword is also an ownership phrase ("in charge") is not named by
    the phrase: "in charge of notifying customers" is about customers, not command."""
    text = "The Liaison is in charge of notifying customers"
    command = Span(text.index("in charge"), text.index("in charge") + 9, "command")
    customers = Span(text.index("customers"), len(text), "customers")
    found = read_line(text, None, [command, customers], [], RULES)
    assert {(c.area, c.stance.value) for c in found} == {("customers", "owns")}


def test_a_roles_own_word_comes_before_another_roles_line_naming_it() -> None:
    from rolebook.responsibilities.matrices import Claim, own_word_first

    def claim(role: str, area: str, stance: Stance, by: str = "") -> Claim:
        return Claim(role, area, stance, f"{by or role}/ROLE.md", 14, "", "", (), by)

    named = claim("designer", "frontend", Stance.OWNS, by="observer")  # "UX copy or UI surfaces (Designer)"
    also_named = claim("designer", "ux", Stance.OWNS, by="observer")
    forbids = claim("designer", "frontend", Stance.MUST_NOT)  # "Writing React/TS/CSS (handoff to Frontender)"
    assert own_word_first([named, also_named, forbids]) == [also_named, forbids]


def test_a_line_makes_one_claim_per_area_and_stance() -> None:
    text = "HTTP routes/controllers and service layer implementation"
    found = read_line(text, Stance.OWNS, MATCHER.spans(text), [], RULES)
    assert [(c.area, c.lead) for c in found] == [("api", True), ("business-logic", False)]


OUTLINE_CARD = """---
name: qa-lead
description: Use when planning quality work.
---

You are a QA lead.

API testing:
- Error handling
- Data validation

Security testing:
- Error handling
- Input validation

## Outputs

Persistence:
- Migration files
- Migration files for rollback
"""


def test_an_outline_item_under_an_area_is_that_areas_object(tmp_path: Path) -> None:
    """In a role's introduction, "- Error handling" under "API testing:" is what the testing
    covers: twice under two such labels it still owns no error handling; items of an outputs
    list under a label ("Persistence:" then "- Migration files") are duties."""
    write_tree(tmp_path, {"qa-lead.md": OUTLINE_CARD})
    _, claims, _, _ = load_script("eval_claims").analyse(tmp_path)
    owned = {c.area for c in claims if c.stance is Stance.OWNS}
    assert owned == {"testing", "persistence", "migrations"}


GUIDE_AREAS = """defaults: false
areas:
  - key: labels
    title: Labels
    keywords: [label, labels]
  - key: reviewers
    title: Finding reviewers
    keywords: [reviewers]
  - key: policy
    title: Policy
    keywords: [policy, policies]
  - key: fixes
    title: Fixes
    keywords: [fixes, repairs]
"""

EDITOR_GUIDE = """# Editor Guide

An editor is responsible for:

- Weighing in on changes to the review policy.

## Step 1. Tag the submission

- Change the label of the issue to `seeking-reviewers`.
- Invite reviewers once the label is set; please do NOT remove the old label.
- Read the policy page first.
- Note that other teams handle repairs.
- Identify repairs needed and hand them on.
- Note in the issue every label change.
- Show the editor where the labels live.

## Out of scope

- Repairs to the package itself.
"""


def test_instructions_on_a_roles_page_are_its_duties(tmp_path: Path) -> None:
    """On a role's page, a line that tells the reader what to do ("Change the label …") and an
    item after a lead-in that states ownership ("An editor is responsible for:") are the
    role's duties, for what the instruction's first clause names. Instructions to look at
    something ("Read …", "Note that …"; not "Note in the issue …") are not; "do NOT remove
    the old label" among steps is a caution, not a boundary; an instruction whose object is
    the page's role ("Show the editor …") is said to someone else; and an instruction gives no
    area the page forbids ("Identify repairs" with repairs out of scope)."""
    areas = write_tree(tmp_path / "conf", {"areas.yml": GUIDE_AREAS}) / "areas.yml"
    write_tree(tmp_path / "roles", {"editor.md": EDITOR_GUIDE})
    _, claims, _, _ = load_script("eval_claims").analyse(tmp_path / "roles", areas)
    assert {(c.area, c.stance.value, c.line) for c in claims} == {
        ("policy", "owns", 5),
        ("labels", "owns", 9),
        ("reviewers", "owns", 10),
        ("labels", "owns", 14),
        ("fixes", "must not", 19),
    }


def test_an_ownership_phrase_states_what_it_is_about() -> None:
    """ "responsible for the CI pipeline that builds the docs" states ownership of CI; the docs
    are only touched (a line about them, or a second line, would still own them)."""
    text = "You are responsible for the CI pipeline that builds the docs"
    found = read_line(text, None, MATCHER.spans(text), [], RULES)
    assert [(c.area, c.stance.value, c.lead) for c in found] == [
        ("ci-cd", "owns", True),
        ("documentation", "owns", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Generate clean code that follows established patterns and architectural boundaries",  # kept to
        "Announce all suggestions to the lead, it is their architecture to change",  # someone else's
        "Be kind in your reviews. Our documentation is mandatory reading for everyone",  # a statement
        "Tell the reporter it is the lead engineer who makes the deployment call",  # a person's, after "who"
        "Send a short note describing the reasons for the migration",  # what the note is about
        "Draft a rollout checklist covering the tests",  # what the checklist covers
        "Agree on naming rules before the refactoring",  # when, not what
    ],
)
def test_a_line_names_an_area_that_is_not_the_work(text: str) -> None:
    """In a mission or duty line an area the work keeps to, someone else's area and an area
    that is a sentence's subject are not owned; an ownership phrase still owns them."""
    assert read_line(text, Stance.OWNS, MATCHER.spans(text), [], RULES) == []
    stated = "You are responsible for the architecture that follows our documentation"
    assert {c.area for c in read_line(stated, Stance.OWNS, MATCHER.spans(stated), [], RULES)} == {
        "architecture",
        "documentation",
    }


def test_a_task_asked_of_a_named_role_is_not_the_writers() -> None:
    """ "Ask the Scribe to update the docs": the docs are the Scribe's task; the writer owns
    what it does itself before the role is asked."""
    text = "Draw up the architecture, then ask the Scribe to update the docs"
    scribe = Span(text.index("Scribe"), text.index("Scribe") + 6, "scribe")
    found = read_line(text, Stance.OWNS, MATCHER.spans(text), [(scribe, False)], RULES)
    assert {(c.role, c.area, c.stance.value) for c in found} == {(None, "architecture", "owns")}


@pytest.mark.parametrize(
    ("line", "not_an_area"),
    [
        ("Add a comment to the GitHub issue", ("github", "issue")),  # where the work happens
        ("Keep the review moving forward", ("moving", "forward")),  # a common adverb is no noun
        ("Record the actions taken", ("action",)),  # a common word alone names no area (its singular judged)
    ],
)
def test_a_derived_area_is_what_a_duty_is_about(line: str, not_an_area: tuple[str, ...]) -> None:
    from rolebook.relate.lexicon import Lexicon
    from rolebook.responsibilities.areas import _phrases

    lexicon = Lexicon(load_relation_rules())
    assert not_an_area not in _phrases(line, lexicon)
    assert _phrases("Provide regular status updates in Slack", lexicon) == {("status", "update")}


def test_a_roles_overview_speaks_for_the_role_each_section_is_about(tmp_path: Path) -> None:
    """A library page ("Who does what") whose "### Night Auditor" section says "The auditor
    is responsible for:" and lists duties gives them to the Night Auditor's row, linked to
    the overview's own page; its other lines claim nothing."""
    from rolebook.responsibilities.matrices import find_conflicts, matrix_rows

    write_tree(
        tmp_path,
        {
            "night-auditor.md": "# Night Auditor\n\nBalances the books each night.\n",
            "front-desk.md": "# Front Desk\n\n## Responsibilities\n\n- Write the shift runbook\n",
            "README.md": "# Who does what\n\nThe hotel has two roles.\n\n## Roles\n\n### Night Auditor\n\n"
            "The Night Auditor is responsible for:\n\n- running the nightly test of the card terminals;\n"
            "- keeping the shift runbook.\n\nAuditors sometimes help with deployment.\n",
        },
    )
    library, claims, _, areas = load_script("eval_claims").analyse(tmp_path)
    found = {(c.role, c.area, c.stance.value, c.line, c.writer) for c in claims if c.role == "night-auditor"}
    assert found == {
        ("night-auditor", "testing", "owns", 11, "readme"),
        ("night-auditor", "documentation", "owns", 12, "readme"),
    }
    conflicts = find_conflicts(claims, areas, matrix_rows(library))
    # the overview is the auditor's own word: two roles own the runbook
    assert [(c.kind, c.area, c.roles) for c in conflicts] == [
        ("owned by several roles", "documentation", ("front-desk", "night-auditor"))
    ]


def test_a_checklist_item_and_a_bold_label_state_no_duty(tmp_path: Path) -> None:
    """A task list's box ("- [ ] Logging covers …") is a criterion a reviewer checks and a
    paragraph in bold alone ("**Logging & Tracing**") a heading over one: neither is work
    the role does, where an instruction ("Add tracing …") is."""
    card = (
        "---\nname: auditor\ndescription: Audits services.\n---\n\n## Audit pass\n\n"
        "**Logging & Tracing**\n\n- [ ] Logging covers every request\n- [x] Tests pass on the main branch\n\n"
        "Add tracing to the audit scripts.\n"
    )
    assert _areas_and_lines(tmp_path, "auditor", card) == {("observability", 13)}


def test_relying_on_a_role_reaches_the_phrase_that_names_it() -> None:
    """ "directs the Tester and the Designer, writes the ADRs" relies on them for what their
    phrase names; the writer's own verb after a comma takes back what follows. A list of
    nouns after the role ("stories, tests, fixtures") is still what the role is relied on for."""
    roles = {"Tester": True}
    assert read("Directs the Tester on each sprint, writes the ADRs", Stance.OWNS, roles) == {
        (None, "documentation", "owns")
    }
    assert read("Directs the Tester, reviews every ADR", Stance.OWNS, roles) == {(None, "documentation", "owns")}
    assert read("Delegates to the Tester: stories, tests, fixtures", Stance.OWNS, roles) == {
        (None, "testing", "relies on")
    }


def test_a_list_after_a_colon_says_what_the_descriptions_area_covers(tmp_path: Path) -> None:
    """In a description, "the security risks of web features: input validation, API abuse,
    …" lists what security covers there; a list after a label naming no area still owns."""
    card = (
        "---\nname: web-auditor\ndescription: |\n  Web auditor. Specialist in the security risks of web\n"
        "  features: input validation, API abuse, and leaked credentials.\n\n  Also writes: runbooks, test plans.\n"
        "---\n\nAudits the web features.\n"
    )
    assert {area for area, _ in _areas_and_lines(tmp_path, "web-auditor", card)} == {
        "security",
        "documentation",
        "testing",
    }


def test_numbered_sections_state_what_their_names_say(tmp_path: Path) -> None:
    """An operating manual of numbered sections ("2. Mission & Success Criteria", "7.
    Decision Rights & Escalation", "11. Artifacts You Own"): the outcomes it lists under
    "You succeed when:" and the mistakes under "Anti-Patterns" are no duties; what the role
    may decide and the artifacts it owns are; what it escalates is not."""
    card = (
        "# Release Steward - Operating Manual\n\n## 2. Mission & Success Criteria\n\n"
        "Your mission is to ship reliable releases.\n\n**You succeed when:**\n\n"
        "- Regressions are caught by integration tests\n\n"  # line 9
        "## 7. Decision Rights & Escalation\n\n**You may decide:**\n\n- Deployment windows\n\n"  # line 15
        "**You must escalate:**\n\n- Security incidents during a rollout\n\n"  # line 19
        "## 10. Anti-Patterns\n\n- Logging everything at debug level\n\n"  # line 23
        "## 11. Artifacts You Own\n\n- Changelog entries\n"  # line 27
    )
    assert _areas_and_lines(tmp_path, "release-steward", card) == {("ci-cd", 5), ("ci-cd", 15), ("documentation", 27)}


@pytest.mark.parametrize(
    "engineer",
    [
        # under "### Release Steward" in a coordination section: what the page's role does for
        # the steward; the same kind of line under a heading that names no role is a duty
        "## Working together\n\n### Release Steward (Ops)\n\n- Provide deployment notes\n\n"
        "### Weekly routine\n\n- Write the changelog\n",
        # after a lead-in that names the steward, even in a scope list: the steward's work
        "## Responsibilities\n\n- Write the changelog\n\n"
        "When you need help, ask the Release Steward for:\n\n- Deployment windows\n",
    ],
)
def test_work_with_another_role_is_not_the_writers(tmp_path: Path, engineer: str) -> None:
    write_tree(
        tmp_path,
        {
            "release-steward.md": "# Release Steward\n\n## Responsibilities\n\n- Own deployments\n",
            "platform-engineer.md": f"# Platform Engineer\n\n{engineer}",
        },
    )
    _, claims, _, _ = load_script("eval_claims").analyse(tmp_path)
    assert {(c.role, c.area) for c in claims if c.stance is Stance.OWNS} == {
        ("release-steward", "ci-cd"),
        ("platform-engineer", "documentation"),
    }


def test_a_heading_names_the_longest_role_it_spells(tmp_path: Path) -> None:
    """A heading "### Release Steward (Ops)" names the Release Steward, not also a role called Steward:
    on the Release Steward's own page its items stay its duties."""
    write_tree(
        tmp_path,
        {
            "steward.md": "# Steward\n\n## Responsibilities\n\n- Write the changelog\n",
            "release-steward.md": "# Release Steward\n\n## Duties\n\n### Release Steward (Ops)\n\n- Own deployments\n",
        },
    )
    _, claims, _, _ = load_script("eval_claims").analyse(tmp_path)
    assert {(c.role, c.area) for c in claims if c.stance is Stance.OWNS} == {
        ("release-steward", "ci-cd"),
        ("steward", "documentation"),
    }


BLOCKS_CARD = (
    "---\nname: schema-smith\ndescription: |\n  Designs database schemas for new services.\n"
    '  <example>user: "Tune the slow checkout page" assistant: "I will ask for a frontend review"</example>\n'
    "  <delegation>Trigger: Security audit needed\n  Target: guard</delegation>\n---\n\n"
    "Keeps the schemas tidy.\n"
)
"""An agent card's description says what it does in prose; its `<example>` blocks say when
to call it and its `<delegation>` blocks what it hands on: neither is work it owns."""

PROFILE_CARD = (
    "---\nname: inspector\ndescription: Looks at services.\n---\n\n## Core Expertise\n\n"
    "### Skills\n\n- Caching bottleneck detection\n- Architecture and design review\n- Database migrations\n"
    "- Security best practices\n- Logging patterns\n\n"
    "### Pattern Recognition\n\n- Error handling idioms\n- Deployment pipelines\n"
)
"""An area that only qualifies a noun of examining ("Caching bottleneck detection") or of
knowing ("Security best practices") and the items under a heading of examining ("### Pattern
Recognition") are what the role examines or knows; "Database migrations" is the work itself."""


def test_a_heading_that_forbids_makes_its_items_boundaries(tmp_path: Path) -> None:
    """Items under "What This Role Must Never Do" are what the role must not do, not duties."""
    card = (
        "---\nname: curator\ndescription: Curates the exhibits.\n---\n\n## Key Responsibilities\n\n"
        "- Write the exhibit documentation\n\n## What This Role Must Never Do\n\n- Deploy the gallery site\n"
    )
    write_tree(tmp_path, {"curator.md": card})
    _, claims, _, _ = load_script("eval_claims").analyse(tmp_path)
    assert {(c.area, c.stance) for c in claims} == {("documentation", Stance.OWNS), ("ci-cd", Stance.MUST_NOT)}


def test_what_a_reviewer_checks_is_a_standard_it_sets(tmp_path: Path) -> None:
    """A reviewer's profile names what it holds others' work to, not work it owns; relying
    on the reviewer for one of those areas is kept, and its own instructions stay duties."""
    write_tree(
        tmp_path,
        {
            "gate-reviewer.md": "---\nname: gate-reviewer\ndescription: Checks changes.\n---\n\n"
            "## Core Expertise\n\n- Security hardening\n- Testing approaches\n\n"
            "## On Each Change\n\n1. Write the changelog entry\n",
            "builder.md": "---\nname: builder\ndescription: Builds things.\n---\n\n"
            "## Responsibilities\n\n- Security hardening of the services\n\n"
            "## Handoffs\n\n- Login flows → depend on gate-reviewer for security checks\n",
        },
    )
    _, claims, _, _ = load_script("eval_claims").analyse(tmp_path)
    found = {(c.role, c.area, c.stance) for c in claims}
    assert ("gate-reviewer", "security", Stance.STANDARDS) in found
    assert ("gate-reviewer", "security", Stance.OWNS) not in found
    assert ("gate-reviewer", "documentation", Stance.OWNS) in found
    assert ("builder", "security", Stance.OWNS) in found
    assert ("builder", "security", Stance.RELIES_ON) in found


def test_a_sentence_every_card_shares_claims_no_ownership(tmp_path: Path) -> None:
    """A sentence pasted into several cards word for word says nothing about what one of
    them owns; a prohibition pasted so is still each card's, and a card's own line still counts."""
    shared = (
        "You are a curator.\n\n### How We Work\n\n#### Choices\n\n"
        "Use the `Pick` tool to offer options as a clickable UI\nrather than prose.\n\n"
        "#### Limits\n\n- Never deploy the gallery site yourself\n"
    )
    write_tree(
        tmp_path,
        {
            f"{name}.md": f"---\nname: {name}\ndescription: Looks after {thing}.\n---\n\n{shared}\n"
            f"## Responsibilities\n\n- {duty}\n"
            for name, thing, duty in [
                ("keeper", "the rooms", "Write the visitor documentation"),
                ("framer", "the frames", "Build the UI screens of the kiosk"),
                ("lighter", "the lights", "Sweep the floor"),
            ]
        },
    )
    _, claims, _, _ = load_script("eval_claims").analyse(tmp_path)
    assert {(c.role, c.area, c.stance) for c in claims} == {
        ("keeper", "documentation", Stance.OWNS),
        ("framer", "frontend", Stance.OWNS),
        *((name, "ci-cd", Stance.MUST_NOT) for name in ("keeper", "framer", "lighter")),
    }


WRITER_CARD = (
    "---\nname: scribe\ndescription: Writes things down.\n---\n\n## Core Expertise\n\n"
    "- Migration guides for each major version\n- Architecture documentation with diagrams\n\n"
    "### Writing the API Reference Docs\n\n1. List every endpoint\n"
)
"""An area that qualifies a noun of documents ("Migration guides") and the items under a
heading that names documents are what the documents are about: the work is documentation."""


@pytest.mark.parametrize(
    ("name", "card", "owned"),
    [
        ("schema-smith", BLOCKS_CARD, {"persistence"}),
        ("inspector", PROFILE_CARD, {"migrations"}),
        ("scribe", WRITER_CARD, {"documentation"}),
    ],
)
def test_what_a_card_names_but_does_not_do_is_not_owned(tmp_path: Path, name: str, card: str, owned: set[str]) -> None:
    """A card's markup blocks and what its profile examines or knows claim no areas."""
    assert {area for area, _ in _areas_and_lines(tmp_path, name, card)} == owned


def test_who_after_the_roles_own_words_is_the_role() -> None:
    """ "the editor who writes the docs" is about someone else, but "You are an engineer
    who writes the docs" and a description's "Senior writer who documents …" are about the role."""
    assert read("Ask the editor who writes the docs", Stance.OWNS) == set()
    assert read("You are an engineer who writes the docs", Stance.OWNS) == {(None, "documentation", "owns")}
    text = "Senior writer who maintains the documentation"
    assert read_line(text, Stance.OWNS, MATCHER.spans(text), [], RULES) == []
    found = read_line(text, Stance.OWNS, MATCHER.spans(text), [], RULES, described=True)
    assert {(c.area, c.stance.value) for c in found} == {("documentation", "owns")}


def test_an_aside_in_parentheses_after_an_area_lists_examples() -> None:
    """ "Schema documentation (OpenAPI, migration notes)" owns documentation: the aside lists
    formats and examples of it; an aside that names the only area still counts, and one that
    names an owner still gives the area away."""
    assert read("Schema documentation (OpenAPI, migration notes)", Stance.OWNS) == {(None, "documentation", "owns")}
    assert read("Keep the pipeline green (CI)", Stance.OWNS) == {(None, "ci-cd", "owns")}
