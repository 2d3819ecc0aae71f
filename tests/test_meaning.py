"""Meaning as data: a relation type, or a section that means another, added by a site's
data files alone, and every stage reading it from there."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import BuiltSite, build_site, write_tree
from rolebook.datafile import DataFileError
from rolebook.export import SCHEMA_PATH, schema_text
from rolebook.model import Stance
from rolebook.relate.rules import load_relation_rules
from rolebook.vocabulary import SectionMeaning, VocabularyError, load_vocabulary

REVIEWS = """\
types:
  reviewed_by:
    label: is reviewed by
    inverse: What it reviews
    graph: {colour: "#00838f", shown: true}
    description: Another role checks the role's work ("reviewed by Security Reviewer").
cues:
  reviewed_by: [reviewed by, review by]
"""

ALARMS = """\
sections:
  - key: alarms
    title: Raise the alarm
    means: escalation
  - key: hands-off
    title: Hands off
    means: boundaries
  - key: baton
    title: Passing the baton
    means: handoffs
"""

LEAD = """\
# Lead - ROLE

## Mission
Keeps the release moving.

## Raise the alarm
- The nightly build fails twice in a row
- Page Keeper when a signing key leaks

## Hands off
- Key rotation (Keeper)

## Passing the baton
- Keeper, once the release tag is cut

## Checks
- Every release is reviewed by Security Reviewer before it ships.
"""


@pytest.fixture(scope="module")
def meaning_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """A site whose relations file adds a relation type and whose vocabulary adds three
    sections that mean escalation, boundaries and handoffs."""
    root = tmp_path_factory.mktemp("meaning")
    write_tree(
        root,
        {
            "roles/lead/ROLE.md": LEAD,
            "roles/keeper/ROLE.md": "# Keeper - ROLE\n\n## Mission\nKeeps the keys.\n",
            "reviews.yml": REVIEWS,
            "alarms.yml": ALARMS,
        },
    )
    settings = {"relations": str(root / "reviews.yml"), "vocabulary": str(root / "alarms.yml")}
    return build_site(root / "site", sources=root / "roles", settings=settings)


def _relations(site: BuiltSite) -> set[tuple[str, str, str, str | None]]:
    model = json.loads((site.site_dir / "roles.json").read_text(encoding="utf-8"))
    return {(r["source"], r["target"], r["type"], r["section"]) for r in model["relations"]}


def test_a_relation_type_added_by_a_data_file_reaches_every_stage(meaning_site: BuiltSite) -> None:
    assert ("lead", "security-reviewer", "reviewed_by", None) in _relations(meaning_site)
    # the role page that states it, and the page of the role it names (its inverse heading)
    lead = meaning_site.page("roles/lead/")
    assert "<td>is reviewed by</td>" in lead
    stub = meaning_site.page("roles/security-reviewer/")
    assert '<h2 id="reviewed_by">What it reviews<a class="headerlink"' in stub
    assert "Lead</a> is reviewed by it" in stub
    # the graph: drawn in its colour, ticked at first, named in the legend and the lead text
    graph = meaning_site.page("matrices/graph/")
    assert (
        '<input type="checkbox" data-rb-edge="reviewed_by" checked> '
        '<span class="rb-key" style="--rb-edge-colour: #00838f"></span> is reviewed by</label>'
    ) in graph
    assert 'data-type="reviewed_by" style="--rb-edge-colour: #00838f" marker-end="url(#rb-arrow-reviewed_by)"' in graph
    assert "Who delegates to, hands off to, escalates to and is reviewed by whom" in graph
    # the published schema lists exactly the build's types, and roles.json follows it
    schema = json.loads((meaning_site.site_dir / "roles.schema.json").read_text(encoding="utf-8"))
    shipped = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]["relationType"]["oneOf"]
    published = schema["$defs"]["relationType"]["oneOf"]
    assert [entry["const"] for entry in published] == [*(entry["const"] for entry in shipped), "reviewed_by"]
    assert published[-1]["title"] == "is reviewed by" and published[-1]["description"].startswith("Another role")
    jsonschema.validate(json.loads((meaning_site.site_dir / "roles.json").read_text(encoding="utf-8")), schema)


def test_sections_that_mean_another_are_read_as_it(meaning_site: BuiltSite) -> None:
    relations = _relations(meaning_site)
    assert ("lead", "keeper", "escalates_to", "alarms") in relations
    assert ("lead", "keeper", "delegates_to", "hands-off") in relations
    assert ("lead", "keeper", "hands_off_to", "baton") in relations
    # every line of a section that means escalation is a trigger, a verb or not
    model = json.loads((meaning_site.site_dir / "roles.json").read_text(encoding="utf-8"))
    triggers = {(e["trigger"], e["target"]) for e in model["escalations"] if e["role"] == "lead"}
    assert ("The nightly build fails twice in a row", "unspecified") in triggers
    assert ("Page Keeper when a signing key leaks", "keeper") in triggers
    # the role page keeps each under its own heading
    lead = meaning_site.page("roles/lead/")
    assert '<h2 id="alarms">Raise the alarm<a' in lead and '<h2 id="baton">Passing the baton<a' in lead


def test_a_section_means_its_own_key_unless_it_says_means(tmp_path: Path) -> None:
    plain = ALARMS.replace("    means: escalation\n", "")
    vocabulary = load_vocabulary(write_tree(tmp_path, {"v.yml": plain}) / "v.yml")
    assert vocabulary.meaning("alarms") == "alarms" and vocabulary.meaning("baton") == "handoffs"
    meaning = load_vocabulary(write_tree(tmp_path, {"w.yml": ALARMS}) / "w.yml")
    assert meaning.meaning("alarms") == SectionMeaning.ESCALATION
    assert {"alarms", "hands-off"} <= meaning.role_sections  # a document with one describes a role
    assert meaning.keys_meaning(SectionMeaning.BOUNDARIES) == {"boundaries", "hands-off"}


def test_the_packaged_schema_is_the_one_the_shipped_types_make() -> None:
    """`roles.schema.json` in the package is what a build of the shipped types publishes:
    edit `relations.yml` (or `Stance`) and this says to write it again."""
    assert schema_text(load_relation_rules().types) == SCHEMA_PATH.read_text(encoding="utf-8")
    stances = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]["stance"]["enum"]
    assert stances == [stance.value for stance in Stance]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cues:\n  hands_over: [pass along]\n", "r.yml:2: `cues` names the relation type 'hands_over'"),
        ("section_types:\n  crew: hands_over\n", "r.yml:2: `section_types` names the relation type 'hands_over'"),
        ("types:\n  reviews:\n    label: reviews\n", "r.yml:2: relation type 'reviews' needs `inverse`"),
        (
            "types:\n  reviews:\n    label: reviews\n    inverse: Reviews\n    color: red\n",
            "relation type 'reviews': unknown field 'color'",
        ),
        (
            'types:\n  reviews:\n    label: r\n    inverse: R\n    graph: {colour: "red;x:y"}\n',
            "graph colour 'red;x:y' is not a colour",
        ),
        ("types:\n  Reviews Now: {label: r, inverse: R}\n", "a key is lower-case letters, digits, _"),
    ],
)
def test_a_relations_file_that_misnames_a_type_says_where(tmp_path: Path, text: str, message: str) -> None:
    path = write_tree(tmp_path, {"r.yml": text}) / "r.yml"
    with pytest.raises(DataFileError) as error:
        load_relation_rules(path)
    assert message in str(error.value) and str(tmp_path) in str(error.value)


def test_a_section_that_means_nothing_known_says_so(tmp_path: Path) -> None:
    path = write_tree(tmp_path, {"v.yml": "sections:\n  - key: alarms\n    means: escalaton\n"}) / "v.yml"
    with pytest.raises(VocabularyError, match=r"v\.yml:3: section alarms: `means: escalaton` names no section"):
        load_vocabulary(path)
