"""What a sentence says about the role it names: the relation type its cues, heading or
section state, negation, and conditional contact ("if unsure, ask X").
"""

from __future__ import annotations

import re

from rolebook.lexical import is_function_word
from rolebook.model import RelationType, Section
from rolebook.relate.lexicon import Mention, tokenize
from rolebook.relate.rules import RelationRules, words
from rolebook.vocabulary import SectionMeaning


def contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> int:
    """Index of `needle` in `haystack` as a run of words, or -1."""
    size = len(needle)
    for start in range(len(haystack) - size + 1):
        if haystack[start : start + size] == needle:
            return start
    return -1


# -- Relations and escalations ------------------------------------------------------------


def relation_type(cue: str | None, meaning: str | None, section_types: dict[str, str] | None = None) -> str:
    """The relation a mention expresses, by its cue and the meaning of its section (see
    `rolebook.vocabulary.SectionMeaning`): a boundary item names who does it instead; in an
    escalation trigger, a role named by a cue is where it escalates; elsewhere the cue says,
    else the section (`section_types`: a Handoffs section hands off)."""
    if meaning == SectionMeaning.BOUNDARIES:
        # who does it instead, unless the line relies on the role ("contradicts the `architect`'s
        # design"), only names it (in a condition: "If `backend` says …") or sends the decision
        # up to it ("Skip testing (escalate to producer)")
        kept = (RelationType.DEPENDS_ON, RelationType.MENTIONS, RelationType.ESCALATES_TO)
        return cue if cue in kept else RelationType.DELEGATES_TO
    if meaning == SectionMeaning.ESCALATION:
        if cue is not None and cue not in (RelationType.DEPENDS_ON, RelationType.MENTIONS):
            return RelationType.ESCALATES_TO
        return RelationType.MENTIONS
    if cue is not None:
        return cue
    return (section_types or {}).get(meaning or "", RelationType.MENTIONS)


_RELATIVE = frozenset({"that", "which"})
"""Relative pronouns: a verb right after one says what a thing does ("a feature that calls")."""


def conditional_contact(text: str, rules: RelationRules) -> bool:
    """Whether a sentence reaches someone under a condition: "If the IC is unreachable,
    notify the executive on-call". The contact word must be a verb with an object: not
    inside a word ("on-call"), not a noun after an article ("ends the call", "an alert"),
    and followed by an article or a name ("page the …", "notify Ops"); nor what a thing does
    in a relative clause ("a feature that calls an LLM API")."""
    tokens = tokenize(text)
    seen_condition = False
    for index, token in enumerate(tokens):
        if token.lower in rules.conditions:
            seen_condition = True
        elif seen_condition and token.lower in rules.contact_verbs and text[token.start - 1 : token.start] != "-":
            noun = index > 0 and (tokens[index - 1].lower in rules.articles or tokens[index - 1].lower in _RELATIVE)
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            has_object = following is not None and (following.lower in rules.articles or following.text[:1].isupper())
            if not noun and has_object:
                return True
    return False


def as_written(text: str, phrase: tuple[str, ...]) -> str:
    """A phrase of lower-cased words as `text` writes it ("on-call", not "on call")."""
    found = re.search(r"(?<!\w)" + r"[\s_-]+".join(map(re.escape, phrase)) + r"(?!\w)", text, re.IGNORECASE)
    return found[0] if found else " ".join(phrase)


def negated(prose: str, mention: Mention, rules: RelationRules) -> bool:
    """Whether a negation stands in the few words before a mention's cue: "escalate to a
    human, not to the architect". Not "without": "Never override a veto without escalating
    to Agent0" escalates (as "never merge without notifying QA" notifies)."""
    before = words(prose[max(0, mention.start - 40) : mention.start])[-4:]
    return any((word,) in rules.negations and word != "without" for word in before)


_HEADING_LABEL = re.compile(r"^[\W_]*([A-Za-z][\w -]*?)[\s*_]*:")
"""A label opening a heading, before its colon ("Coordinates with:")."""


def heading_kind(path: tuple[str, ...], rules: RelationRules) -> str | None:
    """The relation the innermost heading of `path` with a telling word states, or with a
    label that is a cue of two words or more ("### Coordinates with: `level-designer` for
    lore," continued on the lines under it)."""
    for title in reversed(path):
        label = _HEADING_LABEL.match(title)
        said = words(label[1]) if label else ()
        # a cue of two words or more: a one-word label names a step ("### Review: the diff")
        if len(said) > 1 and said not in rules.weak_cues and (said in rules.labels or said in rules.cues):
            return rules.labels.get(said) or rules.cues[said]
        for word in words(title):
            kind = rules.heading_types.get((word,))
            if kind is not None:
                return kind
    return None


def lead_in_kinds(section: Section, rules: RelationRules) -> dict[int, str]:
    """For each list item right after a paragraph that ends in a cue and a colon ("I finish
    the draft and hand off to:", "When I need:"), the relation that cue states: the items
    complete its sentence, so a name in them is what the cue is done with. By the item's line."""
    found: dict[int, str] = {}
    kind: str | None = None
    for item in section.items:
        if item.kind == "paragraph":
            said = words(item.prose) if item.prose.rstrip().endswith(":") else ()
            kind = _ending_cue(said, rules)
            if kind is None and said and said[-1] in rules.role_context:
                # "… coordinates with these agents:", "work with the following roles:"
                kind = next((k for skip in (2, 3, 4) if (k := _ending_cue(said[:-skip], rules)) is not None), None)
            if kind is None and len(said) > 1 and said[-1] in rules.needs and said[-2] not in rules.modals:
                # "When I need:" asks the roles listed for input ("a feature might need:" is no request)
                kind = RelationType.DEPENDS_ON if is_function_word(said[-2]) else None
        elif item.kind != "list item":
            kind = None
        elif kind is not None:
            found[item.line] = kind
    return found


def _ending_cue(said: tuple[str, ...], rules: RelationRules) -> str | None:
    """The relation the cue that ends `said` states (the longest; no weak cue), if any."""
    return next(
        (
            rules.cues[said[-length:]]
            for length in range(min(rules.longest_cue, len(said)), 0, -1)
            if said[-length:] in rules.cues and said[-length:] not in rules.weak_cues
        ),
        None,
    )
