"""Roles nobody defines, discovered in prose: a cue plus a role-like noun ("the Release
Manager"), judged by `rolebook.lexical` rather than a list of words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from rolebook.lexical import is_agent_noun, is_noun, is_particle, is_practitioner, verb_lemma
from rolebook.names import split_abbreviation
from rolebook.relate.lexicon import GLUE, Token, cue_before, label_cue, path_spans, tokenize
from rolebook.relate.rules import RelationRules, words

_PARENTHETICAL = re.compile(r"\(([^()]*)\)")
_ABBREVIATED = re.compile(
    r"(?<![\w-])[\"“]?(?P<name>[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|in|of|the|for|at|on))*\s+[A-Z][a-z]+)[\"”]?"
    r"\s+\((?P<short>[A-Z][A-Za-z]{1,6})\)"
)
"""A Title Case name that its abbreviation follows, in quotes or not: "Conference Editor in
Chief" (CEiC), Site Reliability Engineer (SRE)."""


# -- Discovering roles that no document defines -------------------------------------------


def _candidate(text: str, tokens: list[Token], index: int, rules: RelationRules) -> tuple[str, int] | None:
    """A role-shaped name starting at word `index`: Title Case words ending in a role word
    ("Database Architect", "Integrator") or a hyphenated id ending in a role noun or a doer
    ("data-engineer", "task-executor", not "over-engineer"). Returns the name as written and how many words it spans."""
    first = tokens[index]
    if first.text.islower():
        end = index
        while end + 1 < len(tokens) and text[tokens[end].end : tokens[end + 1].start] == "-":
            end += 1
        last = tokens[end]
        if (
            end > index
            and last.text.islower()
            and first.lower not in rules.compound_prefixes  # "over-engineer", "non-owner"
            and (
                last.lower in rules.role_nouns
                or is_agent_noun(last.text, rules.role_endings, doubled=True)
                or is_practitioner(last.text, rules.practice_endings)
            )
        ):
            return text[first.start : last.end], end - index + 1
        return None
    compound = _titled_compound(text, tokens, index, rules)
    if compound is not None:
        return compound
    best: tuple[str, int] | None = None
    end = index
    while end < len(tokens) and end - index < 3:
        word = tokens[end].text
        if not word[:1].isupper() or word.isupper() and len(word) > 1 and end > index:
            break
        if end > index and text[tokens[end - 1].end : tokens[end].start] != " ":
            break
        if rules.is_role_word(word) or (end > index and rules.is_body_word(word)):
            best = (text[first.start : tokens[end].end], end - index + 1)
        end += 1
    if best is not None:
        last = tokens[index + best[1] - 1]
        if re.match(r"-\w", text[last.end : last.end + 2]):
            return None  # the start of a hyphenated compound ("Computer-Use"), not a name
        following = index + best[1]
        if (
            following < len(tokens)
            and text[last.end : tokens[following].start] == " "
            and tokens[following].text.istitle()
            and tokens[following].lower not in rules.role_context
        ):
            return None  # a modifier in a longer Title Case name ("Query Builder Pattern")
    return best


def _titled_compound(text: str, tokens: list[Token], index: int, rules: RelationRules) -> tuple[str, int] | None:
    """A hyphenated title whose head names someone before a little word ("Editor-in-Chief",
    "Associate-Editor-in-Chief", "Officer-of-the-Watch"), capitalised where it starts and
    ends, spelt with its head in the singular ("Associate-Editors-in-Chief" is one of them)."""
    end = index
    while end + 1 < len(tokens) and text[tokens[end].end : tokens[end + 1].start] == "-":
        end += 1
    run = tokens[index : end + 1]
    if len(run) < 3 or not run[-1].text[:1].isupper():
        return None
    particle = next((i for i, t in enumerate(run) if i > 0 and t.text.islower()), None)
    if particle is None or not is_particle(run[particle].text) or not rules.is_person_word(run[particle - 1].text):
        return None
    parts = [t.text for t in run]
    head = parts[particle - 1]
    if head.endswith("s") and rules.is_person_word(head[:-1]):
        parts[particle - 1] = head[:-1]
    return "-".join(parts), len(run)


def _lower_candidate(text: str, tokens: list[Token], index: int, rules: RelationRules) -> tuple[str, int] | None:
    """A lower-case role noun phrase right after an article: two plain words, the last naming
    someone ("the team leaders", "the service experts"); a lone word ("the specialist") is a
    generic, not a name."""
    end = index + 1
    if (
        end >= len(tokens)
        or tokens[index - 1].lower not in rules.articles
        or text[tokens[index - 1].end : tokens[index].start] != " "
        or text[tokens[index].end : tokens[end].start] != " "
        or not all(t.text.isalpha() and t.text.islower() for t in tokens[index : end + 1])
    ):
        return None
    following = tokens[end + 1] if end + 1 < len(tokens) else None
    if (
        following is not None
        and text[tokens[end].end : following.start] == " "
        and following.text.islower()
        and is_noun(following.text)
        and verb_lemma(following.text) in (None, following.lower)
    ):
        return None  # the head comes later ("the release team members")
    if tokens[end].text in rules.not_roles or not rules.is_person_word(tokens[end].text):
        return None
    return text[tokens[index].start : tokens[end].end], 2


def _modifies_a_noun(text: str, tokens: list[Token], index: int, length: int, rules: RelationRules) -> bool:
    """Whether a hyphenated word is a compound modifier, not an id: an article before it and
    a lower-case noun right after it ("a volunteer-lead process", "the owner-approved
    plan"), where a role's id is followed by a context noun ("the data-engineer agent") or
    by anything else."""
    end = index + length
    if index == 0 or end >= len(tokens) or tokens[index - 1].lower not in rules.articles:
        return False
    following = tokens[end]
    return (
        text[tokens[end - 1].end : following.start] == " "
        and following.text.islower()
        and following.lower not in rules.role_context
        and is_noun(following.text)
        and verb_lemma(following.text) in (None, following.lower)  # "the data-engineer reviews it"
    )


def _inside_a_name(text: str, tokens: list[Token], index: int, cue_text: str) -> bool:
    """Whether a capitalised cue right before word `index` is a word of the same Title Case
    name rather than a verb ("the acting Peer Review Lead"): one space before the name, and
    not where a clause or line starts ("Ask Integrator", "Review Lead: …")."""
    if not cue_text.istitle() or index == 0:
        return False  # "Hand off to Designer": a cue of several words, not all capitalised
    cue_end = tokens[index - 1].end
    cue_start = cue_end - len(cue_text)
    if text[cue_start:cue_end] != cue_text or text[cue_end : tokens[index].start] != " ":
        return False  # an article stands between: "Notify the Compliance Reviewer"
    opening = text[:cue_start].rstrip(" *_`\"'([")
    return bool(opening) and not opening.endswith((".", ":", ";", "!", "?", "|", "\n"))


def discover_names(
    text: str,
    in_boundaries: bool,
    rules: RelationRules,
    tokens: list[Token] | None = None,
    heads: frozenset[str] = frozenset(),
) -> list[str]:
    """Names of roles a text clearly uses as roles, each once: after a cue ("Ask the
    Database Architect", "notify Integrator (gaps), Verifier"), inside a boundary item's
    parentheses ("CI/CD (Releaser)"), or hyphenated role ids ("data-engineer"; also ending in
    one of `heads`, the doers that end the library's own agents' ids: `gameplay-programmer`
    beside an agent `lead-programmer`)."""
    found = _discover(text, in_boundaries, rules, tokens, heads)
    return list(dict.fromkeys(_singular_body(name, rules) for name in found))


def library_heads(ids: Iterable[str], rules: RelationRules, kinds: frozenset[str] = frozenset()) -> frozenset[str]:
    """The doers that end the hyphenated ids of a library's agents ("programmer" of
    `lead-programmer`, "director" of `art-director`): an id in prose ending in one names an
    agent of the same kind, with no cue needed, where "the test-runner output" names a tool.
    Not a kind of document (`kinds`: an id made of a title "… Committee Charter")."""
    return frozenset(
        said[-1]
        for said in map(words, ids)
        if len(said) > 1 and said[-1] not in kinds and rules.is_person_word(said[-1])
    )


def discover_ids(text: str, rules: RelationRules) -> list[str]:
    """Hyphenated ids ending in a role noun or a doer ("database-optimizer"), each once,
    with no cue needed: for text that says what naming a role there does (a `<delegation>`
    element of an agent card)."""
    tokens = tokenize(text)
    blocked = path_spans(text)
    found: list[str] = []
    for index, token in enumerate(tokens):
        if token.text.islower() and not any(a <= token.start < b for a, b in blocked):
            if index and text[tokens[index - 1].end : token.start] in ("-", "_"):
                continue  # inside an id already looked at
            candidate = _candidate(text, tokens, index, rules)
            if (
                candidate is not None
                and "-" in candidate[0]
                and candidate[0] not in found
                and not _modifies_a_noun(text, tokens, index, candidate[1], rules)
            ):
                found.append(candidate[0])
    return found


def _singular_body(name: str, rules: RelationRules) -> str:
    """A name of a kind of body in the plural, in the singular ("Working Groups" -> "Working
    Group"): one role, whichever number the prose writes it in."""
    head, _, last = name.rpartition(" ")
    if head and last.lower() not in rules.body_nouns and rules.is_body_word(last):
        return f"{head} {last[:-1]}"
    return name


def _discover(
    text: str,
    in_boundaries: bool,
    rules: RelationRules,
    tokens: list[Token] | None = None,
    heads: frozenset[str] = frozenset(),
) -> Iterator[str]:
    tokens = tokens if tokens is not None else tokenize(text)
    blocked = path_spans(text)
    free = [not any(a <= t.start < b for a, b in blocked) for t in tokens] if blocked else [True] * len(tokens)
    index = 0
    while index < len(tokens):
        if not free[index]:
            index += 1
            continue
        found = _candidate(text, tokens, index, rules)
        titled = found is not None and _titled_compound(text, tokens, index, rules) == found
        head = words(found[0])[-1] if found is not None else ""
        if found is not None and "-" in found[0] and (titled or head in rules.role_nouns or head in heads):
            if not _modifies_a_noun(text, tokens, index, found[1], rules):
                yield found[0]  # "data-engineer"; a doer's id ("task-executor") needs a cue, as a name does
            index += found[1]
            continue
        if found is None and tokens[index].text.islower() and index > 0:
            found = _lower_candidate(text, tokens, index, rules)
        cue, cue_text = cue_before(text, tokens, index, rules) if found is not None else (None, "")
        if found is not None and cue is None:  # "Coordinates with: `technical-artist` for …"
            cue, cue_text = label_cue(text, tokens[index].start, rules)
        if found is not None and cue is not None and _inside_a_name(text, tokens, index, cue_text):
            cue = None  # "the acting Peer Review Lead": "Review" is part of the name, not a cue
        if found is not None and cue is not None and not rules.no_evidence(cue_text):
            yield found[0]
            end = index + found[1]
            # a list after the cue: "notify Integrator (client gaps), Verifier (test focus)"
            last_end, scan = tokens[end - 1].end, end
            while scan < len(tokens) and free[scan]:
                glue = text[last_end : tokens[scan].start]
                if GLUE.match(glue):
                    following = _candidate(text, tokens, scan, rules)
                    if following is not None:
                        yield following[0]
                        scan += following[1]
                        last_end, end = tokens[scan - 1].end, scan
                        continue
                if glue.count("(") <= glue.count(")") and not GLUE.match(glue):
                    break
                scan += 1  # still inside a parenthetical comment
            index = end
            continue
        index += 1
    for match in _ABBREVIATED.finditer(text):  # designate a "Conference Editor in Chief" (CEiC)
        parts = match["name"].split()
        if any(a <= match.start() < b for a, b in blocked) or not rules.is_role_word(parts[-1]):
            continue
        for start in range(len(parts) - 1):  # "The Site Reliability Engineer (SRE)": from "Site"
            name = " ".join(parts[start:])
            if parts[start][:1].isupper() and split_abbreviation(f"{name} ({match['short']})")[1]:
                yield name
                break
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


def named_as_things(text: str, rules: RelationRules) -> set[tuple[str, ...]]:
    """The words of each name that `text` writes right before a `thing_context` noun, as
    an id in code or plain ("the `package-manager` skill", "run the deploy-manager
    command"): such a name is a skill, command or tool, not a role."""
    if rules.thing_context.isdisjoint(words(text)):
        return set()  # no such noun at all (most lines): no need to try a match at every word
    return {words(found[1]) for found in _BEFORE_A_NOUN.finditer(text) if found[2].lower() in rules.thing_context}


_BEFORE_A_NOUN = re.compile(r"`?@?([A-Za-z][\w.-]*[A-Za-z0-9])`?\**\s+([A-Za-z]+)\b")


def is_person(phrase: str, rules: RelationRules) -> bool:
    """Whether a phrase names someone ("the on-call engineer", "the executive on-call", "a
    human"), not a thing or a fragment of the sentence ("routing", "for capsule update")."""
    key = words(phrase)
    if not key or key[0] in rules.articles - {"the", "a", "an"} or (key[0],) in rules.cues:
        return False
    if any(key[-len(p) :] == p for p in rules.persons):
        return True
    return rules.is_person_word(phrase.strip().split()[-1].strip(".,;:!?"))
