"""The rules of relating, as data: cue phrases and the relation each states, role and person
words, negations (`relations.yml`, extended by a site's files).
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rolebook.datafile import DataFile, DataFileError, read_data_file
from rolebook.lexical import gerund_lemma, is_agent_noun, is_practitioner
from rolebook.model import RelationType, RelationTypes, RelationTypeSpec

DEFAULT_RULES = Path(__file__).with_name("relations.yml")

WORD = re.compile(r"[^\W_]+")
"""Words of names and text; `_` separates words as `-` does (`qa_expert` is `qa-expert`)."""


def words(text: str) -> tuple[str, ...]:
    """Lower-cased words of a phrase, as the matcher compares them."""
    return tuple(WORD.findall(text.lower()))


@dataclass(frozen=True)
class RelationRules:
    """The contents of `relations.yml`, ready for lookups."""

    cues: dict[tuple[str, ...], str]
    """Phrase before a name (as words) -> the key of the relation type it states."""
    articles: frozenset[str]
    role_endings: tuple[str, ...]
    role_nouns: frozenset[str]
    not_roles: frozenset[str]
    persons: tuple[tuple[str, ...], ...]
    escalation_phrases: tuple[tuple[str, ...], ...]
    negations: frozenset[tuple[str, ...]]
    practice_endings: tuple[str, ...] = ()
    """Endings that make someone of a noun or adjective ("ist": artist, specialist)."""
    contact_verbs: frozenset[str] = frozenset()
    """Verbs that reach someone ("notify", "page"): an escalation when a condition comes first."""
    conditions: frozenset[str] = frozenset()
    """Words that open a condition ("if", "when")."""
    needs: frozenset[str] = frozenset()
    """Verbs that open a request for input ("Need API design for …"): the writer relies on
    whom it is sent to."""
    reaching_verbs: frozenset[str] = frozenset()
    """Verbs that reach someone for any reason ("ask", "ping"): an escalating cue of theirs
    is a trigger only under a condition or with an escalation phrase."""
    labels: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Labels that state another relation than their verb in a sentence ("Reports to: X")."""
    cues_after: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Phrases right after a name that say what a sentence does with it ("outputs")."""
    section_types: dict[str, str] = field(default_factory=dict)
    """Section meaning (`handoffs`) -> the relation a name in it states when no cue says."""
    weak_cues: frozenset[tuple[str, ...]] = frozenset()
    """Cues too common to be evidence that an unknown name is a role ("with App Router")."""
    not_evidence: frozenset[tuple[str, ...]] = frozenset()
    """Cues that are no evidence of an unknown role either, but type like any other
    ("route to dead-letter")."""
    denials: frozenset[tuple[str, ...]] = frozenset()
    """Words right before a cue that deny it ("do not escalate to X"): the name is mentioned."""
    governed: frozenset[str] = frozenset()
    """Prepositions whose type the verb opening their clause decides ("Route X to Y")."""
    heading_types: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Words of a heading -> the relation naming a role under it states, when nothing else says."""
    role_context: frozenset[str] = frozenset()
    """Nouns after a name that make it a role or skill ("the pdf skill")."""
    thing_context: frozenset[str] = frozenset()
    """Nouns after a name no document defines that make it a thing, not a role ("the
    `package-manager` skill", "the deploy-manager command")."""
    context_cues: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Cues that state another relation when a `role_context` noun follows the name."""
    compound_prefixes: frozenset[str] = frozenset()
    """First parts that make a hyphenated word a modified verb or a negation ("over-engineer")."""
    chain_marks: dict[str, str] = field(default_factory=dict)
    """Marks that chain the steps of a flow ("→") -> the relation a step named next to one states."""
    types: RelationTypes = RelationTypes(())
    """The relation types: what each is called, where the graph draws it, what it means."""
    modals: frozenset[str] = frozenset()
    """Words that put the verb after them in its base form ("will", "may", "can")."""
    quantifiers: frozenset[str] = frozenset()
    """Words that, with "of", may stand between a cue and a name ("chat with each of the leads")."""
    hedges: frozenset[str] = frozenset()
    """Modals of mere possibility ("might", "could"): a role named as their subject states nothing."""
    subject_verbs: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Verbs (base forms) a role named as their subject does with the writer ("chat", "meet")."""
    trouble: frozenset[str] = frozenset()
    """Nouns for trouble ("blockers", "concerns"): passing them to a role escalates to it."""
    troubled: dict[str, str] = field(default_factory=dict)
    """Relation a cue states -> what it states when trouble is passed (hands_off_to -> escalates_to)."""
    step_endings: tuple[tuple[str, str], ...] = ()
    """Ending of an agent noun -> ending of its action noun ("ator" -> "ation"): how a flow
    names the step an agent does (`browser-validation` for `browser-validator`)."""
    subject_skipped: frozenset[str] = frozenset()
    """Verbs that say nothing of a subject's part in the work ("be", "have")."""
    subject_default: str | None = None
    """What a role named as the subject of any other verb is to the writer ("the IC will ask")."""
    subject_takes: frozenset[str] = frozenset()
    """Types of a section or heading under which a role named as the subject of a verb has
    that type instead of `subject_default` (a Handoffs section: "X will continue")."""
    subject_receives: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Words before a subject that make its clause what the writer's work is for ("a capsule
    that the router can schedule"): the relation such a subject states instead."""
    requests: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Cues that, with "to" and a verb after the name, ask the role to do it ("ask the
    admins to remove …"): the relation that states instead of the cue's own."""
    causatives: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Verbs that, before a name and a verb after it, leave that work to the role ("have the
    product manager write the stories")."""
    passives: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Prepositions that name the doer of a passive verb ("by") -> what that doer is to the
    writer ("members are nominated by the Chair": relied on)."""
    passive_duty: str | None = None
    """What the doer of a passive verb after a modal of `obligations` is ("must be recorded by
    X": left the work)."""
    obligations: frozenset[str] = frozenset()
    """Modals that oblige ("must", "should"), not merely tell the future ("will")."""
    example_marks: tuple[str, ...] = ()
    """Words that introduce an example ("e.g."): a quoted id right after one illustrates a format."""
    body_nouns: frozenset[str] = frozenset()
    """Nouns for a body of people that holds a role as one ("Council", "Committee", "Working
    Group"): a page titled with a body's name describes that body as a role."""
    pointer_nouns: frozenset[str] = frozenset()
    """Nouns after a title that make it a pointer to a document, not a role ("see the
    Reviewers and Editors document", "the Escalation section")."""
    largest_group: int = 0
    """How many defined roles may share a head noun for its plural to name them all ("the
    developers" of Backend and Frontend Developer); more share a category word, not a team."""

    @cached_property
    def longest_cue(self) -> int:
        return max((len(c) for c in self.cues), default=1)

    @cached_property
    def escalation_starts(self) -> frozenset[str]:
        """First words of the escalation phrases: a line with none of them holds none."""
        return frozenset(phrase[0] for phrase in self.escalation_phrases if phrase)

    def reaches(self, cue_text: str) -> bool:
        """Whether a cue is a verb that reaches someone for any reason (`reaching_verbs`:
        "ask", "asking", "ping"), not one that sends a matter up ("escalate", "raise … to")."""
        said = words(cue_text)
        return bool(said) and (gerund_lemma(said[0]) or said[0]) in self.reaching_verbs

    def no_evidence(self, cue_text: str) -> bool:
        """Whether a cue is no evidence that an unknown name after it is a role."""
        said = words(cue_text)
        return said in self.weak_cues or said in self.not_evidence

    def is_person_word(self, word: str) -> bool:
        """Whether a word names someone: a role noun or a doer ("Commander", "Controller"),
        plural allowed, whatever `not_roles` says of the word in running prose."""
        singular = word[:-1] if word.endswith("s") and len(word) > 4 else word
        return (
            singular.lower() in self.role_nouns
            or is_agent_noun(singular, self.role_endings, doubled=True)
            or is_practitioner(singular, self.practice_endings)
        )

    def is_body_word(self, word: str) -> bool:
        """Whether a word names a body of people ("Council", "Committees"), plural allowed."""
        lower = word.lower()
        return lower in self.body_nouns or (lower.endswith("s") and lower[:-1] in self.body_nouns)

    def names_a_party(self, word: str) -> bool:
        """Whether a word at the end of a page's title names who the page is for: someone
        (`is_person_word`) or a body of people (`is_body_word`)."""
        return self.is_person_word(word) or self.is_body_word(word)

    def is_role_word(self, word: str) -> bool:
        """Whether a capitalised word can end a role's name: a role noun ("Architect") or an
        agent noun built on a verb ("Integrator", "Observer"; see `rolebook.lexical`), never
        an ordinary word, product or technology ("Consider", "Flutter", "FlashList")."""
        if word in self.not_roles or len(word) < 4:
            return False
        return (
            word.lower() in self.role_nouns
            or is_agent_noun(word, self.role_endings)
            or is_practitioner(word, self.practice_endings)
        )


_CUE_TABLES = (
    "cues",
    "labels",
    "cues_after",
    "heading_types",
    "chain_marks",
    "context_cues",
    "subject_verbs",
    "subject_receives",
    "causatives",
    "requests",
    "passives",
)
"""Keys of `relations.yml` that map a relation type to phrases (a site's lists are added)."""


def load_relation_rules(*extra_files: str | Path) -> RelationRules:
    """Load `relations.yml`, then merge each site file's lists into it (and its `types`:
    new ones added, fields of existing ones replaced)."""
    merged: dict[str, object] = {}
    declared: dict[str, dict[str, object]] = {}
    declared_in: dict[str, DataFile] = {}
    used: list[tuple[DataFile, str, str, Hashable]] = []  # (file, table, type, where) of each type a table names
    for path in (DEFAULT_RULES, *map(Path, extra_files)):
        file = read_data_file(path, "of relation rules")
        for key, value in file.data.items():
            if key == "types":
                for kind, fields in _type_entries(file, value):
                    declared.setdefault(kind, {}).update(fields)
                    declared_in.setdefault(kind, file)
            elif key == "section_types":
                by_section = merged.setdefault(key, {})
                assert isinstance(by_section, dict)
                given = file.mapping(key, holding="section keys to relation types")
                by_section.update(given)
                used.extend((file, key, str(kind), section) for section, kind in given.items())
            elif key in _CUE_TABLES:
                cues = merged.setdefault(key, {})
                assert isinstance(cues, dict)
                for kind in file.mapping(key, holding="relation types to phrases"):
                    cues.setdefault(kind, []).extend(file.strings(key, kind))
                    used.append((file, key, str(kind), kind))
            elif key == "troubled":
                given = file.mapping(key, holding="relation types to relation types")
                table = merged.setdefault(key, {})
                assert isinstance(table, dict)
                table.update(given)
                used.extend((file, key, str(kind), kind) for kind in (*given, *given.values()))
            elif key == "step_endings":
                endings = merged.setdefault(key, {})
                assert isinstance(endings, dict)
                endings.update(file.mapping(key, holding="agent noun endings to action noun endings"))
            elif key in ("subject_default", "passive_duty"):
                if not isinstance(value, str):
                    raise file.error(f"`{key}` must be one relation type", key)
                merged[key] = value
                used.append((file, key, value, key))
            elif key == "subject_takes":
                existing = merged.setdefault(key, [])
                assert isinstance(existing, list)
                for kind in file.strings(key):
                    existing.append(kind)
                    used.append((file, key, kind, key))
            elif key == "largest_group":
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise file.error("`largest_group` must be a whole number, 0 or more", key)
                merged[key] = value
            elif isinstance(value, list | str):  # a string where a list belongs is a mistake
                existing = merged.setdefault(key, [])
                assert isinstance(existing, list)
                existing.extend(file.strings(key))
    types = _relation_types(declared, declared_in)
    for file, table, kind, where in used:
        if kind not in types:
            raise file.error(
                f"`{table}` names the relation type '{kind}', which no `types` entry "
                f"declares (declared: {', '.join(types.keys)})",
                table,
                where,
            )

    def cue_table(key: str) -> dict[tuple[str, ...], str]:
        """Phrase (as words) -> relation, from `cues` or `cues_after`; the first listing wins."""
        table: dict[tuple[str, ...], str] = {}
        for kind, phrases in _mapping(merged.get(key)).items():
            for phrase in phrases:
                table.setdefault(words(str(phrase)), str(kind))
        return table

    def phrase_list(key: str) -> list[str]:
        value = merged.get(key) or []
        assert isinstance(value, list)
        return [str(v) for v in value]

    return RelationRules(
        cues=cue_table("cues"),
        articles=frozenset(w.lower() for w in phrase_list("articles")),
        role_endings=tuple(phrase_list("role_endings")),
        practice_endings=tuple(phrase_list("practice_endings")),
        role_nouns=frozenset(w.lower() for w in phrase_list("role_nouns")),
        not_roles=frozenset(phrase_list("not_roles")),
        body_nouns=frozenset(w.lower() for w in phrase_list("body_nouns")),
        pointer_nouns=frozenset(w.lower() for w in phrase_list("pointer_nouns")),
        persons=tuple(sorted({words(p) for p in phrase_list("persons")}, key=lambda p: (-len(p), p))),
        escalation_phrases=tuple(
            sorted({words(p) for p in phrase_list("escalation_phrases")}, key=lambda p: (-len(p), p))
        ),
        negations=frozenset(words(p) for p in phrase_list("negations")),
        contact_verbs=frozenset(w.lower() for w in phrase_list("contact_verbs")),
        conditions=frozenset(w.lower() for w in phrase_list("conditions")),
        reaching_verbs=frozenset(w.lower() for w in phrase_list("reaching_verbs")),
        needs=frozenset(w.lower() for w in phrase_list("needs")),
        cues_after=cue_table("cues_after"),
        labels=cue_table("labels"),
        heading_types=cue_table("heading_types"),
        weak_cues=frozenset(words(p) for p in phrase_list("weak_cues")),
        not_evidence=frozenset(words(p) for p in phrase_list("not_evidence")),
        denials=frozenset(words(p) for p in phrase_list("denials")),
        governed=frozenset(w.lower() for w in phrase_list("governed")),
        role_context=frozenset(w.lower() for w in phrase_list("role_context")),
        thing_context=frozenset(w.lower() for w in phrase_list("thing_context")),
        context_cues=cue_table("context_cues"),
        compound_prefixes=frozenset(w.lower() for w in phrase_list("compound_prefixes")),
        chain_marks={
            str(mark): str(kind) for kind, marks in _mapping(merged.get("chain_marks")).items() for mark in marks
        },
        section_types={str(key): str(kind) for key, kind in _mapping(merged.get("section_types")).items()},
        types=types,
        modals=frozenset(w.lower() for w in phrase_list("modals")),
        hedges=frozenset(w.lower() for w in phrase_list("hedges")),
        obligations=frozenset(w.lower() for w in phrase_list("obligations")),
        quantifiers=frozenset(w.lower() for w in phrase_list("quantifiers")),
        subject_verbs=cue_table("subject_verbs"),
        subject_skipped=frozenset(w.lower() for w in phrase_list("subject_skipped")),
        step_endings=tuple(_endings(merged.get("step_endings"))),
        trouble=frozenset(w.lower() for w in phrase_list("trouble")),
        troubled={str(k): str(v) for k, v in _mapping(merged.get("troubled")).items()},
        subject_default=str(merged["subject_default"]) if merged.get("subject_default") else None,
        subject_receives=cue_table("subject_receives"),
        subject_takes=frozenset(phrase_list("subject_takes")),
        causatives=cue_table("causatives"),
        requests=cue_table("requests"),
        passives=cue_table("passives"),
        passive_duty=str(merged["passive_duty"]) if merged.get("passive_duty") else None,
        example_marks=tuple(w.lower() for w in phrase_list("example_marks")),
        largest_group=int(str(merged.get("largest_group") or 0)),
    )


TYPE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
"""A relation type's key: it becomes CSS classes, element ids and anchors (`#delegates_to`)."""
COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+)$")
"""A graph colour: `#rrggbb` (or `#rgb`, with alpha) or a CSS colour name; nothing that could
leave the `style` attribute it is written into."""
_TYPE_FIELDS = ("label", "inverse", "graph", "description")


def _type_entries(file: DataFile, value: object) -> list[tuple[str, dict[str, object]]]:
    """A file's `types`: `(key, fields)` of each entry, checked for what a type may say."""
    if not isinstance(value, dict):
        raise file.error("`types` must map relation type keys to their fields", "types")
    entries = []
    for key, fields in value.items():
        kind, at = str(key), ("types", key)
        if not TYPE_KEY.match(kind):
            raise file.error(f"relation type '{kind}': a key is lower-case letters, digits, _", *at)
        if not isinstance(fields, dict):
            raise file.error(f"relation type '{kind}' needs fields ({', '.join(_TYPE_FIELDS)})", *at)
        for name, given in fields.items():
            if name not in _TYPE_FIELDS:
                raise file.error(
                    f"relation type '{kind}': unknown field '{name}' (one of {', '.join(_TYPE_FIELDS)})", *at, name
                )
            if name == "graph":
                if (
                    not isinstance(given, dict)
                    or set(given) - {"colour", "shown"}
                    or not isinstance(given.get("shown", False), bool)
                ):
                    raise file.error(
                        f"relation type '{kind}': `graph` is {{colour: '#rrggbb', shown: true or false}}", *at, name
                    )
                if not COLOUR.match(str(given.get("colour", ""))):
                    raise file.error(
                        f"relation type '{kind}': graph colour {given.get('colour')!r} "
                        "is not a colour ('#1565c0' or a CSS colour name)",
                        *at,
                        name,
                    )
            elif not isinstance(given, str) or not given.strip():
                raise file.error(f"relation type '{kind}': `{name}` must be text", *at, name)
        entries.append((kind, fields))
    return entries


def _relation_types(declared: dict[str, dict[str, object]], declared_in: dict[str, DataFile]) -> RelationTypes:
    """The declared types, in declaration order; each needs a label and an inverse heading,
    and every type the code acts on (`RelationType`) must be among them."""
    specs = []
    for kind, fields in declared.items():
        missing = [name for name in ("label", "inverse") if name not in fields]
        if missing:
            needs = " and ".join(f"`{name}`" for name in missing)
            raise declared_in[kind].error(f"relation type '{kind}' needs {needs}", "types", kind)
        graph = fields.get("graph")
        drawn = graph if isinstance(graph, dict) else {}
        specs.append(
            RelationTypeSpec(
                kind,
                str(fields["label"]),
                str(fields["inverse"]),
                str(fields.get("description") or ""),
                str(drawn["colour"]) if "colour" in drawn else None,
                bool(drawn.get("shown", False)),
            )
        )
    types = RelationTypes(tuple(specs))
    missing = [kind.value for kind in RelationType if kind not in types]
    if missing:
        raise DataFileError(f"{DEFAULT_RULES}: the relation types {', '.join(missing)} must be declared in `types`")
    return types


def _endings(value: object) -> list[tuple[str, str]]:
    """`step_endings` as (agent noun ending, action noun ending) pairs, in the order given."""
    return [(str(agent), str(action)) for agent, action in _mapping(value).items()]


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}
