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
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from rolebook.datafile import DataFileError, read_data_file
from rolebook.lexical import all_lemmas, gerund_lemma, is_function_word, is_noun, is_verb, participle_lemma, verb_lemma
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
    attending: frozenset[tuple[str, ...]]
    """Verbs (and phrasal verbs: "check out", "look at") that open an instruction or a duty
    about what to look at ("Read …", "Analyze the logs"), not about work the role does."""
    contrastive: frozenset[str]
    """Words that, after a comma, open a clause that says what something is not (", not
    part of CI")."""
    delegating: frozenset[tuple[str, ...]]
    """Verbs that, opening a clause, give its work to others ("Delegate all repair actions")."""
    people: frozenset[str]
    """Nouns for a group of people: after an area's keyword they name the group, not the area
    ("the command staff", "the security team")."""
    negations: frozenset[tuple[str, ...]]
    """Words that negate what follows them (`relations.yml`)."""
    conforming: frozenset[tuple[str, ...]] = frozenset()
    """Words after which a clause names what the work keeps to ("code that follows
    architectural boundaries"), not the work."""
    others: frozenset[str] = frozenset()
    """Possessives of someone else ("their decision"): an area after one is not the role's."""
    conditions: frozenset[str] = frozenset()
    """Words that open a condition or circumstance ("if the UI depends on this API")."""
    addressed: frozenset[str] = frozenset()
    """Words for the reader ("you"): a condition with one as subject is about the role's work."""
    places: frozenset[str] = frozenset()
    """Prepositions that, after a verb and its object, say where the work goes ("in the runbook")."""
    qualified: frozenset[str] = frozenset()
    """Words for a time of the work: after an area's keyword they name the time, not the
    area ("the Test and Release phases")."""
    determiners: frozenset[str] = frozenset()
    """Words that open a noun phrase: after a condition's word, a subject follows."""
    relatives: frozenset[str] = frozenset()
    """Words that open a relative clause: after a place, it may be about the object again."""
    restricting: frozenset[tuple[str, ...]] = frozenset()
    """Phrases that make a prohibition conditional ("Do not deploy only when …")."""
    sharing: frozenset[tuple[str, ...]] = frozenset()
    """Phrases that, opening a clause, share its work with others ("Coordinate with X on …",
    "Support A/B testing analysis"): the clause owns nothing."""
    personal: frozenset[str] = frozenset()
    """Relative words for people: a clause after one is about that person ("the editor who
    makes the decision"), unless the person is the reader."""
    topical: frozenset[str] = frozenset()
    """Verbs after which a clause names what is talked about ("Explain the why behind security
    requirements"), not the work."""
    timing: frozenset[str] = frozenset()
    """Prepositions of time: an area right after one says when the work happens ("before
    implementation"), not what it is."""
    purposes: frozenset[str] = frozenset()
    """Prepositions that, after a duty's verb and its object, say what the work is for
    ("Prepare the model for deployment"): up to the next comma, not the work."""
    examining: frozenset[str] = frozenset()
    """Nouns of examining, of knowing and of documents (`examining`, `knowing`,
    `documenting`): an area's keyword that qualifies one ("Security vulnerability
    detection", "Performance considerations", "Migration guides") names what is examined,
    known or documented, not the work."""
    light: frozenset[str] = frozenset()
    """Verbs that, before a noun naming an act, say what the noun's verb says ("Make a
    recommendation" recommends)."""
    omitting: frozenset[str] = frozenset()
    """Verbs of leaving work out: forbidding one ("Skip testing", "Do not bypass security
    checks") requires the area rather than forbid it."""
    spanning: frozenset[str] = frozenset()
    """Prepositions of extent: an area right after one says where the work applies ("across
    any technology stack"), not what it is."""
    obliging: frozenset[str] = frozenset()
    """Modals of obligation: after a subject that is not the reader ("Every endpoint must …"),
    a line among duties states a rule as well as a duty."""
    approving: frozenset[str] = frozenset()
    """Nouns of approval: "without X approval" in a boundary makes the act wait for X's
    approval (relied on), not forbidden."""
    norms: frozenset[str] = frozenset()
    """Nouns of norms (`norms`): an area's keyword that qualifies one ("Error handling
    standards") in a list of duties sets a standard for the area, not work on it."""
    boilerplate: int = 0
    """How many documents of a library must share a line word for word for it to be
    boilerplate that claims no ownership (0: none is)."""


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
        "attending": set(),
        "people": set(),
        "contrastive": set(),
        "delegating": set(),
        "conforming": set(),
        "others": set(),
        "conditions": set(),
        "addressed": set(),
        "places": set(),
        "qualified": set(),
        "determiners": set(),
        "relatives": set(),
        "sharing": set(),
        "restricting": set(),
        "light": set(),
        "personal": set(),
        "topical": set(),
        "purposes": set(),
        "timing": set(),
        "examining": set(),
        "knowing": set(),
        "documenting": set(),
        "norms": set(),
        "approving": set(),
        "obliging": set(),
        "spanning": set(),
        "omitting": set(),
    }
    boilerplate = 0
    for path in (DEFAULT_CLAIM_RULES, *map(Path, extra_files)):
        file = read_data_file(path, "of claim rules", ClaimRulesError)
        shared = file.value("boilerplate")
        if shared is not None:
            if not isinstance(shared, int) or isinstance(shared, bool) or shared < 0:
                raise file.error(f"`boilerplate` must be a number of documents (0: off), got {shared!r}", "boilerplate")
            boilerplate = shared
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
        frozenset(lists["attending"]),
        frozenset(word for phrase in lists["contrastive"] for word in phrase),
        frozenset(lists["delegating"]),
        frozenset(word for phrase in lists["people"] for word in phrase),
        frozenset(negations),
        frozenset(lists["conforming"]),
        frozenset(word for phrase in lists["others"] for word in phrase),
        frozenset(word for phrase in lists["conditions"] for word in phrase),
        frozenset(word for phrase in lists["addressed"] for word in phrase),
        frozenset(word for phrase in lists["places"] for word in phrase),
        frozenset(word for phrase in lists["qualified"] for word in phrase),
        frozenset(word for phrase in lists["determiners"] for word in phrase),
        frozenset(word for phrase in lists["relatives"] for word in phrase),
        frozenset(lists["restricting"]),
        frozenset(lists["sharing"]),
        personal=frozenset(word for phrase in lists["personal"] for word in phrase),
        topical=frozenset(word for phrase in lists["topical"] for word in phrase),
        purposes=frozenset(word for phrase in lists["purposes"] for word in phrase),
        timing=frozenset(word for phrase in lists["timing"] for word in phrase),
        light=frozenset(word for phrase in lists["light"] for word in phrase),
        examining=frozenset(
            word for phrase in lists["examining"] | lists["knowing"] | lists["documenting"] for word in phrase
        ),
        norms=frozenset(word for phrase in lists["norms"] for word in phrase),
        approving=frozenset(word for phrase in lists["approving"] for word in phrase),
        obliging=frozenset(word for phrase in lists["obliging"] for word in phrase),
        spanning=frozenset(word for phrase in lists["spanning"] for word in phrase),
        omitting=frozenset(word for phrase in lists["omitting"] for word in phrase),
        boilerplate=boilerplate,
    )


SETTLING = (Stance.OWNS, Stance.STANDARDS)
"""Stances a parenthesised aside after an area does not give: it lists examples of it."""

COPULAS = frozenset({"is", "are", "was", "were"})
"""Verbs after an area that is a clause's subject: "Our code of conduct is mandatory" says
what the area is, not what the role does."""

_TITLED = re.compile(r"^\W*[^\W\d_]+(?:[\s'\"/-]+[^\W_]+){0,5}\s*:\s+\S")
"""A line that is a titled rule: a few words, a colon, then what they mean ("No Hardcoded
Secrets: Never put API keys in the code")."""

POLITE = frozenset({"please", "kindly"})
"""Words that soften an instruction and say nothing of what it asks ("Please be kind")."""


def attends(said: Sequence[str], rules: ClaimRules) -> bool:
    """Whether words (lower case) open with a verb of attention (`attending` in `claims.yml`:
    "Analyze the logs", "Check out the dashboard", "Please read …")."""
    start = 1 if said[:1] and said[0] in POLITE else 0
    phrase = next((p for p in rules.attending if tuple(said[start : start + len(p)]) == p), None)
    if phrase is None:
        return False
    after = said[start + len(phrase) : start + len(phrase) + 2]
    return not (  # "Identify and fix vulnerabilities": the work is the second verb's
        len(after) == 2
        and after[0] in ("and", "or")
        and is_verb(after[1])
        and not any(p[0] == after[1] for p in rules.attending)
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
    line names, or the line states the stance in words (`stated`)."""
    stated: bool = False
    """Whether the line states the stance in words ("owns", "Do not", a named owner)."""


_WORD = re.compile(r"[^\W_]+")


@cache
def _clause_end(contrastive: frozenset[str]) -> re.Pattern[str]:
    """Where a clause ends: `;`, parentheses, a dash, a sentence's end, "but", or a comma
    before a `contrastive` word (", not part of CI")."""
    after_comma = "|".join(sorted(map(re.escape, contrastive))) or "(?!)"
    return re.compile(rf"[;()\[\]]|\s[—–]\s|\s-\s|[.!?](?=\s)|(,)\s+(?=(?:{after_comma})\b)|\bbut\b", re.IGNORECASE)


def clauses(text: str, contrastive: frozenset[str] = frozenset()) -> list[tuple[int, int, bool, bool]]:
    """`(start, end, in parentheses, contrasted)` of each clause of a line; a clause is
    contrasted when a comma and a `contrastive` word open it ("Local dev scripts, not part
    of CI")."""
    found: list[tuple[int, int, bool, bool]] = []
    start, depth, contrasted = 0, 0, False
    for match in _clause_end(contrastive).finditer(text):
        found.append((start, match.start(), depth > 0, contrasted))
        if match[0] == "(" or match[0] == "[":
            depth += 1
        elif match[0] in ")]":
            depth = max(0, depth - 1)
        contrasted = match[1] is not None
        start = match.end()
    found.append((start, len(text), depth > 0, contrasted))
    return [(s, e, p, c) for s, e, p, c in found if text[s:e].strip()]


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


_COORDINATED = re.compile(r"(?:\s*(?:,|&|/|\band\b|\bor\b)\s*[^\W\d_][\w-]*)*\s+([^\W\d_]+)")
"""Words coordinated with an area's keyword ("Test and Release", "Plan, Design, Test"), then the
word they all qualify."""


def _names_people(text: str, area: Span, rules: ClaimRules) -> bool:
    """Whether an area's keyword, alone or with words coordinated with it, only qualifies a
    word for people ("the command staff", "the testing and release teams") or for a time
    (`qualified`: "the Design, Test and Release phases")."""
    after = _COORDINATED.match(text, area.end)
    return after is not None and (after[1].lower() in rules.people or after[1].lower() in rules.qualified)


def _works(tokens: Sequence[tuple[int, str]], negation_end: int, rules: ClaimRules) -> bool:
    """Whether the three words after a negation (ending at character `negation_end`) have a
    verb of doing the work ("Do not modify CI", "Don't ever edit CI")."""
    after = [t for start, t in tokens if start > negation_end][:3]
    return not rules.work_verbs.isdisjoint(after)


def _not_the_work(
    text: str, area: Span, clause_start: int, kept_to: list[int], rules: ClaimRules, described: bool = False
) -> bool:
    """Whether a clause that states no ownership names an area as something other than the
    role's work: what the work keeps to ("follows architectural boundaries": `kept_to`, where
    the clause has a `conforming` word), someone else's ("their decision"), or the subject
    of a statement ("Our code of conduct is mandatory", "The expected workload is …": no
    verb of the reader's before it, as in "Make sure the deployment is green")."""
    if any(at < area.start for at in kept_to):
        return True
    before = [m[0].lower() for m in _WORD.finditer(text, clause_start, area.start)]
    if before[-1:] and before[-1] in rules.others:
        return True
    if any(
        word in rules.personal and i and before[i - 1] not in rules.addressed and not _the_reader(before[:i], rules)
        for i, word in enumerate(before)
    ) and not (described and clause_start == 0):
        return True  # "it is the handling editor who makes the final decision": the editor's
    if any(word in rules.topical or (verb_lemma(word) or gerund_lemma(word)) in rules.topical for word in before):
        return True  # "a summary explaining the reason for the decision": what it is about
    bare = [word for word in before if word not in rules.determiners]
    if bare[-1:] and (bare[-1] in rules.timing or bare[-1] in rules.spanning):
        return True  # "Define API contracts before implementation": when, not what
    after = _WORD.search(text, area.end)
    return (
        not any(is_verb(word) for word in before)
        and after is not None
        and not text[area.end : after.start()].strip()
        and after[0].lower() in COPULAS
    )


_NOUN_PHRASE = re.compile(r"(?:\s*(?:&|/|\band\b|\bor\b|-)?\s*([^\W\d_]+))")
"""The next word after an area's keyword, or after a word coordinated with it."""


def _examined(text: str, area: Span, nouns: frozenset[str]) -> bool:
    """Whether an area's keyword only qualifies one of `nouns` (of examining: `examining`),
    alone or with nouns after it or coordinated with it: "Performance bottleneck
    identification", "Architecture and design review" name what is examined; "Security
    review needed" too."""
    at = area.end
    for _ in range(3):
        match = _NOUN_PHRASE.match(text, at)
        if match is None:
            return False
        word = match[1].lower()
        if word in nouns:
            return True
        if word in ("and", "or") or not (is_noun(word) or "ADJ" in all_lemmas(word)):  # "best practices"
            return False
        at = match.end()
    return False


_BEING = frozenset({"am", "are", "re", "m"})
"""Forms of "to be" after the reader ("you are", "I am", "you're")."""


def _the_reader(before: Sequence[str], rules: ClaimRules) -> bool:
    """Whether the words before a relative word for people open with the reader and "to be"
    ("You are a senior analyst who …", "I'm the engineer who …"): the person is the reader."""
    return any(word in rules.addressed and after in _BEING for word, after in zip(before, before[1:], strict=False))


def _opens_a_verb_phrase(word: str) -> bool:
    """Whether a word after a condition's word is a verb, not a subject: "when designing",
    "if needed", (not "when tests fail": "tests" is also a noun)."""
    return bool(gerund_lemma(word) or participle_lemma(word) or (is_verb(word) and not is_noun(word)))


def _circumstances(text: str, tokens: Sequence[tuple[int, str]], end: int, rules: ClaimRules) -> list[tuple[int, int]]:
    """`(start, end)` of each condition of a clause whose subject is not the reader: "if the
    UI depends on this API", "while the architect draws the blueprints" (up to the next
    comma). Not "when you need to …", "when designing …" nor "when to deploy": those are
    about the role's own work."""
    found = []
    for index, (at, word) in enumerate(tokens[:-1]):
        if word not in rules.conditions:
            continue
        subject = tokens[index + 1][1]
        if subject in rules.addressed or subject == "to":
            continue  # "when you need to …", "when to deploy"
        if subject not in rules.determiners and _opens_a_verb_phrase(subject):
            continue  # "when designing …"
        comma = text.find(",", at, end)
        found.append((at, comma if comma >= 0 else end))
    return found


def _destination(
    tokens: Sequence[tuple[int, str]], end: int, rules: ClaimRules, places: frozenset[str] | None = None
) -> tuple[int, int] | None:
    """Where a clause says where its work goes: from a `places` preposition after the verb
    that opens the clause and at least one word of its object ("include rollback guidance in
    the runbook", "never write them into logs") to a relative clause or the clause's end;
    not right after the verb ("specialises in security") nor "to" before a verb ("use
    fixtures to test")."""
    said = [word for _, word in tokens]
    verb = next((i for i, word in enumerate(said[:3]) if not is_function_word(word) or verb_lemma(word)), None)
    if verb is None or verb_lemma(said[verb]) is None:
        return None
    for index in range(verb + 2, len(said) - 1):
        if said[index] in (rules.places if places is None else places) and not (
            said[index] == "to" and is_verb(said[index + 1])
        ):
            relative = next((at for at, word in tokens[index:] if word in rules.relatives), end)
            return tokens[index][0], relative
    return None


def _a_statement(tokens: Sequence[tuple[int, str]]) -> bool:
    """Whether a clause is a sentence about how things are: a subject, then a verb in the
    third person ("Accessibility basics are part of done", "Every state comes from the
    backend"). In a list of boundaries it is a rule of the work, where an item without a
    verb ("CI config changes", "Docs that Scribe owns") names what is out of scope."""
    return any(
        not is_function_word(before)
        and (word in COPULAS or (word.endswith("s") and verb_lemma(word) not in (None, word) and not is_noun(word)))
        for (_, before), (_, word) in zip(tokens, tokens[1:], strict=False)
    )


_AFTER_COMMA = re.compile(r",\s*(?:and\s+|then\s+)?([^\W\d_]+)(?:\s+([^\W\d_]+))?")


def _own_verb_between(text: str, start: int, end: int) -> bool:
    """Whether, between a role the line relies on and an area, a comma opens a phrase of
    the writer's own with a verb ("directs QA and the release manager, writes ADRs"): a
    verb in the third person, not a plural noun ("stories, tests, branch") unless a
    function word follows it ("reviews every PR")."""
    for match in _AFTER_COMMA.finditer(text, start, end):
        word, following = match[1].lower(), (match[2] or "").lower()
        if verb_lemma(word) in (None, word) or not word.endswith("s"):
            continue
        if not is_noun(word) or (following and is_function_word(following)):
            return True
    return False


def _a_verb_after(
    tokens: Sequence[tuple[int, str]], negations: list[tuple[int, int]], negation: int, rules: ClaimRules
) -> bool:
    """Whether the word after the negation at token `negation` (of `negations`: token
    index, end) is a verb ("…, never deploy"), not a noun phrase ("…, not a separate
    security function")."""
    end = max(at for index, at in negations if index == negation)
    after = next((word for start, word in tokens if start > end), "")
    return bool(after) and after not in rules.determiners and is_verb(after)


def _omits(
    tokens: Sequence[tuple[int, str]], leading: list[int], negations: list[tuple[int, int]], rules: ClaimRules
) -> bool:
    """Whether a clause that forbids opens (after its negation) with a verb of `omitting`:
    "Skip testing …", "Do not bypass security checks" forbid leaving the area out, not the
    area."""
    end = max((at for index, at in negations if index in leading), default=-1)
    first = next((word for start, word in tokens if start > end and not is_function_word(word)), "")
    return (verb_lemma(first) or first) in rules.omitting


def _obliges(tokens: Sequence[tuple[int, str]], rules: ClaimRules) -> bool:
    """Whether a clause says how things must be: a modal of `obliging` after a subject that
    is not the reader ("Every endpoint must have authentication", "Images must use modern
    formats"). Among duties it is a rule for everyone's work as well as the role's own;
    "You must own the release" is the role's duty only."""
    said = [word for _, word in tokens]
    return any(
        word in rules.obliging
        and index > 0
        and said[index - 1] not in rules.addressed
        and not all(is_function_word(w) for w in said[:index])
        for index, word in enumerate(said)
    )


def _approval(tokens: Sequence[tuple[int, str]], rules: ClaimRules) -> int | None:
    """Where a clause makes its act wait for someone's approval: the character after
    "without" when a noun of `approving` follows within four words and a noun before it
    names whose ("without producer approval", "without the Lore Keeper's sign-off"), else
    `None`; "without explicit authorization" says nobody's and still forbids."""
    said = [word for _, word in tokens]
    for index, word in enumerate(said):
        if word != "without":
            continue
        at = next((i for i in range(index + 1, min(index + 5, len(said))) if said[i] in rules.approving), None)
        if at is not None and any(is_noun(w) and not is_function_word(w) for w in said[index + 1 : at]):
            return tokens[index][0] + len(word)
    return None


def _shares(tokens: Sequence[tuple[int, str]], rules: ClaimRules) -> bool:
    """Whether a clause opens (after at most two function words) with a phrase of `sharing`,
    its verb in any form ("Supporting the EIC in …", "Assists with …"), or with a verb of a
    "… with" phrase whose "with" comes later ("Align timing with Marketing"): work shared
    with or done for others."""
    said = [word for _, word in tokens]
    for index in range(min(3, len(said))):
        if index and not is_function_word(said[index - 1]):
            break
        lemma = verb_lemma(said[index]) or gerund_lemma(said[index]) or said[index]
        if lemma in rules.light:  # "Make a recommendation": recommend
            act = _light_act(tokens[index:], frozenset((verb,) for verb in _sharing_verbs(rules.sharing)), rules)
            lemma = act[0] if act else lemma
        opening = (lemma, *said[index + 1 :])
        for phrase in _by_first_word(rules.sharing).get(lemma, ()):
            if opening[: len(phrase)] == phrase:
                return True
            if phrase[1:] == ("with",) and "with" in opening[2:]:
                return True
    return False


def _light_act(
    tokens: Sequence[tuple[int, str]], verbs: frozenset[tuple[str, ...]], rules: ClaimRules
) -> tuple[str, ...] | None:
    """The verb of `verbs` whose act a clause names after a `light` verb that opens it ("Make
    a recommendation": recommend; "Provide handoff": hand off), else `None`."""
    said = [word for _, word in tokens]
    if not said or (verb_lemma(said[0]) or said[0]) not in rules.light:
        return None
    noun = next((w for w in said[1:4] if not is_function_word(w)), "")
    return next((verb for verb in sorted(verbs) if _names_the_act(noun, verb)), None)


@cache
def _sharing_verbs(sharing: frozenset[tuple[str, ...]]) -> tuple[str, ...]:
    """The verbs that open a phrase of `sharing` alone ("support", "recommend")."""
    return tuple(sorted(phrase[0] for phrase in sharing if len(phrase) == 1))


def _names_the_act(noun: str, phrase: tuple[str, ...]) -> bool:
    """Whether a noun names the act of a verb (or a phrasal verb): the verb itself or a word
    built on it ("support", "recommendation", "suggestion", "proposal", "handoff")."""
    verb = "".join(phrase)
    stem = verb[:-1] if verb.endswith("e") else verb
    return noun == verb or (len(stem) >= 5 and noun.startswith(stem) and len(noun) <= len(verb) + 5)


def _asked(text: str, role: Span) -> bool:
    """Whether a named role is followed by "to" and a verb: what comes after is the role's
    task ("remind the Customer Liaison to draft external messages", "ask the Scribe to
    update the docs"), not the writer's."""
    after = [m[0].lower() for m in _WORD.finditer(text, role.end)][:2]
    return len(after) == 2 and after[0] == "to" and is_verb(after[1])


def _owned_clause(naming: int, forbidden: list[list[str]], inside: list[bool]) -> int | None:
    """The clause whose forbidden areas a role named in clause `naming` owns: its own
    ("handoff to Releaser for CI"), else the nearest one before it outside parentheses that
    forbids something ("Writing docs (Scribe)", "Do not edit CI; handoff to Releaser")."""
    if not inside[naming] and forbidden[naming]:
        return naming
    return next((i for i in range(naming - 1, -1, -1) if not inside[i] and forbidden[i]), None)


def read_line(
    text: str,
    section: Stance | None,
    areas: list[Span],
    roles: list[tuple[Span, bool]],
    rules: ClaimRules,
    described: bool = False,
) -> list[LineClaim]:
    """The stances a line takes. `section`: the stance of the section it is in, if any;
    `areas`: where it names areas; `roles`: where it names other roles, each with whether
    the role is one the writer relies on ("depends on", "delegates to"); `described`: the
    line is the role's own description, whose opening words name the role ("Senior technical
    lead who orchestrates …": the person of "who" is the role)."""
    areas = [area for area in areas if not _names_people(text, area, rules)]
    opening = [(0, word) for word in words(text)[:1]]
    if (
        section is Stance.MUST_NOT
        and _TITLED.match(text)
        and _phrases(opening, rules.negations)
        and not _phrases(opening, rules.prohibiting)
    ):  # "No Hardcoded Secrets: use environment variables" among restrictions: a rule ("FORBIDDEN: …" is not)
        section = Stance.STANDARDS
    claims: list[LineClaim] = []
    forbidden: list[list[str]] = []
    """Per clause, the areas it forbids."""
    owners: list[tuple[str, int]] = []
    """A role named as an owner, and the clause that names it."""
    inside: list[bool] = []
    """Per clause, whether it is in parentheses."""
    first = min((area.start for area in areas), default=0)
    when = False
    """Whether a clause has ended in a condition's word and a colon ("Use this agent when:")."""
    for start, end, parenthesised, contrasted in clauses(text, rules.contrastive):
        tokens = [(m.start(), m[0].lower()) for m in _WORD.finditer(text, start, end)]
        forbidden.append([])
        inside.append(parenthesised)
        if not tokens:
            continue
        if when and _a_statement(tokens):
            continue  # "Use this agent when: - A new architecture requires a threat model": a circumstance
        when = when or (tokens[-1][1] in rules.conditions and text[tokens[-1][0] : end].rstrip().endswith(":"))
        owning = _phrases(tokens, rules.owning)
        stating = [(tokens[index][0], at) for index, at in owning]
        # "in charge of" states the stance; it is not also the area "command"
        here = [a for a in areas if start <= a.start < end and not any(s <= a.start < e for s, e in stating)]
        named = [(r, relied) for r, relied in roles if start <= r.start < end]
        negations = _phrases(tokens, rules.negations)
        # a negation that opens the clause, after at most "you", "we", "please" …; after a
        # noun ("Customers don't care") it is a statement about someone else
        leading = [i for i, _ in negations if i <= 2 and all(is_function_word(t) for _, t in tokens[:i])]
        if leading and rules.lifting & {t for _, t in tokens[leading[0] : leading[0] + 4]}:
            continue  # "You don't need to …", "Don't forget to …": neither a duty nor a prohibition
        if (
            leading
            and contrasted
            and (section is Stance.MUST_NOT or not _a_verb_after(tokens, negations, leading[0], rules))
        ):
            continue  # "Local dev scripts, not part of CI", "part of the team, not a separate function"
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
        if parenthesised or handed:
            named_owners = [r.key for r, _ in named if parenthesised or any(r.start >= at for _, at in handed)]
            owners += [(owner, len(forbidden) - 1) for owner in named_owners]
        before = [r.key for r, _ in named if owning and r.end <= tokens[owning[0][0]][0]]
        subject = before[-1:]  # "The Scribe is responsible for …": the role just before the phrase
        stance: Stance | None
        if (
            leading
            and section in _RULE_SECTIONS
            and not named
            and not _works(tokens, max(at for i, at in negations if i in leading), rules)
        ):
            stance = section  # "Never log secrets" among standards: a rule about logging
        elif (
            prohibits
            and section is None
            and not (named and (parenthesised or handed or any(relied for _, relied in named)))
            and not _works(tokens, max(at for i, at in negations if i in leading), rules)
        ):
            stance = None  # "do NOT remove the label", "don't invite reviewers one at a time" among steps: a caution
        elif prohibits and (
            _phrases(tokens, rules.restricting)
            or any(index > 0 and tokens[index - 1][1] in rules.relatives for index, _ in negations)
        ):
            stance = None  # "Do not deploy models that don't meet criteria": a condition, not a boundary
        elif prohibits or (leading and section is not None):
            stance = Stance.MUST_NOT  # "Do not deploy"; "(no external API design)" in a scope list
        elif leading:
            stance = None  # "No secrets in logs" in a playbook step: a rule, not a boundary
        elif not named and (
            any(
                index <= 2 and all(is_function_word(t) for _, t in tokens[:index])
                for index, _ in _phrases(tokens, rules.delegating)
            )
            or _light_act(tokens, rules.delegating, rules) is not None
        ):
            stance = None  # "Delegate all repair actions": the work is someone else's
        elif not owning and _shares(tokens, rules):
            stance = None  # "Coordinate with Frontender on the API contract": shared, not owned
        elif owning:
            stance = Stance.OWNS
        elif any(relied for _, relied in named):
            stance = Stance.RELIES_ON
        elif section is Stance.MUST_NOT and _a_statement(tokens):
            stance = Stance.STANDARDS  # "Accessibility basics are part of done" among constraints: a rule
        else:
            stance = section
        if stance is Stance.MUST_NOT and _omits(tokens, leading, negations, rules):
            continue  # "Skip testing under schedule pressure", "Do not bypass security checks": the area is required
        approved = _approval(tokens, rules) if section is Stance.MUST_NOT or prohibits else None
        if approved is not None:  # "Add narrative scope without producer approval": allowed once approved
            approvers = [r for r, relied in named if relied and r.start > approved]
            stance = Stance.RELIES_ON if approvers else None
            named = [(r, True) for r in approvers]
        if stance is None:
            continue
        if stance is Stance.OWNS and not owning and attends([t for _, t in tokens], rules):
            continue  # "Analyze error messages and logs": what the role looks at, not its work
        if parenthesised and not owning and stance in SETTLING and any(a.start < start for a in areas):
            continue  # "API documentation (OpenAPI/Swagger, Postman)": examples of what it names before
        after_phrase = [a for a in here if owning and a.start >= tokens[owning[0][0]][0] and a.start < cut]
        claimed_first = after_phrase[0] if after_phrase else None
        kept_to = [tokens[index][0] for index, _ in _phrases(tokens, rules.conforming)]
        circumstances = _circumstances(text, tokens, end, rules) if not owning else []
        placed = _destination(tokens, end, rules)
        if placed is not None and not owning:
            circumstances.append(placed)
        if stance is Stance.OWNS and not owning and not named:  # "Prepare the model for deployment"
            purpose = _destination(tokens, end, rules, rules.purposes)
            if purpose is not None:  # up to the next comma: "reviews code for flaws, triages SAST findings"
                comma = text.find(",", purpose[0], purpose[1])
                circumstances.append((purpose[0], comma if comma >= 0 else purpose[1]))
        for area in here:
            if area.start >= cut or any(s <= area.start < e for s, e in circumstances):
                continue
            if stance is Stance.OWNS and not owning and _not_the_work(text, area, start, kept_to, rules, described):
                continue
            if stance is Stance.OWNS and not owning and _examined(text, area, rules.examining):
                continue  # "Security vulnerability detection": what the role examines
            if stance is Stance.OWNS and not owning and any(r.end <= area.start and _asked(text, r) for r, _ in named):
                continue  # "Asking the Customer Liaison to post the external communication": theirs
            if owning and area.start < tokens[owning[0][0]][0] and not subject:
                continue  # the phrase claims what follows it
            if (
                stance is Stance.RELIES_ON
                and approved is None
                and all(area.start < r.start for r, relied in named if relied)
            ):
                continue  # "take over command from the IC": relying on the IC, but not for command
            area_stance: Stance | None = stance
            if stance is Stance.OWNS and not owning and _examined(text, area, rules.norms):
                area_stance = Stance.STANDARDS  # "Error handling standards": a norm of the area
            if stance is Stance.RELIES_ON:
                since = max((r.end for r, relied in named if relied and r.end <= area.start), default=area.start)
                if _own_verb_between(text, since, area.start):
                    area_stance = Stance.OWNS if owning else section  # "directs QA, writes ADRs": ADRs are its own
            if area_stance is None:
                continue
            who: list[str | None] = [*subject] or [None]
            # "responsible for determining the scope of packages submitted via a
            # pre-submission inquiry": the phrase states ownership of what it is about
            stated = prohibits or (bool(owning) and area is claimed_first)
            claims += [LineClaim(role, area.key, area_stance, area.start == first or stated, stated) for role in who]
            if area_stance is Stance.OWNS and section is Stance.OWNS and not owning and _obliges(tokens, rules):
                # "Observability by Default: Every service must have metrics": the role's work, and a rule
                claims += [LineClaim(role, area.key, Stance.STANDARDS, area.start == first, False) for role in who]
            if area_stance is Stance.MUST_NOT:
                forbidden[-1].append(area.key)
    if len({owner for owner, _ in owners}) == 1:  # "(Backender/Frontender)": who owns which is not said
        owned = {_owned_clause(clause, forbidden, inside) for _, clause in owners} - {None}
        claims += [
            LineClaim(owners[0][0], area, Stance.OWNS, True, True)
            for clause in sorted(c for c in owned if c is not None)
            for area in forbidden[clause]
        ]
    merged: dict[tuple[str | None, str, Stance], LineClaim] = {}
    for claim in claims:  # "HTTP routes/controllers": one claim on the API, not one per keyword
        key = (claim.role, claim.area, claim.stance)
        found = merged.get(key)
        merged[key] = (
            claim
            if found is None
            else replace(found, lead=found.lead or claim.lead, stated=found.stated or claim.stated)
        )
    return list(merged.values())
