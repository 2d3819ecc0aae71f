#!/usr/bin/env python3
"""Measure role links like an information-extraction system (issue 11).

    eval_links.py sample (--corpus NAME | --root DIR [--name NAME]) [--gold-dir DIR] [-o FILE]
                         [--seed N] [--per-stratum N]
    eval_links.py score [--corpus NAME | --root DIR [--name NAME]] [--gold-dir DIR] [--errors]

`sample` draws, with a fixed seed, lines of a corpus in three strata — lines the build
links (at least one relation), lines that name a defined role in any spelling but got no
relation, and other lines of prose — plus escalation rows and the pages of roles no
document defines, and writes a gold file skeleton for a person to label.

`score` runs the current pipeline on each corpus (in process, as `rolebook export` does),
compares it with the hand-labelled gold files (`tests/gold/links-<corpus>.yml`) and prints
a markdown table: link precision and recall, type accuracy on the correct links, stub-page
precision, escalation-row precision and target accuracy. The corpora are never modified.

By default both commands work on the corpora beside this checkout (../shared/corpora/NAME)
and on the libraries kept in this repository for evaluation (tests/libraries/NAME, each with
its licence; see tests/libraries/README.md). `--root DIR` names any other folder of role
documents instead (a library the links were not tuned on), `--name` the corpus in the gold
file's name (default: the folder's name), `--gold-dir` where `links-<name>.yml` is written
and read, and `--overlay FILE` a `rolebook.yml` to read the library with (a copy is scored:
`--corpus joss --overlay tests/libraries/overlays/joss.yml`).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
GOLD_DIR = ROOT / "tests" / "gold"
LIBRARIES = ROOT / "tests" / "libraries"
"""Libraries kept in the repository for evaluation (each with its licence and gold files),
scored by default beside the shared corpora."""
CORPUS_NAMES = (
    "sentinel-kit",
    "voltagent",
    *sorted(p.name for p in LIBRARIES.glob("*") if p.is_dir() and (GOLD_DIR / f"links-{p.name}.yml").is_file()),
)
DEFAULT_SEED = 11
"""Issue 11: the seed every sample is drawn with."""
STRATA = ("linked", "named", "prose")
STUB_STATUSES = frozenset({"referenced", "listed"})
"""Roles with a page but no document: what stub-page precision judges (an overview
document, such as a README, is neither a role nor a stub)."""

sys.path.insert(0, str(ROOT / "hooks"))

from rolebook.library import Library, load_library  # noqa: E402
from rolebook.model import RoleStatus  # noqa: E402
from rolebook.names import slugify  # noqa: E402
from rolebook.relate.rules import load_relation_rules, words  # noqa: E402
from rolebook.vocabulary import load_vocabulary  # noqa: E402


def corpus_root(corpus: str) -> Path:
    """The folder of the corpus named `corpus`: a shared corpus, or a library kept in `LIBRARIES`."""
    kept = LIBRARIES / corpus
    return kept if kept.is_dir() else CORPORA / corpus


def overlaid(root: Path, overlay: Path) -> Path:
    """A copy of `root`, in a temporary folder, with `overlay` as its `rolebook.yml`: a site
    owner's overlay (`tests/libraries/overlays/NAME.yml`) scored without touching the library."""
    copy = Path(tempfile.mkdtemp(prefix="rolebook-eval-")) / root.name
    shutil.copytree(root, copy)
    shutil.copyfile(overlay, copy / "rolebook.yml")
    return copy


def gold_path(corpus: str, gold_dir: Path = GOLD_DIR) -> Path:
    return gold_dir / f"links-{corpus}.yml"


def load(root: Path) -> Library:
    """The library `rolebook export --source root` builds (default vocabulary and rules,
    one process so that nothing depends on the machine), paths relative to `root`."""
    return load_library([root], root, load_vocabulary(), load_relation_rules(), workers=1)


# -- Lines of a corpus -----------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*(.*)$")
"""A fence line: its run of backticks or tildes, and its info string."""
_CODE_DIRECTIVES = frozenset({"code", "code-block", "code-cell", "sourcecode", "literalinclude", "math", "mermaid"})
"""MyST directives (```` ```{name} ````) whose body is code; any other (`{note}`, `{tip}`) holds prose."""
_FRONT_MATTER_PROSE = ("description:",)


@dataclass(frozen=True)
class Line:
    path: str
    line: int
    text: str
    heading: str
    """The nearest Markdown heading above the line, for the labeller's context."""


def prose_lines(root: Path, path: str) -> Iterator[Line]:
    """Lines of a document a reader reads as text: not blank, not inside a fenced code
    block, not front-matter fields other than `description`, with at least one letter. A
    fence closes only with the same mark, at least as long and with no info string (a
    ```` ```python ```` line inside ```` ```` ```` is code); a MyST directive fence that is not
    code (```` ```{note} ````) holds prose."""
    lines = (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
    in_front = bool(lines) and lines[0].strip() == "---"
    fences: list[tuple[str, bool]] = []  # open fences, innermost last: (marks, holds code)
    heading = ""
    for number, text in enumerate(lines, start=1):
        stripped = text.strip()
        if in_front:
            if number > 1 and stripped == "---":
                in_front = False
            elif stripped.startswith(_FRONT_MATTER_PROSE):
                yield Line(path, number, stripped, "(front matter)")
            continue
        fence = _FENCE.match(text)
        if fence is not None:
            marks, info = fence[1], fence[2].strip()
            inside_code = any(code for _, code in fences)
            if fences and not info and marks[0] == fences[-1][0][0] and len(marks) >= len(fences[-1][0]):
                fences.pop()  # closes the innermost fence: same mark, at least as long, no info
            elif not inside_code:
                directive = re.match(r"\{([\w-]+)\}", info)
                fences.append((marks, directive is None or directive[1] in _CODE_DIRECTIVES))
            continue
        if any(code for _, code in fences) or not any(c.isalpha() for c in stripped):
            continue
        if stripped.startswith("#"):
            heading = stripped.lstrip("#").strip()
        yield Line(path, number, stripped, heading)


def field_lines(root: Path, paths: Iterable[str]) -> dict[tuple[str, int], tuple[str, int]]:
    """`(path, line)` of each continuation line of a front-matter `description` written over
    several lines (`description: |`, or a plain scalar carried on) -> `(path, line)` of its
    `description:` line. The sampler draws that line and the labeller labels the whole
    value there, while the build says where in the value a name sits."""
    found: dict[tuple[str, int], tuple[str, int]] = {}
    for path in paths:
        try:
            lines = (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        if not lines or lines[0].strip() != "---":
            continue
        start = None
        for number, text in enumerate(lines[1:], start=2):
            if text.strip() == "---":
                break
            if text[:1] not in (" ", "\t", "") and not text.startswith("#"):
                start = number if text.startswith(_FRONT_MATTER_PROSE) else None
            elif start is not None:
                found[(path, number)] = (path, start)
    return found


def role_of_document(library: Library) -> dict[str, str]:
    """Document path -> id of the role whose page it feeds."""
    owners: dict[str, str] = {}
    for role in library.roles:
        for document in role.documents:
            owners.setdefault(document.path, role.id)
    return owners


def spelling_pattern(name: str) -> re.Pattern[str] | None:
    """A name in any spelling: any case, words joined by space, `-` or `_`, plural `s`."""
    parts = [re.escape(p) for p in re.split(r"[-_\s]+", name.strip()) if p]
    if not parts:
        return None
    return re.compile(r"(?<![\w-])" + r"[-_\s]+".join(parts) + r"s?(?![\w-])", re.IGNORECASE)


def role_patterns(library: Library) -> dict[str, list[re.Pattern[str]]]:
    """Every spelling of every defined (or roster-listed) role's id and names."""
    patterns: dict[str, list[re.Pattern[str]]] = {}
    for role in library.roles:
        if role.status is RoleStatus.REFERENCED:
            continue
        names = {role.id, role.name, *role.aliases}
        if role.metadata is not None:
            names.update(n for n in (role.metadata.id, role.metadata.name) if n)
        patterns[role.id] = [p for p in map(spelling_pattern, sorted(names)) if p is not None]
    return patterns


def named_roles(text: str, patterns: dict[str, list[re.Pattern[str]]], own: str | None) -> list[str]:
    return [role for role, pats in patterns.items() if role != own and any(p.search(text) for p in pats)]


# -- Sampling --------------------------------------------------------------------------------


def stratum_sizes(available: list[int], per_stratum: int) -> list[int]:
    """How many lines to draw from each stratum: `per_stratum` each, and what a small
    stratum cannot give shared among the others, so the total stays the same."""
    sizes = [0] * len(available)
    left = per_stratum * len(available)
    open_strata = [i for i, n in enumerate(available) if n]
    while left and open_strata:
        share, extra = divmod(left, len(open_strata))
        for rank, i in enumerate(open_strata):
            sizes[i] += min(share + (rank < extra), available[i] - sizes[i])
        left = per_stratum * len(available) - sum(sizes)
        open_strata = [i for i in open_strata if sizes[i] < available[i]]
    return sizes


def sample(corpus: str, seed: int, per_stratum: int, root: Path | None = None) -> dict[str, Any]:
    """The sample of `corpus`, read from `root` (default: the shared corpus of that name)."""
    root = root or corpus_root(corpus)
    library = load(root)
    owners = role_of_document(library)
    patterns = role_patterns(library)
    linked = {(r.path, r.line) for r in (*library.relations, *library.overview_relations)}
    strata: dict[str, list[Line]] = {s: [] for s in STRATA}
    for document in sorted(library.documents, key=lambda d: d.path):
        for line in prose_lines(root, document.path):
            key = (line.path, line.line)
            if key in linked:
                strata["linked"].append(line)
            elif named_roles(line.text, patterns, owners.get(line.path)):
                strata["named"].append(line)
            else:
                strata["prose"].append(line)
    rng = random.Random(f"{seed}:{corpus}")
    chosen: list[tuple[str, Line]] = []
    for stratum, size in zip(STRATA, stratum_sizes([len(strata[s]) for s in STRATA], per_stratum), strict=True):
        chosen.extend((stratum, line) for line in rng.sample(strata[stratum], size))
    chosen.sort(key=lambda pair: (pair[1].path, pair[1].line))
    sampled = {(line.path, line.line) for _, line in chosen}

    rows = sorted(library.escalations, key=lambda e: (e.path, e.line))
    on_lines = [e for e in rows if (e.path, e.line) in sampled]
    others = [e for e in rows if (e.path, e.line) not in sampled]
    extra = rng.sample(others, max(0, min(len(others), 20 - len(on_lines))))
    escalations = sorted([*on_lines, *extra], key=lambda e: (e.path, e.line))
    stubs = [r for r in library.roles if r.status in STUB_STATUSES]
    return {
        "corpus": corpus,
        "seed": seed,
        "strata": {s: len(strata[s]) for s in STRATA},
        "lines": [
            {
                "path": line.path,
                "line": line.line,
                "stratum": stratum,
                "heading": line.heading,
                "text": line.text,
                "refs": None,
            }
            for stratum, line in chosen
        ],
        "escalations": [
            {
                "path": e.path,
                "line": e.line,
                "text": e.trigger,
                "tool_target": e.target,
                "trigger": None,
                "target": None,
            }
            for e in escalations
        ],
        "stubs": [{"id": r.id, "name": r.name, "status": r.status.value, "real": None} for r in stubs],
    }


def write_skeleton(data: dict[str, Any], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    header = (
        f"# Gold links for the {data['corpus']} corpus (issue 11): written by\n"
        "# `scripts/eval_links.py sample`; fill every `refs`, `trigger`, `target` and `real` by hand.\n"
    )
    output.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


# -- Scoring ---------------------------------------------------------------------------------


class GoldError(ValueError):
    """A gold file that no longer fits the corpus, or is not fully labelled."""


@dataclass
class Ratio:
    hit: float = 0.0
    total: float = 0.0

    def add(self, hit: float, total: float) -> None:
        self.hit += hit
        self.total += total

    @property
    def value(self) -> float | None:
        return self.hit / self.total if self.total else None

    def show(self, weighted: bool = False) -> str:
        if not self.total:
            return "n/a"
        if weighted:
            return f"{self.hit / self.total:.2f}"
        return f"{self.hit / self.total:.2f} ({self.hit:g}/{self.total:g})"


@dataclass
class Score:
    corpus: str
    lines: int = 0
    precision: Ratio = field(default_factory=Ratio)
    recall: Ratio = field(default_factory=Ratio)
    type_accuracy: Ratio = field(default_factory=Ratio)
    weighted_precision: Ratio = field(default_factory=Ratio)
    weighted_recall: Ratio = field(default_factory=Ratio)
    stubs: Ratio = field(default_factory=Ratio)
    escalations: Ratio = field(default_factory=Ratio)
    escalation_targets: Ratio = field(default_factory=Ratio)
    escalation_recall: Ratio = field(default_factory=Ratio)
    """Sampled lines the gold says escalate to a role (a ref typed `escalates_to`) that got an
    escalation row: the rows a build misses, which precision cannot show."""
    errors: list[str] = field(default_factory=list)
    """Each wrong, missed or mistyped link, stub page and escalation row, for a reader."""
    weights: dict[str, float] = field(default_factory=dict)
    """Lines of the corpus each sampled line of a stratum stands for."""
    unlabelled: list[str] = field(default_factory=list)
    """Stub pages, and escalation rows on sampled lines, that the gold file does not judge
    (the pipeline made them after the labelling): label them, else the figures leave them out."""

    def metrics(self) -> dict[str, float | None]:
        return {
            "precision": self.precision.value,
            "recall": self.recall.value,
            "type_accuracy": self.type_accuracy.value,
            "weighted_precision": self.weighted_precision.value,
            "weighted_recall": self.weighted_recall.value,
            "stub_precision": self.stubs.value,
            "escalation_precision": self.escalations.value,
            "escalation_target_accuracy": self.escalation_targets.value,
            "escalation_recall": self.escalation_recall.value,
        }


def _person(text: str) -> str:
    """A person or group as escalation targets name them: `the on-call engineer` -> `on-call-engineer`."""
    return slugify(re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE))


def resolve(target: str, library: Library) -> str:
    """A gold target as the id the pipeline would give it: a role id, else the role the
    name is a name of, else the id a page of that name would get."""
    if target in library.by_id:
        return target
    if library.lexicon is not None:
        name = library.lexicon.lookup(words(target))
        if name is not None:
            return name.role
    # a page the labeller named by its document (an overview's id is its path) that the build
    # now names otherwise: `how-to-editor-in-chief-guide` is the role of how-to/editor-in-chief-guide.md,
    # `agents-pm-agents` the agent whose folder agents/pm/AGENTS.md now belongs to
    for role in library.roles:
        if any(slugify(document.path.rsplit(".", 1)[0]) == target for document in role.documents):
            return role.id
    return slugify(target)


def _in_lines(items: Iterable[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [item for item in items if item.get(key) is not None]


def score(
    corpus: str,
    gold: dict[str, Any],
    library: Library | None = None,
    root: Path | None = None,
    gold_dir: Path = GOLD_DIR,
) -> Score:
    """Compare the pipeline's output on `corpus` (read from `root`, default: the shared
    corpus of that name) with its gold file (in `gold_dir`, named in messages)."""
    root = root or corpus_root(corpus)
    library = library or load(root)
    result = Score(corpus)
    predicted: dict[tuple[str, int], dict[str, set[str]]] = {}
    home = field_lines(root, {r.path for r in (*library.relations, *library.overview_relations, *library.escalations)})
    # a role linked on an overview document's page (a README) is a reference too
    for relation in (*library.relations, *library.overview_relations):
        where = home.get((relation.path, relation.line), (relation.path, relation.line))
        predicted.setdefault(where, {}).setdefault(relation.target, set()).add(str(relation.type))
    sizes = gold.get("strata") or {}
    counts = {s: sum(1 for item in gold["lines"] if item["stratum"] == s) for s in STRATA}
    result.weights = {s: sizes.get(s, 1) / max(1, counts[s]) for s in STRATA}
    cache: dict[str, list[str]] = {}
    for item in gold["lines"]:
        path, number = item["path"], int(item["line"])
        if path not in cache:
            cache[path] = (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
        if number > len(cache[path]) or cache[path][number - 1].strip() != item["text"]:
            raise GoldError(f"{gold_path(corpus, gold_dir)}: {path}:{number} no longer reads as labelled; re-sample")
        refs = item.get("refs")
        if refs is None:
            raise GoldError(f"{gold_path(corpus, gold_dir)}: {path}:{number} is not labelled")
        result.lines += 1
        weight = result.weights[item["stratum"]]
        wanted: dict[str, set[str]] = {}
        for ref in refs:
            wanted.setdefault(resolve(str(ref["target"]), library), set()).add(str(ref["type"]))
        found = predicted.get((path, number), {})
        hits = [t for t in found if t in wanted]
        result.precision.add(len(hits), len(found))
        result.recall.add(len(hits), len(wanted))
        result.weighted_precision.add(weight * len(hits), weight * len(found))
        result.weighted_recall.add(weight * len(hits), weight * len(wanted))
        where = f"{path}:{number}"
        for target in hits:
            right = bool(found[target] & wanted[target])
            result.type_accuracy.add(int(right), 1)
            if not right:
                result.errors.append(
                    f"type   {where} {target}: {'/'.join(sorted(found[target]))}, "
                    f"gold {'/'.join(sorted(wanted[target]))}"
                )
        for target in sorted(set(found) - set(wanted)):
            result.errors.append(f"false  {where} {target} ({'/'.join(sorted(found[target]))}): {item['text'][:90]}")
        for target in sorted(set(wanted) - set(found)):
            result.errors.append(f"missed {where} {target} ({'/'.join(sorted(wanted[target]))}): {item['text'][:90]}")

    real = {s["id"]: bool(s["real"]) for s in _in_lines(gold.get("stubs") or [], "real")}
    for role in library.roles:
        if role.status not in STUB_STATUSES:
            continue
        if role.id not in real:
            result.unlabelled.append(f"stub page {role.id} ({role.name})")
            continue
        result.stubs.add(int(real[role.id]), 1)
        if not real[role.id]:
            result.errors.append(f"stub   {role.id} ({role.name}) is not a role")

    rows: dict[tuple[str, int], list[Any]] = {}
    for escalation in library.escalations:  # a line may escalate to several targets
        rows.setdefault(home.get((escalation.path, escalation.line), (escalation.path, escalation.line)), []).append(
            escalation
        )
    judged = {(item["path"], int(item["line"])) for item in gold.get("escalations") or []}
    sampled = {(item["path"], int(item["line"])) for item in gold["lines"]}
    result.unlabelled.extend(
        f"escalation row {path}:{line}" for path, line in sorted(rows) if (path, line) in sampled - judged
    )
    for item in gold["lines"]:
        if any(str(ref["type"]) == "escalates_to" for ref in item.get("refs") or ()):
            found_row = (item["path"], int(item["line"])) in rows
            result.escalation_recall.add(int(found_row), 1)
            if not found_row:
                result.errors.append(f"escal. {item['path']}:{item['line']} no row: {item['text'][:90]}")
    for item in _in_lines(gold.get("escalations") or [], "trigger"):
        escalated = rows.get((item["path"], int(item["line"])))
        if not escalated:
            continue  # no longer an escalation row: it counts neither way
        result.escalations.add(int(bool(item["trigger"])), 1)
        where = f"{item['path']}:{item['line']}"
        if not item["trigger"]:
            result.errors.append(f"escal. {where} is not a trigger: {item['text'][:90]}")
            continue
        wanted_target = str(item["target"])
        targets = [row.target for row in escalated]
        right = resolve(wanted_target, library) in targets or _person(wanted_target) in map(_person, targets)
        result.escalation_targets.add(int(right), 1)
        if not right:
            result.errors.append(f"escal. {where} target {'/'.join(targets)!r}, gold {wanted_target!r}")
    return result


def table(scores: list[Score]) -> str:
    header = (
        "| corpus | lines | link precision | link recall | type accuracy (correct links) "
        "| stub-page precision | escalation precision | escalation target accuracy "
        "| escalation recall (lines labelled escalates_to) |"
    )
    rows = [header, "|" + " --- |" * 9]
    for s in scores:
        rows.append(
            f"| {s.corpus} | {s.lines} | {s.precision.show()} | {s.recall.show()} | {s.type_accuracy.show()} "
            f"| {s.stubs.show()} | {s.escalations.show()} | {s.escalation_targets.show()} "
            f"| {s.escalation_recall.show()} |"
        )
    rows += [
        "",
        "Estimated for the whole corpus (each sampled line weighted by its stratum's size / sample size):",
        "",
        "| corpus | link precision | link recall |",
        "| --- | --- | --- |",
    ]
    for s in scores:
        rows.append(f"| {s.corpus} | {s.weighted_precision.show(True)} | {s.weighted_recall.show(True)} |")
    rows.append("")
    rows.append(
        "Weights: one sampled line stands for "
        + "; ".join(
            f"{s.corpus} " + ", ".join(f"{n:.0f} {stratum}" for stratum, n in s.weights.items()) for s in scores
        )
        + " lines, so one missed reference on a sampled prose line would move the estimated recall a lot."
    )
    return "\n".join(rows)


def read_gold(corpus: str, gold_dir: Path = GOLD_DIR) -> dict[str, Any]:
    data = yaml.safe_load(gold_path(corpus, gold_dir).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _add_corpus_options(parser: argparse.ArgumentParser, default_help: str, repeat: bool) -> None:
    """`--corpus NAME` (a shared corpus) or `--root DIR [--name NAME]` (any folder), and `--gold-dir`."""
    which = parser.add_mutually_exclusive_group(required=not repeat)
    which.add_argument("--corpus", choices=CORPUS_NAMES, action="append" if repeat else "store", help=default_help)
    which.add_argument("--root", type=Path, help="a folder of role documents instead of a shared corpus")
    parser.add_argument("--name", help="with --root: the corpus name in the gold file (default: the folder's name)")
    parser.add_argument(
        "--gold-dir", type=Path, default=GOLD_DIR, help="where links-<name>.yml is (default: tests/gold)"
    )
    parser.add_argument("--overlay", type=Path, help="a rolebook.yml to read the library with (on a copy)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    sampler = commands.add_parser("sample", help="draw lines to label and write a gold file skeleton")
    _add_corpus_options(sampler, "a shared corpus", repeat=False)
    sampler.add_argument("-o", "--output", type=Path, help="default: <gold-dir>/links-<corpus>.yml")
    sampler.add_argument("--seed", type=int, default=DEFAULT_SEED)
    sampler.add_argument("--per-stratum", type=int, default=24, help="lines per stratum (default 24)")
    sampler.add_argument("--force", action="store_true", help="overwrite an existing file (its labels are lost)")
    scorer = commands.add_parser("score", help="compare the pipeline with the gold files")
    _add_corpus_options(scorer, "default: every corpus", repeat=True)
    scorer.add_argument("--errors", action="store_true", help="also list every error, per corpus")
    args = parser.parse_args(argv)
    if args.name is not None and args.root is None:
        parser.error("--name needs --root")
    if args.overlay is not None and not args.overlay.is_file():
        print(f"eval_links: {args.overlay} is not a file", file=sys.stderr)
        return 2
    corpora: list[tuple[str, Path]]
    if args.root is not None:
        if not args.root.is_dir():
            print(f"eval_links: {args.root} is not a folder", file=sys.stderr)
            return 2
        root = args.root.resolve()
        corpora = [(args.name or root.name, root)]
    else:
        names = [args.corpus] if args.command == "sample" else args.corpus or list(CORPUS_NAMES)
        corpora = [(name, corpus_root(name)) for name in names]
        missing = [str(root) for _, root in corpora if not root.is_dir()]
        if missing:
            where = ", ".join(missing)
            print(f"eval_links: not found: {where} (../shared must be beside this checkout)", file=sys.stderr)
            return 2
    if args.overlay is not None:
        corpora = [(name, overlaid(root, args.overlay)) for name, root in corpora]
    if args.command == "sample":
        corpus, root = corpora[0]
        output = args.output or gold_path(corpus, args.gold_dir)
        if output.exists() and not args.force:
            print(f"eval_links: {output} exists (it may hold labels); use --force or -o", file=sys.stderr)
            return 1
        write_skeleton(sample(corpus, args.seed, args.per_stratum, root), output)
        print(f"wrote {output}")
        return 0
    try:
        scores = [
            score(corpus, read_gold(corpus, args.gold_dir), root=root, gold_dir=args.gold_dir)
            for corpus, root in corpora
        ]
    except (GoldError, FileNotFoundError) as error:
        print(f"eval_links: {error}", file=sys.stderr)
        return 1
    print(table(scores))
    for s in scores:
        if s.unlabelled:
            print(f"\n{s.corpus}: not in the gold file, left out of the figures: " + ", ".join(s.unlabelled))
    if args.errors:
        for s in scores:
            print(f"\n## {s.corpus}\n")
            print("\n".join(s.errors) or "(none)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
