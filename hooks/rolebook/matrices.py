"""Responsibility areas × roles, topics × a role's documents, and escalations: the claims
each line of a role's documents makes, collected once and pivoted for each page."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from .cache import BuildCache
from .model import Document, Item, Relation, RelationType, Role, RoleStatus
from .pipeline import Library
from .relate import Line, item_lines, line_anchor, line_groups, words
from .vocabulary import Vocabulary
from .workers import map_groups

DEFAULT_AREAS = Path(__file__).with_name("areas.yml")


class Stance(StrEnum):
    """What a line says a role does about an area."""

    OWNS = "owns"
    MUST_NOT = "must not"
    STANDARDS = "sets standards"
    RELIES_ON = "relies on"
    """Leaves the area to, or depends on, another role for it."""


STANCE_BY_SECTION = {
    "responsibilities": Stance.OWNS,
    "boundaries": Stance.MUST_NOT,
    "standards": Stance.STANDARDS,
    "testing": Stance.STANDARDS,
    "principles": Stance.STANDARDS,
}


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    keywords: tuple[tuple[str, ...], ...]


def load_areas(*extra_files: str | Path) -> list[Area]:
    """The built-in areas, then each site file's (same key: more keywords; new key: new area)."""
    areas: dict[str, Area] = {}
    for path in (DEFAULT_AREAS, *map(Path, extra_files)):
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        for entry in data.get("areas") or [] if isinstance(data, dict) else []:
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                raise ValueError(f"{path}: each area needs a `key` string, got {entry!r}")
            key = entry["key"]
            keywords = tuple(words(str(k)) for k in entry.get("keywords") or [] if words(str(k)))
            if key in areas:
                old = areas[key]
                areas[key] = Area(key, str(entry.get("title") or old.title), old.keywords + keywords)
            else:
                areas[key] = Area(key, str(entry.get("title") or key), keywords)
    return list(areas.values())


class AreaMatcher:
    """Finds the areas a text is about in one pass over its words."""

    def __init__(self, areas: Iterable[Area]) -> None:
        self.by_phrase: dict[tuple[str, ...], set[str]] = {}
        self.starts: dict[str, int] = {}
        """First word of each keyword -> its longest keyword's length."""
        for area in areas:
            for keyword in area.keywords:
                self.by_phrase.setdefault(keyword, set()).add(area.key)
                self.starts[keyword[0]] = max(self.starts.get(keyword[0], 0), len(keyword))

    def areas_in(self, text: str) -> set[str]:
        tokens = words(text)
        found: set[str] = set()
        for start, token in enumerate(tokens):
            longest = self.starts.get(token, 0)
            for length in range(1, min(longest, len(tokens) - start) + 1):
                found |= self.by_phrase.get(tokens[start : start + length], set())
        return found


@dataclass(frozen=True)
class Claim:
    """One line of a role's documents saying something about an area."""

    role: str
    area: str
    stance: Stance
    document: str
    """File name of the document."""
    path: str
    line: int
    anchor: str
    """Anchor of the item on the role's page."""
    text: str
    others: tuple[str, ...]
    """Roles the line names: who does it instead, or who the role relies on."""


def _negated(text: str, negations: frozenset[tuple[str, ...]]) -> bool:
    for clause in text.split(":")[:2]:
        clause_words = words(clause)
        if any(clause_words[: len(n)] == n for n in negations) or "forbidden" in clause_words[:2]:
            return True
    return False


def collect_claims(
    library: Library,
    vocabulary: Vocabulary,
    areas: list[Area],
    workers: int = 1,
    results: BuildCache[Hashable, list[Any]] | None = None,
) -> list[Claim]:
    """Every claim of every defined role, in document order; large libraries are read by
    `workers` processes, and with `results` unchanged documents are not read again (see
    `relate`)."""
    matcher = AreaMatcher(areas)
    assert library.lexicon is not None
    negations = library.lexicon.rules.negations
    relations_at: dict[tuple[str, str, int], list[Relation]] = {}
    for relation in library.relations:
        relations_at.setdefault((relation.source, relation.path, relation.line), []).append(relation)

    def claims_of(role: Role, document: Document, context: str | None, item: Item, part: Item) -> list[Claim]:
        found = matcher.areas_in(part.prose)
        if not found:
            return []
        here = relations_at.get((role.id, document.path, part.line), [])
        if context == "boundaries" or _negated(part.prose, negations):
            stance: Stance | None = Stance.MUST_NOT
        elif any(r.type in (RelationType.DEPENDS_ON, RelationType.DELEGATES_TO) for r in here):
            stance = Stance.RELIES_ON
        else:
            stance = STANCE_BY_SECTION.get(context or "")
        if stance is None:
            return []
        others = tuple(dict.fromkeys(r.target for r in here))
        anchor = line_anchor(document, item)
        return [
            Claim(role.id, area, stance, document.name, document.path, part.line, anchor, part.text, others)
            for area in sorted(found)
        ]

    lines: list[Line] = [
        (role, *line)
        for role in library.roles
        if role.status is RoleStatus.DEFINED
        for line in item_lines(role, vocabulary)
    ]
    names = library.lexicon.fingerprint()
    key = ("claims", vocabulary.fingerprint, hash(repr(areas)), hash(repr(library.lexicon.rules)), names)
    groups = [((*key, *group), start, stop) for group, start, stop in line_groups(lines)]
    found = map_groups(lambda index: claims_of(*lines[index]), groups, workers, 2000, results)
    return [claim for claims in found for claim in claims]


def disclaims(claim: Claim) -> bool:
    """Whether a claim gives the area away: it must not do it, or relies on someone for it,
    and names who does it instead. An anti-pattern ("no direct DB queries in handlers")
    forbids a way of working, not the area, and names nobody."""
    return claim.stance in (Stance.MUST_NOT, Stance.RELIES_ON) and bool(claim.others)


def _disagreement(claims: list[Claim]) -> tuple[list[Claim], list[Claim]]:
    """Claims that own an area and claims in *other* documents that give it away."""
    owning = [c for c in claims if c.stance is Stance.OWNS]
    owning_docs = {c.path for c in owning}
    against_docs = {c.path for c in claims if disclaims(c) and (owning_docs - {c.path})}
    if not against_docs:
        return [], []
    # with the lines that name who instead, the same documents' other prohibitions on the area
    against = [c for c in claims if c.path in against_docs and c.stance in (Stance.MUST_NOT, Stance.RELIES_ON)]
    return [c for c in owning if against_docs - {c.path}], against


@dataclass(frozen=True)
class Conflict:
    """Something the responsibility matrix should make a reader look at."""

    kind: str
    """`owned by several roles`, `sources disagree`, `left to an undefined role`, `owned by nobody`."""
    area: str
    roles: tuple[str, ...]
    claims: tuple[Claim, ...]


def find_conflicts(library: Library, claims: list[Claim], areas: list[Area]) -> list[Conflict]:
    """Areas owned by two roles; roles whose documents both own and forbid an area; areas a
    role leaves to a role nobody defines; areas nobody owns."""
    conflicts: list[Conflict] = []
    by_area: dict[str, list[Claim]] = {}
    for claim in claims:
        by_area.setdefault(claim.area, []).append(claim)
    for area in areas:
        area_claims = by_area.get(area.key, [])
        owners = sorted({c.role for c in area_claims if c.stance is Stance.OWNS})
        if len(owners) > 1:
            conflicts.append(
                Conflict(
                    "owned by several roles",
                    area.key,
                    tuple(owners),
                    tuple(c for c in area_claims if c.stance is Stance.OWNS),
                )
            )
        by_role: dict[str, list[Claim]] = {}
        for claim in area_claims:
            by_role.setdefault(claim.role, []).append(claim)
        for role in owners:
            owning, against = _disagreement(by_role[role])
            if against:
                conflicts.append(Conflict("sources disagree", area.key, (role,), tuple(owning + against)))
        left = [
            c
            for c in area_claims
            if disclaims(c)
            and any(library.by_id[o].status is not RoleStatus.DEFINED for o in c.others if o in library.by_id)
        ]
        if left:
            targets = sorted({o for c in left for o in c.others if library.by_id[o].status is not RoleStatus.DEFINED})
            conflicts.append(Conflict("left to an undefined role", area.key, tuple(targets), tuple(left)))
        if not owners:
            conflicts.append(Conflict("owned by nobody", area.key, (), tuple(area_claims)))
    return conflicts


@dataclass(frozen=True)
class TopicRow:
    """One area of a role's source comparison: what each document says about it."""

    area: str
    cells: dict[str, list[Claim]]
    """Document path -> its claims about the area."""
    verdict: str
    """`disagree`, `agree` or `one source`."""


def claims_by_role(claims: list[Claim]) -> dict[str, list[Claim]]:
    index: dict[str, list[Claim]] = {}
    for claim in claims:
        index.setdefault(claim.role, []).append(claim)
    return index


def compare_sources(role: Role, mine: list[Claim], areas: list[Area]) -> list[TopicRow]:
    """Topics × documents for a role with several documents (`mine`: the role's claims):
    agreements and contradictions."""
    rows: list[TopicRow] = []
    for area in areas:
        cells: dict[str, list[Claim]] = {}
        for claim in mine:
            if claim.area == area.key:
                cells.setdefault(claim.path, []).append(claim)
        if not cells:
            continue
        if _disagreement([c for found in cells.values() for c in found])[1]:
            verdict = "disagree"
        elif len(cells) > 1:
            verdict = "agree"
        else:
            verdict = "one source"
        rows.append(TopicRow(area.key, cells, verdict))
    return rows
