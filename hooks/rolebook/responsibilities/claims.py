"""What one line of a role's documents says about responsibility areas: the line is cut
into clauses, and each area a clause names gets the stance its section, its negation, its
exceptions and the roles it names give it.

    Out of scope:
    - Writing docs beyond integration notes (Scribe)

says that the writer must not write docs, that the Scribe owns them, and nothing about
integrations ("beyond" names what is allowed). The words are data: `claims.yml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rolebook.datafile import DataFileError, read_data_file
from rolebook.lexical import is_function_word
from rolebook.model import Stance
from rolebook.relate.rules import words

DEFAULT_CLAIM_RULES = Path(__file__).with_name("claims.yml")


_RULE_SECTIONS = frozenset({Stance.STANDARDS})
"""Stances of sections whose items are rules about how to work: "Never log secrets" there
is a rule about logging, not a prohibition of the area."""


@dataclass(frozen=True)
class ClaimRules:
    """The contents of `claims.yml`, ready for lookups."""

    sections: dict[str, Stance]
    owning: frozenset[tuple[str, ...]]
    exceptions: frozenset[tuple[str, ...]]
    handing: frozenset[tuple[str, ...]]
    prohibiting: frozenset[tuple[str, ...]]
    work_verbs: frozenset[str]
    lifting: frozenset[str]
    """Verbs after which a negation lifts an obligation or reminds, and forbids nothing."""
    negations: frozenset[tuple[str, ...]]
    """Words that negate what follows them (`relations.yml`)."""


class ClaimRulesError(DataFileError):
    """A claims file that cannot be used."""


def load_claim_rules(negations: Iterable[tuple[str, ...]], *extra_files: str | Path) -> ClaimRules:
    """The built-in rules, then each site file's (sections replaced, lists added to)."""
    sections: dict[str, Stance] = {}
    lists: dict[str, set[tuple[str, ...]]] = {
        "owning": set(),
        "exceptions": set(),
        "handing": set(),
        "prohibiting": set(),
        "work_verbs": set(),
        "lifting": set(),
    }
    for path in (DEFAULT_CLAIM_RULES, *map(Path, extra_files)):
        file = read_data_file(path, "of claim rules", ClaimRulesError)
        for section, stance in file.mapping("sections", holding="section keys to stances").items():
            try:
                sections[str(section)] = Stance(stance)
            except ValueError:
                choices = ", ".join(s.value for s in Stance)
                raise file.error(
                    f"section {section}: unknown stance {stance!r} (one of {choices})", "sections", section
                ) from None
        for key, found in lists.items():
            found.update(words(phrase) for phrase in file.strings(key) if words(phrase))
    return ClaimRules(
        sections,
        frozenset(lists["owning"]),
        frozenset(lists["exceptions"]),
        frozenset(lists["handing"]),
        frozenset(lists["prohibiting"]),
        frozenset(word for phrase in lists["work_verbs"] for word in phrase),
        frozenset(word for phrase in lists["lifting"] for word in phrase),
        frozenset(negations),
    )


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    key: str
    """An area key, or a role id."""


@dataclass(frozen=True)
class LineClaim:
    """One stance on one area, read from a line."""

    role: str | None
    """Who it is about: `None` for the document's own role, else a role the line names."""
    area: str
    stance: Stance
    lead: bool = True
    """Whether the line is about the area, not only touching it: the area is the first the
    line names, or the line states the stance in words ("owns", "Do not", a named owner)."""


_WORD = re.compile(r"[^\W_]+")
_CLAUSE_END = re.compile(r"[;()\[\]]|\s[—–]\s|\s-\s|[.!?](?=\s)|,\s+(?=(?:not|never|no|but)\b)|\bbut\b", re.IGNORECASE)


def clauses(text: str) -> list[tuple[int, int, bool]]:
    """`(start, end, in parentheses)` of each clause of a line."""
    found: list[tuple[int, int, bool]] = []
    start, depth = 0, 0
    for match in _CLAUSE_END.finditer(text):
        found.append((start, match.start(), depth > 0))
        if match[0] == "(" or match[0] == "[":
            depth += 1
        elif match[0] in ")]":
            depth = max(0, depth - 1)
        start = match.end()
    found.append((start, len(text), depth > 0))
    return [(s, e, p) for s, e, p in found if text[s:e].strip()]


@cache
def _by_first_word(phrases: frozenset[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """`phrases` by their first word: most words start none, and cost one lookup."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(found) for word, found in index.items()}


def _phrases(tokens: Sequence[tuple[int, str]], phrases: frozenset[tuple[str, ...]]) -> list[tuple[int, int]]:
    """`(token index, end char)` of each occurrence of `phrases` in `tokens`."""
    starting = _by_first_word(phrases)
    found = []
    for index, (_, word) in enumerate(tokens):
        for phrase in starting.get(word, ()):
            if tuple(t for _, t in tokens[index : index + len(phrase)]) == phrase:
                found.append((index, tokens[min(index + len(phrase), len(tokens)) - 1][0]))
    return sorted(found)


def _works(tokens: Sequence[tuple[int, str]], leading: list[int], rules: ClaimRules) -> bool:
    """Whether a negation is followed by a verb of doing the work ("Do not modify CI")."""
    after = {t for _, t in tokens[max(leading) + 1 : max(leading) + 4]}
    return bool(after & rules.work_verbs)


def read_line(
    text: str,
    section: Stance | None,
    areas: list[Span],
    roles: list[tuple[Span, bool]],
    rules: ClaimRules,
) -> list[LineClaim]:
    """The stances a line takes. `section`: the stance of the section it is in, if any;
    `areas`: where it names areas; `roles`: where it names other roles, each with whether
    the role is one the writer relies on ("depends on", "delegates to")."""
    claims: list[LineClaim] = []
    forbidden: list[str] = []
    owners: list[str] = []
    first = min((area.start for area in areas), default=0)
    for start, end, parenthesised in clauses(text):
        tokens = [(m.start(), m[0].lower()) for m in _WORD.finditer(text, start, end)]
        if not tokens:
            continue
        here = [a for a in areas if start <= a.start < end]
        named = [(r, relied) for r, relied in roles if start <= r.start < end]
        negations = _phrases(tokens, rules.negations)
        # a negation that opens the clause, after at most "you", "we", "please" …; after a
        # noun ("Customers don't care") it is a statement about someone else
        leading = [i for i, _ in negations if i <= 2 and all(is_function_word(t) for _, t in tokens[:i])]
        if leading and rules.lifting & {t for _, t in tokens[leading[0] : leading[0] + 4]}:
            continue  # "You don't need to …", "Don't forget to …": neither a duty nor a prohibition
        prohibits = (
            bool(leading)
            and any(  # "Do not …", "You may not …", "Agents are not allowed to …"
                index <= (2 if section else 1) and all(is_function_word(t) for _, t in tokens[:index])
                for index, _ in _phrases(tokens, rules.prohibiting)
            )
        )
        later = [tokens[index][0] for index, _ in negations if index not in leading]
        cut = min([tokens[index][0] for index, _ in _phrases(tokens, rules.exceptions)] + later, default=end)
        handed = _phrases(tokens, rules.handing)
        owning = _phrases(tokens, rules.owning)
        if parenthesised or handed:
            owners += [r.key for r, _ in named if parenthesised or any(r.start >= at for _, at in handed)]
        before = [r.key for r, _ in named if owning and r.end <= tokens[owning[0][0]][0]]
        subject = before[-1:]  # "The Scribe is responsible for …": the role just before the phrase
        stance: Stance | None
        if leading and section in _RULE_SECTIONS and not named and not _works(tokens, leading, rules):
            stance = section  # "Never log secrets" among standards: a rule about logging
        elif prohibits or (leading and section is not None):
            stance = Stance.MUST_NOT  # "Do not deploy"; "(no external API design)" in a scope list
        elif leading:
            stance = None  # "No secrets in logs" in a playbook step: a rule, not a boundary
        elif owning:
            stance = Stance.OWNS
        elif any(relied for _, relied in named):
            stance = Stance.RELIES_ON
        else:
            stance = section
        if stance is None:
            continue
        for area in here:
            if area.start >= cut:
                continue
            if owning and area.start < tokens[owning[0][0]][0] and not subject:
                continue  # the phrase claims what follows it
            who: list[str | None] = [*subject] or [None]
            lead = area.start == first or bool(owning) or prohibits
            claims += [LineClaim(role, area.key, stance, lead) for role in who]
            if stance is Stance.MUST_NOT:
                forbidden.append(area.key)
    if len(set(owners)) == 1:  # "(Backender/Frontender)" after two areas: who owns which is not said
        claims += [LineClaim(owners[0], area, Stance.OWNS) for area in forbidden]
    return list(dict.fromkeys(claims))
