"""Issue 11: role links measured like an information-extraction system, against lines of the
real corpora labelled by hand (`tests/gold/links-*.yml`, written by `scripts/eval_links.py
sample`). The figures must not fall below today's; raise the baseline as they improve."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import SHARED, load_script, write_tree

MARGIN = 0.03
"""How far a figure may drop before the test fails: about one link in forty."""

BASELINE: dict[str, dict[str, float]] = {
    # The figures as measured with the gold files (`scripts/eval_links.py score`), raised as
    # issue 11 improved the links (before: sentinel-kit 41/43, 41/44, 36/41; voltagent
    # 21/24, 21/45, 16/21, stubs 37/54, escalations 5/20). Sample figures, not estimates for
    # the whole corpus.
    "sentinel-kit": {
        "precision": 44 / 44,
        "recall": 44 / 44,
        "type_accuracy": 40 / 44,
        "stub_precision": 2 / 2,
        "escalation_precision": 20 / 20,
        "escalation_target_accuracy": 20 / 20,
    },
    "voltagent": {
        "precision": 45 / 45,
        "recall": 45 / 45,
        "type_accuracy": 45 / 45,
        "stub_precision": 39 / 39,
        "escalation_precision": 5 / 5,
        "escalation_target_accuracy": 5 / 5,
    },
}


KEPT_BASELINE: dict[str, dict[str, float]] = {
    # The libraries kept in tests/libraries (their gold files were labelled before the build
    # made some of today's rows, so rows the gold does not judge are left out, not failed).
    # Raised in session 10 (issue 11): escalation recall from a line's own escalating cue
    # (agent0-pdlc 3/7 -> 7/7, super-opencode 0/2 -> 2/2), agent cards' <delegation> Handoff
    # fields, selection tables and "When I need:" lead-ins (claude-agents type 3/34 -> 27/34),
    # deadlocks passed on and shared work (jupyter-governance type 28/42 -> 30/42), a cue over
    # a quantifier ("after discussion with all editors": rjournal type 32/38 -> 33/38).
    "agent0-pdlc": {"precision": 50 / 50, "recall": 50 / 50, "type_accuracy": 49 / 50, "escalation_recall": 7 / 7},
    "super-opencode": {"precision": 23 / 23, "recall": 23 / 23, "type_accuracy": 20 / 23, "escalation_recall": 2 / 2},
    "claude-agents": {"precision": 34 / 34, "recall": 34 / 35, "type_accuracy": 27 / 34, "stub_precision": 16 / 16},
    "jupyter-governance": {"precision": 42 / 43, "recall": 42 / 58, "type_accuracy": 30 / 42},
    "secure-sdlc": {"precision": 31 / 31, "recall": 31 / 34, "type_accuracy": 28 / 31, "escalation_recall": 2 / 3},
    "rjournal": {"precision": 38 / 38, "recall": 38 / 39, "type_accuracy": 33 / 38},
}


@pytest.mark.parametrize("corpus", sorted(KEPT_BASELINE))
def test_kept_libraries_do_not_fall_below_the_baseline(corpus: str) -> None:
    eval_links = _eval_links()
    result = eval_links.score(corpus, eval_links.read_gold(corpus))
    _assert_not_fallen(corpus, result, KEPT_BASELINE[corpus])


def _assert_not_fallen(corpus: str, result: Any, floors: dict[str, float]) -> None:
    """Every metric of `result` at or above its floor, less the margin."""
    measured = result.metrics()
    fallen = {
        metric: f"{measured[metric]} < {floor:.3f} - {MARGIN}"
        for metric, floor in floors.items()
        if measured[metric] is None or measured[metric] < floor - MARGIN
    }
    errors = "\n".join(result.errors)
    assert not fallen, f"{corpus}: {fallen}\n{errors}"


def _eval_links() -> ModuleType:
    return load_script("eval_links")


def _corpus(name: str) -> None:
    if not (SHARED / "corpora" / name).is_dir():
        pytest.skip(f"../shared/corpora/{name} is not beside this checkout (the gold files label its lines)")


@pytest.mark.parametrize("corpus", sorted(BASELINE))
def test_links_do_not_fall_below_the_baseline(corpus: str) -> None:
    _corpus(corpus)
    eval_links = _eval_links()
    result = eval_links.score(corpus, eval_links.read_gold(corpus))
    assert not result.unlabelled, (
        f"label these in tests/gold/links-{corpus}.yml (the pipeline made them since): {result.unlabelled}"
    )
    _assert_not_fallen(corpus, result, BASELINE[corpus])


def test_the_sample_is_the_same_every_time() -> None:
    _corpus("sentinel-kit")
    eval_links = _eval_links()
    first = eval_links.sample("sentinel-kit", eval_links.DEFAULT_SEED, 24)
    assert first == eval_links.sample("sentinel-kit", eval_links.DEFAULT_SEED, 24)
    assert len(first["lines"]) == 72
    assert {line["stratum"] for line in first["lines"]} == {"linked", "named", "prose"}


def test_prose_lines_follow_fences_as_markdown_does(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(
        "# Page\n\nOpening prose.\n\n"
        "````md\n```python\nshown = 1\n```\nstill the example\n````\n\n"  # a fence inside a longer one
        "```{tip}\nA tip is prose.\n```\n\n"  # a MyST directive that holds prose
        "```{code-block} python\nhidden = 2\n```\n\n"
        "~~~\n```\n~~~\nClosing prose.\n",
        encoding="utf-8",
    )
    lines = [(line.line, line.text) for line in _eval_links().prose_lines(tmp_path, "page.md")]
    assert lines == [(1, "# Page"), (3, "Opening prose."), (13, "A tip is prose."), (23, "Closing prose.")]


def test_a_name_inside_a_description_over_several_lines_is_scored_on_its_first_line(tmp_path: Path) -> None:
    """The sampler draws a front-matter `description:` line and the labeller labels the whole
    value there; the build says which line of the value names the role."""
    (tmp_path / "card.md").write_text(
        "---\nname: scout\ndescription: |\n  Finds things.\n\n  Hands them to the keeper.\n"
        "tools: Read\nnotes: >\n  plain\n---\n\nBody line.\n",
        encoding="utf-8",
    )
    home = _eval_links().field_lines(tmp_path, ["card.md"])
    assert home == {("card.md", n): ("card.md", 3) for n in (4, 5, 6)}


def test_a_gold_target_named_by_a_document_resolves_to_the_page_that_shows_it(tmp_path: Path) -> None:
    eval_links = _eval_links()
    card, team = "# {0} Bot\n\n## Duties\n- Work.\n", "# Crew List\n\n- Ask `{0}`.\n"
    root = write_tree(
        tmp_path / "lib",
        {
            "crew/curator/CARD.md": card.format("Archive Curator"),
            "crew/curator/TEAM.md": team.format("planner"),
            "crew/planner/CARD.md": card.format("Route Planner"),
            "crew/planner/TEAM.md": team.format("curator"),
        },
    )
    library = eval_links.load(root)
    # labelled when crew/curator/TEAM.md was an overview page of its own
    assert eval_links.resolve("crew-curator-team", library) == "archive-curator-bot"
    assert eval_links.resolve("route-planner-bot", library) == "route-planner-bot"
