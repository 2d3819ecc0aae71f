"""The rules that make links hold on libraries Rolebook was not built against (issue 11),
each on wording of our own: which names are roles, how ids are written, what a sentence
does with a role, which lines are escalation triggers, what an index or a skill is."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from conftest import build_site, write_tree
from rolebook import RelationType, load_library, load_vocabulary
from rolebook.datafile import DataFileError
from rolebook.lexical import is_agent_noun, is_practitioner
from rolebook.library import Library
from rolebook.merge import TitleEvidence, title_roles
from rolebook.model import RoleStatus
from rolebook.names import humanise
from rolebook.relate.discover import discover_names
from rolebook.relate.lexicon import Lexicon
from rolebook.relate.rules import load_relation_rules
from rolebook.render.mentions import link_mentions

VOCABULARY = load_vocabulary()
RULES = load_relation_rules()


def library(tmp_path: Path, files: dict[str, str]) -> Library:
    root = write_tree(tmp_path / "lib", files)
    return load_library([root], root, VOCABULARY, RULES, workers=1)


def relations(lib: Library) -> set[tuple[str, str, str]]:
    return {(r.source, r.target, str(r.type)) for r in lib.relations}


@pytest.mark.parametrize(
    ("word", "agent"),
    [
        # built on a verb: observe-r, integrat-or, verifi-er, releas-er, audit-or
        ("Observer", True),
        ("Integrator", True),
        ("Verifier", True),
        ("Releaser", True),
        ("Auditor", True),
        ("Orchestrator", True),
        # coined from a common word, and rare itself
        ("Frontender", True),
        ("Refactorer", True),
        # ordinary words, another word's form, products, camel case
        ("Consider", False),
        ("Safer", False),
        ("Flutter", False),
        ("Messenger", False),
        ("Jaeger", False),
        ("FlashList", False),
        ("ObjectMapper", False),
    ],
)
def test_agent_nouns_come_from_morphology_and_frequency(word: str, agent: bool) -> None:
    assert is_agent_noun(word, tuple(RULES.role_endings)) is agent


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Notify the Compliance Reviewer when the audit ends.", ["Compliance Reviewer"]),
        # a common preposition is a cue for known roles, but no evidence of an unknown one
        ("Deploy pages with App Router.", []),
        ("Escalate to the Night Auditor when totals differ.", ["Night Auditor"]),
        ("Ask the Shift Coordinator first.", ["Shift Coordinator"]),
        # technologies, ordinary words and verbs after a cue are not roles
        ("Build the app with Flutter and deploy.", []),
        ("Use Jaeger for traces.", []),
        ("Work with ObjectMapper for JSON.", []),
        ("Send to Computer-Use later.", []),
        # a hyphenated title whose head names someone before a little word, in the singular
        ("Meet an Inspector-in-Charge first.", ["Inspector-in-Charge"]),
        ("The Deputy-Inspectors-in-Charge will sign it.", ["Deputy-Inspector-in-Charge"]),
        ("Stop a Man-in-the-Middle attack.", []),
        ("Ship a Proof-of-Concept.", []),
        # a name its abbreviation follows, quoted or not, is one; a thing's is not
        ('Crews will name a "Keeper of the Harbour Auditor" (KotHA) who logs it.', ["Keeper of the Harbour Auditor"]),
        ("The Night Shift Auditor (NSA) signs off.", ["Night Shift Auditor"]),
        ("Open a Pull Request (PR) first.", []),
    ],
)
def test_discovered_roles_need_a_role_word(text: str, names: list[str]) -> None:
    assert discover_names(text, False, RULES) == names


def test_ids_are_matched_as_libraries_write_them() -> None:
    lexicon = Lexicon(RULES)
    for role_id in ("sound-engineer", "powershell-5-1-expert", "qa-lead"):
        lexicon.add(role_id, role_id)
    text = "Pair with html_sound_engineer? No: ask sound_engineer, `powershell-5.1-expert` and @qa-lead."
    assert [m.role for m in lexicon.find(text)] == ["sound-engineer", "powershell-5-1-expert", "qa-lead"]


def test_ids_in_code_spans_count_as_prose(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "qa-lead.md": "---\nname: qa-lead\ndescription: Leads QA.\n---\n\nTests.\n",
            "dev.md": (
                "---\nname: dev\ndescription: Builds.\n---\n\n- Hand off to `team:qa-lead`.\n- Run `make qa lead`.\n"
            ),
        },
    )
    assert {(r.target, r.line) for r in lib.relations if r.source == "dev"} == {("qa-lead", 6)}


CREW = {
    # every agent's folder holds a PERSONA.md: the folder, not the file, says whose it is
    "crew/curator/PERSONA.md": (
        "# Archive Curator Bot\n\n## Duties\n- Keep the catalogue tidy.\n"
        "- Pass finished catalogues to `planner`.\n- Ask ops-lead about disk space.\n"
    ),
    "crew/planner/PERSONA.md": "# Route Planner Bot\n\n## Duties\n- Plan routes.\n- Consult `curator` first.\n",
    "crew/ops-lead/PERSONA.md": "# Operations Lead Bot\n\n## Duties\n- Watch the fleet; warn the Route Planner.\n",
    # a folder named for a topic names the topic, not its agent
    "crew/storage/PERSONA.md": "# Storage Keeper Bot\n\n## Duties\n- Move cold data.\n",
    # initials: `rm` is the Release Marshal; "RM" alone in capitals is also the activity
    "crew/rm/PERSONA.md": (
        "# Release Marshal Bot\n\n## Duties\n- Cut releases.\n- Buy more `storage` for `curator`.\n"
    ),
    "crew/notes.md": (
        "# Crew Notes\n\nLoose notes.\n\n- Hand the tag to `rm`.\n- Nothing ships without an RM PASS.\n"
        "- Ping the RM agent when a tag is cut.\n"
    ),
}


def test_a_folder_names_the_agent_its_kind_of_file_describes(tmp_path: Path) -> None:
    lib = library(tmp_path, CREW)
    by_id = {role.id: role for role in lib.roles}
    assert by_id["archive-curator-bot"].aliases == ("curator",)
    assert by_id["operations-lead-bot"].aliases == ("ops-lead",)
    assert by_id["release-marshal-bot"].aliases == ("rm",)
    assert "storage" not in by_id["storage-keeper-bot"].aliases
    assert not [role for role in lib.roles if role.status is RoleStatus.REFERENCED]  # no stub for `ops-lead`
    found = {(r.source, r.target) for r in (*lib.relations, *lib.overview_relations)}
    assert {
        ("archive-curator-bot", "route-planner-bot"),
        ("archive-curator-bot", "operations-lead-bot"),
        ("route-planner-bot", "archive-curator-bot"),
        ("release-marshal-bot", "archive-curator-bot"),
        # "Route Planner" is "Route Planner Bot" without its context noun
        ("operations-lead-bot", "route-planner-bot"),
    } <= found
    assert ("release-marshal-bot", "storage-keeper-bot") not in found
    notes = sorted(r.line for r in lib.overview_relations if r.target == "release-marshal-bot")
    assert notes == [5, 7]  # `rm` and "the RM agent", not "an RM PASS"


def test_a_site_links_agents_by_their_folder_ids(tmp_path: Path) -> None:
    sources = write_tree(
        tmp_path / "sources",
        {
            **CREW,
            "desk/a.md": "---\nid: desk\n---\n\n# Front Desk Manager\n\nGreets.\n",
            "desk/b.md": "---\nid: desk\n---\n\n# Back Desk Manager\n\nFiles.\n",
        },
    )
    site = build_site(tmp_path / "site", sources=sources, level=logging.DEBUG)
    curator = site.page("roles/archive-curator-bot/")
    assert 'href="../route-planner-bot/' in curator and 'href="../operations-lead-bot/' in curator
    assert "archive-curator-bot" in site.page("roles/curator/")  # the folder id leads to the page
    assert 'url=../operations-lead-bot/"' in site.page("roles/ops-lead/")  # a redirect, not a stub page
    logged = [record.getMessage() for record in site.records if record.levelno == logging.DEBUG]
    assert any("'desk'" in line and "back-desk-manager, front-desk-manager" in line for line in logged)


def test_the_head_noun_of_the_one_role_it_ends_names_that_role(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "harbour/surveyor.md": "# Harbour Surveyor\n\nBrings ships in.\n",
            "harbour/tug.md": "# Tug Skipper\n\nPushes ships.\n",
            "harbour/crane.md": "# Crane Skipper\n\nLifts boxes.\n",
            "harbour/clerk.md": (
                "# Berth Planner\n\n## Duties\n"
                "- Ask the surveyor before the tide turns.\n"  # the one role named "… Surveyor"
                "- Hand the slot over to Surveyor.\n"
                "- Surveyors in general like calm water.\n"  # a plural: people in general
                "- You are the surveyor of your own plan.\n"  # a description, not the role
                "- Call the skipper.\n"  # two roles end in "Skipper": neither
            ),
        },
    )
    found = {r.line for r in lib.relations if r.source == "berth-planner" and r.target == "harbour-surveyor"}
    assert found == {4, 5}
    assert not [r for r in lib.relations if r.source == "berth-planner" and r.target.endswith("skipper")]


def test_an_agents_folder_of_kinds_of_file_is_its_page(tmp_path: Path) -> None:
    card = "# {title}\n\n## Duties\n- {duty}\n"
    team = "# Crew List\n\n## Hand work to\n- {target}\n"
    lib = library(
        tmp_path,
        {
            "crew/curator/CARD.md": card.format(title="Archive Curator Bot", duty="Keep the catalogue tidy."),
            "crew/curator/TEAM.md": team.format(target="`planner` (finished catalogues)"),
            "crew/planner/CARD.md": card.format(title="Route Planner Bot", duty="Plan routes."),
            "crew/planner/TEAM.md": team.format(target="`curator` (old routes)"),
            # a shared folder whose files describe no role stays the library's
            "crew/common/CARD.md": "# Shared Conventions\n\nWrite dates as ISO 8601.\n",
            "crew/common/TEAM.md": "# Crew Protocol\n\nAsk `planner` when unsure.\n",
        },
    )
    by_id = {role.id: role for role in lib.roles}
    curator = by_id["archive-curator-bot"]
    assert [d.path.rsplit("/", 1)[-1] for d in curator.documents] == ["CARD.md", "TEAM.md"]
    assert curator.aliases == ("curator",)  # the team list's title is no name of the agent
    assert by_id["crew-common-card"].status is RoleStatus.OVERVIEW
    assert by_id["crew-common-team"].status is RoleStatus.OVERVIEW
    assert ("archive-curator-bot", "route-planner-bot") in {(r.source, r.target) for r in lib.relations}


def test_a_front_matter_id_is_a_name_of_its_role(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "roles/checker.md": "---\nid: qc\ntitle: Quality Checker\n---\n\n# Quality Checker\n\nChecks.\n",
            "roles/baker.md": (
                "---\nid: baker\ntitle: Head Baker\n---\n\n# Head Baker\n\n"
                "- Send each batch to `qc`.\n- The QC checklist comes first.\n"
            ),
        },
    )
    assert {(r.target, r.line) for r in lib.relations if r.source == "head-baker"} == {("quality-checker", 8)}


def test_a_name_two_roles_are_given_links_to_neither(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "a.md": "---\nid: shared-desk\n---\n\n# Front Desk Manager\n\nGreets.\n",
            "b.md": "---\nid: shared-desk\n---\n\n# Back Desk Manager\n\nFiles.\n",
            "c.md": "# Night Porter\n\n- Ask shared-desk, then the Front Desk Manager.\n",
        },
    )
    assert {r.target for r in lib.relations if r.source == "night-porter"} == {"front-desk-manager"}
    assert lib.lexicon is not None
    assert lib.lexicon.ambiguous == {"shared desk": ("back-desk-manager", "front-desk-manager")}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Support Night Auditor on month-end checks.", "collaborates_with"),
        ("Assist the Night Auditor with reconciliations.", "collaborates_with"),
        ("Query Night Auditor for the ledger state.", RelationType.DEPENDS_ON),
        ("Build on Night Auditor findings.", RelationType.DEPENDS_ON),
        ("Night Auditor: close the books.", None),
        # the doer of a passive verb: relied on; left the work when a modal obliges it
        ("Harbour pilots are chosen by the Night Auditor.", RelationType.DEPENDS_ON),
        ("The closing hour is set by the Night Auditor.", RelationType.DEPENDS_ON),
        ("Each shortfall must be logged in the ledger by the Night Auditor.", RelationType.DELEGATES_TO),
        ("Approved by the Night Auditor.", RelationType.DEPENDS_ON),  # a cue with "by" wins
        ("Sort the receipts by Night Auditor.", None),  # no passive verb
        ("Findings feed into Night Auditor for the monthly close.", "hands_off_to"),
        ("Ledger assignment to Night Auditor follows the rota.", "hands_off_to"),
        ('If Night Auditor says "all square", check the till.', None),  # reported speech: no act
        ("A plan that contradicts the Night Auditor's design.", RelationType.DEPENDS_ON),
        ("| Night Auditor | Design |", None),  # the next cell is no word after the name
        ("Night Auditor (design review) joins late.", None),
    ],
)
def test_the_sentence_gives_the_type(text: str, kind: str | None) -> None:
    lexicon = Lexicon(RULES)
    lexicon.add("night-auditor", "Night Auditor")
    (mention,) = lexicon.find(text)
    assert mention.cue == kind


def test_a_one_word_role_used_as_a_verb_is_no_mention() -> None:
    lexicon = Lexicon(RULES)
    lexicon.add("architect", "architect")
    lexicon.add("scribe", "Scribe")
    assert lexicon.find("Architect a payments service from scratch.") == []
    assert [m.role for m in lexicon.find("Scribe: keep the timeline.")] == ["scribe"]
    assert [m.role for m in lexicon.find("Scribe, can you note that?")] == ["scribe"]  # addressed
    assert lexicon.find("Scribe the notes into the log.") == []


@pytest.mark.parametrize(
    ("word", "practitioner"),
    [("Artist", True), ("journalist", True), ("assist", False), ("checklist", False), ("wrist", False)],
)
def test_someone_who_practises_a_noun_is_a_person_word(word: str, practitioner: bool) -> None:
    # art-ist, journal-ist; a verb ("assist") or a stem that is no word ("checkl-ist") is not
    assert is_practitioner(word, ("ist",)) is practitioner


def test_escalation_rows_need_an_escalating_verb_and_a_real_target(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "night-auditor.md": (
                "# Night Auditor\n\n## Duties\n"
                "- Review privilege escalation paths in the ledger tool.\n"
                "- Keep the on-call rotation fair.\n"
                "- When totals drift overnight, page the finance controller.\n"
                "- Escalate to a human, not to the Day Manager.\n"
                "- If stuck, escalate for routing.\n"
                "- Blocked on access? Escalate to Day Manager/Vault Keeper.\n"
                "- You should feel free to contact our support team.\n"
                "- If the vault jams, escalate to another team.\n\n"
                "## Escalation\n\nEscalation\n\n> Day Manager, please page the vault team.\n"
            ),
            "day-manager.md": "# Day Manager\n\nRuns the day.\n",
            "vault-keeper.md": "# Vault Keeper\n\nHolds the keys.\n",
        },
    )
    rows = {(e.trigger, e.target) for e in lib.escalations}
    triggers = {trigger for trigger, _ in rows}
    assert not any("privilege escalation" in t or "rotation" in t for t in triggers)
    assert ("When totals drift overnight, page the finance controller.", "finance controller") in rows
    assert ("Escalate to a human, not to the Day Manager.", "human") in rows
    assert ("If stuck, escalate for routing.", "unspecified") in rows  # "routing" is nobody
    listed = {target for trigger, target in rows if trigger.startswith("Blocked on access")}
    assert listed == {"day-manager", "vault-keeper"}
    assert ("If the vault jams, escalate to another team.", "another team") in rows
    # no condition; a caption; a quoted example of what to say on a call
    assert not any(t.startswith(("You should", "Day Manager, please")) or t == "Escalation" for t in triggers)


def test_what_to_give_when_escalating_what_a_thing_calls_and_when_to_act_are_no_triggers(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "night-auditor.md": (
                "# Night Auditor\n\n## Duties\n"
                "- When a till uses a user-supplied float that calls an outside bank, count it twice.\n"
                "- Start small; add clerks when blocked or when the queue grows.\n"
                "- If blocked: count again.\n\n"
                "## Escalation to the Day Manager\n\nEscalate when:\n\n- The safe is short.\n\n"
                "When escalating, attach:\n\n- The till roll of the night.\n- Your count.\n"
            ),
            "day-manager.md": "# Day Manager\n\nRuns the day.\n",
        },
    )
    assert {(e.trigger, e.target) for e in lib.escalations} == {
        ("If blocked: count again.", "unspecified"),
        ("The safe is short.", "day-manager"),
    }


def test_a_cue_that_escalates_to_a_role_is_a_trigger_in_any_words(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "night-auditor.md": (
                "# Night Auditor\n\n## Duties\n"
                "- Surface ledger gaps to the Day Manager\n"
                "- Never reopen a closed till without escalating to the Day Manager\n"
                "- Reissue keys (raise concerns to vault-keeper)\n"
                "- If the count is stuck, report to the Day Manager.\n"
                "- Ask vault-keeper to open the safe at six\n"
                "- Ping the Day Manager when the shift starts\n"
                "- Hand the ledger to the Day Manager\n"
            ),
            "day-manager.md": "# Day Manager\n\nRuns the day.\n",
            "vault-keeper.md": "# Vault Keeper\n\nHolds the keys.\n",
        },
    )
    rows = {(e.trigger.split()[0], e.target) for e in lib.escalations}
    assert rows == {
        ("Surface", "day-manager"),
        ("Never", "day-manager"),  # "without" is no denial: the reopening waits for the escalation
        ("Reissue", "vault-keeper"),
        ("If", "day-manager"),
    }
    # asking and pinging reach someone for any reason: no trigger without a condition; a plain
    # handoff is none either


def test_labels_run_on_in_hard_wrapped_lines_and_reports_to_names_the_superior(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "night-auditor.md": (
                "# Night Auditor\n\n## Routing Map\n\nDelegates to:\n- `till-checker` for counts\n\n"
                "Reports to: `day-manager` for policy\n"
                "Coordinates with: `vault-keeper` for keys, `till-checker` for\nfloat checks\n\n"
                "### Coordinates with: `door-warden` for locks,\n`vault-keeper` for the safe\n"
            ),
            "day-manager.md": "# Day Manager\n\nRuns the day.\n",
            "vault-keeper.md": "# Vault Keeper\n\nHolds the keys.\n",
            "till-checker.md": "# Till Checker\n\nCounts.\n",
            "door-warden.md": "# Door Warden\n\nLocks.\n",
        },
    )
    found = {(r.target, str(r.type), r.line) for r in lib.relations if r.source == "night-auditor"}
    assert ("till-checker", "delegates_to", 6) in found
    assert ("day-manager", "escalates_to", 8) in found  # a superior: decisions go up
    assert ("vault-keeper", "collaborates_with", 9) in found  # the label, not the heading's "Routing"
    assert ("till-checker", "collaborates_with", 9) in found  # listed after a purpose ("for keys,")
    assert ("vault-keeper", "collaborates_with", 13) in found  # the heading's label goes on
    assert {(e.target, e.line) for e in lib.escalations} >= {("day-manager", 8)}


def test_a_heading_that_escalates_over_no_lines_of_its_own_is_the_trigger(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "night-auditor.md": (
                "# Night Auditor\n\n## Team\n\n### Reports to: `day-manager`\n"
                "### Escalation to the Day Manager\n\n- The safe is short.\n"
            ),
            "day-manager.md": "# Day Manager\n\nRuns the day.\n",
        },
    )
    # the second heading's line under it is the trigger, not the heading too
    assert {(e.trigger, e.line) for e in lib.escalations} == {
        ("Reports to: day-manager", 5),
        ("The safe is short.", 8),
    }


def test_ids_ending_like_the_librarys_own_agents_name_agents_no_document_defines(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "head-baker.md": (
                "# Head Baker\n\n## Team Map\n\nDelegates to:\n"
                "- `pastry-baker` for tarts\n- `bread-baker` for loaves\n\n"
                "Reports to: `kitchen-director` for menus\n"
                "Coordinates with: `sugar-artist` for cakes\n\n"
                "## What This Agent Must NOT Do\n\n"
                "- Price the menu (escalate to kitchen-director)\n"
                "- Plate desserts (collaborate with sugar-artist)\n\n"
                "## Notes\n\nThe owner is the kitchen director on weekends.\n"
                "Check the test-runner output and the oven-timer logs.\n"
            ),
            "oven-director.md": "# Oven Director\n\n## Responsibilities\n- Runs the ovens.\n",
        },
    )
    referenced = {r.id for r in lib.roles if r.status is RoleStatus.REFERENCED}
    # "baker" ends the library's own `head-baker`; "director" its `oven-director`; an artist
    # practises an art (a label is a cue); a runner or a timer ends no agent of the library
    assert {"pastry-baker", "bread-baker", "kitchen-director", "sugar-artist"} <= referenced
    assert not referenced & {"test-runner", "oven-timer"}
    found = {(r.target, str(r.type), r.line) for r in lib.relations if r.source == "head-baker"}
    assert ("pastry-baker", "delegates_to", 6) in found
    assert ("kitchen-director", "escalates_to", 14) in found  # a boundary's decision goes up
    assert ("sugar-artist", "delegates_to", 15) in found  # a boundary names who does it instead
    assert not any(line == 19 for _, _, line in found)  # "is the kitchen director": a description


def test_a_delegation_elements_handoff_field_and_a_selection_table_say_what_is_passed(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "dock-master.md": (
                "---\nname: dock-master\ndescription: |\n  Runs the docks.\n"
                "  - <delegation>\n    Trigger: Leaks found\n    Target: hull-inspector\n"
                '    Handoff: "Leaks found at berth 4. Repair needed"\n  </delegation>\n'
                "  - <delegation>\n    Trigger: Tide table needed first\n    Target: tide-planner\n"
                '    Handoff: "Need tide times for: [dates]"\n  </delegation>\n'
                "  - <delegation>\n    Trigger: Cargo to move\n    Target: crane-operator\n"
                '    Handoff: "Move the crates to: [berth]"\n  </delegation>\n---\n\n'
                "# Dock Master\n\n## Crew Selection Matrix\n\n"
                "| Task | Small port | Large port |\n| --- | --- | --- |\n"
                "| Queue Cargo | crane-operator | hull-inspector |\n\n"
                "## Steps\n\n1. **Check the weather** (via tide-planner)\n\n"
                "## Delegation\n\nWhen I need:\n- **Tides** → tide-planner for times\n\n"
                "A long voyage might need:\n- 2 crane-operator shifts\n"
            ),
            "hull-inspector.md": "# Hull Inspector\n\n## Responsibilities\n- Inspects hulls.\n",
            "tide-planner.md": "# Tide Planner\n\n## Responsibilities\n- Plans tides.\n",
            "crane-operator.md": "# Crane Operator\n\n## Responsibilities\n- Moves crates.\n",
        },
    )
    found = {(r.target, str(r.type), r.line) for r in lib.relations if r.source == "dock-master"}
    # findings passed on are handed off, a request for input relies on the target, an
    # instruction gives the work (the element's own word)
    assert {(t, k) for t, k, line in found if line < 20} == {
        ("hull-inspector", "hands_off_to"),
        ("tide-planner", "depends_on"),
        ("crane-operator", "delegates_to"),
    }
    # a selection table routes the task; "Queue" in another cell is no cue
    assert {(t, k) for t, k, line in found if line == 28} == {
        ("crane-operator", "delegates_to"),
        ("hull-inspector", "delegates_to"),
    }
    assert ("tide-planner", "depends_on", 32) in found
    # a request for input; a thing's needs are no request of the writer's
    assert ("tide-planner", "depends_on", 37) in found
    assert ("crane-operator", "delegates_to", 40) in found


def test_a_passive_escalation_a_request_and_a_subject_that_owns_the_work(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "harbour-pilot.md": (
                "# Harbour Pilot\n\n## Duties\n\n"
                "Pilots steer ships in. Any disputes can be escalated to the Port Warden.\n\n"
                "Pilots may retire by asking the Port Warden to remove their licence.\n\n"
                "The Port Warden currently owns and runs the berth register.\n\n"
                "The Port Warden potentially asks for changes.\n"
            ),
            "port-warden.md": "# Port Warden\n\n## Responsibilities\n- Keeps the port.\n",
        },
    )
    found = {(str(r.type), r.line) for r in lib.relations if r.target == "port-warden"}
    assert found == {("escalates_to", 5), ("hands_off_to", 7), ("delegates_to", 9), ("mentions", 11)}
    assert {e.line for e in lib.escalations} == {5}


def test_a_deadlock_turned_over_escalates_where_the_role_is_named_and_shared_work_collaborates(
    tmp_path: Path,
) -> None:
    lib = library(
        tmp_path,
        {
            "harbour-board.md": (
                "# Harbour Board\n\n## Duties\n\n"
                "The board decides by vote. If the board cannot agree and deadlocks for a week,\n"
                "it will turn the matter over to\nthe Port Warden for a ruling.\n\n"
                "### Shared duties with the Port Warden\n\n- Setting the harbour dues.\n"
                "- The Port Warden drafts the budget.\n"
            ),
            "port-warden.md": "# Port Warden\n\n## Responsibilities\n- Keeps the port.\n",
        },
    )
    found = {(str(r.type), r.line) for r in lib.relations if r.target == "port-warden"}
    assert ("escalates_to", 7) in found  # the line that names the Warden, not the paragraph's first
    assert {(e.target, e.line) for e in lib.escalations} == {("port-warden", 7)}
    assert ("collaborates_with", 9) in found  # a heading of shared work


def test_a_quantifier_after_a_cue_and_shared_work_named_by_a_noun(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "harbour-master.md": (
                "# Harbour Master\n\n## Duties\n\n"
                "- Appoint new pilots after discussion with all wardens.\n"
                "- Notify all wardens of closures.\n"
                "- Keep a checklist (for both wardens and pilots).\n"
                "- You will receive tide tables from the Tide Clerk.\n"
            ),
            "warden.md": "# Warden\n\n## Responsibilities\n- Guards the quay.\n",
            "tide-clerk.md": "# Tide Clerk\n\n## Responsibilities\n- Writes tide tables.\n",
        },
    )
    found = {(r.target, str(r.type), r.line) for r in lib.relations if r.source == "harbour-master"}
    assert ("warden", "collaborates_with", 5) in found
    assert ("warden", "hands_off_to", 6) in found
    assert ("warden", "mentions", 7) in found  # an audience, not a relation
    assert ("tide-clerk", "depends_on", 8) in found


def test_an_index_is_a_document_of_the_library_not_a_role(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "team/README.md": (
                "# The team\n\n## [Night Auditor](night-auditor.md)\nCloses the books.\n\n"
                "- Pair **night-auditor** with the Day Manager.\n"
            ),
            "team/night-auditor.md": "# Night Auditor\n\nCloses the books. Hand off to the Day Manager.\n",
            "team/day-manager.md": "# Day Manager\n\nRuns the day.\n",
        },
    )
    index = lib.by_id["team-readme"]
    assert index.status is RoleStatus.OVERVIEW
    assert all(r.source != "team-readme" for r in lib.relations)  # no relations between roles
    linked = {(r.target, r.line, r.type) for r in lib.overview_relations}
    assert ("night-auditor", 3, RelationType.MENTIONS) in linked  # the heading's link names it
    assert ("day-manager", 6, RelationType.MENTIONS) in linked
    assert ("night-auditor", "day-manager", "hands_off_to") in relations(lib)


def test_skills_are_used_and_named_only_as_skills(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "skills/cost-review/SKILL.md": "---\nname: cost-review\ndescription: Review cloud costs.\n---\n\nSteps.\n",
            "skills/pdf/SKILL.md": "---\nname: pdf\ndescription: Read PDF files.\n---\n\nSteps.\n",
            "agents/finops-lead.md": (
                "---\nname: finops-lead\ndescription: Owns cloud spend.\n---\n\n"
                "Cost review: every week, before the PDF conversion of the report.\n\n"
                "Use the pdf skill for invoices, then run cost-review.\n"
            ),
        },
    )
    found = {(r.target, r.line, str(r.type)) for r in lib.relations if r.source == "finops-lead"}
    assert found == {("pdf", 8, "uses_skill"), ("cost-review", 8, "uses_skill")}


def test_a_site_confirms_and_forbids_names(tmp_path: Path) -> None:
    files = {
        "a.md": "# Ops Lead\n\n- Ask the Tide Watcher first.\n- Coordinate with Harbour Master.\n",
        "rolebook.yml": "names:\n  confirm: [Harbour Master]\n  forbid: [Tide Watcher]\n",
    }
    lib = library(tmp_path, files)
    referenced = {r.name for r in lib.roles if r.status is RoleStatus.REFERENCED}
    assert referenced == {"Harbour Master"}


def test_an_overlay_role_without_documents_keeps_its_aliases(tmp_path: Path) -> None:
    files = {
        "ops.md": "# Ops Lead\n\n- Ask the DHM before closing the gates.\n",
        "rolebook.yml": "roles:\n  deputy-harbour-master:\n    name: Deputy Harbour Master\n    aliases: [DHM]\n",
    }
    lib = library(tmp_path, files)
    deputy = lib.by_id["deputy-harbour-master"]
    assert deputy.aliases == ("DHM",) and deputy.status is RoleStatus.LISTED
    assert ("ops-lead", "deputy-harbour-master", "escalates_to") in relations(lib)


def test_a_role_in_a_boundarys_condition_is_only_mentioned(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "night-auditor.md": (
                "# Night Auditor\n\n## Out of Scope\n"
                "- Never sign unchecked sheets. If Day Manager says they add up, recount.\n"
                "- Vault repairs (Day Manager).\n"
            ),
            "day-manager.md": "# Day Manager\n\nCounts.\n",
        },
    )
    assert {(r.line, str(r.type)) for r in lib.relations} == {(4, "mentions"), (5, "delegates_to")}


def test_this_and_the_end_of_the_writers_own_name_is_the_writer(tmp_path: Path) -> None:
    files = {
        "harbour-crew.md": (
            "# Harbour Night Crew\n\n## Responsibilities\n\n- This crew will report to the Harbour Master.\n"
        ),
        "rolebook.yml": "roles:\n  crew:\n    name: Crew\n  harbour-master:\n    name: Harbour Master\n",
    }
    lib = library(tmp_path, files)
    assert relations(lib) == {("harbour-night-crew", "harbour-master", "hands_off_to")}


def test_the_words_of_a_heading_say_more_than_its_sections_key(tmp_path: Path) -> None:
    """ "## Communication" is a Handoffs section by its synonyms; its own word says the roles
    it names are worked with."""
    lib = library(
        tmp_path,
        {
            "night-auditor.md": "# Night Auditor\n\n## Responsibilities\n\n- Audits.\n\n"
            "## Communication\n\nThe Day Manager is the main point of contact.\n",
            "day-manager.md": "# Day Manager\n\n## Responsibilities\n\n- Runs the day.\n",
        },
    )
    assert relations(lib) == {("night-auditor", "day-manager", "collaborates_with")}


def test_a_role_the_overlay_declares_without_documents_is_known_by_its_aliases(tmp_path: Path) -> None:
    files = {
        "a.md": "# Ops Lead\n\n- Escalate to the Night Harbour Master.\n- Ask the NHM about tides.\n",
        "rolebook.yml": (
            "roles:\n  harbour-master:\n    name: Harbour Master\n    aliases: [Night Harbour Master, NHM]\n"
        ),
    }
    lib = library(tmp_path, files)
    assert lib.by_id["harbour-master"].status is RoleStatus.LISTED
    assert lib.by_id["harbour-master"].aliases == ("Night Harbour Master", "NHM")
    assert relations(lib) == {("ops-lead", "harbour-master", "escalates_to")}
    assert {e.target for e in lib.escalations} == {"harbour-master"}


def test_headings_and_admonitions_name_roles_too(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "night-auditor.md": "# Night Auditor\n\nCloses the books.\n",
            "scribe.md": "# Scribe\n\n## Responsibilities\n- Keeps notes.\n",
            "triage.md": "---\nname: triage\ndescription: Sorts tickets.\n---\n\nSorts.\n",
            "day-manager.md": (
                "# Day Manager\n\n## Steps for Night Auditor\n- Leave the float counted.\n\n## Scribe\n- Notes.\n\n"
                "### Triage (First Line)\n- Sorts.\n\n"
                '!!! warning "Before you leave"\n    Hand off to the Night Auditor.\n'
            ),
        },
    )
    stated = {(r.target, r.line, str(r.type)) for r in lib.relations if r.source == "day-manager"}
    assert stated == {
        ("night-auditor", 3, "mentions"),
        ("scribe", 6, "mentions"),
        ("triage", 9, "mentions"),  # the name alone, with a qualifier after it
        ("night-auditor", 13, "hands_off_to"),
    }
    (document,) = lib.by_id["day-manager"].documents
    assert '<div class="admonition warning"' in document.sections[-1].html  # shown as Material does


def test_copies_of_an_agent_in_several_folders_link_to_the_nearest(tmp_path: Path) -> None:
    card = "---\nname: debugger\ndescription: Finds bugs ({}).\n---\n\nYou are the debugger of {}.\n"
    lead = "---\nname: {}-lead\ndescription: Leads.\n---\n\nAsk the debugger agent.\n"
    lib = library(
        tmp_path,
        {
            "plugins/web/agents/debugger.md": card.format("web", "web apps"),
            "plugins/web/agents/lead.md": lead.format("web"),
            "plugins/data/agents/debugger.md": card.format("data", "pipelines"),
            "plugins/data/agents/lead.md": lead.format("data"),
        },
    )
    copy = lib.by_id["debugger-2"]
    assert copy.copy_of == "debugger" and "debugger" not in copy.aliases
    assert {(r.source, r.target) for r in lib.relations} == {("web-lead", "debugger-2"), ("data-lead", "debugger")}


def test_lexicon_answers_are_kept_between_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rolebook import lexical

    monkeypatch.setattr(lexical, "_answers", {})
    lexical.use_cache(tmp_path)
    assert lexical.is_agent_noun("Harbourer", ("er",)) is lexical._judge("Harbourer", ("er",), False)
    lexical.save_cache()
    monkeypatch.setattr(lexical, "_answers", {})

    def judge(*args: object) -> bool:
        raise AssertionError("worked out again")

    monkeypatch.setattr(lexical, "_judge", judge)
    lexical.use_cache(tmp_path)
    lexical.is_agent_noun("Harbourer", ("er",))
    lexical.use_cache(None)


def test_a_document_on_its_own_is_a_role_only_if_it_describes_one(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "handbook/harbour_master.md": "# Harbour Master\n\nKeeps the harbour.\n",
            "handbook/night_shift.md": "# Night shift\n\n## Responsibilities\n- Watch the tide.\n",
            "handbook/during_a_storm.md": ("# During a Storm\n\n## Steps for Harbour Master\n- Close the gates.\n"),
        },
    )
    status = {role.id: role.status for role in lib.roles}
    assert status["harbour-master"] is RoleStatus.DEFINED  # its title names someone
    assert status["night-shift"] is RoleStatus.DEFINED  # it has a role's section
    assert status["handbook-during-a-storm"] is RoleStatus.OVERVIEW  # a process, not a role
    assert {(r.source, r.target) for r in lib.overview_relations} == {("handbook-during-a-storm", "harbour-master")}


def test_handbooks_commands_and_file_names_are_read_as_libraries_write_them(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            # a role's handbook as its folder's README: the title names the role
            "handbooks/features/README.md": "# Features Lead Handbook\n\nTracks enhancements. Ask the Release Lead.\n",
            # a body's charter is the body's page
            "charters/quay.md": (
                "# Quay Safety Committee Charter\n\n## Responsibilities\n\n- Inspect the cranes.\n"
                "- Ask a crane operator for the load charts.\n"
            ),
            "crane/OPERATORS.md": "## Who they are\n\nThe operators of the quay.\n",
            "crane/crane-operators.md": "# Crane Operators\n\n## Duties\n\n- Lift containers.\n",
            "WARDENS.md": "Night shifts on the quay.\n",
            "handbooks/README.md": "# Role handbooks\n\n- [Features Lead](features/README.md)\n",
            # a title that is not what others call it: the file name is another name
            "handbooks/release-lead.md": "# Kubernetes Release Team: Release Team Leader\n\nLeads the release.\n",
            # a plugin's slash command is the library's, not a role, even with a front-matter name
            "commands/plan.md": "---\nname: plan\ndescription: Plan the work\n---\n\nRun the Features Lead.\n",
            "agents/planner.md": "---\nname: planner\ndescription: Plans.\n---\n\nWrite a plan for the Release Lead.\n",
        },
    )
    assert lib.by_id["features-lead"].status is RoleStatus.DEFINED
    assert lib.by_id["quay-safety-committee"].name == "Quay Safety Committee"
    # a page for people in the plural is their role's, in the singular
    assert lib.by_id["crane-operator"].aliases == ("Crane Operators",)
    assert lib.by_id["operator"].name == "Operator"  # OPERATORS.md, as its text writes the word
    assert lib.by_id["wardens"].status is RoleStatus.OVERVIEW  # a file name the text never writes so
    assert any(r.target == "crane-operator" for r in lib.relations if r.source == "quay-safety-committee")
    assert lib.by_id["handbooks-readme"].status is RoleStatus.OVERVIEW
    assert lib.by_id["commands-plan"].status is RoleStatus.OVERVIEW  # "a plan" never links to it
    leader = lib.by_id["kubernetes-release-team-release-team-leader"]
    assert "Release Lead" in leader.aliases
    assert any(r.source == "features-lead" and r.target == leader.id for r in lib.relations)
    assert all(r.target != "commands-plan" for r in lib.relations)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # orchestration: the writer runs the named agent
        ("INVOKE night-auditor: reconcile the ledger.", ["delegates_to"]),
        ("Run `night-auditor` before closing.", ["delegates_to"]),
        ("Skip night-auditor if the books are closed.", ["delegates_to"]),
        ("night-auditor must run first.", ["delegates_to"]),
        # a chain of steps: each step is run; a single arrow after text maps a request to an agent
        ("`day-clerk` → `night-auditor` (if gaps) → `day-clerk`", ["delegates_to"] * 3),
        ("3. night-auditor → Ledger reconciliation", ["delegates_to"]),
        ('- *"Close the books."* → `night-auditor`', [None]),
        # a stage that only names the role is no step it runs: a mention
        ("Call → count → night auditor check.", ["mentions"]),
    ],
)
def test_orchestration_is_delegation(text: str, kinds: list[str | None]) -> None:
    lexicon = Lexicon(RULES)
    lexicon.add("night-auditor", "night-auditor")
    lexicon.add("day-clerk", "day-clerk")
    assert [m.cue for m in lexicon.find(text)] == kinds


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("INVOKE shift-executor for each task.", ["shift-executor"]),  # a doer's id, with a cue
        ("The test-runner output is cited.", []),  # a doer's id without one: a tool
        ("Don't over-engineer the reconciliation.", []),  # a prefix makes a verb
        ("Ask the non-owner to wait.", []),
        ("It is a volunteer-lead effort.", []),  # a compound before a noun modifies it
        ("Then the data-engineer reviews it.", ["data-engineer"]),
        ("Then the data-engineer will merge.", ["data-engineer"]),
    ],
)
def test_hyphenated_ids_of_doers_need_a_cue(text: str, names: list[str]) -> None:
    assert discover_names(text, False, RULES) == names


def test_commands_say_what_they_do_with_agents_and_name_agents_no_card_defines(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "agents/night-auditor.md": "---\nname: night-auditor\ndescription: Audits.\n---\n\nAudit.\n",
            "commands/close.md": (
                "# Close the books\n\n1. **INVOKE shift-executor**: post the entries\n"
                "2. Then hand off to night-auditor for review.\n"
                "3. Mention night-auditor in the log.\n"
            ),
        },
    )
    assert lib.by_id["commands-close"].status is RoleStatus.OVERVIEW
    assert lib.by_id["shift-executor"].status is RoleStatus.REFERENCED  # named only by the command
    found = {(r.target, r.line, str(r.type)) for r in lib.overview_relations}
    assert found == {
        ("shift-executor", 3, "delegates_to"),
        ("night-auditor", 4, "hands_off_to"),  # a telling cue: what the sentence does
        ("night-auditor", 5, "mentions"),
    }


def test_a_name_is_cited_on_its_own_line_of_a_wrapped_paragraph(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "night-auditor.md": "# Night Auditor\n\nAudits.\n",
            "day-manager.md": (
                "# Day Manager\n\n"
                "Close the till, count the cash and write the totals\n"
                "into the ledger; then notify the Night Auditor, who\n"
                "checks them against the [audit notes](night-auditor.md) before\n"
                "the Night Auditor signs.\n"
            ),
        },
    )
    found = sorted((r.line, str(r.type)) for r in lib.relations if r.source == "day-manager")
    # the paragraph starts on line 3, which names nobody; the link's own text is no name
    assert found == [(4, "hands_off_to"), (6, "mentions")]


def test_commented_out_text_names_nobody(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "night-auditor.md": "# Night Auditor\n\nAudits.\n",
            "day-manager.md": (
                "# Day Manager\n\n<!--\nNotify the Night Auditor of every refund.\n-->\n\n"
                "Count the cash. <!-- old: ask the Night Auditor --> Then notify the Night Auditor.\n"
            ),
        },
    )
    assert sorted((r.line, str(r.type)) for r in lib.relations if r.source == "day-manager") == [(7, "hands_off_to")]


def test_handbook_pages_are_named_by_the_role_their_title_addresses() -> None:
    person = RULES.is_person_word
    assert title_roles("Guide for Reviewers", person) == ["Reviewer"]
    assert title_roles("Harbour Night Auditor Handbook", person) == ["Auditor"]
    assert title_roles("Guide for Night Auditors and Authors", person) == ["Auditor"]  # "author" is a verb too
    assert title_roles("Night Auditor", person) == []  # the title is the name: nothing more to say
    assert title_roles("Harbour Master in Chief Guide", person) == []  # "Chief" heads a phrase


def test_handbooks_name_people_in_lower_case_and_by_part_of_a_long_name(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "auditor-guide.md": "# Guide for Auditors\n\nCheck the ledger.\n",
            "harbour-review-lead.md": "# Harbour Review Lead Guide\n\nRun the reviews.\n",
            "finding-auditors.md": "# Finding Auditors\n\nAsk around the harbour.\n",
            "manager-guide.md": (
                "# Guide for Night Managers\n\n"
                "- When the books close, the auditor checks them.\n"
                "- Auditors will sign; a guest auditor may too.\n"
                "- The software review lead assigns the work.\n"
                "- List: auditor, lead, clerk.\n"  # a bare word in a list names nobody
                "- Volunteers lead the harbour tours.\n"  # "lead" the verb
            ),
        },
    )
    assert lib.by_id["finding-auditors"].status is RoleStatus.OVERVIEW  # a process done to people
    found = sorted({(r.line, r.target) for r in lib.relations if r.source == "guide-for-night-managers"})
    assert found == [(3, "guide-for-auditors"), (4, "guide-for-auditors"), (5, "harbour-review-lead")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Stuck? Contact the acting Night Auditor.", "escalates_to"),
        ("Help the harbour night auditor close the books.", "collaborates_with"),  # over a modifier
        ("Discuss with the Night Auditor how to close.", "collaborates_with"),
        ("Let the Night Auditor know the till is short.", "hands_off_to"),
        ("Share it with the Night Auditor directly.", "hands_off_to"),
        ("Post a call for the other Night Auditors.", None),  # a weak cue reaches over no modifier
    ],
)
def test_contact_discuss_and_let_know_are_typed(text: str, kind: str | None) -> None:
    lexicon = Lexicon(RULES)
    lexicon.add("night-auditor", "Night Auditor")
    (mention,) = lexicon.find(text)
    assert mention.cue == kind


def test_a_doer_spelled_another_way_is_the_same_role(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "harbour-adviser.md": "# Harbour Adviser\n\nAdvises.\n",
            "night-manager.md": "# Night Manager\n\n- If stuck, contact the Harbour Advisor.\n",
        },
    )
    assert "harbour-advisor" not in lib.by_id  # no stub page for the other spelling
    assert relations(lib) == {("night-manager", "harbour-adviser", "escalates_to")}


def test_a_context_noun_and_a_table_column_say_what_is_done_with_an_agent(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "agents/night-auditor.md": "---\nname: night-auditor\ndescription: Audits.\n---\n\nAudit.\n",
            "agents/ledger-reader.md": "---\nname: ledger-reader\ndescription: Reads.\n---\n\nRead.\n",
            "agents/desk.md": (
                "---\nname: desk\ndescription: Routes requests.\n---\n\n"
                "- If the books are open, use the `night-auditor` agent first.\n"
                "- Use the ledger-reader output as it is.\n\n"
                '| User says | Run |\n| --- | --- |\n| "Close the day" | `night-auditor` |\n'
            ),
        },
    )
    found = {(r.target, r.line, str(r.type)) for r in lib.relations if r.source == "desk"}
    assert found == {
        ("night-auditor", 6, "delegates_to"),  # "use the … agent": the work goes to it
        ("ledger-reader", 7, "depends_on"),  # "use … output": relied on
        ("night-auditor", 11, "delegates_to"),  # the column "Run"
    }


def test_a_header_infinitive_says_what_to_do_with_the_role_of_each_row(tmp_path: Path) -> None:
    """ "| Helper | When to Call In |": the role a row is about is called in; an index only lists it."""
    agents = {
        "agents/night-auditor.md": "---\nname: night-auditor\ndescription: Audits.\n---\n\nAudit.\n",
        "agents/ledger-reader.md": "---\nname: ledger-reader\ndescription: Reads.\n---\n\nRead.\n",
    }
    table = "| Helper | When to Invoke |\n| --- | --- |\n| `night-auditor` | books open |\n| LedgerReader | audits |\n"
    lib = library(
        tmp_path,
        {
            **agents,
            "agents/desk.md": "---\nname: desk\ndescription: Routes requests.\n---\n\n" + table,
            "README.md": "# Agents\n\n" + table,
        },
    )
    assert {(r.target, str(r.type)) for r in lib.relations if r.source == "desk"} == {
        ("night-auditor", "delegates_to"),
        ("ledger-reader", "delegates_to"),
    }
    assert {str(r.type) for r in lib.overview_relations} == {"mentions"}


def test_a_telling_pseudo_xml_element_types_the_agents_inside_it(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "agents/night-auditor.md": "---\nname: night-auditor\ndescription: Audits.\n---\n\nAudit.\n",
            "agents/desk.md": (
                "---\nname: desk\ndescription: Routes. <example>Ask night-auditor to look.</example> "
                "<delegation>Trigger: ledger gaps Target: night-auditor</delegation>\n---\n\n"
                "- <note>night-auditor</note> keeps the books.\n"
            ),
        },
    )
    found = {(r.line, str(r.type)) for r in lib.relations if r.source == "desk" and r.target == "night-auditor"}
    assert found == {(3, "escalates_to"), (3, "delegates_to"), (6, "mentions")}


def auditor_cues(text: str) -> list[str | None]:
    """The cue of each mention in `text`, with the roles Night Auditor and Desk Manager known."""
    lexicon = Lexicon(RULES)
    lexicon.add("night-auditor", "Night Auditor")
    lexicon.add("desk-manager", "Desk Manager")
    return [m.cue for m in lexicon.find(text)]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # the role acts for the writer: relied on
        ("Each week the Night Auditor will send you the ledger.", ["depends_on"]),
        ("The night auditor usually mails us the totals.", [None]),  # no modal, no common word after
        ("When the Night Auditor informs you of a gap, fix it.", ["depends_on"]),
        ("The Desk Manager (DM) may then post the form.", ["depends_on"]),
        ('When the Night Auditor reports: "all balanced", close.', ["depends_on"]),  # speech
        # a verb of working together
        ("Later the Night Auditor will meet with you.", ["collaborates_with"]),
        # a list of subjects shares the verb
        ("The Desk Manager and the Night Auditor will choose the rota.", ["depends_on", "depends_on"]),
        # "be" and "need" say nothing; a name after its cue keeps the cue's type
        ("The Night Auditor will be away.", [None]),
        ("Ask the Night Auditor, who will know.", ["escalates_to"]),
        # a passive verb's subject receives what the verb does, as its cue says
        ("The Night Auditor will be notified at six.", ["hands_off_to"]),
        ("If totals differ, the Desk Manager is paged.", ["escalates_to"]),
    ],
)
def test_a_role_that_is_the_subject_of_a_verb_acts_for_the_writer(text: str, kinds: list[str | None]) -> None:
    assert auditor_cues(text) == kinds


def test_an_escalation_heading_makes_its_items_escalate_and_message_hands_off(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "roles/night-auditor.md": (
                "# Night Auditor\n\n## Mission\n\nBalance the books overnight.\n\n"
                "## Problem Escalation Paths\n\n- **Ledger gaps**: coordinate with Desk Manager\n\n"
                "## Workflow\n\n- Message the Desk Manager with the totals.\n"
                "- If a total is off, message the Desk Manager at once.\n"
            ),
            "roles/desk-manager.md": "# Desk Manager\n\n## Mission\n\nKeep the front desk.\n",
        },
    )
    by_line = {r.line: str(r.type) for r in lib.relations if r.target == "desk-manager"}
    assert by_line == {9: "escalates_to", 13: "hands_off_to", 14: "escalates_to"}
    assert [(e.line, e.target) for e in lib.escalations] == [(14, "desk-manager")]


def test_bare_triggers_under_a_heading_that_names_the_target_escalate_to_it(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "roles/night-auditor.md": (
                "# Night Auditor\n\n## Mission\n\nBalance the books overnight.\n\n"
                "## Escalation to the Desk Manager\n\n- A total is off by more than a night's takings.\n\n"
                "### Overnight\n\n- The safe will not open.\n\n"
                "## Escalation\n\n- A guest disputes a charge.\n"
            ),
            "roles/desk-manager.md": "# Desk Manager\n\n## Mission\n\nKeep the front desk.\n",
        },
    )
    rows = [(e.line, e.target, e.target_is_role) for e in lib.escalations]
    assert rows == [(9, "desk-manager", True), (13, "desk-manager", True), (17, "unspecified", False)]


def test_a_flow_names_an_agent_by_its_step_and_a_verb_of_another_role_is_theirs(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "agents/ledger-validator.md": "---\nname: ledger-validator\ndescription: Checks ledgers.\n---\n\nCheck.\n",
            "agents/report-writer.md": "---\nname: report-writer\ndescription: Writes reports.\n---\n\nWrite.\n",
            "agents/night-auditor.md": (
                "---\nname: night-auditor\ndescription: Audits the night.\n---\n\n"
                "- Run `ledger-validation` first.\n"  # the step's name is the agent's
                "- The validation of ledgers is slow.\n"  # one word is a topic
                "- `report-writer` depends on `ledger-validation` output.\n"  # their dependency
                "- Wait for report-writer before closing.\n"
            ),
        },
    )
    found = {(r.line, r.target, str(r.type)) for r in lib.relations if r.source == "night-auditor"}
    assert found == {
        (6, "ledger-validator", "delegates_to"),
        (8, "report-writer", "mentions"),
        (8, "ledger-validator", "mentions"),
        (9, "report-writer", "depends_on"),
    }


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("The Night Auditor's decision stands.", ["depends_on"]),  # a cue after a possessive
        ("Use the Night Auditor to assist you.", ["collaborates_with"]),  # a purpose's verb
        ("Use the Night Auditor to balance the books.", ["delegates_to"]),
        ("Use the Night Auditor schema.", ["depends_on"]),
        ("Instruct the night auditor to recount.", ["hands_off_to"]),
        ("Most of the night goes on helping the Night Auditor.", ["collaborates_with"]),  # a gerund cue
        ("Escalating to the Night Auditor is rare.", ["escalates_to"]),
        ("Send any open questions to the Night Auditor.", ["escalates_to"]),  # passing trouble
        ("Send the totals to the Night Auditor.", ["hands_off_to"]),
    ],
)
def test_possessives_and_purposes_say_what_is_done_with_a_role(text: str, kinds: list[str | None]) -> None:
    assert auditor_cues(text) == kinds


def process_page_types(tmp_path: Path, steps: str) -> set[tuple[int, str]]:
    """(line, type) of each relation a process page's `steps` (from line 3) give the Night Auditor."""
    lib = library(
        tmp_path,
        {
            "roles/night-auditor.md": "# Night Auditor\n\n## Mission\n\nBalance the books overnight.\n",
            "closing-the-books.md": "# Closing the books\n\n" + steps,
        },
    )
    return {(r.line, str(r.type)) for r in lib.overview_relations if r.target == "night-auditor"}


def test_an_instruction_on_a_process_page_types_its_roles_by_weak_cues_too(tmp_path: Path) -> None:
    found = process_page_types(
        tmp_path,
        "1. Wait for totals from your Night Auditor before you lock the till.\n"
        "2. Totals from the Night Auditor arrive at six.\n",
    )
    assert found == {(3, "depends_on"), (4, "mentions")}


def test_a_title_names_its_role_after_a_context_colon_and_lead_is_leader(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "ferry-leader.md": "# Harbour Ferries: Ferry Crew Leader\n\n## Mission\n\nRun the crossings.\n",
            "night-manager.md": (
                "# Night Manager\n\n## Mission\n\nKeep the harbour.\n\n## Workflow\n\n"
                "- Escalate to the Ferry Crew Lead when a ferry is late.\n"
                "- Former Ferry Crew Leads make good deputies.\n"
            ),
        },
    )
    assert "ferry-crew-lead" not in lib.by_id  # no stub page for the shorter title
    assert {(r.line, r.target, str(r.type)) for r in lib.relations if r.source == "night-manager"} == {
        (9, "harbour-ferries-ferry-crew-leader", "escalates_to"),
        (10, "harbour-ferries-ferry-crew-leader", "mentions"),
    }


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Supports: Night Auditors with the recount", ["collaborates_with"]),  # a label that is a cue
        ("Depends on: Night Auditor, Desk Manager", ["depends_on", "depends_on"]),
        ("Totals: Night Auditor", [None]),  # a label that is no cue
        ("To Night Auditor: coordinate the recount", ["collaborates_with"]),  # what the line asks
        ("To Night Auditor: the totals", ["hands_off_to"]),
    ],
)
def test_a_label_and_an_addressed_task_type_the_names(text: str, kinds: list[str | None]) -> None:
    assert auditor_cues(text) == kinds


def test_ping_escalates_and_a_person_keeps_the_word_an_article_puts_before_it(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "roles/night-auditor.md": (
                "# Night Auditor\n\n## Mission\n\nBalance the books overnight.\n\n## Escalation\n\n"
                "- If totals are late, ping the desk manager in the channel.\n"
                "- A missed alarm is what we keep the spare on-call for.\n"
                "- When the till jams, notify on-call.\n"
            ),
            "roles/desk-manager.md": "# Desk Manager\n\n## Mission\n\nKeep the front desk.\n",
        },
    )
    assert [(e.line, e.target, e.target_is_role) for e in lib.escalations] == [
        (9, "desk-manager", True),
        (10, "spare on-call", False),
        (11, "on-call", False),
    ]


def test_a_heading_says_what_it_does_with_the_role_it_names(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "roles/night-auditor.md": (
                "# Night Auditor\n\n## Mission\n\nBalance the books overnight.\n\n"
                "## Communication with Desk Managers\n\nDaily.\n\n"
                "## Handoff to Desk Manager\n\nAt six.\n\n"
                "## Steps for Desk Manager\n\nOpen up.\n"
            ),
            "roles/desk-manager.md": "# Desk Manager\n\n## Mission\n\nKeep the front desk.\n",
            "README.md": "# Hotel roles\n\n## Desk Manager - communication at the front\n\nSee the page.\n",
        },
    )
    found = {(r.line, str(r.type)) for r in lib.relations if r.target == "desk-manager"}
    assert found == {(7, "collaborates_with"), (11, "hands_off_to"), (15, "mentions")}
    assert {str(r.type) for r in lib.overview_relations if r.target == "desk-manager"} == {"mentions"}


def test_a_line_that_types_a_role_does_not_also_merely_mention_it(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "roles/harbour-adviser.md": "# Harbour Adviser (HA)\n\nAdvises on berths.\n",
            "roles/pilot.md": (
                "# Pilot\n\n## Duties\n\n- Keep the Harbour Adviser (HA) informed. The HA decides when ships dock.\n"
            ),
        },
    )
    # the second naming (by the abbreviation) adds no plain mention beside the typed one
    assert sorted((r.line, str(r.type)) for r in lib.relations if r.source == "pilot") == [(5, "depends_on")]


def test_a_lower_case_role_needs_two_documents_that_use_it_as_one(tmp_path: Path) -> None:
    files = {
        "roles/gate-agent.md": "# Gate Agent\n\n## Duties\n\n- Escalate to the shift supervisors if late.\n",
        "roles/porter.md": "# Porter\n\n## Duties\n\n- Ask the shift supervisor before moving freight.\n",
        "roles/cleaner.md": "# Cleaner\n\n## Duties\n\n- Ask the specialist about solvents.\n",
    }
    both = library(tmp_path / "both", files)
    (stub,) = [r for r in both.roles if r.status is RoleStatus.REFERENCED]
    assert stub.id.startswith("shift-supervisor")
    assert {r.source for r in both.relations if r.target == stub.id} == {"gate-agent", "porter"}
    assert not any(r.name == "specialist" for r in both.roles)  # a lone generic noun is no name
    one = library(tmp_path / "one", {"roles/gate-agent.md": files["roles/gate-agent.md"]})
    assert not any(r.status is RoleStatus.REFERENCED for r in one.roles)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # a causative verb, the name and a verb after it: the work is left to the role
        ("Have the Night Auditor recount the till.", ["delegates_to"]),
        ("Get the Night Auditor to sign the sheet.", ["delegates_to"]),
        ("We have the Night Auditor's totals.", [None]),  # a possessive: no verb after the name
        ("Directs the Night Auditor and the Desk Manager.", ["delegates_to", "delegates_to"]),
        ("Recounts go to the Night Auditor.", ["delegates_to"]),
        ("Balancing is the Night Auditor's job.", ["delegates_to"]),
        # the other role acts on the writer: relied on
        ("Supervised by the Desk Manager.", ["depends_on"]),
        # a subject in a clause that says what the writer's work is for receives it
        ("Leave a float that the Night Auditor can count.", ["hands_off_to"]),
        ("Log each refund so the Night Auditor can match it.", ["hands_off_to"]),
        # halting the work, or telling of trouble, escalates
        ("If the float is short, stop and tell the Desk Manager.", ["escalates_to"]),
        ("Notify the Desk Manager of the problem.", ["escalates_to"]),
        ("Notify the Desk Manager of the arrival.", ["hands_off_to"]),
        ("Bring it up with the Desk Manager.", ["escalates_to"]),
        # approval and agreement come from the role; alerting it passes it something
        ("Change the rota only with the agreement of the Desk Manager.", ["depends_on"]),
        ("Alert the Night Auditor to late check-outs.", ["hands_off_to"]),
        # a role that only might or could act states nothing
        ("On quiet nights the Night Auditor might also take the desk.", [None]),
        ("On quiet nights the Night Auditor will also take the desk.", ["depends_on"]),
        # a cue reaches over a quantifier ("each of the …")
        ("Meet with each of the Night Auditors before the audit.", ["collaborates_with"]),
    ],
)
def test_delegation_passives_purposes_and_halts_are_typed(text: str, kinds: list[str | None]) -> None:
    assert auditor_cues(text) == kinds


def test_an_index_describing_a_role_in_the_present_only_mentions_it(tmp_path: Path) -> None:
    found = process_page_types(
        tmp_path,
        "1. The Night Auditor balances the books and locks the till.\n"
        "2. At six the Night Auditor will send you the totals.\n",
    )
    assert found == {(3, "mentions"), (4, "depends_on")}


def test_a_lead_in_and_a_heading_type_the_roles_listed_under_them(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "roles/night-auditor.md": "# Night Auditor\n\n## Mission\n\nBalance the books overnight.\n",
            "roles/desk-manager.md": "# Desk Manager\n\n## Mission\n\nRun the front desk.\n",
            "roles/porter.md": (
                "# Porter\n\n## Mission\n\nCarry the bags.\n\n## Shift\n\n"
                "When the shift ends I hand off to:\n\n"
                "- **Night Auditor** → the lost-property log\n\n"
                "## When to stop (stop and tell the Desk Manager)\n\n"
                "- A guest asks for a room key: check with the Desk Manager first.\n"
            ),
            "roles/desk-captain.md": (
                "# Desk Captain\n\n## Mission\n\nLead the desk.\n\n## Who you direct\n\n"
                "| Role | Owns |\n| --- | --- |\n| Porter | bags, lobby |\n"
            ),
        },
    )
    found = relations(lib)
    assert ("porter", "night-auditor", "hands_off_to") in found  # the lead-in's cue, not the chain mark
    assert ("porter", "desk-manager", "escalates_to") in found  # under a heading that stops the work
    assert ("desk-captain", "porter", "delegates_to") in found  # the roles a manager directs


def test_the_plural_of_a_head_a_few_roles_share_names_them_all(tmp_path: Path) -> None:
    yard = {
        "yard/hull.md": "# Hull Welder\n\nJoins plates.\n",
        "yard/deck.md": "# Deck Welder\n\nJoins beams.\n",
        "yard/foreman.md": (
            "# Shift Foreman\n\n## Duties\n"
            "- Brief the welders before the shift.\n"  # both welders
            "- Hand the rota to the Yard Planner, welders and the painter.\n"  # listed after a role
            "- Welders in general like steel.\n"  # no determiner, not listed: people in general
            "- Call the welder.\n"  # the singular two roles share: neither
        ),
        "yard/planner.md": "# Yard Planner\n\nKeeps the rota.\n",
    }
    lib = library(tmp_path / "one", yard)
    found = {(r.line, r.target) for r in lib.relations if r.source == "shift-foreman"}
    assert {line for line, target in found if target.endswith("welder")} == {4, 5}
    assert {target for line, target in found if line == 4} == {"hull-welder", "deck-welder"}
    # on the page the word is written once, linked to the first, its title naming them all
    names = {role.id: (role.name, True) for role in lib.roles}
    html = link_mentions("<p>Brief the welders.</p>", lib.lexicon, "shift-foreman", names)
    assert html.count("welders") == 1 and html.count("<a ") == 1
    assert 'title="Deck Welder, Hull Welder"' in html
    # a head that roles written up in different folders share is no team
    elsewhere = {**yard, "dock/pipe.md": "# Pipe Welder\n\nJoins pipes.\n"}
    elsewhere["yard/deck.md"], elsewhere["dock/deck.md"] = "# Yard Painter\n\nPaints.\n", yard["yard/deck.md"]
    lib = library(tmp_path / "two", elsewhere)
    assert not [r for r in lib.relations if r.source == "shift-foreman" and r.target.endswith("welder")]


def test_a_plural_abbreviation_and_a_possessive_title_name_their_role(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "crew/stewards.md": '---\ntitle: "Stewards\' Handbook"\n---\n\n# Watches\n\nStand the watch.\n',
            "crew/mates.md": "# Deck Officer\n\nKeeps the deck.\n",
            "crew/master.md": (
                "# Harbour Master\n\n## Duties\n"
                "- Brief the Deck Officers (DOs) at dawn.\n"
                "- DOs sign the log at noon.\n"  # the abbreviation's plural, opening the line
                "- Thank the stewards after a storm.\n"  # the title's name, without its possessive
                "- Check the dos and don'ts.\n"  # lower case: no abbreviation
            ),
        },
    )
    assert lib.by_id["steward"].name == "Steward"  # in the singular, as the role one steward holds
    assert "Stewards" in lib.by_id["steward"].aliases
    assert {(r.line, r.target) for r in lib.relations if r.source == "harbour-master"} == {
        (4, "deck-officer"),
        (5, "deck-officer"),
        (6, "steward"),
    }


def test_prefixed_words_and_title_case_modifiers_are_no_discovered_roles() -> None:
    # "co-" makes a relation between people, not a role's id
    assert discover_names("Ask a co-reviewer to read it.", False, RULES) == []
    assert discover_names("Ask the data-reviewer to read it.", False, RULES) == ["data-reviewer"]
    # a role word inside a longer Title Case name modifies its head ("… Pattern")
    assert discover_names("Query Builder Pattern", False, RULES) == []
    assert discover_names("Ask the Tide Observer Manual.", False, RULES) == []
    # unless that head names a body of people (`body_nouns`), in the singular whatever the number
    assert discover_names("Ask the Tide Observer Guild.", False, RULES) == ["Tide Observer Guild"]
    assert discover_names("Ask the Harbour Panels.", False, RULES) == ["Harbour Panel"]
    assert discover_names("Ask the Tide Observer today.", False, RULES) == ["Tide Observer"]
    assert discover_names("Ask the Tide Observer Agent.", False, RULES) == ["Tide Observer"]


def test_a_block_description_cites_the_line_that_names_the_role(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "agents/night-auditor.md": "---\nname: night-auditor\ndescription: Audits.\n---\n\nAudit.\n",
            "agents/desk.md": (
                "---\nname: desk\ndescription: |\n"
                "  Routes requests at the front desk,\n"
                "  and hands the books to night-auditor at midnight.\n"
                "model: small\n---\n\nRoute.\n"
            ),
        },
    )
    assert {r.line for r in lib.relations if r.source == "desk" and r.target == "night-auditor"} == {5}


def test_a_longer_title_case_name_and_a_quoted_example_name_no_role(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "crew/tide.md": "# Harbour Tide Warden\n\nWatches tides.\n",
            "crew/ids.md": "# Berth Planner\n\nPlans berths.\n",
            "crew/clerk.md": (
                "# Shift Clerk\n\n## Duties\n"
                "- Ask the tide warden about the flood.\n"  # the end of the name, after modifiers
                "- You are a senior River Tide Warden.\n"  # another Title Case name
                '- Write each id as a slug (e.g. "berth-planner", "berth-planner-2").\n'  # a format example
                "- Send the plan to `berth-planner`.\n"
                "- Name a lead (e.g., Berth Planner for the quays).\n"  # a plain example still names it
            ),
        },
    )
    found = {(r.line, r.target) for r in lib.relations if r.source == "shift-clerk"}
    assert found == {(4, "harbour-tide-warden"), (7, "berth-planner"), (8, "berth-planner")}


def test_a_quantifier_before_the_head_noun_of_one_role_names_it(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "team/builder.md": "---\nname: team-welder\ndescription: Welds.\n---\n\nWeld.\n",
            "team/plan.md": (
                "# Yard Planner\n\n## Duties\n"
                "- Give each welder one seam.\n"
                "- Welder shortages happen.\n"  # no determiner: a word, not the role
            ),
        },
    )
    assert {r.line for r in lib.relations if r.source == "yard-planner" and r.target == "team-welder"} == {4}


def test_a_site_sets_how_many_roles_a_group_may_hold(tmp_path: Path) -> None:
    assert RULES.largest_group == 3
    assert load_relation_rules(write_tree(tmp_path, {"r.yml": "largest_group: 0\n"}) / "r.yml").largest_group == 0
    bad = write_tree(tmp_path, {"bad.yml": "articles: [the]\nlargest_group: many\n"}) / "bad.yml"
    with pytest.raises(DataFileError, match=r"bad\.yml:2: `largest_group` must be a whole number"):
        load_relation_rules(bad)


def test_a_listed_role_noun_that_is_also_a_verb_is_someone_in_lower_case(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "watch/scribe.md": "# Scribe\n\n## Duties\n- Keep the log.\n",
            "watch/officer.md": (
                "# Watch Officer\n\n## Duties\n"
                "- Be the scribe for the night watch.\n"  # "scribe" is a verb too, but a listed role noun
                "- Thank each scribe at dawn.\n"  # after a quantifier
                "- Scribe the bearings on the chart.\n"  # the verb, opening the line: no one
                "- Hand the log to a scribe.\n"  # after an article
            ),
        },
    )
    assert {r.line for r in lib.relations if r.source == "watch-officer" and r.target == "scribe"} == {4, 5, 7}


SELF_NAMED = {
    "crew/release-captain.md": (
        "# RELEASE-CAPTAIN-BOT — Working Charter\n\nYou are **ReleaseCaptainBot**. You decide when a build ships.\n\n"
        "## Mandate & Powers\n\n- Own the release calendar.\n- Ask the QualityWardenBot for a sign-off.\n\n"
        "### GateKeeper (Quality)\n\n- Escalate flaky suites.\n\n"
        "## Contacts\n\n| Who | When |\n| --- | --- |\n| GateKeeper | before tagging |\n\n- IncidentScribe\n"
    ),
    "crew/quality-warden.md": (
        "# Quality Warden Bot: Standing Orders\n\nYou're the `quality-warden-bot` (a.k.a. GateKeeper), the last check "
        "before a release.\n\n## Mandate & Powers\n\n- Block a release whose tests fail; tell the ReleaseCaptain why.\n"
    ),
    "crew/incident-scribe.md": (
        "# Incident Scribe Notebook\n\nAct as **Incident Scribe** for every outage.\n\n"
        "## Duties\n\n- Write the timeline; send it to the Release Captain Bot.\n"
    ),
    "crew/onboarding.md": "# Onboarding Checklist\n\nYou are new here. Read the charter of the Release Captain Bot.\n",
    "crew/release-notes.md": "# Release Notes\n\nYou are Release ready when the list below is empty.\n",
}


def test_a_shouted_title_and_a_camel_case_name_group_their_words_alike() -> None:
    """ "DATAOPS-ENGINEER-BOT" and "DataOpsEngineerBot" are one name though CamelCase splits
    "Data Ops": the role is named, in the words the title groups ("DataOps")."""
    from rolebook.names import self_named

    text = "# DATAOPS-ENGINEER-BOT — Working Charter\n\nYou are **DataOpsEngineerBot**.\n"
    found = self_named("DATAOPS-ENGINEER-BOT — Working Charter", "DATAOPS-ENGINEER-BOT.md", text, ["you are"])
    assert found == ("DataOps Engineer Bot", ())


def test_a_document_that_names_itself_describes_a_role(tmp_path: Path) -> None:
    """No role section and no word for someone at the end of the title, but "You are
    **X**." naming the title's role: a role named as the title part it matches, also
    linked in its CamelCase form. A sentence that names no part of the title is no evidence."""
    sources = write_tree(tmp_path / "sources", SELF_NAMED)
    site = build_site(tmp_path / "site", sources=sources, level=logging.DEBUG)
    captain = site.page("roles/release-captain-bot/")
    assert "Release Captain Bot" in captain
    assert 'href="../quality-warden-bot/' in captain  # "the QualityWardenBot"
    assert 'href="../release-captain-bot/' in site.page("roles/quality-warden-bot/")  # "the ReleaseCaptain"
    assert 'href="../release-captain-bot/' in site.page("roles/incident-scribe/")
    lib = library(tmp_path, SELF_NAMED)
    assert "GateKeeper" in lib.by_id["quality-warden-bot"].aliases  # "(a.k.a. GateKeeper)"
    # a CamelCase name alone in a table cell or a list item is still that role
    named = {(r.target, r.sentence) for r in lib.relations if r.source == "release-captain-bot"}
    assert ("quality-warden-bot", "GateKeeper | before tagging") in named
    assert ("incident-scribe", "IncidentScribe") in named
    # a heading that is a role's name sends the triggers under it that name no one to that role
    assert {(e.trigger, e.target) for e in lib.escalations} >= {("Escalate flaky suites.", "quality-warden-bot")}
    status = {role.id: role.status for role in lib.roles}
    assert status["crew-onboarding"] is RoleStatus.OVERVIEW
    assert status["crew-release-notes"] is RoleStatus.OVERVIEW
    assert {i for i, s in status.items() if s is RoleStatus.DEFINED} == {
        "release-captain-bot",
        "quality-warden-bot",
        "incident-scribe",
    }


HOTEL = {
    "night-auditor.md": (
        "# Night Auditor\n\n## Responsibilities\n\n- Balance the ledger.\n\n## Authority & Limits\n\n"
        "**You should escalate:**\n\n- Cash drawer shortfalls\n- Guest complaints about billing\n\n"
        "**How we escalate:**\n\n1. Write up the numbers.\n2. Notify the Duty Manager by phone.\n"
    ),
    "duty-manager.md": (
        "# Duty Manager\n\n## Responsibilities\n\n- Runs the hotel at night.\n\n## Limits\n\n"
        "**Escalate to the General Manager:**\n\n- Fire alarms\n- Press enquiries\n"
    ),
    "general-manager.md": (
        "# General Manager\n\n## Escalation\n\n- Cross-team disputes over rota swaps\n"
        "- **Ask the owner:**\n  - Guest injuries\n"
    ),
}


def test_escalation_labels_give_their_lists_and_targets(tmp_path: Path) -> None:
    """A label line ("You should escalate:") makes the items under it triggers and is no row
    itself; a label that names a target gives it to them, and the one role a section's
    "how to escalate" steps reach is where its triggers go. A person word at the end of a
    compound ("cross-team") is no target."""
    rows = {(e.role, e.trigger, e.target) for e in library(tmp_path, HOTEL).escalations}
    assert ("night-auditor", "Cash drawer shortfalls", "duty-manager") in rows
    assert ("night-auditor", "Guest complaints about billing", "duty-manager") in rows
    assert ("duty-manager", "Fire alarms", "general-manager") in rows
    assert ("duty-manager", "Press enquiries", "general-manager") in rows
    assert ("general-manager", "Cross-team disputes over rota swaps", "unspecified") in rows
    assert not {trigger for _, trigger, _ in rows if trigger.rstrip("*").endswith(":")}  # labels are no rows


def test_things_and_title_case_phrases_are_no_roles(tmp_path: Path) -> None:
    """An undefined id written before a thing noun anywhere ("the `stock-manager` skill")
    is a skill, command or tool: no page, no links. A one-word role that is an ordinary word
    does not link inside a longer Title Case phrase ("Inventory Totals First")."""
    lib = library(
        tmp_path,
        {
            "inventory.md": "---\nname: inventory\ndescription: Keeps the books.\n---\n\nKeeps the books.\n",
            "audit.md": (
                "---\nname: audit\ndescription: Checks the books.\n---\n\n"
                "1. **Inventory Totals First:** verify them.\n"
                "2. Run the `stock-manager` skill before counting.\n"
                "3. Ask the stock-manager for counts.\n"
                "4. Hand off to `inventory` when done.\n"
                "5. The Inventory is responsible for the counts.\n"  # an article opens the sentence
            ),
        },
    )
    assert "stock-manager" not in lib.by_id
    assert {(r.target, r.line) for r in lib.relations if r.source == "audit"} == {("inventory", 9), ("inventory", 10)}


def test_a_refused_target_is_no_target_even_as_a_person(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "harbour-master.md": "# Harbour Master\n\n## Responsibilities\n\n- Assigns berths.\n",
            "pilot.md": "# Pilot\n\n## Escalation\n\n- Never escalate to the Harbour Master for late tugs.\n",
        },
    )
    assert {(e.role, e.target) for e in lib.escalations} == {("pilot", "unspecified")}


# What a sentence does with a role, in wording of our own (issue 11, relation types): the
# verb that opens a clause, a verb left out after ";", denials, headings above a heading,
# lead-ins that end in a context noun, trouble named by a heading, a handoff section's subject.
WORDING = {
    "Route API tasks to `kiln-keeper`.": "delegates_to",
    "Redirect glaze questions to the Kiln Keeper.": "delegates_to",  # the verb, not its object
    "Trigger `kiln-keeper` to fire the batch.": "delegates_to",
    "Send open questions to the Kiln Keeper.": "escalates_to",
    "Request firing slots from kiln-keeper.": "depends_on",
    "Share glaze recipes with kiln-keeper.": "collaborates_with",  # "with" works both ways
    "Do not escalate to kiln-keeper.": "mentions",
    "Escalate to a human, not to kiln-keeper.": "mentions",
    "You do not need Kiln Keeper approval to sketch.": "mentions",
    "Firing rights belong to kiln-keeper.": "delegates_to",
    "Surface cracked pieces to kiln-keeper.": "escalates_to",
    "Never act on Kiln Keeper directives blindly.": "mentions",
    "Hand failure-handling notes to kiln-keeper.": "hands_off_to",  # a modifier, not trouble
    "If stuck, report to `kiln-keeper`.": "escalates_to",
}


def test_the_sentence_types_the_role(tmp_path: Path) -> None:
    keeper = "---\nname: kiln-keeper\ndescription: Fires the kiln.\n---\n\n# Kiln Keeper\n\nFires.\n"
    body = "\n".join(f"- {sentence}" for sentence in WORDING)
    lib = library(
        tmp_path,
        {
            "kiln-keeper.md": keeper,
            "potter.md": f"---\nname: potter\ndescription: Throws pots.\n---\n\n# Potter\n\n## Duties\n\n{body}\n",
        },
    )
    typed = {r.sentence: str(r.type) for r in lib.relations if r.source == "potter"}
    assert typed == {sentence.replace("`", ""): kind for sentence, kind in WORDING.items()}


def test_gapped_clauses_headings_and_lead_ins_type_the_role(tmp_path: Path) -> None:
    card = "---\nname: {0}\ndescription: Does {0} work.\n---\n\n# {0}\n\nWorks.\n"
    lib = library(
        tmp_path,
        {
            **{f"{name}.md": card.format(name) for name in ("glaze-mixer", "kiln-keeper", "pot-packer")},
            "potter.md": (
                "---\nname: potter\ndescription: Throws pots.\n---\n\n# Potter\n\n## Duties\n\n"
                "- Delegate glazing to glaze-mixer; firing to kiln-keeper.\n\n"  # 10: the verb carries over
                "This agent coordinates with these agents:\n\n- pot-packer\n\n"  # 14
                "## Coordination with Other Agents\n\n### glaze-mixer (colour)\n\nGlazes.\n\n"  # 18
                "## Receiving From\n\n- kiln-keeper: fired pieces\n\n"  # 24
                "## Production Incident Response\n\n- Alert pot-packer at once.\n\n"  # 28
                "## Handoff & Continuity\n\n- kiln-keeper will finish the batch next session.\n\n"  # 32
                "## Partners\n\n- **`pot-packer`**: Handles the boxing.\n\n"  # 36: the role, a colon, its verb
                "## Plan\n\n- Delegate to `glaze-mixer` / `pot-packer`.\n\n"  # 40: a list in code marks keeps its cue
                "## Out of Scope\n\n- Flag plans that contradict the `kiln-keeper`'s spec.\n"  # 44: relied on
            ),
        },
    )
    typed = {(r.line, r.target): str(r.type) for r in lib.relations if r.source == "potter"}
    assert typed == {
        (10, "glaze-mixer"): "delegates_to",
        (10, "kiln-keeper"): "delegates_to",
        (14, "pot-packer"): "collaborates_with",
        (18, "glaze-mixer"): "collaborates_with",
        (24, "kiln-keeper"): "depends_on",
        (28, "pot-packer"): "escalates_to",
        (32, "kiln-keeper"): "hands_off_to",
        (36, "pot-packer"): "delegates_to",
        (40, "glaze-mixer"): "delegates_to",
        (40, "pot-packer"): "delegates_to",
        (44, "kiln-keeper"): "depends_on",
    }


def test_a_lead_in_is_no_trigger_and_a_role_heading_is_where_its_triggers_go(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "kiln-keeper.md": "---\nname: kiln-keeper\ndescription: Fires the kiln.\n---\n\n# Kiln Keeper\n\nFires.\n",
            "potter.md": (
                "---\nname: potter\ndescription: Throws pots.\n---\n\n# Potter\n\n## Authority\n\n"
                "**You must escalate:**\n\n- Cracks in the kiln\n\n"  # 10: the label is no row; 12 is
                "## Working with Others\n\n### Kiln Keeper (Firing Owner)\n\n- Escalate glaze risks\n"  # 18
            ),
        },
    )
    rows = {(row.line, row.target) for row in lib.escalations if row.role == "potter"}
    assert rows == {(12, "unspecified"), (18, "kiln-keeper")}  # the label is no row, its item is


def test_pages_whose_titles_name_the_role_they_are_for_are_that_role(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "tips.md": "# Top tips for Harbour inspectors\n\nCheck the moorings each morning.\n",
            "inspector_onboarding.md": "# Inspector Onboarding\n\nA new inspector shadows a senior one.\n",
            # the file name names the role; the title names the activity
            "surveyor_guidelines.md": "# Surveying at the Harbour\n\nNotify the inspector of any damage.\n",
            # a page named for an activity is the one role built on its verb
            "survey_checklist.md": "# Survey checklist\n\n- Measure the depth at the inspector's mark.\n",
            # the harbour's name before a role is not the role's ("Harbour Policies" names nobody)
            "policies.md": "# Harbour Policies\n\nNo swimming in the basin.\n",
            "inspector.md": "# Inspector\n\nInspects hulls.\n",  # the role's name alone
        },
    )
    roles = {role.id: role for role in lib.roles if role.status is RoleStatus.DEFINED}
    assert set(roles) == {"inspector", "surveyor"}
    assert {d.path for d in roles["inspector"].documents} == {"tips.md", "inspector_onboarding.md", "inspector.md"}
    assert {d.path for d in roles["surveyor"].documents} == {"surveyor_guidelines.md", "survey_checklist.md"}
    assert "inspector-onboarding" in roles["inspector"].redirect_ids()  # the old page's URL still leads here
    assert lib.by_id["policies"].status is RoleStatus.OVERVIEW
    assert ("surveyor", "inspector", "hands_off_to") in relations(lib)


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Reviewer guidelines", ("Reviewer",)),
        ("Expectations on Harbour inspectors", ("Harbour", "inspector")),
        ("Night Auditors' Handbook", ("Night", "Auditor")),
        ("Dock inspection — a guide for surveyors", ("surveyor",)),
        ("Inspector-in-Chief's Guide", ("Inspector-in-Chief",)),
        ("Harbour Policies", None),  # no one
        ("Guide to Building a Dock", None),
        ("Onboarding New Inspectors", None),  # a process done to them
        ("Guide for Inspectors and Surveyors", None),  # more than one role
        ("Auditor guide", ("Auditor",)),
        ("Mentor guidelines", ("Mentor",)),  # a role noun that is also a verb is a name alone
        ("Harbour Master Handbook", ("Harbour", "Master")),
        ("User Guide", None),  # readers of documentation are no role (`title_audiences`)
        ("Pilotage Committee Charter", ("Pilotage", "Committee")),  # a body of people (`body_nouns`)
        ("Locks and Weirs Board Charter", ("Locks", "and", "Weirs", "Board")),  # "and" inside its name
        ("Charter of the Dredging Panels and Tug Boards", None),  # two bodies
    ],
)
def test_a_title_names_a_role_beside_a_kind_of_document(title: str, role: tuple[str, ...] | None) -> None:
    evidence = TitleEvidence(
        VOCABULARY.title_kinds,
        VOCABULARY.title_addressing,
        RULES.names_a_party,
        RULES.role_endings,
        RULES.role_nouns,
        VOCABULARY.title_audiences,
        RULES.articles | RULES.quantifiers,
    )
    assert evidence.role(title) == role


def test_a_plural_title_and_a_plural_abbreviation_name_one_of_them_too(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "surveyors_guide.md": "# Senior Surveyors' Guide\n\nMeasure the basin.\n",
            "master.md": (
                "# Harbour Master\n\n## Duties\n"
                "- Brief the Senior Surveyors (SSs) at dawn.\n"
                "- Ask a Senior Surveyor before dredging.\n"  # the title's role, in the singular
                "- Send the chart to an SS.\n"  # the abbreviation's singular
            ),
        },
    )
    surveyors = lib.by_id["senior-surveyor"]  # the role one of them holds
    assert "Senior Surveyors" in surveyors.aliases and "SS" in surveyors.aliases
    assert {r.line for r in lib.relations if r.source == "harbour-master" and r.target == surveyors.id} == {4, 5, 6}


def test_an_initialism_that_spells_one_roles_name_is_that_role(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "watch.md": "# Officer of the Watch\n\n## Responsibilities\n- Keep the watch.\n",
            "mate.md": (
                "# First Mate\n\n## Duties\n"
                "- Ask the OotW before docking.\n"  # a small letter for each little word
                "- OotWs sign the log at noon.\n"  # its plural
                "- Check the OoW flag.\n"  # spells no role's name
            ),
        },
    )
    assert "OotW" in lib.by_id["officer-of-the-watch"].aliases
    assert {(r.line, str(r.type)) for r in lib.relations if r.source == "first-mate"} == {
        (4, "escalates_to"),
        (5, "mentions"),
    }


def test_a_page_the_overlay_gives_a_role_titled_for_a_thing_is_no_name_of_it(tmp_path: Path) -> None:
    files = {
        "inspection_checklist.md": "# Inspection checklist\n\n- Check the hull.\n",
        "inspector_guide.md": "# Inspector Handbook\n\nInspect the hull.\n",
        "mate.md": "# First Mate\n\n## Duties\n- File the inspection checklist with the log.\n- Ask the Inspector.\n",
        "rolebook.yml": (
            "roles:\n  inspector:\n    name: Inspector\n    documents: [inspection_checklist.md, inspector_guide.md]\n"
        ),
    }
    lib = library(tmp_path, files)
    assert "Inspection checklist" not in lib.by_id["inspector"].aliases
    assert {r.line for r in lib.relations if r.source == "first-mate"} == {5}


def test_a_note_of_former_names_gives_the_role_those_names(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "pilot.md": (
                "# HARBOUR-PILOT-AGENT – Manual\n\n"
                "> **Renaming Note**: This agent was previously named **PilotBot**. Old references to\n"
                '> "BerthGuideAgent" should be interpreted as referring to this agent.\n\n'
                "You are **HarbourPilotAgent**.\n"
            ),
            "mate.md": "# First Mate\n\n## Duties\n- Ask BerthGuideAgent before docking.\n- Notify PilotBot.\n",
        },
    )
    pilot = next(role for role in lib.roles if "PilotBot" in role.aliases)
    assert "BerthGuideAgent" in pilot.aliases and "Renaming Note" not in pilot.aliases
    assert {r.line for r in lib.relations if r.source == "first-mate" and r.target == pilot.id} == {4, 5}


def test_a_hyphenated_title_keeps_its_spelling_as_a_name() -> None:
    assert humanise("Inspector-in-Chief") == "Inspector-in-Chief"
    assert humanise("harbour-master") == "Harbour Master"


def test_a_hyphenated_title_links_in_the_plural_and_by_its_initialism(tmp_path: Path) -> None:
    lib = library(
        tmp_path,
        {
            "mate.md": (
                "# First Mate\n\n## Duties\n"
                "- Ask an Inspector-in-Chief before docking.\n"
                "- Brief the Inspectors-in-Chief at dawn.\n"
                "- Notify the IiC of any leak.\n"
            ),
        },
    )
    chief = lib.by_id["inspector-in-chief"]
    assert chief.name == "Inspector-in-Chief" and "IiC" in chief.aliases
    assert {r.line for r in lib.relations if r.target == chief.id} == {4, 5, 6}


GOVERNANCE = {
    "safety_council.md": (
        "# Quayton Harbour Safety Council\n\nThe council keeps the quay safe.\n\n"
        "- Establish and support [Dredging Panels](panels.md) when a berth silts up.\n"
        "- Hear appeals from the Mooring Dredging Panel.\n"  # a particular panel, not the kind
        "- Hear appeals from all Dredging Panels.\n"
        "- Read the [Dredging Panels and Tug Boards document](panels.md) first.\n"  # a pointer to a page
        "- Each berth closure pages the Dredging Panels.\n"
    ),
    "anchorage.md": "# Quayton Anchorage Working Group\n\nKeeps the moorings in order.\n",
    "panels.md": "# Dredging Panels and Tug Boards\n\nHow panels and boards are formed.\n",
    "crew.md": "# Meet the Team\n\nWho works the quay.\n",  # a page about a body, not one's name
    "about.md": (
        "# Quayton Overview\n\nHow the harbour is run.\n\n"
        "- Ask the Quayton Harbour Safety Council before closing a berth.\n"
        "- Moorings go to the Anchorage Working Group.\n"
    ),
}


def test_a_body_of_people_is_a_role(tmp_path: Path) -> None:
    """A page titled with a body's name (council, working group …) is that body's role page,
    also known without the project's name opening its title; a page on two kinds of body is
    an overview; a kind of body named in prose after a cue is a role no page defines, in the
    singular, and not where a longer name makes it a particular body."""
    lib = library(tmp_path, GOVERNANCE)
    status = {role.id: role.status for role in lib.roles}
    assert status["quayton-harbour-safety-council"] is RoleStatus.DEFINED
    assert status["quayton-anchorage-working-group"] is RoleStatus.DEFINED
    assert status["panels"] is RoleStatus.OVERVIEW and status["crew"] is RoleStatus.OVERVIEW
    assert status["dredging-panel"] is RoleStatus.REFERENCED
    assert "Anchorage Working Group" in lib.by_id["quayton-anchorage-working-group"].aliases
    assert "Harbour Safety Council" in lib.by_id["quayton-harbour-safety-council"].aliases
    council = {(r.line, r.target) for r in lib.relations if r.source == "quayton-harbour-safety-council"}
    assert (5, "dredging-panel") in council and (7, "dredging-panel") in council
    assert (6, "dredging-panel") not in council and (8, "dredging-panel") not in council
    assert (9, "dredging-panel") in council
    about = {(r.line, r.target) for r in lib.overview_relations if r.source == "about"}
    assert about == {(5, "quayton-harbour-safety-council"), (6, "quayton-anchorage-working-group")}


CARDS = {
    "agents/harbour/berth-planner.md": (
        "---\nname: berth-planner\ndescription: |\n  Plans berths for arriving ships.\n\n  Delegations:\n"
        "  - <delegation>\n    Trigger: Silted berth\n    Target: channel-dredger\n  </delegation>\n"
        "  - <delegation>\n    Trigger: Stolen cargo\n    Target: cargo-guardian\n  </delegation>\n---\n\n"
        "# Berth Planner\n\n## Routing\n\n| Ship | Agent |\n| --- | --- |\n"
        "| Tanker | harbour/tide-reader |\n| Ferry | docs/ferry-notes.md |\n"
    ),
    "agents/harbour/tide-reader.md": "---\nname: tide-reader\ndescription: Reads the tides.\n---\n\n# Tide Reader\n",
}


def test_agents_named_by_folder_and_in_delegation_elements(tmp_path: Path) -> None:
    """An agent named by its folder and id ("harbour/tide-reader") is that agent; an id
    ending in a doer inside a `<delegation>` element is a role no card defines, as one
    ending in a role noun ("cargo-guardian") is anywhere; a file's path stays a path."""
    lib = library(tmp_path, CARDS)
    status = {role.id: role.status for role in lib.roles}
    assert status["channel-dredger"] is RoleStatus.REFERENCED
    assert status["cargo-guardian"] is RoleStatus.REFERENCED
    planner = {r.target: r.line for r in lib.relations if r.source == "berth-planner"}
    assert planner.get("tide-reader") == 23
    assert "ferry-notes" not in status


def test_a_plural_alias_matches_as_its_singular_does(tmp_path: Path) -> None:
    """An overlay or a title that also names a role in the plural ("Wardens' Handbook",
    `aliases: [Wardens]`) must not make the plural harder to link than the name alone."""
    files = {
        "handbook.md": '---\ntitle: "Wardens\' Handbook"\n---\n\n# Duties\n\nWalk the quay.\n',
        "rota.md": "# Rota\n\nOnly wardens lock the gates.\n\nWardens are on call at night.\n\nAsk a warden first.\n",
    }
    lib = library(tmp_path, files)
    assert "Wardens" in lib.by_id["warden"].aliases
    rota = {(r.line, r.target) for r in (*lib.relations, *lib.overview_relations) if r.source == "rota"}
    assert rota == {(3, "warden"), (5, "warden"), (7, "warden")}
