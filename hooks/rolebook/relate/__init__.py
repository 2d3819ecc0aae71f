"""Mentions of roles in prose, and what the sentences around them say: relations and
escalation triggers.

Matching is one pass over a text's words: at each word, the next few words are looked up
in a dict of every known name (names are a few words long), so the cost grows with the
text, not with the number of roles. The rules — which phrases are cues, which words end a
role's name, which words are people — are data (`relations.yml`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from rolebook.cache import BuildCache, fingerprint
from rolebook.lexical import all_lemmas, inflections, is_particle, is_verb, states_a_duty, verb_lemma
from rolebook.model import (
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
from rolebook.names import item_anchor, shared_names, slugify, split_abbreviation, without_context
from rolebook.read.markdown import CODE_GAP
from rolebook.relate.cues import contains, heading_kind, lead_in_kinds, relation_type
from rolebook.relate.discover import discover_ids, discover_names, library_heads, named_as_things
from rolebook.relate.escalations import UNSPECIFIED, escalation
from rolebook.relate.lexicon import Lexicon, Mention, Name, each_role
from rolebook.relate.lines import (
    Line,
    description_block,
    item_lines,
    line_anchor,
    line_groups,
    line_of,
    source_block,
)
from rolebook.relate.rules import WORD, RelationRules, words
from rolebook.vocabulary import SectionMeaning, Vocabulary
from rolebook.workers import map_groups

T = TypeVar("T")
_KEPT_ON_ESCALATION = frozenset({RelationType.DELEGATES_TO, RelationType.DEPENDS_ON})
_KEPT_ESCALATING = _KEPT_ON_ESCALATION | {RelationType.MENTIONS}
"""What an escalation heading leaves as it is: a role named with no cue, relied on, or left work."""
_KEPT_FOR_SKILLS = frozenset({RelationType.DELEGATES_TO, RelationType.ESCALATES_TO})
"""Relations that say the same of a skill as of a role (delegating only in a boundary item:
"PDF parsing (pdf skill)"); any other naming of a skill uses it ("run cost-review")."""
COLUMN, ROW_COLUMN = "column", "row column"
"""The cue text of a mention typed by its table column's header ("| Run |"), or by a header's
infinitive about the role its row is about ("| When to Spawn |")."""
_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Za-z0-9]{1,5})\)")
"""`(IC)`, `(EiC)`: kept when its capitals are the name's initials (`split_abbreviation`)."""


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


_TAG = re.compile(r"<([A-Za-z][\w-]*)>(.*?)(?:</\1>|$)", re.DOTALL)


def _inside_telling_tags(prose: str, mentions: list[Mention], rules: RelationRules) -> list[Mention]:
    """Mentions inside a pseudo-XML element whose name is a telling heading word
    (`<delegation>… Target: backend-developer …</delegation>` in an agent card's
    description) state what that word does, when no cue says otherwise."""
    spans = [
        (found.start(2), found.end(2), _element_kind(found[2], rules.heading_types[words(found[1])], rules))
        for found in _TAG.finditer(prose)
        if words(found[1]) in rules.heading_types
    ]
    if not spans:
        return mentions
    return [
        next((replace(m, cue=kind, cue_text=f"<{kind}>") for a, b, kind in spans if a <= m.start < b), m)
        if m.cue is None
        else m
        for m in mentions
    ]


_FIELD = re.compile(r"(?:^|\s)([A-Za-z][\w-]*):\s*[\"'“]?([^\s\"'“]+)")
"""A field of a pseudo-XML element ("Handoff: "API design complete …""): its name and first word."""


def _element_kind(content: str, kind: str, rules: RelationRules) -> str:
    """What an element states of the roles it names: its name's type, unless a field of
    another telling word says what is passed ("<delegation> … Handoff: "Security issues
    found: …""hands the findings off); a field that opens with a verb says the work is given
    (the element's type: "Handoff: "Build API for …""), and one that opens with a verb of
    `needs` asks the role for input ("Handoff: "Need API design for …"": relied on)."""
    for field in _FIELD.finditer(content):
        said = words(field[1])
        if said not in rules.heading_types or rules.heading_types[said] == kind:
            continue
        if field[2].lower() in rules.needs:
            return RelationType.DEPENDS_ON
        if not states_a_duty(" ".join(content[field.start(2) :].split()[:2])):
            return rules.heading_types[said]
    return kind


def _cues_of_others(prose: str, mentions: list[Mention], own: str) -> list[Mention]:
    """Drop the cue of a verb whose subject is another role: in "`reporter` depends on
    `reviewer`" the writer only mentions `reviewer` (and every name listed after it that
    inherits the verb); in "Builder hands off to Verifier", on Builder's own page, it hands off.
    A label after a name is no verb of it ("Reports to: `lead` Coordinates with: `qa`")."""
    found = list(mentions)
    foreign: str | None = None
    for at in range(1, len(found)):
        earlier, mention = found[at - 1], found[at]
        if foreign is not None and set(words(prose[earlier.end : mention.start])) <= _LIST_WORDS:
            found[at] = replace(mention, cue=None, cue_text="")  # "… AND/OR `other` output"
            continue
        if mention.cue is None or mention.subject:
            foreign = None
            continue
        between = words(prose[earlier.end : mention.start])
        said = words(mention.cue_text)
        foreign = None
        label = ":" in prose[earlier.end : mention.start]  # "X Coordinates with: Y": lines run on
        if earlier.role != own and between[: len(said)] == said and said and _third_person(said[0]) and not label:
            foreign = mention.cue
            found[at] = replace(mention, cue=None, cue_text="")
    return found


_LIST_WORDS = frozenset({"and", "or"})


_THIS = re.compile(r"\b(?:this|these)\s+$", re.IGNORECASE)


def _names_itself(prose: str, mention: Mention, role: Role) -> bool:
    """Whether a mention after "this" is the writer's own role by the last words of its name:
    "This working group will report …" in the charter of the Community Building Working
    Group is that group, not a role "Working Group"."""
    if not _THIS.search(prose[max(0, mention.start - 12) : mention.start]):
        return False
    said = words(prose[mention.start : mention.end])
    if said and said[-1].endswith("s") and len(said[-1]) > 3:
        said = (*said[:-1], said[-1][:-1])
    return any(words(name)[-len(said) :] == said for name in (role.name, *role.aliases) if said)


_CONDITION_OPENING = re.compile(r"[.!?;:,|(]")


def _in_condition(prose: str, start: int, rules: RelationRules) -> bool:
    """Whether the name at `start` stands in a clause that opens with a condition word ("If
    `backend` says …", "when the architect is away"): it sets when a boundary holds, and is
    not who does the work instead."""
    opening = max((found.end() for found in _CONDITION_OPENING.finditer(prose, 0, start)), default=0)
    said = words(prose[opening:start])
    return bool(said) and said[0] in rules.conditions


def _over_section(heading: str | None) -> str | None:
    """What the words of the headings over a line say when no cue does, before what its
    section's key says: "## Communication" (a Handoffs section by its synonyms) works with
    the roles it names. Not an escalation heading: a role it names without a cue is where
    nothing escalates ("loop Router; may spawn Builder")."""
    return heading if heading != RelationType.ESCALATES_TO else None


def _third_person(word: str) -> bool:
    """Whether a word is a verb in the third person ("depends", "hands"), not its base form."""
    lemma = verb_lemma(word)
    return lemma is not None and lemma != word


def _table_columns(
    path: str, section: Section, rules: RelationRules
) -> dict[tuple[str, int], dict[int, tuple[str, str]]]:
    """For each row of each table in `section`, the relation its header states of the roles
    each column names, when the header cell is a cue ("| User says | Run |": delegates). A
    header cell that ends in a cue's infinitive ("| Specialist | When to Spawn |") says what
    to do with the role its row is about: every column of the row states it (not in an
    index, which lists when each agent is used). Each as (relation, cue text)."""
    found: dict[tuple[str, int], dict[int, tuple[str, str]]] = {}
    header: dict[int, tuple[str, str]] = {}
    previous = -10
    for item in section.items:
        if item.kind != "table row":
            previous = -10
            continue
        if item.line > previous + 2:  # a new table: this row is its header
            cells = item.prose.split(" | ")
            header = {
                i: (rules.cues[words(cell)], COLUMN)
                for i, cell in enumerate(cells)
                if words(cell) in rules.cues and words(cell) not in rules.weak_cues
            }
            infinitive = next((kind for cell in cells if (kind := _infinitive_cue(words(cell), rules))), None)
            if infinitive is not None:
                header = {i: header.get(i, (infinitive, ROW_COLUMN)) for i in range(len(cells))}
        elif header:
            found[(path, item.line)] = header
        previous = item.line
    return found


def _infinitive_cue(said: tuple[str, ...], rules: RelationRules) -> str | None:
    """The relation a header's infinitive states ("when to spawn", "who to contact"): the cue
    (not a weak one) after its last "to", when that ends the cell."""
    if "to" not in said[:-1]:
        return None
    cue = said[len(said) - said[::-1].index("to") :]
    return rules.cues.get(cue) if cue not in rules.weak_cues else None


def _spelling_variant(key: tuple[str, ...], lexicon: Lexicon) -> str | None:
    """The role a name spells another way: a doer in -or where the role's name has -er, or
    the other way round ("Advisor", "Adviser"); a role noun where the name has its doer in
    -er ("Release Team Lead(s)", "Release Team Leader")."""
    if not key or lexicon.lookup(key) is not None:
        return None
    last = key[-1]
    singular = last[:-1] if last.endswith("s") and len(last) > 4 else last
    spellings = [
        last[: -len(ending)] + other for ending, other in (("or", "er"), ("er", "or")) if last.endswith(ending)
    ]
    if singular in lexicon.rules.role_nouns and not singular.endswith(("er", "or")):
        spellings.append(singular + "er")
    for spelling in spellings:
        if len(spelling) > 5:
            found = lexicon.lookup((*key[:-1], spelling))
            if found is not None:
                return found.role
    return None


def _step_name(role_id: str, rules: RelationRules) -> str | None:
    """The id a flow calls an agent by when it names the step the agent does: the action
    noun of the agent noun its id ends in, as `step_endings` spells it (`browser-validator`
    -> `browser-validation`, `code-inspector` -> `code-inspection`). Only ids of two words
    or more: one word ("validation") is a topic."""
    parts = re.split(r"([-_])", role_id)
    if len(parts) < 3:
        return None
    for agent, action in rules.step_endings:
        if parts[-1].endswith(agent) and len(parts[-1]) > len(agent) + 2:
            return "".join(parts[:-1]) + parts[-1][: -len(agent)] + action
    return None


def _name_tails(roles: list[Role], lexicon: Lexicon, rules: RelationRules) -> list[tuple[str, str]]:
    """The last two words of role names of three or more that end in a role noun ("Peer
    Review Lead" -> "Review Lead"): prose puts other modifiers before them ("the software
    review lead"). Only tails that no other name has, and that no two roles share."""
    tails: dict[tuple[str, ...], set[str]] = {}
    for role in roles:
        if role.status is RoleStatus.OVERVIEW:
            continue
        for name in (role.name, *role.aliases):
            key = words(name)
            if len(key) >= 3 and rules.is_person_word(key[-1]) and (key[-2],) not in rules.negations:
                tails.setdefault(key[-2:], set()).add(role.copy_of or role.id)
    return [
        (next(iter(owners)), " ".join(tail))
        for tail, owners in tails.items()
        if len(owners) == 1 and lexicon.lookup(tail) is None
    ]


def _code_ids(part: Item, ids: frozenset[str]) -> Item:
    """`part` with each code span that holds one of `ids` (one-word role ids: `pm`,
    `architect`) written back into its prose between backticks, where reading left a gap:
    "consult `architect`" names the agent by its id. Other code spans stay gaps (`task`, a
    command, a value). The prose is unchanged when its text cannot be lined up with it."""
    if CODE_GAP not in part.prose or not ids:
        return part
    pieces = part.prose.split(CODE_GAP)
    patterns = [re.compile(r"\s*".join(re.escape(chunk) for chunk in piece.split())) for piece in pieces]
    first = patterns[0].match(part.text.lstrip())
    if first is None:
        return part
    text, position, prose = part.text.lstrip(), first.end(), pieces[0]
    for pattern, piece in zip(patterns[1:], pieces[1:], strict=True):
        if piece.strip():
            following = pattern.search(text, position + 1)
            if following is None:
                return part
            code, position = text[position : following.start()].strip(), following.end()
        elif piece is pieces[-1]:
            code, position = text[position:].strip(), len(text)
        else:
            return part  # two code spans with nothing between: no telling where one ends
        prose += (f" `{code}` " if code in ids else CODE_GAP) + piece
    return replace(part, prose=prose) if prose != part.prose else part


def _names(roles: list[Role], rules: RelationRules) -> Lexicon:
    """Every name of every role: its name and id first, then the other names its documents
    give it (aliases, folder and front-matter ids, the name without a context noun). Another
    name that two roles share names neither (copies of one role count once); the lexicon
    keeps it in `ambiguous`, for the build log."""
    lexicon = Lexicon(rules)
    others: list[tuple[tuple[str, ...], str, Role, str]] = []
    for role in roles:
        if role.status is RoleStatus.OVERVIEW:
            continue  # a README's title names no role
        for name in (role.name, role.id):
            lexicon.add(role.id, name, role.is_skill)
        stripped = without_context(role.name, rules.role_context, rules.is_person_word)
        metadata = [role.metadata.id] if role.metadata else []
        for name in (*role.aliases, *metadata, *([stripped] if stripped else [])):
            others.append((words(name), role.copy_of or role.id, role, name))
    ambiguous = shared_names((key, owner) for key, owner, _, _ in others)
    first: dict[tuple[str, ...], tuple[Role, str]] = {}
    for key, _, role, name in others:
        first.setdefault(key, (role, name))
    for key, (role, name) in first.items():
        if key in lexicon.names:
            continue  # a role's own name or id
        if key in ambiguous:
            lexicon.ambiguous[" ".join(key)] = ambiguous[key]
            continue
        lexicon.add(role.id, name, role.is_skill)
    # identifier spellings: the CamelCase form of a name ("ProductManagerAgent"), and the
    # CamelCase and id forms of a name without its context noun ("ProductManager",
    # `product-manager`), matched only as written so; not when two roles would share one
    spellings: dict[tuple[str, bool], set[str]] = {}
    for role in roles:
        if role.status is not RoleStatus.OVERVIEW and not role.is_skill:
            for name in (role.name, role.id):
                written = [w for w in re.split(r"[-_\s]+", name) if w]  # "UX Agent": UXAgent
                camel = [w if w.isupper() else w.capitalize() for w in written]
                forms = [camel, camel[:-1]] if len(camel) > 2 and camel[-1].lower() in rules.role_context else [camel]
                for form in forms:
                    if len(form) > 1:
                        spellings.setdefault(("".join(form), True), set()).add(role.id)
                for form in forms[1:]:
                    spellings.setdefault(("-".join(form).lower(), False), set()).add(role.id)
    for (spelling, is_camel), owners in spellings.items():
        if len(owners) == 1:
            lexicon.add(owners.pop(), spelling, exact=is_camel, id_only=not is_camel)
    return lexicon


def _home(role: Role) -> str:
    """The folder a role is written up in: its first document's, or the one above it when
    that folder is named for the role (`backend/ROLE.md`, `agents/pm/SOUL.md`)."""
    path = role.documents[0].path if role.documents else ""
    folders = path.split("/")[:-1]
    if folders and slugify(folders[-1]) in (role.id, role.copy_of):
        folders = folders[:-1]
    return "/".join(folders)


def _add_heads(lexicon: Lexicon, roles: list[Role], rules: RelationRules) -> None:
    """Make the head noun of a defined role's name of two words or more ("Product Designer"
    -> "designer", its context noun left out) a short name of it, when no other defined
    role's name ends in it and it is no name already. Only a word for someone that is never
    a verb ("lead" is one) and not a plural ("Maintainers and Authors"). The lexicon links
    it only where the text uses it as that role (`Name.short`).

    A head that two roles up to `largest_group` share, written up in one folder (a team,
    not unrelated agents of a large library), makes its plural a name of them all
    (`Name.group`): "the developers" of Backend Developer and Frontend Developer."""
    found: dict[str, set[str]] = {}
    homes: dict[str, str] = {}
    for role in roles:
        if role.status is not RoleStatus.DEFINED or role.is_skill:
            continue
        homes[role.copy_of or role.id] = _home(role)
        name = without_context(role.name, rules.role_context, rules.is_person_word) or role.name
        parts = name.split()
        head = parts[-1] if parts else ""
        if len(parts) >= 2 and rules.is_person_word(head) and not is_verb(head) and not head.endswith("s"):
            found.setdefault(head.lower(), set()).add(role.copy_of or role.id)
    for head, holders in found.items():
        if len(holders) == 1 and lexicon.lookup((head,)) is None:
            lexicon.add(holders.pop(), head, short=True)
        elif 1 < len(holders) <= rules.largest_group and len({homes[held] for held in holders}) == 1:
            for plural in inflections(head, "NNS"):
                if plural != head and lexicon.lookup((plural,)) is None:
                    members = tuple(sorted(holders))
                    lexicon.add(members[0], plural, short=True, group=members)


def _escalation_lead_ins(
    role: Role,
    path: str,
    section: Section,
    lexicon: Lexicon,
    escalations: dict[tuple[str, int], tuple[str, ...]],
    labels: set[tuple[str, int]],
) -> None:
    """A paragraph that ends in a colon and escalates to roles ("You escalate to Agent0:")
    makes each list item right after it a trigger that escalates to them, as a heading
    does: into `escalations` by the item's line; the paragraph itself goes into `labels`.
    The items under a lead-in that asks for what to give once escalating ("When escalating,
    provide:") are what to include, no triggers: into `labels` too."""
    targets: tuple[str, ...] = ()
    label = 0
    contents = False
    for item in section.items:
        if item.kind == "paragraph":
            targets, label, contents = (), item.line, False
            if item.prose.rstrip(" *_").endswith(":"):
                found = each_role(lexicon.find(item.prose))
                targets = tuple(dict.fromkeys(m.role for m in found if _escalates_to(m, role)))
                contents = _asks_for_contents(item.prose, lexicon.rules)
        elif item.kind != "list item":
            targets, contents = (), False
        elif contents:
            labels.add((path, item.line))
        elif targets:
            escalations.setdefault((path, item.line), targets)
            labels.add((path, label))


def _asks_for_contents(lead_in: str, rules: RelationRules) -> bool:
    """Whether a lead-in's last clause asks for things to give, after a clause that sets
    the moment: "When escalating, provide:", "Before you escalate, gather:" (an imperative
    verb that neither escalates nor reaches anyone). "Escalate if you see:" and "If blocked,
    escalate:" list triggers."""
    clauses = [words(clause) for clause in lead_in.rstrip(" *_:").split(",")]
    if len(clauses) < 2 or not clauses[-1] or not any(clauses[:-1]):
        return False
    verb = clauses[-1][0]
    return (
        verb_lemma(verb, base_only=True) == verb
        and rules.cues.get((verb,)) != RelationType.ESCALATES_TO
        and (verb,) not in rules.escalation_phrases
        and verb not in rules.contact_verbs
    )


def _escalates_to(mention: Mention, role: Role) -> bool:
    return mention.cue == RelationType.ESCALATES_TO and mention.role != role.id and not mention.subject


def _section_escalates_to(role: Role, section: Section, lexicon: Lexicon) -> set[str]:
    """The roles a section's escalation procedure reaches: named with a telling cue in the
    list under a label that escalates ("How to escalate:" … "Notify Agent0"). A trigger
    beside others that names its own role ("Page Keeper when …") says nothing of them."""
    rules = lexicon.rules
    found: set[str] = set()
    procedure = False
    for item in section.items:
        said = words(item.prose)
        if item.kind == "paragraph":
            procedure = item.prose.rstrip(" *_").endswith(":") and any(
                contains(said, phrase) >= 0 for phrase in rules.escalation_phrases
            )
        elif item.kind != "list item":
            procedure = False
        if not procedure or item.kind != "list item" or not lexicon.starts.keys() & set(said):
            continue
        for mention in each_role(lexicon.find(item.prose)):
            telling = mention.cue is not None and words(mention.cue_text) not in rules.weak_cues
            if telling and not mention.subject and mention.role != role.id:
                found.add(mention.role)
    return found


_QUALIFIED = re.compile(r"(?<=\w)\s*\([^()]*\)\s*$")
"""A parenthesised qualifier ending a heading: "### Scribe (Note Taker)"."""


def _heading_anchor(document: Document, section: Section) -> str:
    """Where a heading's relation points on its role page: the first item under it (or after
    it), since headings move and are renamed when documents merge, and items keep their id."""
    lines = [item.line for s in document.sections if s.line >= section.line for item in s.items]
    lines = lines or [item.line for s in document.sections for item in s.items]
    return item_anchor(document.name, min(lines)) if lines else ""


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


def _project_prefixed(name: str, lexicon: Lexicon) -> bool:
    """Whether a name is a known role's after a word no English lexicon knows, the name of
    the project ("Jupyter Executive Council" of the Executive Council): that role, not
    another one."""
    first, *rest = name.split()
    return (
        len(rest) > 1
        and first[:1].isupper()
        and not all_lemmas(first.lower())
        and lexicon.lookup(words(" ".join(rest))) is not None
    )


def _plain(name: str) -> bool:
    """A name written as plain lower-case words ("team leaders"), not as an id."""
    return name.islower() and "-" not in name and "_" not in name


def _singular_key(name: str) -> tuple[str, ...]:
    key = words(name)
    return (*key[:-1], key[-1][:-1] if key[-1].endswith("s") and len(key[-1]) > 4 else key[-1])


_MIXED_INITIALISM = re.compile(r"\b[A-Z][A-Za-z]*[a-z][A-Za-z]*[A-Z]s?\b")
"""A word of capitals with a small letter among them ("EiC", "AEiCs", "CoS")."""


def _initialisms(texts: Iterable[str], roles: Iterable[Role]) -> dict[str, str]:
    """The initialisms in `texts` that spell one role's name of three words or more, a
    small letter for each little word and a capital for each other one ("EiC" of
    Editor-in-Chief, "CoS" of Chief of Staff; "AEiCs" the plural of "AEiC"): initialism ->
    role id. One that spells several roles' names, or that is an English word, names none."""
    spelling: dict[str, set[str]] = {}
    for role in roles:
        for name in (role.name, *role.aliases):
            parts = [part for part in re.split(r"[-_\s]+", name) if part]
            if len(parts) < 3 or not any(is_particle(part) for part in parts[1:-1]):
                continue
            letters = "".join(part[0].lower() if is_particle(part) else part[0].upper() for part in parts)
            spelling.setdefault(letters, set()).add(role.id)
    if not spelling:
        return {}
    found: dict[str, str] = {}
    for text in texts:
        for match in _MIXED_INITIALISM.finditer(text):
            word = match[0].removesuffix("s") if match[0].removesuffix("s") in spelling else match[0]
            held = spelling.get(word, set())
            if len(held) == 1 and not all_lemmas(word.lower()):
                found[word] = next(iter(held))
    return found


def relate(
    roles: Iterable[Role],
    rules: RelationRules,
    vocabulary: Vocabulary,
    workers: int = 1,
    results: BuildCache[Hashable, list[Any]] | None = None,
    confirmed: Iterable[str] = (),
    forbidden: frozenset[str] = frozenset(),
    ambiguous: dict[str, tuple[str, ...]] | None = None,
    declared: Iterable[tuple[str, str, tuple[str, ...]]] = (),
) -> Relations:
    """Find every mention of every role, discover the roles nobody defines, and type each
    mention by its sentence; large libraries are read by `workers` processes. With
    `results`, a document whose text, vocabulary and role names did not change since the
    last build is not read again. A site's overlay may `confirmed` names as roles that no
    document defines, and `forbidden` (lower-cased) names from ever being such roles.
    `ambiguous` names (name -> role ids) were given to several roles and name none of them;
    the lexicon lists them with those it finds itself. `declared` roles (id, name, aliases)
    are those the overlay names with no document: roles that no document defines, known by
    every name the overlay gives them."""
    known = list(roles)
    lexicon = _names(known, rules)
    lexicon.ambiguous.update({" ".join(words(name)): held for name, held in (ambiguous or {}).items()})
    for role_id, tail in _name_tails(known, lexicon, rules):
        lexicon.add(role_id, tail, tail=True)
    for role in known:
        if role.status is not RoleStatus.OVERVIEW and not role.is_skill:
            step = _step_name(role.id, rules)
            if step is not None:
                lexicon.add(role.id, step, id_only=True)
    code_ids = frozenset(
        name
        for role in known
        if role.status is not RoleStatus.OVERVIEW
        for name in (role.id, *role.aliases, *([role.metadata.id] if role.metadata else []))
        if name.islower() and WORD.fullmatch(name) and lexicon.lookup((name,)) is not None
    )
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
    rules_print = fingerprint(rules)

    def passes(task: Callable[[Role, Document, str | None, Item, Item], T]) -> list[T]:
        key = (task.__name__, vocabulary.fingerprint, rules_print, lexicon.fingerprint())
        keyed = [((*key, *group), start, stop) for group, start, stop in groups]
        return map_groups(lambda index: task(*lines[index]), keyed, workers, 2000, results)

    # the doers that end the library's own agents' ids ("programmer" of `lead-programmer`)
    heads = library_heads(
        (role.id for role in known if role.status is not RoleStatus.OVERVIEW and not role.is_skill),
        rules,
        vocabulary.title_kinds,
    )

    # First pass: abbreviations the documents define ("Incident Commander (IC)" makes "IC" a
    # name of the role, matched case-sensitively as a whole word), and names of roles that
    # no document defines (neither depends on the other's findings).
    def new_names(
        role: Role, document: Document, context: str | None, item: Item, part: Item
    ) -> tuple[list[tuple[str, str]], list[str], list[tuple[str, ...]]]:
        part = _code_ids(part, code_ids)
        abbreviations = []
        if "(" in part.prose:
            for mention in lexicon.find(part.prose):
                found = _ABBREVIATION.match(part.prose, mention.end)
                # an abbreviation spells the name's initials: "Designer (UI)" is no abbreviation
                named = f"{part.prose[mention.start : mention.end]} ({found[1]})" if found else ""
                if found and split_abbreviation(named)[1] and lexicon.lookup(words(found[1])) is None:
                    abbreviations.append((mention.role, found[1]))
        names = discover_names(part.prose, vocabulary.meaning(context) == SectionMeaning.BOUNDARIES, rules, heads=heads)
        for tagged in _TAG.finditer(part.prose):  # "<delegation> Target: database-optimizer"
            if words(tagged[1]) in rules.heading_types:
                names.extend(n for n in discover_ids(tagged[2], rules) if n not in names)
        kept = [name for name in names if lexicon.lookup(words(name)) is None and not _project_prefixed(name, lexicon)]
        return abbreviations, kept, sorted(named_as_things(part.text, rules))

    found = passes(new_names)
    things = {thing for _, _, named in found for thing in named}
    found_names = [(defined, names) for defined, names, _ in found]
    abbreviations: dict[str, list[str]] = {}
    for defined, _ in found_names:
        for role_id, abbreviation in defined:
            one = abbreviation[:-1]
            if abbreviation.endswith("s") and len(one) > 1 and one.isupper() and not all_lemmas(one.lower()):
                abbreviation = one  # "Associate Editors (AEs)": "an AE" is one of them ("DOs" keeps "DO NOT" a word)
            if lexicon.lookup(words(abbreviation)) is None:
                lexicon.add(role_id, abbreviation)
                abbreviations.setdefault(role_id, []).append(abbreviation)
    if abbreviations:
        known = [replace(r, aliases=(*r.aliases, *abbreviations[r.id])) if r.id in abbreviations else r for r in known]
    _add_heads(lexicon, known, rules)  # after the abbreviations: one a document defines wins

    # a lower-case name ("the team leaders") is a role only when two documents use it as one
    written_in: dict[tuple[str, ...], set[str]] = {}
    for line, (_, names) in zip(lines, found_names, strict=True):
        for name in names:
            if _plain(name):
                written_in.setdefault(_singular_key(name), set()).add(line[1].path)
    found_names = [
        (
            defined,
            [
                " ".join(_singular_key(n)) if _plain(n) else n  # one role for "leader" and "leaders"
                for n in names
                if not _plain(n) or len(written_in[_singular_key(n)]) > 1
            ],
        )
        for defined, names in found_names
    ]
    taken = {role.id for role in known}
    referenced: dict[str, Role] = {}
    confirmed = tuple(confirmed)
    for role_id, name, aliases in declared:
        if role_id in taken or lexicon.lookup(words(name)) is not None:
            continue
        taken.add(role_id)
        referenced[role_id] = Role(role_id, name, aliases, (), "", status=RoleStatus.REFERENCED)
        for spelling in (name, *aliases):
            if lexicon.lookup(words(spelling)) is None:
                lexicon.add(role_id, spelling)
    for names in [list(confirmed), *(names for _, names in found_names)]:
        for name in names:
            variant = _spelling_variant(words(name), lexicon)
            if variant is not None:  # "Emeritus Advisor" of a role called "Emeritus Adviser"
                lexicon.add(variant, name)
                continue
            if words(name) in things and name not in confirmed:
                continue  # "the `package-manager` skill": a thing the library uses, not a role
            if name.strip().lower() not in forbidden and lexicon.lookup(words(name)) is None:
                new_id = slugify(name)
                while new_id in taken:
                    new_id += "-role"
                taken.add(new_id)
                referenced[new_id] = Role(new_id, name, (), (), "", status=RoleStatus.REFERENCED)
                lexicon.add(new_id, name)

    # initialisms the documents use without defining them: "EiC" of Editor-in-Chief
    spelt = _initialisms((part.prose for *_, part in lines), [*known, *referenced.values()])
    spelt = {initialism: role_id for initialism, role_id in spelt.items() if lexicon.lookup(words(initialism)) is None}
    for initialism, role_id in spelt.items():
        lexicon.add(role_id, initialism, exact=True)
    if spelt:
        extra = {role_id: tuple(i for i, r in spelt.items() if r == role_id) for role_id in set(spelt.values())}
        known = [replace(r, aliases=(*r.aliases, *extra[r.id])) if r.id in extra else r for r in known]
        referenced = {
            role_id: replace(r, aliases=(*r.aliases, *extra[role_id])) if role_id in extra else r
            for role_id, r in referenced.items()
        }

    # What the headings over each item say naming a role there does ("Collaboration Matrix").
    # And the lines under a heading that names trouble ("Production Incident Response").
    heading_kinds: dict[tuple[str, int], str] = {}
    troubled_lines: set[tuple[str, int]] = set()
    for role in known:
        for document in role.documents:
            for section in document.sections:
                kind = heading_kind(section.path, rules) if rules.heading_types else None
                if kind is not None:
                    for item in section.items:
                        heading_kinds[(document.path, item.line)] = kind
                if any(word in rules.trouble for title in section.path for word in words(title)):
                    troubled_lines.update((document.path, item.line) for item in section.items)

    # What a table's header says of the roles its rows name in a column ("| User says | Run |"),
    # and what a lead-in ending in a cue says of the roles its list names ("… hand off to:").
    column_kinds: dict[tuple[str, int], dict[int, tuple[str, str]]] = {}
    lead_ins: dict[tuple[str, int], str] = {}
    for role in known:
        for document in role.documents:
            for section in document.sections:
                column_kinds.update(_table_columns(document.path, section, rules))
                lead_ins.update(((document.path, line), kind) for line, kind in lead_in_kinds(section, rules).items())

    # A link written in a document to another role's document names that role, whatever
    # its text says ("[the deputy](deputy.md)", a README's "### [cpp-pro](cpp-pro.md)").
    owner = {d.abs_path: r.id for r in known if r.status is not RoleStatus.OVERVIEW for d in r.documents}

    links_at: dict[tuple[str, int], list[str]] = {}
    for role in known:
        for document in role.documents:
            for link in document.links:
                if not link.image and link.target in owner:
                    links_at.setdefault((document.path, link.line), []).append(owner[link.target])

    def linked(role: Role, document: Document, lines: Iterable[int], named: Iterable[str]) -> list[tuple[str, int]]:
        """Roles whose documents a link on one of `lines` points at, each with its line."""
        found = [(t, line) for line in lines for t in links_at.get((document.path, line), ())]
        named = set(named)
        return [(t, line) for t, line in dict(reversed(found)).items() if t != role.id and t not in named][::-1]

    source_lines: dict[str, list[str]] = {}

    def block_of(document: Document, part: Item) -> str:
        """The source text of a part (several lines when Markdown is hard-wrapped, or a
        front-matter description is a YAML block)."""
        if part.kind == "table row":
            return ""
        if document.path not in source_lines:
            source_lines[document.path] = document.text.split("\n")
        if part.kind == "description":
            return description_block(source_lines[document.path], part.line)
        return source_block(source_lines[document.path], part.line)

    # Second pass, with every name known: what each line says about other roles.
    def related(
        role: Role, document: Document, context: str | None, item: Item, part: Item
    ) -> tuple[list[Relation], list[Escalation]]:
        part = _code_ids(part, code_ids)
        found_here = each_role(lexicon.find(part.prose))
        mentions = [
            m
            for m in _cues_of_others(part.prose, found_here, role.id)
            if m.role != role.id and not _names_itself(part.prose, m, role)
        ]
        columns = column_kinds.get((document.path, part.line)) if part.kind == "table row" else None
        if columns:
            mentions = [
                replace(m, cue=column[0], cue_text=column[1])
                if m.cue is None and (column := columns.get(part.prose.count(" | ", 0, m.start)))
                else m
                for m in mentions
            ]
        lead_in = lead_ins.get((document.path, item.line))
        if lead_in is not None:  # a chain mark after the name says less than the lead-in's cue
            mentions = [
                replace(m, cue=lead_in, cue_text="lead-in") if m.cue is None or m.cue_text in rules.chain_marks else m
                for m in mentions
            ]
        if "<" in part.prose and rules.heading_types:
            mentions = _inside_telling_tags(part.prose, mentions, rules)
        meaning = vocabulary.meaning(context)
        if meaning == SectionMeaning.BOUNDARIES:  # "If `backend` says it is fixed, check …": a condition
            mentions = [
                replace(m, cue=RelationType.MENTIONS, cue_text="condition")
                if m.cue is None and _in_condition(part.prose, m.start, rules)
                # "(Ask the Database Architect)" names who does it; "(escalate to X)" sends it up
                else replace(m, cue=RelationType.DELEGATES_TO)
                if m.cue == RelationType.ESCALATES_TO and rules.reaches(m.cue_text)
                else m
                for m in mentions
            ]
        if (document.path, item.line) in troubled_lines:  # "## Incident Response": "Alert X" escalates
            mentions = [replace(m, cue=rules.troubled[m.cue]) if m.cue in rules.troubled else m for m in mentions]
        heading = heading_kinds.get((document.path, item.line))
        taken = rules.section_types.get(meaning or "", heading)  # a label line's section before the heading
        if taken in rules.subject_takes:
            # under "Handoff & Continuity", a role that will act next takes the work over:
            # "Agent0 will continue in the next session"
            mentions = [replace(m, cue=taken) if m.subject and m.cue == rules.subject_default else m for m in mentions]
        block = block_of(document, part) if mentions or document.links else ""
        targets = [
            (
                m.role,
                relation_type(m.cue or _over_section(heading), meaning, rules.section_types),
                line_of(block, part.line, part.prose, m.start, m.end),
            )
            for m in mentions
        ]
        # what the sentence itself says, by a telling cue ("INVOKE x", "a → b"), not by its section
        # (a weak cue too, in an instruction: "Listen for prompts from your deputy")
        instruction = states_a_duty(part.text)
        # (not a role a sentence describes in the present, "the orchestrator relays …": an index
        # has no role of its own for it to act for; a guide's "the Release Lead will post …" acts for its reader)
        stated = {
            m.role
            for m in mentions
            if m.cue is not None
            and (instruction or words(m.cue_text) not in rules.weak_cues)
            and m.cue_text != ROW_COLUMN
            and (not m.subject or not rules.modals.isdisjoint(words(m.cue_text)))
        }
        if document.links:
            span = range(part.line, part.line + block.count("\n") + 1)
            targets += [
                (t, relation_type(None, meaning, rules.section_types), line)
                for t, line in linked(role, document, span, (m.role for m in mentions))
            ]
        if heading == RelationType.ESCALATES_TO:  # "Issue Escalation": "coordinate with X" escalates
            targets = [(t, k if k in _KEPT_ESCALATING else heading, n) for t, k, n in targets]
        elif heading is not None:
            targets = [(t, heading if k == RelationType.MENTIONS else k, n) for t, k, n in targets]
        if family_of:
            targets = [
                (t, k, n) for t, k, n in ((_nearest(role, document, t, family_of), k, n) for t, k, n in targets) if t
            ]
        if role.status is RoleStatus.OVERVIEW:
            # an index names roles and does nothing with them, unless a sentence says so (a
            # command's "INVOKE task-executor", a guide's "a → b" flow)
            targets = [(t, k if t in stated else RelationType.MENTIONS, n) for t, k, n in targets]
        elif skills:  # work is not handed to a skill, nor is one run as an agent is: it is used
            kept = (
                _KEPT_FOR_SKILLS
                if meaning == SectionMeaning.BOUNDARIES
                else _KEPT_FOR_SKILLS - {RelationType.DELEGATES_TO}
            )
            targets = [(t, RelationType.USES_SKILL if t in skills and k not in kept else k, n) for t, k, n in targets]
        found = [
            Relation(
                source=role.id,
                target=target,
                type=kind,
                path=document.path,
                line=line,
                sentence=part.text,
                section=context,
                anchor=line_anchor(document, item),
            )
            for target, kind, line in targets
        ]
        above = heading_escalations.get((document.path, item.line))
        # under "## Escalation to the Security Lead" every line is a trigger, and a bare one goes there
        rows = escalation(
            role, document, SectionMeaning.ESCALATION if above else meaning, item, part, mentions, lexicon
        )
        if (document.path, item.line) in escalation_labels:
            rows = []  # "You escalate to Agent0:": its list items are the triggers
        above = above or section_escalations.get((document.path, item.line))
        if above:
            rows = [
                replace(row, target=target, target_is_role=True) if row.target == UNSPECIFIED else row
                for row in rows
                for target in (above if row.target == UNSPECIFIED else (row.target,))
            ]
        if rows and block.count("\n"):
            # in a hard-wrapped paragraph a row is cited where its target is named, as the relation is
            named_at = {target: line for target, _, line in targets}
            rows = [replace(row, line=named_at.get(row.target, row.line)) for row in rows]
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

    def heading_role(section: Section) -> Name | None:
        """The role a heading is the name of: "## Scribe", or "### Scribe (Note Taker)"."""
        name = split_abbreviation(section.title)[0]
        return lexicon.lookup(words(name)) or lexicon.lookup(words(_QUALIFIED.sub("", name)))

    # Headings are no lines of text, but a heading that names a role ("## Steps for Deputy"),
    # or links to its document, mentions it.
    def heading_targets(role: Role, document: Document, section: Section) -> list[tuple[str, str]]:
        """The roles a heading names, each with what the heading says of it: a telling cue
        ("## Handoff to Builder"), or a heading word of its own ("### Collaboration with
        Backend Developers"); else a mention ("## Steps for Deputy")."""
        whole = heading_role(section)
        found = (
            [(whole.role, None)]
            if whole is not None
            else [
                (m.role, m.cue if m.cue is not None and words(m.cue_text) not in rules.weak_cues else None)
                for m in each_role(lexicon.find(section.title))
            ]
        )
        # an index's heading names a role and does nothing with it ("### websocket-engineer -
        # real-time communication"), unless its cue says so
        # a heading under another says what its section or the headings above say ("##
        # Coordination with Other Agents" then "### qa-expert (testing)")
        own = (
            heading_kind(section.path, rules) or rules.section_types.get(vocabulary.meaning(section.canonical) or "")
            if role.status is not RoleStatus.OVERVIEW
            else None
        )
        kind = own or RelationType.MENTIONS
        named = {target: cue or kind for target, cue in found if target != role.id}
        for target, _ in linked(role, document, (section.line,), named):
            named.setdefault(target, kind)
        return list(named.items())

    # What each heading says of the roles it names, worked out once for both uses below.
    named_by_heading = {
        (role.id, document.path, index): heading_targets(role, document, section)
        for role in known
        for document in role.documents
        for index, section in enumerate(document.sections)
        if section.level > 0
    }

    # The roles a heading over each item escalates to ("## Escalation to appsec-engineer",
    # "### When to page the Incident Commander"), inherited by its subsections.
    heading_escalations: dict[tuple[str, int], tuple[str, ...]] = {}
    escalation_labels: set[tuple[str, int]] = set()
    section_escalations: dict[tuple[str, int], tuple[str, ...]] = {}
    for role in known:
        if role.status is RoleStatus.OVERVIEW:
            continue
        for document in role.documents:
            up: dict[int, tuple[str, ...]] = {}
            for index, section in enumerate(document.sections):
                named = named_by_heading.get((role.id, document.path, index), [])
                own = tuple(t for t, k in named if k == RelationType.ESCALATES_TO)
                up[index] = own or (up.get(section.parent, ()) if section.parent is not None else ())
                if up[index]:
                    for item in section.items:
                        heading_escalations[(document.path, item.line)] = up[index]
                _escalation_lead_ins(role, document.path, section, lexicon, heading_escalations, escalation_labels)
                whole = heading_role(section) if section.level > 0 else None
                if whole is not None and whole.role != role.id and not whole.group:
                    # "### Agent0 (Strategy Owner)" … "- Escalate market risks": to Agent0
                    for item in section.items:
                        section_escalations[(document.path, item.line)] = (whole.role,)
                # "How to escalate: … 3. Notify Agent0": the one role the section's procedure
                # reaches is where its triggers that name no one go
                ups = _section_escalates_to(role, section, lexicon)
                if len(ups) == 1:
                    for item in section.items:
                        section_escalations[(document.path, item.line)] = tuple(ups)

    heading_links = [
        Relation(
            role.id,
            target,
            kind,
            document.path,
            section.line,
            section.title,
            section.canonical,
            _heading_anchor(document, section),
        )
        for role in known
        for document in role.documents
        for index, section in enumerate(document.sections)
        for target, kind in named_by_heading.get((role.id, document.path, index), [])
    ]

    relations: list[Relation] = []
    escalations: list[Escalation] = []
    seen: set[tuple[str, str, str, str, int]] = set()
    overview_relations: list[Relation] = []
    # a heading that escalates to a role over no lines of its own ("### Reports to:
    # `narrative-director`", then the next heading) is the trigger itself
    heading_rows: list[Escalation] = []
    for role in known:
        if role.status is RoleStatus.OVERVIEW:
            continue
        for document in role.documents:
            parents = {section.parent for section in document.sections}
            for index, section in enumerate(document.sections):
                if section.items or index in parents:
                    continue
                heading_rows.extend(
                    Escalation(
                        role.id,
                        section.title,
                        target,
                        True,
                        "escalate",
                        document.path,
                        section.line,
                        _heading_anchor(document, section),
                    )
                    for target, kind in named_by_heading.get((role.id, document.path, index), [])
                    if kind == RelationType.ESCALATES_TO
                )

    for stated, rows in [*passes(related), (heading_links, heading_rows)]:
        for relation in stated:
            key = (relation.source, relation.target, relation.type, relation.path, relation.line)
            if key not in seen:
                seen.add(key)
                (overview_relations if relation.source in overviews else relations).append(relation)
        escalations.extend(row for row in rows if row.role not in overviews)
    # a line that says what it does with a role ("depends on X", or a heading over it) does not
    # also merely mention X: types are kept per (line, target), so drop the plain mention
    typed = {
        (r.source, r.target, r.path, r.line)
        for r in (*relations, *overview_relations)
        if r.type != RelationType.MENTIONS
    }
    relations, overview_relations = (
        [r for r in kept if r.type != RelationType.MENTIONS or (r.source, r.target, r.path, r.line) not in typed]
        for kept in (relations, overview_relations)
    )

    naming: dict[str, list[Relation]] = {}
    for relation in (*relations, *overview_relations):  # a command's "INVOKE task-executor" names it too
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
