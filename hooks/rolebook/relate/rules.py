"""The rules of relating, as data: cue phrases and the relation each states, role and person
words, negations (`relations.yml`, extended by a site's files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from rolebook.lexical import is_agent_noun
from rolebook.model import (
    RelationType,
)

DEFAULT_RULES = Path(__file__).with_name("relations.yml")

WORD = re.compile(r"[^\W_]+")
"""Words of names and text; `_` separates words as `-` does (`qa_expert` is `qa-expert`)."""


def words(text: str) -> tuple[str, ...]:
    """Lower-cased words of a phrase, as the matcher compares them."""
    return tuple(WORD.findall(text.lower()))


@dataclass(frozen=True)
class RelationRules:
    """The contents of `relations.yml`, ready for lookups."""

    cues: dict[tuple[str, ...], RelationType]
    articles: frozenset[str]
    role_endings: tuple[str, ...]
    role_nouns: frozenset[str]
    not_roles: frozenset[str]
    persons: tuple[tuple[str, ...], ...]
    escalation_phrases: tuple[tuple[str, ...], ...]
    negations: frozenset[tuple[str, ...]]
    contact_verbs: frozenset[str] = frozenset()
    """Verbs that reach someone ("notify", "page"): an escalation when a condition comes first."""
    conditions: frozenset[str] = frozenset()
    """Words that open a condition ("if", "when")."""
    cues_after: dict[tuple[str, ...], RelationType] = field(default_factory=dict)
    """Phrases right after a name that say what a sentence does with it ("outputs")."""
    section_types: dict[str, RelationType] = field(default_factory=dict)
    weak_cues: frozenset[tuple[str, ...]] = frozenset()
    """Cues too common to be evidence that an unknown name is a role ("with App Router")."""
    heading_types: dict[tuple[str, ...], RelationType] = field(default_factory=dict)
    """Words of a heading -> the relation naming a role under it states, when nothing else says."""
    role_context: frozenset[str] = frozenset()
    """Nouns after a name that make it a role or skill ("the pdf skill")."""
    """Vocabulary section key -> the relation a name in it states when no cue says."""

    @cached_property
    def longest_cue(self) -> int:
        return max((len(c) for c in self.cues), default=1)

    @cached_property
    def escalation_starts(self) -> frozenset[str]:
        """First words of the escalation phrases: a line with none of them holds none."""
        return frozenset(phrase[0] for phrase in self.escalation_phrases if phrase)

    def is_person_word(self, word: str) -> bool:
        """Whether a word names someone: a role noun or a doer ("Commander", "Controller"),
        plural allowed, whatever `not_roles` says of the word in running prose."""
        singular = word[:-1] if word.endswith("s") and len(word) > 4 else word
        return singular.lower() in self.role_nouns or is_agent_noun(singular, self.role_endings, doubled=True)

    def is_role_word(self, word: str) -> bool:
        """Whether a capitalised word can end a role's name: a role noun ("Architect") or an
        agent noun built on a verb ("Integrator", "Observer"; see `rolebook.lexical`), never
        an ordinary word, product or technology ("Consider", "Flutter", "FlashList")."""
        if word in self.not_roles or len(word) < 4:
            return False
        return word.lower() in self.role_nouns or is_agent_noun(word, self.role_endings)


def load_relation_rules(*extra_files: str | Path) -> RelationRules:
    """Load `relations.yml`, then merge each site file's lists into it."""
    merged: dict[str, object] = {}
    for path in (DEFAULT_RULES, *map(Path, extra_files)):
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: a relations file must be a mapping")
        for key, value in data.items():
            if key == "section_types" and isinstance(value, dict):
                types = merged.setdefault(key, {})
                assert isinstance(types, dict)
                types.update(value)
            elif key in ("cues", "cues_after", "heading_types") and isinstance(value, dict):
                cues = merged.setdefault(key, {})
                assert isinstance(cues, dict)
                for kind, phrases in value.items():
                    cues.setdefault(kind, []).extend(phrases or [])
            elif isinstance(value, list):
                existing = merged.setdefault(key, [])
                assert isinstance(existing, list)
                existing.extend(value)

    def cue_table(key: str) -> dict[tuple[str, ...], RelationType]:
        """Phrase (as words) -> relation, from `cues` or `cues_after`; the first listing wins."""
        table: dict[tuple[str, ...], RelationType] = {}
        for kind, phrases in _mapping(merged.get(key)).items():
            for phrase in phrases:
                table.setdefault(words(str(phrase)), RelationType(kind))
        return table

    def phrase_list(key: str) -> list[str]:
        value = merged.get(key) or []
        assert isinstance(value, list)
        return [str(v) for v in value]

    return RelationRules(
        cues=cue_table("cues"),
        articles=frozenset(w.lower() for w in phrase_list("articles")),
        role_endings=tuple(phrase_list("role_endings")),
        role_nouns=frozenset(w.lower() for w in phrase_list("role_nouns")),
        not_roles=frozenset(phrase_list("not_roles")),
        persons=tuple(sorted({words(p) for p in phrase_list("persons")}, key=lambda p: (-len(p), p))),
        escalation_phrases=tuple(
            sorted({words(p) for p in phrase_list("escalation_phrases")}, key=lambda p: (-len(p), p))
        ),
        negations=frozenset(words(p) for p in phrase_list("negations")),
        contact_verbs=frozenset(w.lower() for w in phrase_list("contact_verbs")),
        conditions=frozenset(w.lower() for w in phrase_list("conditions")),
        cues_after=cue_table("cues_after"),
        heading_types=cue_table("heading_types"),
        weak_cues=frozenset(words(p) for p in phrase_list("weak_cues")),
        role_context=frozenset(w.lower() for w in phrase_list("role_context")),
        section_types={
            str(key): RelationType(str(kind)) for key, kind in _mapping(merged.get("section_types")).items()
        },
    )


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}
