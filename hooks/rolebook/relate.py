"""Mentions of roles in prose, and what the sentences around them say: relations and
escalation triggers.

Matching is one pass over a text's words: at each word, the next few words are looked up
in a dict of every known name (names are a few words long), so the cost grows with the
text, not with the number of roles. The rules — which phrases are cues, which words end a
role's name, which words are people — are data (`relations.yml`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import yaml

from .cache import BuildCache
from .lexical import is_agent_noun
from .model import (
    Document,
    Escalation,
    Finding,
    Item,
    Level,
    Relation,
    RelationType,
    Role,
    RoleStatus,
    Section,
)
from .names import description_anchor, item_anchor, slugify, split_abbreviation
from .vocabulary import Vocabulary
from .workers import map_groups

T = TypeVar("T")

DEFAULT_RULES = Path(__file__).with_name("relations.yml")

_WORD = re.compile(r"[^\W_]+")
"""Words of names and text; `_` separates words as `-` does (`qa_expert` is `qa-expert`)."""
_NAME_JOINERS = frozenset({" ", "-", "_", " & "})
"""What may stand between the words of a name: "Database Architect", `data-engineer`,
"Sales & Support"."""
_CLAUSE_END = re.compile(r"[.!?;:]")
_GLUE = re.compile(r"^(?:\s*\([^()]*\))?\s*(?:,\s*(?:and|or)?|/|&|\band\b|\bor\b)?\s*$", re.IGNORECASE)
_PATHISH = re.compile(r"[^\s()\[\]{},;\"'`<>|]*/[^\s()\[\]{},;\"'`<>|]*")
_PARENTHETICAL = re.compile(r"\(([^()]*)\)")
_UNSPECIFIED = "unspecified"
_KEPT_ON_ESCALATION = frozenset({RelationType.DELEGATES_TO, RelationType.DEPENDS_ON})
_KEPT_FOR_SKILLS = frozenset({RelationType.DELEGATES_TO, RelationType.ESCALATES_TO})
"""Relations that say the same of a skill as of a role; any other naming of a skill uses it."""
_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Z0-9]{1,5})\)")
_NAMED_PERSON = re.compile(
    r"(?<![\w-])(?:page|notify|call|alert|escalate to|ask)\s+(?:the\s+|a\s+|an\s+)?"
    r"((?:[\w-]+\s+){0,3}?[\w-]+)(?=\s*(?:[.,;:!?)]|$)|\s+(?:if|when|to|for|about|and|or|with|before|after)\b)",
    re.IGNORECASE,
)
"""Who a line escalates to when no role is named: "page the on-call engineer"."""


def words(text: str) -> tuple[str, ...]:
    """Lower-cased words of a phrase, as the matcher compares them."""
    return tuple(_WORD.findall(text.lower()))


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
        persons=tuple(sorted({words(p) for p in phrase_list("persons")}, key=len, reverse=True)),
        escalation_phrases=tuple(sorted({words(p) for p in phrase_list("escalation_phrases")}, key=len, reverse=True)),
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


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str


def tokenize(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m[0], m[0].lower()) for m in _WORD.finditer(text)]


def _could_name(text: str, starts: dict[str, int]) -> bool:
    """Cheap first look: does any word of `text` start a known name?"""
    return any(m[0].lower() in starts for m in _WORD.finditer(text))


def path_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges that are file paths or URLs (`/ops/commander/`, `src/x.md`), where
    no name is ever matched. A slash between capitalised names ("Builder/Refactorer") is
    not a path."""
    spans = []
    for match in _PATHISH.finditer(text):
        run = match[0]
        if run.startswith(("/", ".", "~")) or not any(c.isupper() for c in run) or re.search(r"\.\w{1,5}$", run):
            spans.append((match.start(), match.end()))
    return spans


@dataclass(frozen=True)
class Name:
    """A name a role is known by, as the matcher uses it."""

    role: str
    words: tuple[str, ...]
    acronym: str | None = None
    """For an all-capitals name ("IC", "QA"): the exact spelling, matched case-sensitively."""
    agentive: bool = True
    """For a one-word name: whether it reads as a role ("Integrator") rather than as an
    ordinary word ("backend", "review"), which needs a cue or a mid-sentence capital."""
    skill: bool = False
    """A skill's name: matched only as its id ("cost-optimization") or before a context
    noun ("the pdf skill")."""


@dataclass(frozen=True)
class Mention:
    """A name found in a text."""

    start: int
    end: int
    role: str
    cue: RelationType | None
    """The relation a cue right before the name says, or one inherited along a list."""
    cue_text: str = ""


@dataclass
class Lexicon:
    """Every name of every known role, for a linear scan."""

    rules: RelationRules
    names: dict[tuple[str, ...], Name] = field(default_factory=dict)
    longest: int = 1
    starts: dict[str, int] = field(default_factory=dict)
    """First word of every name (and its plural) -> length of the longest name it starts:
    most words start no name, and cost one dict lookup."""

    def add(self, role: str, name: str, skill: bool = False) -> None:
        key = words(name)
        if not key or key in self.names:
            return
        for first in (key[0], key[0] + "s"):
            self.starts[first] = max(self.starts.get(first, 0), len(key))
        compact = name.strip()
        acronym = compact if len(key) == 1 and compact.isupper() and compact.isalpha() and len(compact) >= 2 else None
        agentive = len(key) > 1 or self.rules.is_role_word(compact[:1].upper() + compact[1:])
        self.names[key] = Name(role, key, acronym, agentive, skill)
        self.longest = max(self.longest, len(key))

    def forget(self, roles: set[str]) -> None:
        """Drop every name of `roles`."""
        kept = [name for name in self.names.values() if name.role not in roles]
        self.names, self.starts, self.longest = {}, {}, 1
        for name in kept:
            for first in (name.words[0], name.words[0] + "s"):
                self.starts[first] = max(self.starts.get(first, 0), len(name.words))
            self.names[name.words] = name
            self.longest = max(self.longest, len(name.words))

    def fingerprint(self) -> int:
        """Changes when any name, or the role it names, changes (within this process)."""
        return hash(tuple(sorted((key, n.role, n.acronym, n.agentive, n.skill) for key, n in self.names.items())))

    def lookup(self, key: tuple[str, ...]) -> Name | None:
        found = self.names.get(key)
        if found is None and key and key[-1].endswith("s") and len(key[-1]) > 3:
            found = self.names.get((*key[:-1], key[-1][:-1]))
        return found

    def find(self, text: str, tokens: list[_Token] | None = None) -> list[Mention]:
        """Every mention in `text` (whose `tokens` may be given), longest names first, never
        inside a path."""
        if tokens is None:
            if not _could_name(text, self.starts):
                return []
            tokens = tokenize(text)
        elif not any(token.lower in self.starts for token in tokens):
            return []
        blocked = path_spans(text)
        mentions: list[Mention] = []
        index = 0
        previous: Mention | None = None
        while index < len(tokens):
            token = tokens[index]
            if any(start <= token.start < end for start, end in blocked):
                index += 1
                continue
            match = self._match_at(text, tokens, index)
            if match is None:
                index += 1
                continue
            name, length = match
            last = tokens[index + length - 1]
            cue, cue_text = cue_before(text, tokens, index, self.rules)
            if cue is None and previous is not None and _GLUE.match(text[previous.end : token.start]):
                cue, cue_text = previous.cue, previous.cue_text
            if cue is None:
                cue, cue_text = cue_after(text, tokens, index + length, self.rules)
            if not self._accept(name, text, tokens, index, cue, length) or (
                cue is None and self._verb_use(text, tokens, index, length)
            ):
                index += 1
                continue
            mention = Mention(token.start, last.end, name.role, cue, cue_text)
            mentions.append(mention)
            previous = mention
            index += length
        return mentions

    def _match_at(self, text: str, tokens: list[_Token], index: int) -> tuple[Name, int] | None:
        longest = self.starts.get(tokens[index].lower, 0)
        if not longest:
            return None
        if index > 0 and text[tokens[index - 1].end : tokens[index].start] in ("-", "_"):
            return None  # inside a hyphenated word
        for length in range(min(longest, len(tokens) - index), 0, -1):
            span = tokens[index : index + length]
            if any(not _joins(text, a, b) for a, b in zip(span, span[1:], strict=False)):
                continue
            following = index + length
            if following < len(tokens) and text[span[-1].end : tokens[following].start] in ("-", "_"):
                continue
            name = self.lookup(tuple(t.lower for t in span))
            if name is not None:
                return name, length
        return None

    def _accept(
        self, name: Name, text: str, tokens: list[_Token], index: int, cue: RelationType | None, length: int = 1
    ) -> bool:
        if name.skill:
            following = index + length
            as_id = length > 1 and all(
                text[a.end : b.start] in "-_"
                for a, b in zip(tokens[index:following], tokens[index + 1 : following], strict=False)
            )
            return as_id or (following < len(tokens) and tokens[following].lower in self.rules.role_context)
        if len(name.words) > 1:
            return True
        word = tokens[index].text
        if name.acronym is not None:
            return word == name.acronym
        if not word[:1].isupper():
            return cue is not None
        if name.agentive or cue is not None:
            return True
        # a name that opens a line as its addressee ("Scribe: polish docs", "Deputy, can you
        # page …") is the role
        addressed = text[tokens[index + length - 1].end :][:1] in (":", ",") and not text[: tokens[index].start].strip()
        return addressed or not _starts_clause(text, tokens, index)

    def _verb_use(self, text: str, tokens: list[_Token], index: int, length: int) -> bool:
        """Whether a one-word name opens a clause as an imperative verb: "Architect a Flutter
        app", "Review the diff" (a verb, then an article)."""
        following = index + length
        return (
            length == 1
            and _starts_clause(text, tokens, index)
            and following < len(tokens)
            and tokens[following].lower in self.rules.articles
            and text[tokens[index].end : tokens[following].start] == " "
        )


def _joins(text: str, left: _Token, right: _Token) -> bool:
    """Whether two words can be parts of one name: a space, `-` or `_` between them, or a
    dot between digits (`powershell-5.1-expert`)."""
    between = text[left.end : right.start]
    return between in _NAME_JOINERS or (between == "." and left.text.isdigit() and right.text.isdigit())


def _starts_clause(text: str, tokens: list[_Token], index: int) -> bool:
    if index == 0:
        return True
    between = text[tokens[index - 1].end : tokens[index].start]
    return bool(_CLAUSE_END.search(between)) or "|" in between


def cue_before(text: str, tokens: list[_Token], index: int, rules: RelationRules) -> tuple[RelationType | None, str]:
    """The cue right before word `index` (articles skipped, same clause), if any."""
    position = index - 1
    while position >= 0 and tokens[position].lower in rules.articles:
        if _CLAUSE_END.search(text[tokens[position].end : tokens[position + 1].start]):
            return None, ""
        position -= 1
    if position < 0 or _CLAUSE_END.search(text[tokens[position].end : tokens[position + 1].start]):
        return None, ""
    for length in range(min(rules.longest_cue, position + 1), 0, -1):
        span = tokens[position - length + 1 : position + 1]
        if any(_CLAUSE_END.search(text[a.end : b.start]) for a, b in zip(span, span[1:], strict=False)):
            continue
        kind = rules.cues.get(tuple(t.lower for t in span))
        if kind is not None:
            return kind, text[span[0].start : span[-1].end]
    return None, ""


def cue_after(text: str, tokens: list[_Token], index: int, rules: RelationRules) -> tuple[RelationType | None, str]:
    """The cue right after a name that ends before word `index`, in the same clause."""
    if index >= len(tokens) or not rules.cues_after:
        return None, ""
    for length in (3, 2, 1):
        span = tokens[index : index + length]
        if len(span) < length or any(
            _CLAUSE_END.search(text[a.end : b.start]) for a, b in zip(span, span[1:], strict=False)
        ):
            continue
        if _CLAUSE_END.search(text[tokens[index - 1].end : span[0].start]) if index else False:
            return None, ""
        kind = rules.cues_after.get(tuple(t.lower for t in span))
        if kind is not None:
            return kind, text[span[0].start : span[-1].end]
    return None, ""


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> int:
    """Index of `needle` in `haystack` as a run of words, or -1."""
    size = len(needle)
    for start in range(len(haystack) - size + 1):
        if haystack[start : start + size] == needle:
            return start
    return -1


# -- Discovering roles that no document defines -------------------------------------------


def _candidate(text: str, tokens: list[_Token], index: int, rules: RelationRules) -> tuple[str, int] | None:
    """A role-shaped name starting at word `index`: Title Case words ending in a role word
    ("Database Architect", "Integrator") or a hyphenated id ending in a role noun
    ("data-engineer"). Returns the name as written and how many words it spans."""
    first = tokens[index]
    if first.text.islower():
        end = index
        while end + 1 < len(tokens) and text[tokens[end].end : tokens[end + 1].start] == "-":
            end += 1
        if end > index and tokens[end].lower in rules.role_nouns and tokens[end].text.islower():
            return text[first.start : tokens[end].end], end - index + 1
        return None
    best: tuple[str, int] | None = None
    end = index
    while end < len(tokens) and end - index < 3:
        word = tokens[end].text
        if not word[:1].isupper() or word.isupper() and len(word) > 1 and end > index:
            break
        if end > index and text[tokens[end - 1].end : tokens[end].start] != " ":
            break
        if rules.is_role_word(word):
            best = (text[first.start : tokens[end].end], end - index + 1)
        end += 1
    if best is not None:
        last = tokens[index + best[1] - 1]
        if re.match(r"-\w", text[last.end : last.end + 2]):
            return None  # the start of a hyphenated compound ("Computer-Use"), not a name
    return best


def discover_names(
    text: str, in_boundaries: bool, rules: RelationRules, tokens: list[_Token] | None = None
) -> list[str]:
    """Names of roles a text clearly uses as roles, each once: after a cue ("Ask the
    Database Architect", "notify Integrator (gaps), Verifier"), inside a boundary item's
    parentheses ("CI/CD (Releaser)"), or hyphenated role ids ("data-engineer")."""
    return list(dict.fromkeys(_discover(text, in_boundaries, rules, tokens)))


def _discover(
    text: str, in_boundaries: bool, rules: RelationRules, tokens: list[_Token] | None = None
) -> Iterator[str]:
    tokens = tokens if tokens is not None else tokenize(text)
    blocked = path_spans(text)
    free = [not any(a <= t.start < b for a, b in blocked) for t in tokens]
    index = 0
    while index < len(tokens):
        if not free[index]:
            index += 1
            continue
        found = _candidate(text, tokens, index, rules)
        if found is not None and "-" in found[0]:
            yield found[0]
            index += found[1]
            continue
        cue, cue_text = cue_before(text, tokens, index, rules) if found is not None else (None, "")
        if found is not None and cue is not None and words(cue_text) not in rules.weak_cues:
            yield found[0]
            end = index + found[1]
            # a list after the cue: "notify Integrator (client gaps), Verifier (test focus)"
            last_end, scan = tokens[end - 1].end, end
            while scan < len(tokens) and free[scan]:
                glue = text[last_end : tokens[scan].start]
                if _GLUE.match(glue):
                    following = _candidate(text, tokens, scan, rules)
                    if following is not None:
                        yield following[0]
                        scan += following[1]
                        last_end, end = tokens[scan - 1].end, scan
                        continue
                if glue.count("(") <= glue.count(")") and not _GLUE.match(glue):
                    break
                scan += 1  # still inside a parenthetical comment
            index = end
            continue
        index += 1
    if in_boundaries:
        for match in _PARENTHETICAL.finditer(text):
            if any(a <= match.start() < b for a, b in blocked):
                continue
            for part in re.split(r"\s*(?:/|,|\bor\b|\band\b)\s*", match[1]):
                part_tokens = tokenize(part)
                if not part_tokens:
                    continue
                start = 0
                for length in range(min(rules.longest_cue, len(part_tokens)), 0, -1):
                    if tuple(t.lower for t in part_tokens[:length]) in rules.cues:
                        start = length
                        break
                while start < len(part_tokens) and part_tokens[start].lower in rules.articles:
                    start += 1
                if start < len(part_tokens):
                    found = _candidate(part, part_tokens, start, rules)
                    if found is not None and start + found[1] == len(part_tokens):
                        yield found[0]


# -- Relations and escalations ------------------------------------------------------------


def relation_type(
    cue: RelationType | None, section: str | None, section_types: dict[str, RelationType] | None = None
) -> RelationType:
    """The relation a mention expresses: a boundary item names who does it instead; in an
    escalation trigger, a role named by a cue is where it escalates; elsewhere the cue says,
    else the section (`section_types`: a Handoffs section hands off)."""
    if section == "boundaries":
        return RelationType.DELEGATES_TO
    if section == "escalation":
        if cue is not None and cue is not RelationType.DEPENDS_ON:
            return RelationType.ESCALATES_TO
        return RelationType.MENTIONS
    if cue is not None:
        return cue
    return (section_types or {}).get(section or "", RelationType.MENTIONS)


def _conditional_contact(text: str, rules: RelationRules) -> bool:
    """Whether a sentence reaches someone under a condition: "If the IC is unreachable,
    notify the executive on-call". The contact word must be a verb with an object: not
    inside a word ("on-call"), not a noun after an article ("ends the call", "an alert"),
    and followed by an article or a name ("page the …", "notify Ops")."""
    tokens = tokenize(text)
    seen_condition = False
    for index, token in enumerate(tokens):
        if token.lower in rules.conditions:
            seen_condition = True
        elif seen_condition and token.lower in rules.contact_verbs and text[token.start - 1 : token.start] != "-":
            noun = index > 0 and tokens[index - 1].lower in rules.articles
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            has_object = following is not None and (following.lower in rules.articles or following.text[:1].isupper())
            if not noun and has_object:
                return True
    return False


def _escalation(
    role: Role,
    document: Document,
    section: str | None,
    item: Item,
    part: Item,
    mentions: list[Mention],
    lexicon: Lexicon,
) -> list[Escalation]:
    """The escalation trigger a line states, if it is one — every line of an Escalation
    section, any line with an escalation phrase ("STOP and ask", "Hit a blocker"), and any
    line that reaches someone under a condition — as one row per target ("loop
    Integrator/Owner" gives two)."""
    rules = lexicon.rules
    item_words = words(part.prose or part.text)
    if len(item_words) < 2 or item.kind == "quote":
        return []  # a label or a caption ("Escalation"); a quoted example of what to say
    phrase_at = -1
    phrase: tuple[str, ...] = ()
    conditional = not rules.conditions.isdisjoint(item_words) and _conditional_contact(part.text, rules)
    if section != "escalation" and rules.escalation_starts.isdisjoint(item_words) and not conditional:
        return []
    for candidate in rules.escalation_phrases:
        at = _contains(item_words, candidate)
        if at >= 0:
            phrase_at, phrase = at, candidate
            break
    if section != "escalation" and phrase_at < 0 and not conditional:
        return []
    cells = [c.strip() for c in part.text.split(" | ")] if part.kind == "table row" else []
    # the roles a cue names ("escalate to", "ask the", "loop in"); a role merely mentioned in
    # the trigger ("If the IC is unreachable"), or named as where not to go ("not to the
    # architect"), is not where it escalates
    targets = [
        m
        for m in mentions
        if m.role != role.id
        and m.cue is not None
        and m.cue is not RelationType.DEPENDS_ON
        and not _negated(part.prose, m, rules)
    ]
    found: list[tuple[str, bool, str]] = [(m.role, True, m.cue_text or "names") for m in dict.fromkeys(targets)]
    if not found:
        # no role named: the person or group the line names, else one from the persons list
        named = _NAMED_PERSON.search(part.text)
        if named is not None and _is_person(named[1], rules):
            found = [(named[1].strip(), False, named[0].split()[0])]
        else:
            person = next(
                (_as_written(part.text, p) for p in rules.persons if _contains(item_words, p) >= 0), _UNSPECIFIED
            )
            found = [(person, False, "")]
    rows = []
    for target, is_role, action in found:
        if cells and len(cells) > 1:
            action = " + ".join(c for c in cells[1:] if c)
        elif phrase_at >= 0 and not (is_role and action != "names"):
            tokens = tokenize(part.text)
            at = _contains(tuple(t.lower for t in tokens), phrase)
            if at >= 0:
                clauses = [c.strip() for c in _CLAUSE_END.split(part.text[tokens[at].start :]) if c.strip()]
                action = clauses[0] if clauses else ""
                if words(action) == phrase and len(clauses) > 1:
                    action = clauses[1]  # "If blocked: Comment on Linear + set Blocked"
        rows.append(
            Escalation(
                role=role.id,
                trigger=part.text,
                target=target,
                target_is_role=is_role,
                action=action[:120] or "escalate",
                path=document.path,
                line=part.line,
                anchor=line_anchor(document, item),
            )
        )
    return rows


def _nearest(role: Role, document: Document, target: str, family_of: dict[str, list[Role]]) -> str | None:
    """The copy of `target` nearest to `document` (the longest shared folder path); `None`
    when `role` is itself a copy of it (a card naming its own agent)."""
    family = family_of.get(target)
    if family is None:
        return target
    if any(member.id == role.id for member in family):
        return None
    folders = document.path.split("/")[:-1]

    def shared(member: Role) -> int:
        theirs = member.documents[0].path.split("/")[:-1] if member.documents else []
        count = 0
        for mine, other in zip(folders, theirs, strict=False):
            if mine != other:
                break
            count += 1
        return count

    return max(family, key=shared).id  # ties: the first copy


def _heading_anchor(document: Document, section: Section) -> str:
    """Where a heading's relation points on its role page: the first item under it (or after
    it), since headings move and are renamed when documents merge, and items keep their id."""
    lines = [item.line for s in document.sections if s.line >= section.line for item in s.items]
    lines = lines or [item.line for s in document.sections for item in s.items]
    return item_anchor(document.name, min(lines)) if lines else ""


def _as_written(text: str, phrase: tuple[str, ...]) -> str:
    """A phrase of lower-cased words as `text` writes it ("on-call", not "on call")."""
    found = re.search(r"(?<!\w)" + r"[\s_-]+".join(map(re.escape, phrase)) + r"(?!\w)", text, re.IGNORECASE)
    return found[0] if found else " ".join(phrase)


def _negated(prose: str, mention: Mention, rules: RelationRules) -> bool:
    """Whether a negation stands in the few words before a mention's cue: "escalate to a
    human, not to the architect"."""
    before = words(prose[max(0, mention.start - 40) : mention.start])[-4:]
    return any((word,) in rules.negations for word in before)


def _is_person(phrase: str, rules: RelationRules) -> bool:
    """Whether a phrase names someone ("the on-call engineer", "the executive on-call", "a
    human"), not a thing or a fragment of the sentence ("routing", "for capsule update")."""
    key = words(phrase)
    if not key or key[0] in rules.articles - {"the", "a", "an"} or (key[0],) in rules.cues:
        return False
    if any(key[-len(p) :] == p for p in rules.persons):
        return True
    return rules.is_person_word(phrase.strip().split()[-1].strip(".,;:!?"))


@dataclass(frozen=True)
class Relations:
    """What `relate` finds."""

    roles: tuple[Role, ...]
    """Every role, including those only referenced, sorted by id."""
    relations: tuple[Relation, ...]
    escalations: tuple[Escalation, ...]
    lexicon: Lexicon
    findings: tuple[Finding, ...]
    overview_relations: tuple[Relation, ...] = ()
    """Mentions of roles in overview documents (READMEs, indexes): linked on their pages,
    but not relations between roles."""


def item_lines(role: Role, vocabulary: Vocabulary) -> Iterable[tuple[Document, str | None, Item, Item]]:
    """Each line of text of each item: `(document, section key, item, part)`, the part as
    an `Item` of its own. A label line — a playbook step's title ("HANDOFF") or a paragraph
    such as "Escalate When:" — puts the lines under it in the section it names."""
    for document in role.documents:
        if document.description:  # front matter: "Use when … delegate to backend-developer"
            line = _front_matter_line(document.text, "description")
            text = document.description
            yield document, "mission", Item(line, "description", text, text), Item(line, "description", text, text)
        for section in document.sections:
            label_context: str | None = None
            for item in section.items:
                first = item.parts[0][1] if item.parts else ""
                label = vocabulary.section_for(first.rstrip(": ")) if len(first) < 40 else None
                if item.kind == "paragraph" and first.rstrip().endswith(":"):
                    label = label or vocabulary.label_for(first.rstrip(": "))
                    label_context = label
                    if label is not None:
                        continue
                context = label or label_context or section.canonical
                for index, (line, text, prose) in enumerate(item.parts):
                    if index == 0 and label is not None and item.kind == "list item":
                        continue  # the step's title itself
                    yield document, context, item, Item(line, item.kind, text, prose)


def _heading_kind(path: tuple[str, ...], rules: RelationRules) -> RelationType | None:
    """The relation the innermost heading of `path` with a telling word states."""
    for title in reversed(path):
        for word in words(title):
            kind = rules.heading_types.get((word,))
            if kind is not None:
                return kind
    return None


def _front_matter_line(text: str, key: str) -> int:
    """1-based line of `key:` in a document's front matter (1 when not found)."""
    for number, line in enumerate(text.split("\n")[1:60], start=2):
        if line.startswith(f"{key}:"):
            return number
        if line.strip() == "---":
            break
    return 1


def line_anchor(document: Document, item: Item) -> str:
    """Where an item is on its role page (a front-matter description has an anchor of its own)."""
    return description_anchor(document.name) if item.kind == "description" else item_anchor(document.name, item.line)


Line = tuple[Role, Document, str | None, Item, Item]
"""A line of text of a role's document: `(role, document, section key, item, part)`."""


def line_groups(lines: list[Line]) -> list[tuple[tuple[str, str, str], int, int]]:
    """Runs of `lines` from one role's document: `((role id, path, digest), start, stop)`."""
    groups: list[tuple[tuple[str, str, str], int, int]] = []
    for index, (role, document, *_) in enumerate(lines):
        key = (role.id, document.path, document.digest)
        if groups and groups[-1][0] == key and groups[-1][2] == index:
            groups[-1] = (key, groups[-1][1], index + 1)
        else:
            groups.append((key, index, index + 1))
    return groups


def relate(
    roles: Iterable[Role],
    rules: RelationRules,
    vocabulary: Vocabulary,
    workers: int = 1,
    results: BuildCache[Hashable, list[Any]] | None = None,
    confirmed: Iterable[str] = (),
    forbidden: frozenset[str] = frozenset(),
) -> Relations:
    """Find every mention of every role, discover the roles nobody defines, and type each
    mention by its sentence; large libraries are read by `workers` processes. With
    `results`, a document whose text, vocabulary and role names did not change since the
    last build is not read again. A site's overlay may `confirmed` names as roles that no
    document defines, and `forbidden` (lower-cased) names from ever being such roles."""
    known = list(roles)
    lexicon = Lexicon(rules)
    for role in known:
        if role.status is RoleStatus.OVERVIEW:
            continue  # a README's title names no role
        for name in (role.name, role.id, *role.aliases, *([role.metadata.id] if role.metadata else [])):
            lexicon.add(role.id, name, role.is_skill)
    overviews = {role.id for role in known if role.status is RoleStatus.OVERVIEW}
    # copies of one agent card in several folders: a mention goes to the nearest copy
    by_id = {role.id: role for role in known}
    families: dict[str, list[Role]] = {}
    for role in known:
        if role.copy_of is not None:
            families.setdefault(role.copy_of, [by_id[role.copy_of]]).append(role)
    family_of = {member.id: members for members in families.values() for member in members}
    skills = {role.id for role in known if role.is_skill}

    # Every line of text; each pass below reads them all, spread over `workers` processes
    # (the lexicon a pass reads is the one its workers were forked with).
    lines: list[Line] = [(role, *line) for role in known for line in item_lines(role, vocabulary)]
    groups = line_groups(lines)
    rules_print = hash(repr(rules))

    def passes(task: Callable[[Role, Document, str | None, Item, Item], T]) -> list[T]:
        key = (task.__name__, vocabulary.fingerprint, rules_print, lexicon.fingerprint())
        keyed = [((*key, *group), start, stop) for group, start, stop in groups]
        return map_groups(lambda index: task(*lines[index]), keyed, workers, 2000, results)

    # First pass: abbreviations the documents define ("Incident Commander (IC)" makes "IC" a
    # name of the role, matched case-sensitively as a whole word), and names of roles that
    # no document defines (neither depends on the other's findings).
    def new_names(
        role: Role, document: Document, context: str | None, item: Item, part: Item
    ) -> tuple[list[tuple[str, str]], list[str]]:
        abbreviations = []
        if "(" in part.prose:
            for mention in lexicon.find(part.prose):
                found = _ABBREVIATION.match(part.prose, mention.end)
                # an abbreviation spells the name's initials: "Designer (UI)" is no abbreviation
                named = f"{part.prose[mention.start : mention.end]} ({found[1]})" if found else ""
                if found and split_abbreviation(named)[1] and lexicon.lookup(words(found[1])) is None:
                    abbreviations.append((mention.role, found[1]))
        names = discover_names(part.prose, context == "boundaries", rules)
        return abbreviations, [name for name in names if lexicon.lookup(words(name)) is None]

    found_names = passes(new_names)
    abbreviations: dict[str, list[str]] = {}
    for defined, _ in found_names:
        for role_id, abbreviation in defined:
            if lexicon.lookup(words(abbreviation)) is None:
                lexicon.add(role_id, abbreviation)
                abbreviations.setdefault(role_id, []).append(abbreviation)
    if abbreviations:
        known = [replace(r, aliases=(*r.aliases, *abbreviations[r.id])) if r.id in abbreviations else r for r in known]

    taken = {role.id for role in known}
    referenced: dict[str, Role] = {}
    for names in [list(confirmed), *(names for _, names in found_names)]:
        for name in names:
            if name.strip().lower() not in forbidden and lexicon.lookup(words(name)) is None:
                new_id = slugify(name)
                while new_id in taken:
                    new_id += "-role"
                taken.add(new_id)
                referenced[new_id] = Role(new_id, name, (), (), "", status=RoleStatus.REFERENCED)
                lexicon.add(new_id, name)

    # What the headings over each item say naming a role there does ("Collaboration Matrix").
    heading_kinds: dict[tuple[str, int], RelationType] = {}
    if rules.heading_types:
        for role in known:
            for document in role.documents:
                for section in document.sections:
                    kind = _heading_kind(section.path, rules)
                    if kind is not None:
                        for item in section.items:
                            heading_kinds[(document.path, item.line)] = kind

    # A link written in a document to another role's document names that role, whatever
    # its text says ("[the deputy](deputy.md)", a README's "### [cpp-pro](cpp-pro.md)").
    owner = {d.abs_path: r.id for r in known if r.status is not RoleStatus.OVERVIEW for d in r.documents}

    links_at: dict[tuple[str, int], list[str]] = {}
    for role in known:
        for document in role.documents:
            for link in document.links:
                if not link.image and link.target in owner:
                    links_at.setdefault((document.path, link.line), []).append(owner[link.target])

    def linked(role: Role, document: Document, line: int, named: Iterable[str]) -> list[str]:
        targets = links_at.get((document.path, line), ())
        named = set(named)
        return [t for t in dict.fromkeys(targets) if t != role.id and t not in named]

    # Second pass, with every name known: what each line says about other roles.
    def related(
        role: Role, document: Document, context: str | None, item: Item, part: Item
    ) -> tuple[list[Relation], list[Escalation]]:
        mentions = [m for m in lexicon.find(part.prose) if m.role != role.id]
        targets = [(m.role, relation_type(m.cue, context, rules.section_types)) for m in mentions]
        if document.links:
            targets += [
                (t, relation_type(None, context, rules.section_types))
                for t in linked(role, document, part.line, (m.role for m in mentions))
            ]
        heading = heading_kinds.get((document.path, item.line))
        if heading is not None:
            targets = [(t, heading if k is RelationType.MENTIONS else k) for t, k in targets]
        if family_of:
            targets = [(t, k) for t, k in ((_nearest(role, document, t, family_of), k) for t, k in targets) if t]
        if role.status is RoleStatus.OVERVIEW:  # an index names roles; it does nothing with them
            targets = [(target, RelationType.MENTIONS) for target, _ in targets]
        elif skills:  # work is not handed to a skill: it is used
            targets = [
                (t, RelationType.USES_SKILL if t in skills and k not in _KEPT_FOR_SKILLS else k) for t, k in targets
            ]
        found = [
            Relation(
                source=role.id,
                target=target,
                type=kind,
                path=document.path,
                line=part.line,
                sentence=part.text,
                section=context,
                anchor=line_anchor(document, item),
            )
            for target, kind in targets
        ]
        rows = _escalation(role, document, context, item, part, mentions, lexicon)
        if rows and role.status is not RoleStatus.OVERVIEW:
            # the role a line escalates to is what the line says of it ("To Product Manager:
            # escalate scope changes"), unless the work is theirs (a boundary) or relied on
            up = {row.target for row in rows if row.target_is_role}
            found = [
                replace(r, type=RelationType.ESCALATES_TO)
                if r.target in up and r.type not in _KEPT_ON_ESCALATION
                else r
                for r in found
            ]
        return found, rows

    # Headings are no lines of text, but a heading that names a role ("## Steps for Deputy"),
    # or links to its document, mentions it.
    def heading_targets(role: Role, document: Document, section: Section) -> list[str]:
        whole = lexicon.lookup(words(split_abbreviation(section.title)[0]))  # "## Scribe"
        found = [whole.role] if whole is not None else [m.role for m in lexicon.find(section.title)]
        named = [target for target in found if target != role.id]
        return list(dict.fromkeys([*named, *linked(role, document, section.line, named)]))

    heading_links = [
        Relation(
            role.id,
            target,
            RelationType.MENTIONS,
            document.path,
            section.line,
            section.title,
            section.canonical,
            _heading_anchor(document, section),
        )
        for role in known
        for document in role.documents
        for section in document.sections
        if section.level > 0
        for target in heading_targets(role, document, section)
    ]

    relations: list[Relation] = []
    escalations: list[Escalation] = []
    seen: set[tuple[str, str, RelationType, str, int]] = set()
    overview_relations: list[Relation] = []
    for stated, rows in [*passes(related), (heading_links, [])]:
        for relation in stated:
            key = (relation.source, relation.target, relation.type, relation.path, relation.line)
            if key not in seen:
                seen.add(key)
                (overview_relations if relation.source in overviews else relations).append(relation)
        escalations.extend(row for row in rows if row.role not in overviews)

    naming: dict[str, list[Relation]] = {}
    for relation in relations:
        if relation.target in referenced:
            naming.setdefault(relation.target, []).append(relation)
    # A name discovered in one spelling may never be matched as a mention, because a longer
    # name always wins ("(Review Steward)" read as the cue "review" + "Steward", where Review
    # Steward is a role): such a role is named by no line, so it is not listed.
    unnamed = {role_id for role_id in referenced if role_id not in naming}
    if unnamed:
        lexicon.forget(unnamed)
        referenced = {role_id: role for role_id, role in referenced.items() if role_id not in unnamed}
    findings = []
    for role_id, role in referenced.items():
        citing = naming.get(role_id, [])
        count = len(citing)
        findings.append(
            Finding(
                min((r.path for r in citing), default=role_id),
                None,
                Level.INFO,
                f"role '{role.name}' is referenced {count} time{'s' if count != 1 else ''} "
                "but no document defines it (see the Gaps page)",
            )
        )
        sources = sorted({r.source for r in citing})
        referenced[role_id] = replace(
            role, summary=f"Referenced by {', '.join(sources)}; no document defines this role yet."
        )
    every = sorted([*known, *referenced.values()], key=lambda r: r.id)
    listed = tuple(r for r in overview_relations if r.target not in unnamed)
    return Relations(tuple(every), tuple(relations), tuple(escalations), lexicon, tuple(findings), listed)


def sections_for_other_roles(
    roles: Iterable[Role], lexicon: Lexicon, multi_role: Collection[str] = ()
) -> dict[str, list[tuple[Document, int, str]]]:
    """Sections of multi-role documents ("Different roles": `## Incident Commander`,
    `## Deputy` …): a top-level section whose heading is exactly the name of another defined
    role contributes to that role's page; in a document the site declares multi-role
    (`multi_role`, absolute paths), so does one whose heading names one defined role among
    other words ("Steps for Deputy"). Returns target role id -> (document, section index,
    owning role id)."""
    roles = list(roles)
    defined = {role.id for role in roles if role.status is RoleStatus.DEFINED}
    own_paths = {role.id: {d.abs_path for d in role.documents} for role in roles}
    found: dict[str, list[tuple[Document, int, str]]] = {}
    for role in roles:
        for document in role.documents:
            declared = str(document.abs_path) in multi_role
            for index, section in enumerate(document.sections):
                if section.parent is not None or section.level == 0:
                    continue
                name = lexicon.lookup(words(split_abbreviation(section.title)[0]))
                target = name.role if name is not None else None
                if target is None and declared:
                    named = {m.role for m in lexicon.find(section.title) if m.role in defined}
                    target = named.pop() if len(named) == 1 else None
                if (
                    target is not None
                    and target != role.id
                    and target in defined
                    and document.abs_path not in own_paths[target]  # already its own document
                ):
                    found.setdefault(target, []).append((document, index, role.id))
    return found
