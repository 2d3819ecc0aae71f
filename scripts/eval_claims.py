#!/usr/bin/env python3
"""Measure the responsibility matrix against hand labels (issue 12).

    eval_claims.py cells (--corpus NAME | --root DIR) [--areas FILE] [--overlay FILE]
    eval_claims.py score [--corpus NAME | --root DIR [--name NAME]] [--gold-dir DIR] [--overlay FILE] [--errors]

`cells` prints the matrix the pipeline makes for a library — one line per non-empty cell
(role, area, stance) with the lines behind it — and its conflicts.

`score` compares the cells with a gold file (`tests/gold/claims-<name>.yml`), labelled by
reading the documents only: for each role, the areas its documents say it owns, must not
touch, sets standards for or relies on another role for, with evidence lines. It prints a
markdown table: cell precision (cells the gold has, of the cells the matrix shows), recall
of owned areas, precision per stance, and conflict precision: a conflict is right when the
gold says so too (two roles own the area; one document owns what another forbids; a line
names an owner whose own documents do not own the area).

A gold file may name its own areas (`areas: FILE`, beside the gold file): the library is
then scored with those areas (only those when the file says `defaults: false`), as a
site that gives its own areas would be. By default the sentinel-kit corpus beside this
checkout, the shipped site and the libraries kept for evaluation in `tests/libraries/` that
have claims gold are scored; `--overlay FILE` reads the library with that `rolebook.yml`
(on a copy: `--corpus joss --overlay tests/libraries/overlays/joss.yml`). The corpora are
never modified.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
GOLD_DIR = ROOT / "tests" / "gold"
KEPT = ROOT / "tests" / "libraries"
LIBRARIES = {
    "sentinel-kit": CORPORA / "sentinel-kit",
    "shipped": ROOT / "docs" / "sources",
    **{p.name: p for p in sorted(KEPT.glob("*")) if (GOLD_DIR / f"claims-{p.name}.yml").is_file()},
}
"""The libraries scored by default: the corpus beside the checkout, the shipped site and the
libraries kept in the repository for evaluation (`tests/libraries/`) that have claims gold."""
STANCES = {"owns": "owns", "must not": "must_not", "sets standards": "sets_standards", "relies on": "relies_on"}
"""The pipeline's stance -> the gold file's key."""

sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_links import overlaid, resolve  # noqa: E402

from rolebook.library import Library, load_library  # noqa: E402
from rolebook.relate.rules import load_relation_rules  # noqa: E402
from rolebook.responsibilities.areas import Area, load_areas  # noqa: E402
from rolebook.responsibilities.claims import load_claim_rules  # noqa: E402
from rolebook.responsibilities.matrices import (  # noqa: E402
    Claim,
    Conflict,
    areas_for,
    collect_claims,
    find_conflicts,
    matrix_rows,
)
from rolebook.vocabulary import load_vocabulary  # noqa: E402

Cell = tuple[str, str, str]
"""(role id, area key, gold stance key)."""


def analyse(root: Path, areas_file: Path | None = None) -> tuple[Library, list[Claim], list[Conflict], list[Area]]:
    """The claims and conflicts a build of `root` makes with the built-in vocabulary and rules
    (one process; the library's own rolebook.yml applies), with `areas_file` as the site's
    own areas when given."""
    vocabulary, relation_rules = load_vocabulary(), load_relation_rules()
    library = load_library([root], root, vocabulary, relation_rules, workers=1)
    rules = load_claim_rules(relation_rules.negations)
    assert library.lexicon is not None
    choice = areas_for(library, vocabulary, load_areas(*([areas_file] if areas_file else [])), rules)
    print(f"{root.name}: {choice.reason}", file=sys.stderr)
    areas = choice.areas
    claims = collect_claims(library, vocabulary, areas, rules=rules)
    return library, claims, find_conflicts(claims, areas, matrix_rows(library)), areas


def cells_of(claims: list[Claim]) -> dict[Cell, list[Claim]]:
    cells: dict[Cell, list[Claim]] = {}
    for claim in claims:
        cells.setdefault((claim.role, claim.area, STANCES[claim.stance.value]), []).append(claim)
    return cells


@dataclass
class Gold:
    cells: dict[Cell, list[str]]
    roles: set[str]
    by_document: dict[tuple[str, str], dict[str, set[str]]]
    """(role, document file name) -> area -> gold stance keys."""
    areas_file: Path | None


def load_gold(path: Path) -> Gold:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cells: dict[Cell, list[str]] = {}
    by_document: dict[tuple[str, str], dict[str, set[str]]] = {}
    roles = data.get("roles") or {}
    for role, role_areas in roles.items():
        for area, stances in (role_areas or {}).items():
            if area == "by_document":
                for document, document_areas in (stances or {}).items():
                    for doc_area, doc_stances in (document_areas or {}).items():
                        by_document.setdefault((role, document), {})[doc_area] = set(doc_stances or {})
                continue
            for stance, evidence in (stances or {}).items():
                cells[(role, area, stance)] = list(evidence or [])
    areas = data.get("areas")
    areas_file = path.parent / areas if isinstance(areas, str) and areas != "default" else None
    return Gold(cells, set(roles), by_document, areas_file)


def conflict_right(conflict: Conflict, gold: Gold) -> bool:
    """Whether the gold says what the conflict says."""
    owners = {role for role, area, stance in gold.cells if area == conflict.area and stance == "owns"}
    if conflict.kind == "owned by several roles":
        return len(set(conflict.roles) & owners) >= 2
    if conflict.kind == "sources disagree":
        role = conflict.roles[0]
        stances = [areas.get(conflict.area, set()) for (r, _), areas in gold.by_document.items() if r == role]
        return any("owns" in s for s in stances) and any("must_not" in s for s in stances)
    if conflict.kind == "owner does not claim it":
        return all(role not in owners for role in conflict.roles)
    return False


def gold_ids(library: Library, gold: Gold) -> dict[str, str]:
    """Role id in the build -> role id in the gold file. The gold names a role by its id, or
    by its file ("feature-test-automator" for a card whose front matter names it otherwise;
    "error-debugging/error-detective" for one of several copies: folder/stem), or by a name
    the build knows the role by (`data-analyst` for the role a library without an overlay
    calls `data-analyst-agent`, as `eval_links.resolve` reads a gold target)."""
    found: dict[str, str] = {}
    for gold_id in gold.roles:
        if gold_id in library.by_id:
            found[gold_id] = gold_id
            continue
        folder, _, stem = gold_id.rpartition("/")
        for role in library.roles:
            if any(
                Path(d.path).stem == stem and (not folder or Path(d.path).parts[0] == folder) for d in role.documents
            ):
                found[role.id] = gold_id
        if gold_id not in found.values():
            resolved = resolve(gold_id, library)
            if resolved in library.by_id and resolved not in found:
                found[resolved] = gold_id
    return found


def score(name: str, root: Path, gold_file: Path, errors: bool = False) -> dict[str, object]:
    gold = load_gold(gold_file)
    library, claims, conflicts, _ = analyse(root, gold.areas_file)
    ids = gold_ids(library, gold)
    claims = [replace(c, role=ids.get(c.role, c.role)) for c in claims]
    conflicts = [replace(c, roles=tuple(ids.get(r, r) for r in c.roles)) for c in conflicts]
    found = {cell: lines for cell, lines in cells_of(claims).items() if cell[0] in gold.roles}
    right = [cell for cell in found if cell in gold.cells]
    owned = [cell for cell in gold.cells if cell[2] == "owns"]
    owned_found = [cell for cell in owned if cell in found]
    per_stance = Counter(cell[2] for cell in found)
    per_stance_right = Counter(cell[2] for cell in right)
    judged = [c for c in conflicts if all(role in gold.roles or role not in library.by_id for role in c.roles)]
    # roles the gold does not label (other agents, undefined roles) cannot be judged
    conflicts_right = [c for c in judged if conflict_right(c, gold)]
    if errors:
        print(f"\n## {name}: cells the gold does not have")
        for cell in sorted(set(found) - set(right)):
            print(f"- {cell}: " + " | ".join(f"{c.path}:{c.line} {c.text[:90]}" for c in found[cell][:2]))
        print(f"\n## {name}: owned areas the matrix misses")
        for cell in sorted(set(owned) - set(owned_found)):
            print(f"- {cell}: {', '.join(gold.cells[cell][:2])}")
        print(f"\n## {name}: conflicts the gold does not support")
        for conflict in judged:
            if conflict not in conflicts_right:
                print(f"- {conflict.kind} {conflict.area} {conflict.roles}")
    return {
        "library": name,
        "cells": len(found),
        "cell precision": (len(right), len(found)),
        "owned recall": (len(owned_found), len(owned)),
        **{f"P {s}": (per_stance_right[s], per_stance[s]) for s in STANCES.values()},
        "conflicts": len(judged),
        "conflict precision": (len(conflicts_right), len(judged)),
    }


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        part, whole = value
        return f"{part / whole:.2f} ({part}/{whole})" if whole else "–"
    return str(value)


def print_cells(root: Path, areas_file: Path | None) -> None:
    _, claims, conflicts, areas = analyse(root, areas_file)
    print("areas:", ", ".join(a.key for a in areas))
    for (role, area, stance), found in sorted(cells_of(claims).items()):
        print(f"{role:24} {area:16} {stance:15} " + " | ".join(f"{c.path}:{c.line} {c.text[:70]}" for c in found[:2]))
    for conflict in conflicts:
        where = ", ".join(f"{c.role}@{c.path}:{c.line}" for c in conflict.claims[:4])
        print(f"CONFLICT {conflict.kind}: {conflict.area} {conflict.roles} {where}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("cells", "score"))
    parser.add_argument("--corpus", choices=sorted(LIBRARIES))
    parser.add_argument("--root", type=Path)
    parser.add_argument("--name")
    parser.add_argument("--gold-dir", type=Path, default=GOLD_DIR)
    parser.add_argument("--areas", type=Path)
    parser.add_argument("--overlay", type=Path, help="a rolebook.yml to read the library with (on a copy)")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args(argv)
    if args.root:
        libraries = {args.name or args.root.name: args.root}
    elif args.corpus:
        libraries = {args.corpus: LIBRARIES[args.corpus]}
    else:
        libraries = LIBRARIES
    if args.overlay is not None:
        if not args.overlay.is_file():
            print(f"eval_claims: {args.overlay} is not a file", file=sys.stderr)
            return 2
        libraries = {name: overlaid(root, args.overlay) for name, root in libraries.items()}
    if args.command == "cells":
        for root in libraries.values():
            print_cells(root, args.areas)
        return 0
    rows = [score(name, root, args.gold_dir / f"claims-{name}.yml", args.errors) for name, root in libraries.items()]
    print("\n| " + " | ".join(rows[0]) + " |\n|" + " --- |" * len(rows[0]))
    for row in rows:
        print("| " + " | ".join(_shown(v) for v in row.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
