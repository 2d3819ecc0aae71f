"""The relations graph's layout (worked out at build time) and page, on graphs built in code
and on a small library built twice."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_site, graph_library, write_tree
from rolebook.library import Library
from rolebook.model import Relation, RelationType, Role, RoleStatus
from rolebook.render.graph_layout import LABEL_OFFSET, ROW_HEIGHT, label_width, layout
from rolebook.render.slots import Slots
from rolebook.render.views import graph_page

WORDS = ("Billing", "Payments", "Search", "Identity", "Recommendation", "Observability", "Release", "Data")
NOUNS = ("Engineer", "Architect", "Designer", "Integrator", "Verifier", "Steward", "Coordinator", "Specialist")


def _random_graph(count: int, seed: int = 3) -> tuple[list[str], list[tuple[int, int]]]:
    """`count` role names of varied length and about four relations each, some in clusters."""
    rng = random.Random(seed)
    names = [f"{rng.choice(WORDS)} {rng.choice(NOUNS)} {i}" for i in range(count)]
    pairs = {(i, (i + rng.randint(1, 6)) % count) for i in range(count) for _ in range(2)}
    pairs |= {(rng.randrange(count), rng.randrange(count)) for _ in range(count)}
    return names, sorted(p for p in pairs if p[0] != p[1])


def _label_box(position: tuple[int, int], name: str) -> tuple[float, float, float, float]:
    x, y = position
    return (x - 8, y - 9, x + LABEL_OFFSET + label_width(name), y + 9)


def test_layout_puts_no_node_or_label_over_another() -> None:
    names, pairs = _random_graph(150)
    placed = layout(names, pairs)
    assert len(placed.positions) == 150 and len(set(placed.positions)) == 150
    boxes = sorted(_label_box(p, n) for p, n in zip(placed.positions, names, strict=True))
    for i, (x1, y1, x2, y2) in enumerate(boxes):
        for a1, b1, a2, b2 in boxes[i + 1 :]:
            if a1 >= x2:
                break
            assert not (b1 < y2 and y1 < b2), ((x1, y1, x2, y2), (a1, b1, a2, b2))
    # the picture holds every label, and rows are a label's height apart
    assert all(x1 + 8 >= 0 and x2 <= placed.width + 1 for x1, _, x2, _ in boxes)
    assert {y % ROW_HEIGHT for _, y in placed.positions} == {0}


def test_layout_keeps_related_roles_nearer_than_unrelated_ones() -> None:
    names, pairs = _random_graph(120)
    positions = layout(names, pairs).positions

    def distance(a: int, b: int) -> float:
        return float(((positions[a][0] - positions[b][0]) ** 2 + (positions[a][1] - positions[b][1]) ** 2) ** 0.5)

    related = sorted(distance(a, b) for a, b in pairs)
    everyone = sorted(distance(a, b) for a in range(120) for b in range(a + 1, 120))
    # placed at random, both medians would be alike; here related roles sit at most 60% as far apart
    assert related[len(related) // 2] < 0.6 * everyone[len(everyone) // 2]


def test_layout_is_the_same_in_another_process() -> None:
    """No set order, hash seed or clock decides a position."""
    names, pairs = _random_graph(60)
    here = layout(names, pairs)
    script = (
        "import json, sys\nfrom rolebook.render.graph_layout import layout\n"
        "names, pairs = json.load(sys.stdin)\nplaced = layout(names, [tuple(p) for p in pairs])\n"
        "print(json.dumps([placed.positions, placed.width, placed.height]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT / "hooks")}
    there = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps([names, pairs]), env=env, capture_output=True, text=True
    )
    assert there.returncode == 0, there.stderr
    assert json.loads(there.stdout) == json.loads(json.dumps([here.positions, here.width, here.height]))


def _library(count: int, loners: int) -> Library:
    names, pairs = _random_graph(count)
    ids = [f"role-{i:03d}" for i in range(count + loners)]
    roles = tuple(Role(role_id, f"Role {role_id[5:]}", (), (), "") for role_id in ids)
    kinds = (RelationType.DELEGATES_TO, "hands_off_to", RelationType.DEPENDS_ON)
    relations = tuple(
        Relation(ids[a], ids[b], kinds[(a + b) % 3], f"{ids[a]}/ROLE.md", 3, "…", None, "role-md-L3") for a, b in pairs
    )
    return Library(roles=roles, documents=(), sources=(), findings=(), relations=relations)


def test_graph_page_draws_every_related_role_and_names_the_others() -> None:
    """No cap: at 130 roles every one with a relation is drawn and can be focused on; the
    ones without are named under the picture."""
    library = _library(120, loners=10)
    slots = Slots()
    html = slots.fill(graph_page(library, slots))
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('<g class="rb-node"') == 120
    assert html.count("<option value=") == 121  # "All roles" and each of them
    assert "10 roles have none of these relations, so they are not in the picture" in html
    assert all(f'href="rolebook:role/role-{i}"' in html for i in range(120, 130))
    assert "most connected" not in html
    assert html.count("<tr><td>") == len({(r.source, r.target, r.type) for r in library.relations})
    # hidden by default: a type the page does not tick
    assert re.search(
        r'<g class="rb-edge-group" data-type="depends_on" style="--rb-edge-colour: #6d4c41; display:none" ', svg
    )


def test_graph_page_escapes_names() -> None:
    library = _library(4, loners=0)
    roles = tuple(
        Role(role.id, '<script>alert("x")</script>', (), (), "", status=RoleStatus.REFERENCED) for role in library.roles
    )
    slots = Slots()
    filled = slots.fill(graph_page(Library(roles, (), (), (), library.relations), slots))
    assert "<script>alert" not in filled and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in filled
    assert 'class="rb-node rb-node--undefined"' in filled


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("graph-twice")
    sources = write_tree(root / "roles", graph_library())
    first = build_site(root / "one", sources=sources).site_dir
    second = build_site(root / "two", sources=sources).site_dir
    return first, second


def test_two_builds_give_the_same_graph_page(two_builds: tuple[Path, Path]) -> None:
    first, second = (site / "matrices/graph/index.html" for site in two_builds)
    assert first.read_bytes() == second.read_bytes()
    assert 'class="rb-graph"' in first.read_text(encoding="utf-8")


def test_graph_page_of_a_library_without_relations_says_so() -> None:
    library = _library(3, loners=2)
    slots = Slots()
    html = slots.fill(graph_page(Library(library.roles, (), (), (), ()), slots))
    assert "<svg" not in html and "No document names another role with one of these relations yet." in html
    assert "5 roles have none of these relations" in html
