"""Escalation triggers: from an escalation section, or a line whose verb escalates, pages,
notifies or stops and asks, with every target it names.
"""

from __future__ import annotations

import re

from rolebook.lexical import gerund_lemma
from rolebook.model import (
    Document,
    Escalation,
    Item,
    RelationType,
    Role,
)
from rolebook.relate.cues import as_written, conditional_contact, contains, negated
from rolebook.relate.discover import is_person
from rolebook.relate.lexicon import CLAUSE_END, Lexicon, Mention, tokenize
from rolebook.relate.lines import line_anchor
from rolebook.relate.rules import RelationRules, words
from rolebook.vocabulary import SectionMeaning

UNSPECIFIED = "unspecified"
"""The target of a trigger that names no one."""
_NAMED_PERSON = re.compile(
    r"(?<![\w-])(?:page|notify|call|alert|escalate to|ask)\s+(?:the\s+|a\s+|an\s+)?"
    r"((?:[\w-]+\s+){0,3}?[\w-]+)(?=\s*(?:[.,;:!?)]|$)|\s+(?:if|when|to|for|about|and|or|with|before|after)\b)",
    re.IGNORECASE,
)
"""Who a line escalates to when no role is named: "page the on-call engineer"."""


def escalation(
    role: Role,
    document: Document,
    meaning: str | None,
    item: Item,
    part: Item,
    mentions: list[Mention],
    lexicon: Lexicon,
) -> list[Escalation]:
    """The escalation trigger a line states, if it is one — every line of an Escalation
    section, any line with an escalation phrase ("STOP and ask", "Hit a blocker"), and any
    line that reaches someone under a condition — as one row per target ("loop
    Integrator/Owner" gives two). `meaning` is the meaning of the line's section."""
    rules = lexicon.rules
    item_words = words(part.prose or part.text)
    if len(item_words) < 2 or item.kind == "quote":
        return []  # a label or a caption ("Escalation"); a quoted example of what to say
    if item.kind == "paragraph" and part.text.rstrip().rstrip("*_ ").endswith(":"):
        return []  # a lead-in ("**You must escalate:**", "How to escalate:"): the list under it says when
    phrase_at = -1
    phrase: tuple[str, ...] = ()
    conditional = not rules.conditions.isdisjoint(item_words) and conditional_contact(part.text, rules)
    # a cue that escalates to a role is a trigger in any words: "Surface cross-segment
    # dependencies to Agent0", "without escalating to Agent0", "raise concerns to the lead"
    escalating = [m for m in mentions if _escalates(m, role, part.prose, rules)]
    cued = bool(escalating)
    if (
        meaning != SectionMeaning.ESCALATION
        and rules.escalation_starts.isdisjoint(item_words)
        and not conditional
        and not cued
    ):
        return []
    for candidate in rules.escalation_phrases:
        at = contains(item_words, candidate)
        if at >= 0:
            phrase_at, phrase = at, candidate
            break
    if meaning != SectionMeaning.ESCALATION and phrase_at < 0 and not conditional:
        if not cued:
            return []
        # only its escalating cue makes the line a trigger: the others it names are no targets
        # ("Reports to: `lead` Coordinates with: `qa`")
        mentions = escalating
    cells = [c.strip() for c in part.text.split(" | ")] if part.kind == "table row" else []
    # the roles a cue names ("escalate to", "ask the", "loop in"); a role merely mentioned in
    # the trigger ("If the IC is unreachable"), named as where not to go ("not to the
    # architect"), or acting in it ("the lead can help"), is not where it escalates
    targets = [
        m
        for m in mentions
        if m.role != role.id
        and m.cue is not None
        and m.cue not in (RelationType.DEPENDS_ON, RelationType.MENTIONS)
        and not m.subject
        and not negated(part.prose, m, rules)
    ]
    if not targets and part.text.rstrip(" *_`").endswith(":") and len(item_words) < 6 and item.kind != "table row":
        return []  # "How to escalate:", "- **`ask_user`**:": a label over a list, no trigger of its own
    found: list[tuple[str, bool, str]] = [(m.role, True, m.cue_text or "names") for m in dict.fromkeys(targets)]
    if not found:
        # no role named: the person or group the line names, else one from the persons list
        named = _NAMED_PERSON.search(part.text)
        refused = [m for m in mentions if m.role != role.id and negated(part.prose, m, rules)]
        if named is not None and any(part.prose[m.start : m.end].lower() in named[1].lower() for m in refused):
            named = None  # "Never escalate to the Incident Commander for …": where not to go
        if named is not None and is_person(named[1], rules):
            found = [(named[1].strip(), False, named[0].split()[0])]
        else:
            person = next(
                (_with_modifier(part.text, p, rules) for p in rules.persons if _names_person(part.text, item_words, p)),
                UNSPECIFIED,
            )
            if person == UNSPECIFIED and _qualifies_another_act(part.text, phrase, meaning, conditional, rules):
                return []  # "Start lean, add agents when blocked": when to act, reaching no one
            found = [(person, False, "")]
    rows = []
    for target, is_role, action in found:
        if cells and len(cells) > 1:
            action = " + ".join(c for c in cells[1:] if c)
        elif phrase_at >= 0 and not (is_role and action != "names"):
            tokens = tokenize(part.text)
            at = contains(tuple(t.lower for t in tokens), phrase)
            if at >= 0:
                clauses = [c.strip() for c in CLAUSE_END.split(part.text[tokens[at].start :]) if c.strip()]
                action = clauses[0] if clauses else ""
                if words(action) == phrase and len(clauses) > 1:
                    action = clauses[1]  # "If blocked: Comment on Linear + set Blocked"
                action = _inside_brackets(action)
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


def _escalates(mention: Mention, role: Role, prose: str, rules: RelationRules) -> bool:
    """Whether a line escalates to the role a mention names by its own cue: a verb of
    escalating ("surface … to", "without escalating to"), or passing trouble ("raise
    concerns to", "Alert X" under an incident heading, "turn the deadlock over to X"). Not
    a weak cue but where the matter goes ("emails the note to the author for clear
    failures"), nor a verb of reaching someone that says so only under a condition
    (`reaching_verbs`: "Ask reviewers to complete their review", "Editor pings the EiC"),
    nor a role acting (a subject) or a denied cue ("Do not escalate to X")."""
    if (
        mention.cue != RelationType.ESCALATES_TO
        or mention.role == role.id
        or mention.subject
        or (words(mention.cue_text) in rules.weak_cues and mention.cue_text.lower() not in rules.governed)
        or negated(prose, mention, rules)
    ):
        return False
    said = words(mention.cue_text)
    verb = (gerund_lemma(said[0]) or said[0]) if said else ""
    native = rules.cues.get(said) or rules.cues.get((verb, *said[1:]))
    return native != RelationType.ESCALATES_TO or not rules.reaches(mention.cue_text)


def _inside_brackets(action: str) -> str:
    """An action up to the bracket that closes around it: "escalate to producer" of
    "Skip testing due to schedule pressure (escalate to producer)"."""
    depth = 0
    for index, char in enumerate(action):
        if char in "([":
            depth += 1
        elif char in ")]":
            if depth == 0:
                return action[:index].rstrip()
            depth -= 1
    return action


def _qualifies_another_act(
    text: str, phrase: tuple[str, ...], meaning: str | None, conditional: bool, rules: RelationRules
) -> bool:
    """Whether the line's escalation phrase is only a condition ("when blocked") at the end of
    a clause that does something else ("add agents when blocked"), outside an escalation
    section: it says when to act, not that anyone is reached. "If blocked: comment …" and
    "When blocked, ask …" open their clause."""
    if meaning == SectionMeaning.ESCALATION or conditional or not phrase or phrase[0] not in rules.conditions:
        return False
    tokens = tokenize(text)
    at = contains(tuple(t.lower for t in tokens), phrase)
    if at <= 0:
        return False
    between = text[tokens[at - 1].end : tokens[at].start]
    return not CLAUSE_END.search(between) and "," not in between


def _names_person(text: str, said: tuple[str, ...], person: tuple[str, ...]) -> bool:
    """Whether `text` (its words `said`) names `person` on its own, not as a part of a
    compound ("cross-team priority conflicts" names no team, "user-supplied input" no user)."""
    if contains(said, person) < 0:
        return False
    pattern = r"(?<![\w-])" + r"[\s-]+".join(map(re.escape, person)) + r"(?![\w-])"  # not "user-supplied"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _with_modifier(text: str, person: tuple[str, ...], rules: RelationRules) -> str:
    """A person as `text` writes it, with the one word an article puts before it: "we have
    the backup on-call" goes to the backup on-call, not to any on-call."""
    written = as_written(text, person)
    found = re.search(r"\b(\w+)\s+(\w[\w-]*)\s+" + re.escape(written) + r"(?!\w)", text, re.IGNORECASE)
    if found is not None and found[1].lower() in rules.articles and (found[2].lower(),) not in rules.cues:
        return f"{found[2]} {written}"
    return written
