"""Responsibility areas × roles, topics × a role's documents, and escalations: the claims
each line of a role's documents makes, collected once and pivoted for each page."""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from rolebook.cache import BuildCache, fingerprint
from rolebook.lexical import doer_of, is_function_word, states_a_duty
from rolebook.library import Library
from rolebook.model import Document, Item, Relation, RelationType, Role, RoleStatus, Section, Stance
from rolebook.names import split_abbreviation
from rolebook.relate.lexicon import Lexicon
from rolebook.relate.lines import Line, document_lines, line_anchor, line_groups
from rolebook.relate.rules import words
from rolebook.responsibilities.areas import Area, AreaChoice, AreaMatcher, choose_areas, lemmas_of
from rolebook.responsibilities.claims import POLITE, ClaimRules, Span, attends, clauses, load_claim_rules, read_line
from rolebook.vocabulary import SectionMeaning, Vocabulary
from rolebook.workers import map_groups


@dataclass(frozen=True)
class Claim:
    """One line of a role's documents saying something about an area."""

    role: str
    area: str
    stance: Stance
    path: str
    line: int
    anchor: str
    """Anchor of the item on the role's page."""
    text: str
    others: tuple[str, ...]
    """Roles the line names besides `role`: who does it instead, or who the role relies on
    (for a claim read from another role's line, `by` names that role)."""
    by: str = ""
    """The role whose document says it, when that is not `role` ("Releaser owns CI" read
    from "CI/release wiring (Releaser)" in the Observer's boundaries)."""
    lead: bool = True
    """Whether the line is about the area (see `rolebook.responsibilities.claims.LineClaim.lead`), or a front
    matter description's."""
    detail: bool = False
    """Whether the line is an item of a role's introduction (or of a section with no
    meaning) under a label or parent bullet that names another area: "- Error handling"
    under "API testing:" is a thing the testing covers, not work on error handling.
    Capability outlines name such objects in passing, often under several labels; an item
    of an outputs or scope list ("Persistence:" then "- Migration files") is a duty."""
    page: str = ""
    """The page the line is on when it is neither `role`'s nor `by`'s: a library document's
    (the "### Editor-in-Chief" section of a roles overview), which speaks for the role."""
    instructed: bool = False
    """Whether the claim is read from an instruction to the reader on the role's page ("Tag
    the issue with …"), or from an item after a lead-in that states ownership ("An editor is
    responsible for:"), in a section whose title gives no stance."""

    @property
    def writer(self) -> str:
        """The role (or library document) whose page has the line."""
        return self.by or self.page or self.role


def collect_claims(
    library: Library,
    vocabulary: Vocabulary,
    areas: list[Area],
    workers: int = 1,
    results: BuildCache[Hashable, list[Any]] | None = None,
    rules: ClaimRules | None = None,
) -> list[Claim]:
    """Every claim of every defined role, in document order (see `rolebook.responsibilities.claims` for how
    a line is read); large libraries are read by `workers` processes, and with `results`
    unchanged documents are not read again (see `relate`)."""
    matcher = AreaMatcher(areas)
    assert library.lexicon is not None
    lexicon = library.lexicon
    if rules is None:
        rules = load_claim_rules(lexicon.rules.negations)
    relations_at: dict[tuple[str, str, int], list[Relation]] = {}
    for relation in (*library.relations, *library.overview_relations):
        relations_at.setdefault((relation.source, relation.path, relation.line), []).append(relation)
    relying = (RelationType.DEPENDS_ON, RelationType.DELEGATES_TO)

    roles, lenders = _with_borrowed_sections(library)
    parents_of: dict[int, dict[int, str]] = {}
    """id of a document (alive in `roles` while claims are read) -> `_parents` of it."""
    charges: dict[int, frozenset[int]] = {}
    overviews = {role.id for role in library.roles if role.status is RoleStatus.OVERVIEW}

    def charged_of(document: Document, role: str) -> frozenset[int]:
        if id(document) not in charges:
            charges[id(document)] = _charged(document, rules, lexicon, role)
        return charges[id(document)]

    examined_at: dict[int, frozenset[int]] = {}
    """id of a document -> `_under_examining_headings` of it."""
    others_at: dict[int, frozenset[int]] = {}
    """id of a document -> `_for_others` of it."""

    def for_others(document: Document, role: str) -> frozenset[int]:
        if id(document) not in others_at:
            others_at[id(document)] = _for_others(document, lexicon, role)
        return others_at[id(document)]

    def claims_of(role: Role, document: Document, context: str | None, item: Item, part: Item) -> list[Claim]:
        text = part.prose
        spans, detail = _headline(text, matcher.spans(text))
        if spans:  # "Customer Liaison" on another role's page: a role's name is not its words' area
            names = [(m.start, m.end) for m in lexicon.find(text) if m.role != role.id]
            names += [m.span(1) for m in _QUOTED.finditer(text)]  # 'an "Implementation Notes" section'
            spans = [s for s in spans if not any(start <= s.start and s.end <= end for start, end in names)]
        if item.kind == "description":
            spans = _without_examples(text, _outside_blocks(text, spans))
        if not spans:
            return []
        if id(document) not in parents_of:  # a multi-role page's copies share its path: not its sections
            parents_of[id(document)] = _parents(document)
        parent = parents_of[id(document)].get(part.line)
        headline: set[str] = set()
        # a role's introduction outlines its expertise; a scope or outputs list states duties
        outline = parent is not None and vocabulary.meaning(context) in (SectionMeaning.MISSION, None)
        if parent is not None:  # "- System architecture" under "Solution design:"
            headline = {span.key for span in _headline(parent, matcher.spans(parent))[0]}
            detail = detail or not {span.key for span in spans} <= headline
        if id(document) not in examined_at:
            examined_at[id(document)] = _under_examining_headings(document, rules)
        examining = part.line in examined_at[id(document)]
        writer = lenders.get((role.id, document.path), role.id)
        here = [r for r in relations_at.get((writer, document.path, part.line), []) if r.target != role.id]
        types = {r.target: r.type for r in here}
        named = [  # where the line names the roles it relates to (most lines name none)
            (Span(m.start, m.end, m.role), types[m.role] in relying and not _other_cells(part, text, m.start, spans))
            for m in (lexicon.find(text) if types else ())
            if m.role in types
        ]
        section = rules.sections.get(vocabulary.meaning(context) or "")
        if section is Stance.OWNS and part.line in for_others(document, role.id) and not _TASK.match(text):
            section = None  # "- Wireframes" after "spawn a UXAgent for:": the UXAgent's work, not a scope item
        if section is None and _TASK.match(text):
            return []  # "- [ ] Logging captures security events": a criterion to check, not a duty
        # "Tag the issue …" in a section of steps on the role's page: the page role's duty
        instructed = (
            section is None
            and context is None
            and (
                part.line in charged_of(document, role.id)
                or (_instructs(text, rules) and not _a_bold_label(document, part.line))
            )
            and part.line not in for_others(document, role.id)
        )
        if instructed:  # what the instruction itself is about: its first clause
            end = clauses(text, rules.contrastive)[0][1]
            spans = [span for span in spans if span.start < end]
            first = min((span.start for span in spans), default=end)
            if any(m.role == role.id and m.start < first for m in lexicon.find(text[:end])):
                return []  # "Walk the editor through the review artifacts" on the editor's page: said to another
        read = read_line(text, Stance.OWNS if instructed else section, spans, named, rules, item.kind == "description")
        if examining and not instructed:  # "- API design patterns" under "### Pattern Recognition": examined
            acts = {s.key for s in spans if not rules.examining.isdisjoint(words(text[s.start : s.end]))}
            read = [c for c in read if c.stance is not Stance.OWNS or c.stated or c.area in acts]
        if instructed:  # not all it touches
            read = [c for c in read if c.role is None and c.lead]
        if not read:
            return []
        others = tuple(dict.fromkeys(r.target for r in here))
        anchor = line_anchor(document, item)
        return [
            Claim(
                found.role or role.id,
                found.area,
                found.stance,
                document.path,
                part.line,
                anchor,
                part.text,
                others if found.role is None else tuple(o for o in others if o != found.role),
                "" if found.role is None else role.id,
                found.stated
                or found.role is not None
                or (not detail and (found.lead or item.kind in ("description", "heading"))),
                outline and bool(headline) and found.area not in headline and not found.stated and found.role is None,
                writer if writer in overviews else "",
                instructed,
            )
            for found in sorted(read, key=lambda c: (c.area, c.role or "", c.stance))
        ]

    lines: list[Line] = [(role, *line) for role in roles for line in claim_lines(role, vocabulary)]
    names = library.lexicon.fingerprint()
    key = (
        "claims",
        vocabulary.fingerprint,
        fingerprint(areas),
        fingerprint(library.lexicon.rules),
        fingerprint(rules),
        names,
    )
    groups = [((*key, *group), start, stop) for group, start, stop in line_groups(lines)]
    found = map_groups(lambda index: claims_of(*lines[index]), groups, workers, 2000, results)
    claims = told_first([claim for claims in found for claim in claims])
    claims = not_boilerplate(claims, lines, rules)
    claims = reviewed_not_owned(claims, library, areas, rules)
    return relied_on_for_their_areas(own_word_first(settle(claims)), library)


def reviewed_not_owned(claims: list[Claim], library: Library, areas: list[Area], rules: ClaimRules) -> list[Claim]:
    """A reviewer's profile names what it checks: on the cards of a role whose name is the
    doer of an act of examining ("Code Reviewer", "Auditor": `examining` in `claims.yml`,
    with the lexicon's `role_endings`), a duty in an area that is not itself an act of
    examining ("Testing approaches", "ensuring quality, security") is a standard the role
    holds others' work to, not work it owns. Duties put as instructions ("Write the review
    summary", "Own the deployments") and lines of other roles' pages stay as they are."""
    assert library.lexicon is not None
    endings = library.lexicon.rules.role_endings
    reviewers = {
        role.id
        for role in library.roles
        if (head := words(role.name)[-1:]) and any(doer_of(act, head[0], endings) for act in rules.examining)
    }
    if not reviewers:
        return claims
    acts = {area.key for area in areas if any(not rules.examining.isdisjoint(keyword) for keyword in area.keywords)}
    return [
        replace(c, stance=Stance.STANDARDS)
        if c.role in reviewers
        and c.stance is Stance.OWNS
        and not (c.by or c.instructed or c.area in acts or _instructs(c.text, rules))
        else c
        for c in claims
    ]


_BOILERPLATE_WORDS = 6
"""Words a line needs to count as boilerplate when repeated: a short item ("- Code review")
in several cards' lists is each card's own, a sentence copied into every card is not."""


def boilerplate(lines: Iterable[tuple[Role, Document, str | None, Item, Item]], documents: int) -> frozenset[str]:
    """The texts (`_same_text`) of the lines that at least `documents` documents share word
    for word: a tool-usage sentence or a protocol pasted into every card of a library."""
    seen: dict[str, set[str]] = {}
    for _, document, _, _, part in lines:
        text = _same_text(part.text)
        if text.count(" ") + 1 >= _BOILERPLATE_WORDS:
            seen.setdefault(text, set()).add(document.path)
    return frozenset(text for text, paths in seen.items() if len(paths) >= documents)


def _same_text(text: str) -> str:
    return " ".join(words(text))


def not_boilerplate(claims: list[Claim], lines: list[Line], rules: ClaimRules) -> list[Claim]:
    """Claims of ownership not read from boilerplate (`boilerplate`): a line that several
    cards of a library share word for word ("Use the AskUserQuestion tool to present
    decisions as a selectable UI") says nothing about what one role owns (ownership is one
    role's); a prohibition or a standard shared so is each role's, and a claim about a role
    the line names (`Claim.by`) is about that role."""
    repeated = boilerplate(lines, rules.boilerplate) if rules.boilerplate else frozenset()
    if not repeated:
        return claims
    return [c for c in claims if c.stance is not Stance.OWNS or c.by or _same_text(c.text) not in repeated]


SETTLED = (Stance.OWNS, Stance.STANDARDS)
"""Stances a passing mention does not give: "State inspection: database state, cache state"
in a debugger's capabilities does not make it own persistence."""


def told_first(claims: list[Claim]) -> list[Claim]:
    """A role's instructions (`Claim.instructed`) give it no area its documents forbid it in
    so many words: "Identify repair actions and delegate them" in the steps of a role whose
    page says its job is not to fix anything does not make it own repairs."""
    forbidden = {(c.role, c.area) for c in claims if c.stance is Stance.MUST_NOT and not c.by and not c.instructed}
    return [c for c in claims if not (c.instructed and c.stance is Stance.OWNS and (c.role, c.area) in forbidden)]


def own_word_first(claims: list[Claim]) -> list[Claim]:
    """Another role's line naming an owner ("UX copy or UI surfaces (Designer)" in the
    Observer's boundaries) gives the owner no area its own documents forbid it ("Writing
    React/TS/CSS (handoff to Frontender)" in the Designer's): a role's own word comes first."""
    forbidden = {(c.role, c.area) for c in claims if c.stance is Stance.MUST_NOT and not c.by}
    return [c for c in claims if not (c.by and c.stance is Stance.OWNS and (c.role, c.area) in forbidden)]


def relied_on_for_their_areas(claims: list[Claim], library: Library) -> list[Claim]:
    """Relying on a role for an area it owns (or sets standards for: a reviewer's): "review
    the Designer's spec if the UI depends on this API" relies on the Designer for UX, not for
    the API. A role no document defines
    owns nothing we know of, so relying on it is kept as written."""
    owned: dict[str, set[str]] = {}
    for claim in claims:
        if claim.stance in (Stance.OWNS, Stance.STANDARDS):  # "→ code-reviewer for security aspects"
            owned.setdefault(claim.role, set()).add(claim.area)
    defined = {role.id for role in library.roles if role.status is RoleStatus.DEFINED}
    return [
        c
        for c in claims
        if c.stance is not Stance.RELIES_ON or any(o not in defined or c.area in owned.get(o, set()) for o in c.others)
    ]


def settle(claims: list[Claim]) -> list[Claim]:
    """The claims that state a stance: for owning and setting standards, a line about the
    area (`Claim.lead`) or two lines that touch it, not counting items under a label that
    names another area (`Claim.detail`: "Error handling" under both "API testing:" and
    "Security testing:" is twice an object of testing); every other claim as it is."""
    lines: dict[tuple[str, str, Stance], set[tuple[str, int]]] = {}
    lead: set[tuple[str, str, Stance]] = set()
    for claim in claims:
        key = (claim.role, claim.area, claim.stance)
        lines.setdefault(key, set())
        if not claim.detail:
            lines[key].add((claim.path, claim.line))
        if claim.lead:
            lead.add(key)
    return [
        c
        for c in claims
        if c.stance not in SETTLED or (c.role, c.area, c.stance) in lead or len(lines[(c.role, c.area, c.stance)]) > 1
    ]


_QUOTED = re.compile(r'(?:^|(?<=\s))["“]([^"“”\n]{1,60})["”](?=[\s.,;:)]|$)')
"""A short quoted name: "the “Implementation Notes” section", 'the "Testing" label' name a
title, not the area their words would."""

_LABEL = re.compile(r"^\W*([^:]{1,60}?)\W*:\s")
"""A short label before a colon: "**Integration Testing**: API endpoint tests, …"."""


def _other_cells(part: Item, text: str, start: int, spans: list[Span]) -> bool:
    """Whether a table row names a role in one cell and its areas only in others: "| DataAnalyst
    | Analytics, reporting features |" under "| Specialist | When to Spawn |" says when the
    role is called in, not what the writer relies on it for."""
    if part.kind != "table row":
        return False
    cell = text.count(" | ", 0, start)
    return all(text.count(" | ", 0, span.start) != cell for span in spans)


def _headline(text: str, spans: list[Span]) -> tuple[list[Span], bool]:
    """The areas a line is about, and whether they are only the details of something else.
    In "Integration testing: API endpoint tests, database integration" the label says what
    the role does (testing) and the rest says what that covers: when a label of a few words
    names an area, the line is about the label's areas; when it names none ("Mocking &
    Stubbing: External service mocks, database stubs"), the areas after it are details."""
    label = _LABEL.match(text)
    if label is None or len(label[1].split()) > 5:
        return spans, False
    own = [span for span in spans if span.start < label.end(1)]
    return (own, False) if own else (spans, True)


_EXAMPLES = re.compile(r":[ \t]+((?:(?!\n\s*\n|\.\s)[^:])*,(?:(?!\n\s*\n|\.\s)[^:])*)")
"""A colon, then a list up to the sentence's end (a hard-wrapped line break is no end): "risks unique to AI
features: prompt injection, output validation, and leakage to external APIs"."""


_BLOCK = re.compile(r"<([A-Za-z][\w-]*)(?:\s[^<>]*)?>.*?</\1\s*>", re.DOTALL)
"""A block of markup in a description: "<example>Context: … user: "Build a user
authentication system" …</example>", "<delegation>Trigger: Database schema needed …"."""


def _outside_blocks(text: str, spans: list[Span]) -> list[Span]:
    """Of a description's areas, those outside its blocks of markup: an agent card's
    `<example>` and `<delegation>` blocks tell when to call the agent and what it hands on to
    others ("Trigger: Frontend needed  Target: frontend-developer"), not the work it does."""
    blocks = [match.span() for match in _BLOCK.finditer(text)]
    return [span for span in spans if not any(start <= span.start < end for start, end in blocks)]


def _without_examples(text: str, spans: list[Span]) -> list[Span]:
    """Of a description's areas, those not in a list after a colon whose sentence names an
    area before it: the list says what that area covers ("Specialist in the security risks
    of AI features: prompt injection, output validation, …" is about security)."""
    dropped: list[tuple[int, int]] = []
    for match in _EXAMPLES.finditer(text):
        sentence = max(text.rfind(". ", 0, match.start()), text.rfind("\n\n", 0, match.start())) + 1
        if any(sentence <= span.start < match.start() for span in spans):
            dropped.append(match.span(1))
    return [span for span in spans if not any(start <= span.start < end for start, end in dropped)]


def _names_a_topic(label: str) -> bool:
    """Whether a paragraph is a label that names a topic ("Solution design:"), not a lead-in
    to a list of duties ("The Scribe is expected to:", "You will:"), which ends with a
    function word."""
    found = re.findall(r"[^\W_]+", label.rstrip().removesuffix(":")) if label.rstrip().endswith(":") else []
    return bool(found) and not is_function_word(found[-1])


def _parents(document: Document) -> dict[int, str]:
    """Line -> the text a line details: a list item's sub-bullets detail its first line, and
    the items of a list under a label paragraph ("Solution design:") detail the label. A
    capability list names many areas in passing ("- System architecture"); the label says
    what the role does."""
    parents: dict[int, str] = {}
    for section in document.sections:
        label: str | None = None
        for item in section.items:
            if item.kind == "paragraph":
                label = item.prose.strip() if _names_a_topic(item.prose) else None
            elif item.kind != "list item":
                label = None
            for index, (line, _, _) in enumerate(item.parts):
                if index > 0 and item.kind == "list item":
                    parents[line] = item.parts[0][2]
                elif label is not None and item.kind == "list item":
                    parents[line] = label
    return parents


_TASK = re.compile(r"\s*\[[ xX]\]\s")
"""A task list's box ("- [ ] Inputs validated server-side"): the item is a criterion to check."""

_BOLD_LABEL = re.compile(r"\s*(\*\*|__)[^*_]+\1:?\s*$")
"""A paragraph in bold alone ("**Logging & Monitoring**"): a heading over what follows."""

_OPENING = re.compile(r"^[\W\d_]*")
"""What comes before a line's first word: a list's number, a check mark, emphasis."""


def _a_bold_label(document: Document, line: int) -> bool:
    """Whether a line of the source is a paragraph in bold alone ("**Logging & Monitoring**"
    over a checklist): a heading over what follows, not an instruction."""
    start = 0
    for _ in range(line - 1):
        start = document.text.find("\n", start) + 1
        if not start:
            return False
    end = document.text.find("\n", start)
    return bool(_BOLD_LABEL.match(document.text[start : end if end >= 0 else None]))


def _instructs(text: str, rules: ClaimRules) -> bool:
    """Whether a line opens with an instruction to the reader ("Tag the issue with …",
    "Check that the YAML …", "1. Add a comment"): a capitalised verb in its base form (see
    `states_a_duty`; after "Please"), not one of attention ("Read the rest of this page",
    "Check out the dashboard": `attending` in `claims.yml`), nor a word that is also an
    adverb or an auxiliary ("Even if …", "Be …"). On a role's page it is the role's duty."""
    rest = text[_OPENING.match(text).end() :]  # type: ignore[union-attr]
    said = list(words(rest)) if rest[:1].isupper() else []
    if said[:1] and said[0] in POLITE:  # "Please tag the issue": judged by "tag"
        rest = rest.split(maxsplit=1)[1] if len(rest.split(maxsplit=1)) > 1 else ""
        said = said[1:]
    return (
        bool(said) and not attends(said, rules) and not {"ADV", "AUX"} & set(lemmas_of(said[0])) and states_a_duty(rest)
    )


def _under_examining_headings(document: Document, rules: ClaimRules) -> frozenset[int]:
    """Lines of the sections whose own heading names an act of examining (`examining` in
    `claims.yml`: "### Pattern Recognition", "### Technology Detection", "### Review
    Specialties"): the areas their items name are what the role examines ("- API design
    patterns", "- Deployment configurations"), not work it owns."""
    found: set[int] = set()
    for section in document.sections:
        if section.level > 1 and not rules.examining.isdisjoint(words(section.title)):
            found.update(line for item in section.items for line, _, _ in item.parts)
    return frozenset(found)


def _for_others(document: Document, lexicon: Lexicon, role: str) -> frozenset[int]:
    """Lines of the sections whose heading names another role ("### DataScientistAgent (ML)"
    under "Coordination with Other Agents"), and the list items after a lead-in that names
    one ("You may spawn a UXAgent when you need design assistance for:"): what the role does
    with or asks of that role ("Provide business context for ML projects", "- Wireframes"),
    not work of its own."""
    found: set[int] = set()
    for section in document.sections:
        whole = section.level > 1 and bool(lexicon.spelt_in(section.title) - {role})
        led = False
        for item in section.items:
            if item.kind == "paragraph":
                lead_in = item.prose.rstrip()
                led = lead_in.endswith(":") and any(name.role != role for name in lexicon.find(lead_in))
            elif item.kind != "list item":
                led = False
            if whole or (led and item.kind == "list item"):
                found.update(line for line, _, _ in item.parts)
    return frozenset(found)


def _charged(document: Document, rules: ClaimRules, lexicon: Lexicon, role: str) -> frozenset[int]:
    """Lines of the list items after a lead-in that states ownership and names no role but
    the page's (`role`: "An editor is responsible for:", "Your job is to:", "The EIC is
    responsible for:" in a roles overview's section about the EIC): duties of the page's role."""
    found: set[int] = set()
    for section in document.sections:
        charged = False
        for item in section.items:
            if item.kind == "paragraph":
                lead_in = item.prose.rstrip()
                said = words(lead_in)
                charged = (
                    lead_in.endswith(":")
                    and any(said[i : i + len(p)] == p for p in rules.owning for i in range(len(said)))
                    and all(name.role == role for name in lexicon.find(lead_in))
                )
            elif item.kind != "list item":
                charged = False
            elif charged:
                found.update(line for line, _, _ in item.parts)
    return frozenset(found)


def claim_lines(role: Role, vocabulary: Vocabulary) -> Iterator[tuple[Document, str | None, Item, Item]]:
    """Each line of text of each of a role's documents (see `item_lines`), then the
    document's headings that state a duty ("Provide executive status updates": see
    `states_a_duty`; "4. Monitor package maintenance" after its number), read as lines of
    its responsibilities that point at the first item under them. A document's lines come
    together: they are cached together."""
    for document in role.documents:
        for line in document_lines(document, vocabulary):
            yield document, *line
        for section in document.sections:
            untitled = section.title[_OPENING.match(section.title).end() :]  # type: ignore[union-attr]
            if section.canonical is None and section.level >= 2 and section.items and states_a_duty(untitled):
                title = section.title
                heading = Item(section.line, "heading", title, title)
                yield document, SectionMeaning.RESPONSIBILITIES, section.items[0], heading


def areas_for(library: Library, vocabulary: Vocabulary, configured: list[Area], rules: ClaimRules) -> AreaChoice:
    """The areas of this library's matrix (see `rolebook.responsibilities.areas.choose_areas`)."""
    assert library.lexicon is not None
    roles, _ = _with_borrowed_sections(library)
    lines = [
        (role.id, part.prose, part.kind)
        for role in roles
        for _, context, _, part in claim_lines(role, vocabulary)
        if vocabulary.meaning(context) in rules.sections
    ]
    section_words = frozenset(w for spec in vocabulary.sections for w in (*spec.key.split("-"), *words(spec.title)))
    return choose_areas(lines, configured, library.lexicon, section_words)


def _with_borrowed_sections(library: Library) -> tuple[list[Role], dict[tuple[str, str], str]]:
    """The defined roles, each with the sections other roles' documents give it ("## Deputy"
    in a "Different roles" page: see `sections_for_other_roles`; not the page's front-matter
    description, which is about the page) and without those it gives away; and
    `(role, document path) -> role whose document it is` for the borrowed ones."""
    assert library.lexicon is not None
    borrowed = library.borrowed
    lent: dict[tuple[str, str], set[int]] = {}
    extra: dict[str, list[Document]] = {}
    lenders: dict[tuple[str, str], str] = {}
    for target, parts in borrowed.items():
        for document, index, owner in parts:
            sections = _subtree(document, index)
            extra.setdefault(target, []).append(replace(document, sections=sections, description=None))
            lent.setdefault((owner, document.path), set()).update(range(index, index + len(sections)))
            lenders[(target, document.path)] = owner
    for target, parts in _overview_sections(library).items():
        for document, index, owner in parts:
            extra.setdefault(target, []).append(replace(document, sections=_subtree(document, index), description=None))
            lenders[(target, document.path)] = owner
    roles = []
    for role in library.roles:
        if role.status is not RoleStatus.DEFINED:
            continue
        own = tuple(
            replace(d, sections=tuple(s for i, s in enumerate(d.sections) if i not in lent[(role.id, d.path)]))
            if (role.id, d.path) in lent
            else d
            for d in role.documents
        )
        roles.append(replace(role, documents=own + tuple(extra.get(role.id, ()))))
    return roles, lenders


def _subtree(document: Document, index: int) -> tuple[Section, ...]:
    """The section at `index` of a document and the sections under it."""
    end = index + 1
    while end < len(document.sections) and document.sections[end].level > document.sections[index].level:
        end += 1
    return document.sections[index:end]


def _overview_sections(library: Library) -> dict[str, list[tuple[Document, int, str]]]:
    """Sections of library documents (a roles overview) whose heading is the name of one
    defined role ("### Editor-in-Chief" then "The EIC is responsible for: …"): what they say
    is said of that role. Role id -> (document, section index, id of the document's page)."""
    assert library.lexicon is not None
    defined = {role.id for role in library.roles if role.status is RoleStatus.DEFINED}
    found: dict[str, list[tuple[Document, int, str]]] = {}
    for page in library.roles:
        if page.status is not RoleStatus.OVERVIEW:
            continue
        for document in page.documents:
            for index, section in enumerate(document.sections):
                name = library.lexicon.lookup(words(split_abbreviation(section.title)[0])) if section.level else None
                if name is not None and name.role in defined:
                    found.setdefault(name.role, []).append((document, index, page.id))
    return found


def matrix_rows(library: Library, roles: list[Role] | None = None) -> list[tuple[Role, ...]]:
    """The rows of the responsibility matrix, from the defined roles (or `roles`): a page
    that lends sections to two or more other roles ("Different Roles": `## Deputy`,
    `## Scribe` …) is about several roles, not one, and is no row; roles of the same name
    (one role written up in two documents the merge kept apart) share a row."""
    lent: dict[str, set[str]] = {}
    for target, parts in library.borrowed.items():
        for _, _, owner in parts:
            lent.setdefault(owner, set()).add(target)
    rows: dict[str, list[Role]] = {}
    for role in roles if roles is not None else library.roles:
        if role.status is RoleStatus.DEFINED and len(lent.get(role.id, ())) < 2:
            rows.setdefault(role.name.casefold(), []).append(role)
    return [tuple(found) for found in rows.values()]


def disclaims(claim: Claim) -> bool:
    """Whether a claim gives the area away: it must not do it, or relies on someone for it,
    and names who does it instead. An anti-pattern ("no direct DB queries in handlers")
    forbids a way of working, not the area, and names nobody."""
    return claim.stance in (Stance.MUST_NOT, Stance.RELIES_ON) and bool(claim.others)


def _disagreement(claims: list[Claim]) -> tuple[list[Claim], list[Claim]]:
    """Of one role's claims on one area: those that give it the area and those, in *other*
    documents, that forbid it. Relying on someone for an area one also owns is ordinary
    ("owns the API; relies on the Designer's spec"), not a disagreement."""
    owning = [c for c in claims if c.stance is Stance.OWNS]
    forbidding = [c for c in claims if c.stance is Stance.MUST_NOT]
    pairs_owning = [c for c in owning if any(f.path != c.path for f in forbidding)]
    pairs_forbidding = [c for c in forbidding if any(o.path != c.path for o in owning)]
    return pairs_owning, pairs_forbidding


CONFLICT_KINDS = ("owned by several roles", "sources disagree", "owner does not claim it")


@dataclass(frozen=True)
class Conflict:
    """Something the responsibility matrix should make a reader look at."""

    kind: str
    """One of `CONFLICT_KINDS`: two roles' own documents each claim the area; one document
    gives a role the area and another forbids it; a line names a role as the area's owner
    ("CI/release wiring (Releaser)") and that role's documents never claim it."""
    area: str
    roles: tuple[str, ...]
    claims: tuple[Claim, ...]


def find_conflicts(claims: list[Claim], areas: list[Area], rows: Iterable[tuple[Role, ...]] = ()) -> list[Conflict]:
    """The conflicts of each area, in the areas' order (see `Conflict`). Roles that share a
    row of `rows` (`matrix_rows`: one role written up in two documents) are one owner."""
    row_of = {role.id: group[0].id for group in rows for role in group}
    conflicts: list[Conflict] = []
    by_area: dict[str, list[Claim]] = {}
    for claim in claims:
        by_area.setdefault(claim.area, []).append(claim)
    for area in areas:
        area_claims = by_area.get(area.key, [])
        own = [c for c in area_claims if c.stance is Stance.OWNS and not c.by]
        owners = sorted({c.role for c in own})
        if len({row_of.get(owner, owner) for owner in owners}) > 1:
            conflicts.append(Conflict("owned by several roles", area.key, tuple(owners), tuple(own)))
        by_role: dict[str, list[Claim]] = {}
        for claim in area_claims:
            by_role.setdefault(claim.role, []).append(claim)
        for role, role_claims in by_role.items():
            owning, forbidding = _disagreement(role_claims)
            if owning:
                conflicts.append(Conflict("sources disagree", area.key, (role,), tuple(owning + forbidding)))
        named = [c for c in area_claims if c.stance is Stance.OWNS and c.by and c.role not in owners]
        for role in sorted({c.role for c in named}):
            found = tuple(c for c in named if c.role == role)
            conflicts.append(Conflict("owner does not claim it", area.key, (role,), found))
    return conflicts


def unowned(claims: list[Claim], areas: list[Area]) -> list[Area]:
    """Areas no role's own documents claim to own (another role's line naming an owner is
    not the owner's claim)."""
    owned = {c.area for c in claims if c.stance is Stance.OWNS and not c.by}
    return [area for area in areas if area.key not in owned]


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
