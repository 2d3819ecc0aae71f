"""Every name of every role, and finding them in a text: one pass over the text's words,
looking the next few up in a dict of names, so the cost grows with the text, not with the
number of roles. Also the cue phrases just before or after a name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from rolebook.lexical import (
    all_lemmas,
    gerund_lemma,
    is_adverb,
    is_function_word,
    is_particle,
    is_verb,
    participle_lemma,
    verb_lemma,
)
from rolebook.model import RelationType
from rolebook.relate.rules import WORD, RelationRules, words

_NAME_JOINERS = frozenset({" ", "-", "_", " & "})
"""What may stand between the words of a name: "Database Architect", `data-engineer`,
"Sales & Support"."""
CLAUSE_END = re.compile(r"[.!?;:]")
GLUE = re.compile(r"^(?:\s*\([^()]*\))?\s*(?:,\s*(?:and|or)?|/|&|\band\b|\bor\b)?\s*$", re.IGNORECASE)
_PATHISH = re.compile(r"[^\s()\[\]{},;\"'`<>|]*/[^\s()\[\]{},;\"'`<>|]*")


_CAMEL = re.compile(r"[a-z0-9][A-Z]|[A-Z]{2}[a-z]")
"""A capital inside a word: CamelCase ("ProductManager", "UXAgent")."""


class Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str


_NEW_TUPLE = tuple.__new__


def tokenize(text: str) -> list[Token]:
    # `tuple.__new__` makes the same `Token`s as `Token(…)`, without its Python-level `__new__`
    return [_NEW_TUPLE(Token, (m.start(), m.end(), w, w.lower())) for m in WORD.finditer(text) for w in (m[0],)]


def _could_name(text: str, starts: dict[str, int]) -> bool:
    """Cheap first look: does any word of `text` start a known name? (The words of the
    lower-cased text, as `words` makes a name's: one C-level call, not a match object per word.)"""
    return not starts.keys().isdisjoint(WORD.findall(text.lower()))


def path_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges that are file paths or URLs (`/ops/commander/`, `src/x.md`), where
    no name is ever matched. A slash between capitalised names ("Builder/Refactorer") is
    not a path, nor is the hyphenated id after one folder ("universal/api-architect")."""
    if "/" not in text:
        return []  # most lines; `_PATHISH` would try a match at every character to find none
    spans = []
    for match in _PATHISH.finditer(text):
        run = match[0]
        if run.startswith(("/", ".", "~")) or not any(c.isupper() for c in run) or re.search(r"\.\w{1,5}$", run):
            folder = _FOLDER_AND_ID.fullmatch(run)
            end = match.start() + folder.end(1) if folder is not None else match.end()
            spans.append((match.start(), end))
    return spans


_FOLDER_AND_ID = re.compile(r"([a-z0-9_]+/)[a-z0-9]+(?:-[a-z0-9]+)+")
"""A folder and a hyphenated id after it ("universal/api-architect"): an agent named by where
it lies; only the folder is path, the id may name a role."""


@dataclass(frozen=True)
class Name:
    """A name a role is known by, as the matcher uses it."""

    role: str
    words: tuple[str, ...]
    acronym: str | None = None
    """For an all-capitals name ("IC", "QA") or its plural ("AEs"), or the CamelCase form of
    a name ("ProductManager"): the exact spelling, matched case-sensitively."""
    agentive: bool = True
    """For a one-word name: whether it reads as a role ("Integrator") rather than as an
    ordinary word ("backend", "review"), which needs a cue or a mid-sentence capital."""
    skill: bool = False
    """A skill's name: matched only as its id ("cost-optimization") or before a context
    noun ("the pdf skill")."""
    id_only: bool = False
    """A name derived from a role's id ("browser-validation" for `browser-validator`): matched
    only as an id, its words joined by `-` or `_`."""
    person: bool = False
    """For a one-word name: whether it is a noun for someone, which handbooks write in lower
    case ("the editor will …"): a listed role noun ("scribe", "deputy", also verbs as "to
    scribe" is), or an agent noun that is never a verb ("editor", "reviewer")."""
    short: bool = False
    """A short name no document declares: the head noun of the one role whose name ends in
    it ("designer" of "Product Designer"). Linked only as that role: after "the" ("ask the
    designer"; not "you are the designer", a description), or capitalised mid-sentence after
    a cue ("hand off to Designer"); never in the plural ("designers" are people in general)."""
    tail: bool = False
    """The last two words of a longer name ("Review Lead" of "Peer Review Lead"), which
    prose writes after modifiers of its own ("the software review lead"): never after a
    capitalised word that continues it, a longer Title Case name ("Application Security
    Engineer" is not the "Security Engineer" of "AI Security Engineer")."""
    group: tuple[str, ...] = ()
    """For the plural of a head noun that a few defined roles' names share ("developers" of
    "Backend Developer" and "Frontend Developer"): every one of those roles. Linked only as
    that group: after an article or a quantifier ("the developers", "all four editors"), or
    listed after another role ("directs the product manager, developers and QA")."""


@dataclass(frozen=True)
class Mention:
    """A name found in a text."""

    start: int
    end: int
    role: str
    cue: str | None
    """The relation type (key) a cue right before the name says, or one inherited along a list."""
    cue_text: str = ""
    subject: bool = False
    """Whether the name is the subject of the verb that types it ("the IC will ask you"):
    it acts, so a line that escalates does not escalate to it."""
    group: tuple[str, ...] = ()
    """For a group's plural ("the developers"), every role it names (`role` is the first):
    one mention of the words, which `each_role` makes one per role."""


@dataclass
class Lexicon:
    """Every name of every known role, for a linear scan."""

    rules: RelationRules
    names: dict[tuple[str, ...], Name] = field(default_factory=dict)
    longest: int = 1
    starts: dict[str, int] = field(default_factory=dict)
    """First word of every name (and its plural) -> length of the longest name it starts:
    most words start no name, and cost one dict lookup."""
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Names that several roles' documents give them (other than a role's own name or id),
    with those roles' ids: such a name links to none of them."""
    _last_found: tuple[str, tuple[Mention, ...]] | None = field(default=None, init=False, repr=False, compare=False)
    """The last text `find` read and what it found there, until a name is added or dropped:
    a line is often asked about twice in a row (the responsibility claims do)."""

    def add(
        self,
        role: str,
        name: str,
        skill: bool = False,
        id_only: bool = False,
        short: bool = False,
        group: tuple[str, ...] = (),
        tail: bool = False,
        exact: bool = False,
    ) -> None:
        """Add `name` for `role`; with `exact`, or written in CamelCase (`ProductManager`), it
        matches only as written, anywhere, the way an abbreviation does."""
        key = words(name)
        if not key or key in self.names:
            return
        singular = self.names.get((*key[:-1], key[-1][:-1])) if key[-1].endswith("s") else None
        if singular is not None and singular.role == role and singular.acronym is None:
            return  # "Maintainers" beside "Maintainer": the name matches in the plural already
        self._last_found = None
        for first in (key[0], key[0] + "s"):
            self.starts[first] = max(self.starts.get(first, 0), len(key))
        compact = name.strip()
        letters = compact[:-1] if compact.endswith("s") else compact  # "AEs", the plural of "AE"
        acronym = compact if len(key) == 1 and letters.isupper() and letters.isalpha() and len(letters) >= 2 else None
        if exact or len(key) == 1 and _CAMEL.search(compact):
            acronym = compact  # "ProductManager": an identifier, not a word, wherever it stands
        agentive = len(key) > 1 or self.rules.is_role_word(compact[:1].upper() + compact[1:])
        person = (
            len(key) == 1
            and not skill
            and self.rules.is_person_word(compact)
            and (not is_verb(compact) or key[0] in self.rules.role_nouns)
        )
        self.names[key] = Name(
            role, key, acronym, agentive, skill, person=person, id_only=id_only, short=short, group=group, tail=tail
        )
        self.longest = max(self.longest, len(key))

    def forget(self, roles: set[str]) -> None:
        """Drop every name of `roles`."""
        self._last_found = None
        kept = [name for name in self.names.values() if name.role not in roles]
        self.names, self.starts, self.longest = {}, {}, 1
        for name in kept:
            for first in (name.words[0], name.words[0] + "s"):
                self.starts[first] = max(self.starts.get(first, 0), len(name.words))
            self.names[name.words] = name
            self.longest = max(self.longest, len(name.words))

    def fingerprint(self) -> str:
        """Changes when any name, or the role it names, changes (the same in every process).
        Only strings, booleans and `None`, so their `repr` is already canonical: the digest
        is `rolebook.cache.fingerprint`'s, without its walk over every value."""
        names = sorted(
            (key, n.role, n.acronym, n.agentive, n.skill, n.person, n.id_only, n.short, n.group, n.tail)
            for key, n in self.names.items()
        )
        return hashlib.sha256(repr(tuple(names)).encode()).hexdigest()

    def lookup(self, key: tuple[str, ...]) -> Name | None:
        found = self.names.get(key)
        if found is None and key and key[-1].endswith("s") and len(key[-1]) > 3:
            found = self.names.get((*key[:-1], key[-1][:-1]))
        if found is None and len(key) > 2:  # "Editors-in-Chief": the plural of a title's head
            for index in range(1, len(key) - 1):
                head = key[index - 1]
                if head.endswith("s") and len(head) > 3 and is_particle(key[index]):
                    return self.names.get((*key[: index - 1], head[:-1], *key[index:]))
        return found

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Mention]:
        """Every mention in `text` (whose `tokens` may be given), longest names first, never
        inside a path."""
        if tokens is None:
            last = self._last_found
            if last is not None and last[0] == text:
                return list(last[1])
            if not _could_name(text, self.starts):
                return []
            mentions = self._find(text, tokenize(text))
            self._last_found = (text, tuple(mentions))
            return mentions
        if not any(token.lower in self.starts for token in tokens):
            return []
        return self._find(text, tokens)

    def _find(self, text: str, tokens: list[Token]) -> list[Mention]:
        blocked = path_spans(text)
        mentions: list[Mention] = []
        index = 0
        previous: Mention | None = None
        while index < len(tokens):
            token = tokens[index]
            if blocked and any(start <= token.start < end for start, end in blocked):
                index += 1
                continue
            match = self._match_at(text, tokens, index)
            if match is None:
                index += 1
                continue
            name, length = match
            last = tokens[index + length - 1]
            cue, cue_text = cue_before(text, tokens, index, self.rules)
            if cue is None and self.rules.causatives:
                cue, cue_text = causative(text, tokens, index, index + length, self.rules)
            elif cue is not None and self.rules.requests:
                cue = _requested(text, tokens, index + length, cue_text, self.rules) or cue
            subject = False
            if cue is None:
                # "Supports: QA Engineers"; a label after another's names, where hard-wrapped
                # lines run on: "Reports to: `lead` Coordinates with: `qa`"
                cue, cue_text = label_cue(text, token.start, self.rules, previous.end if previous else 0)
            elif cue is not None and words(cue_text) in self.rules.weak_cues:
                cue, cue_text = (
                    _addressed_task(text, last.end, self.rules)
                    or _clause_verb(text, tokens, index, words(cue_text), self.rules)
                    or (cue, cue_text)
                )
            listed = previous is not None and _listed(text[previous.end : token.start], self.rules)
            if cue is None and listed and previous is not None:
                cue, cue_text = previous.cue, previous.cue_text
            elif cue in self.rules.troubled and _raises_trouble(text, tokens, index, index + length, self.rules):
                cue = self.rules.troubled[cue]  # "note any blockers for the team lead"
            if cue is None:
                cue, cue_text = cue_after(text, tokens, index + length, self.rules)
            if cue is None and self.rules.subject_default:
                cue, cue_text, subject = cue_as_subject(text, tokens, index + length, self.rules, token.start)
                if cue is not None:  # "Role Leads, the EA and the Release Lead will choose"
                    cue = _receiving(text, tokens, index, self.rules) or cue  # "so the lead can compare"
                    mentions = _share_subject(text, mentions, token.start, cue, cue_text, self.rules)
            following = index + length
            if (
                cue_text
                and following < len(tokens)
                and tokens[following].lower in self.rules.role_context
                and words(cue_text) in self.rules.context_cues
            ):
                cue = self.rules.context_cues[words(cue_text)]  # "use the `x` agent first"
            elif cue_text and words(cue_text) in self.rules.context_cues:
                purpose = _purpose(tokens, following)  # "use the deputy to assist you"
                if purpose is not None:
                    cue = self.rules.cues.get((purpose,), self.rules.context_cues[words(cue_text)])
            if cue is None and self.rules.chain_marks:
                cue, cue_text = chain_step(text, token.start, last.end, self.rules)
            if (
                _quoted_example(text, token.start, self.rules.example_marks)
                or not self._accept(name, text, tokens, index, cue, length, listed)
                or (cue is None and self._verb_use(text, tokens, index, length))
            ):
                index += 1
                continue
            if cue is not None and not listed and _denied(text, token.start, cue_text, self.rules):
                cue, cue_text = None, ""  # "do not escalate to the architect" states nothing of it
            mention = Mention(token.start, last.end, name.role, cue, cue_text, subject, name.group)
            mentions.append(mention)
            previous = mention
            index += length
        return mentions

    def spelt_in(self, text: str) -> set[str]:
        """The roles whose names `text` spells, with no cue needed: for a heading that is a
        name ("### DataScientistAgent (ML/AI)"), where `find` would ask prose for one."""
        if not _could_name(text, self.starts):
            return set()
        tokens = tokenize(text)
        roles: set[str] = set()
        index = 0
        while index < len(tokens):
            match = self._match_at(text, tokens, index)
            if match is None:
                index += 1
                continue
            roles.add(match[0].role)
            index += match[1]  # the longest name: "Associate Editors" is not also "Editors"
        return roles

    def _match_at(self, text: str, tokens: list[Token], index: int) -> tuple[Name, int] | None:
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
        self,
        name: Name,
        text: str,
        tokens: list[Token],
        index: int,
        cue: str | None,
        length: int = 1,
        listed: bool = False,
    ) -> bool:
        if length == 1 and text[tokens[index].start - 1 : tokens[index].start] == text[tokens[index].end :][:1] == "`":
            return True  # a role's id in a code span: "consult `architect`"
        if name.tail and index > 0 and not _starts_clause(text, tokens, index):
            modifier = tokens[index - 1]
            if modifier.text[:1].isupper() and text[modifier.end : tokens[index].start] == " ":
                return False  # "a senior Application Security Engineer": another Title Case name
        if self._names_a_document(text, tokens, index + length):
            return False  # "see the Reviewers and Editors document": a pointer to a page
        if index > 0 and self.rules.is_body_word(name.words[-1]) and not _starts_clause(text, tokens, index):
            modifier = tokens[index - 1]
            if (
                modifier.text[:1].isupper()
                and text[modifier.end : tokens[index].start] == " "
                and (modifier.text.isupper() or all_lemmas(modifier.lower))
                and not is_function_word(modifier.text)  # "All Standing Committees"
            ):
                return False  # "the DEI standing committee", "the Code of Conduct Standing Committee": another body
        if name.group:  # "the developers", "all four editors", or listed after a role
            return listed or self._after_determiner(text, tokens, index)
        if name.short and name.acronym is None:  # "the manager", of the one Release Manager
            before = tokens[index - 1] if index else None
            if tokens[index].lower != name.words[0]:
                return False  # a plural is people in general ("ask the specialists")
            if tokens[index].text[:1].isupper() and cue is not None and not _starts_clause(text, tokens, index):
                return True  # "hand off to Designer"
            return (
                before is not None
                and (before.lower == "the" or before.lower in self.rules.quantifiers)  # "each implementer"
                and text[before.end : tokens[index].start] == " "
                and not (index > 1 and tokens[index - 2].lower in _BE_FORMS)  # "you are the expert": a description
            )
        if name.skill or name.id_only:
            following = index + length
            as_id = length > 1 and all(
                text[a.end : b.start] in "-_"
                for a, b in zip(tokens[index:following], tokens[index + 1 : following], strict=False)
            )
            return as_id or (
                name.skill and following < len(tokens) and tokens[following].lower in self.rules.role_context
            )
        if len(name.words) > 1:
            # "The user is the creative director": a description of someone, in lower case
            return not (
                tokens[index].text.islower()
                and text[tokens[index].end : tokens[index].end + 1] == " "
                and index > 1
                and tokens[index - 1].lower in self.rules.articles
                and tokens[index - 2].lower in _BE_FORMS
            )
        word = tokens[index].text
        if name.acronym is not None:
            return word in (name.acronym, name.acronym + "s")  # "AEs", "EiCs": the plural
        if not word[:1].isupper():
            return cue is not None or name.person and self._as_someone(text, tokens, index, name)
        # a name that opens a line as its addressee ("Scribe: polish docs", "Deputy, can you
        # page …") is the role
        addressed = text[tokens[index + length - 1].end :][:1] in (":", ",") and not text[: tokens[index].start].strip()
        if not name.agentive and not addressed and self._in_title_case_phrase(text, tokens, index, length):
            return False  # "Inventory Totals First:": a phrase, not the role `inventory`
        if name.agentive or cue is not None:
            return True
        if word.isupper() and len(word) > 1 and not addressed:
            # a role's id in capitals ("QA" of `qa`) is also the activity ("a QA PASS"): a
            # role with a cue, or a context noun after it ("the PM agent")
            return self._before_context(tokens, index + length - 1)
        return addressed or not _starts_clause(text, tokens, index)

    def _names_a_document(self, text: str, tokens: list[Token], following: int) -> bool:
        """Whether a name ending before word `following` is (part of) the title of a document
        that a `pointer_nouns` word after it points to, over other capitalised names joined
        to it by "and" or "or" ("the Reviewers and Editors document", "the Escalation section")."""
        if not self.rules.pointer_nouns:
            return False
        while following < len(tokens) and text[tokens[following - 1].end : tokens[following].start] == " ":
            token = tokens[following]
            if token.lower in self.rules.pointer_nouns:
                return True
            if not (token.text[:1].isupper() or token.lower in ("and", "or")):
                return False
            following += 1
        return False

    def _in_title_case_phrase(self, text: str, tokens: list[Token], index: int, length: int) -> bool:
        """Whether the capitalised words `index` … `index + length` stand in a longer run of
        capitalised words joined by single spaces ("Stock Inventory Totals"); a cue, an
        article or a quantifier before them ("Ask Inventory", "The Inventory") is no part of it."""
        before = tokens[index - 1] if index > 0 else None
        after = tokens[index + length] if index + length < len(tokens) else None
        return (
            (
                before is not None
                and before.text[:1].isupper()
                and text[before.end : tokens[index].start] == " "
                and (before.lower,) not in self.rules.cues
                and before.lower not in self.rules.articles  # "The Editor is responsible": a sentence's first word
                and before.lower not in self.rules.quantifiers
            )
            or (
                after is not None
                and after.text[:1].isupper()
                and text[tokens[index + length - 1].end : after.start] == " "
            )
        )

    def _after_determiner(self, text: str, tokens: list[Token], index: int) -> bool:
        """Whether an article or a quantifier stands right before word `index`, or one word
        before it in the same clause ("the developers", "all editors", "the four Editors")."""
        for back in (1, 2):
            position = index - back
            if position < 0 or CLAUSE_END.search(text[tokens[position].end : tokens[position + 1].start]):
                return False
            if tokens[position].lower in self.rules.articles or tokens[position].lower in self.rules.quantifiers:
                return True
        return False

    def _before_context(self, tokens: list[Token], index: int) -> bool:
        """Whether a context noun follows word `index`: "the PM agent", "the QA role"."""
        return index + 1 < len(tokens) and tokens[index + 1].lower in self.rules.role_context

    def _as_someone(self, text: str, tokens: list[Token], index: int, name: Name) -> bool:
        """Whether a person noun in lower case is used of people: after an article or a
        quantifier, perhaps with one word between ("the editor", "a guest editor", "all
        editors"), or in the plural ("reviewers will …"); not a bare word in a list or a
        quoted value ("reviewer, debugger")."""
        if tokens[index].lower != name.words[0]:
            return True  # the plural
        return self._after_determiner(text, tokens, index)

    def _verb_use(self, text: str, tokens: list[Token], index: int, length: int) -> bool:
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


_QUOTES = "`\"'“‘"
_QUOTED_BEFORE = re.compile(r"""^[\s,:]*(?:(?:`[^`]*`|"[^"]*"|'[^']*'|“[^”]*”|‘[^’]*’)[\s,]*(?:(?:and|or)\s+)?)*$""")
"""Between an example mark and a quoted name: nothing, or other quoted examples."""


def _quoted_example(text: str, start: int, marks: tuple[str, ...]) -> bool:
    """Whether the name at `start` is quoted (a code span, quotes) and stands right after an
    example mark, perhaps after other quoted examples: "(e.g. `product-manager`)", "e.g.,
    `@analyst`, `@pm`" illustrate a format."""
    opening = text[:start].rstrip("@")
    if not marks or not opening.endswith(tuple(_QUOTES)):
        return False
    before = opening[:-1]
    lowered = before.lower()
    for mark in marks:
        at = lowered.rfind(mark)
        if at >= 0 and (at == 0 or not lowered[at - 1].isalnum()) and _QUOTED_BEFORE.match(before[at + len(mark) :]):
            return True
    return False


def each_role(mentions: list[Mention]) -> list[Mention]:
    """`mentions` with a group's mention made one per role it names, in their order."""
    if not any(m.group for m in mentions):
        return mentions
    return [replace(m, role=role, group=()) for m in mentions for role in m.group or (m.role,)]


def _joins(text: str, left: Token, right: Token) -> bool:
    """Whether two words can be parts of one name: a space, `-` or `_` between them, or a
    dot between digits (`powershell-5.1-expert`)."""
    between = text[left.end : right.start]
    return between in _NAME_JOINERS or (between == "." and left.text.isdigit() and right.text.isdigit())


def _starts_clause(text: str, tokens: list[Token], index: int) -> bool:
    if index == 0:
        return True
    between = text[tokens[index - 1].end : tokens[index].start]
    return bool(CLAUSE_END.search(between)) or "|" in between


def cue_before(text: str, tokens: list[Token], index: int, rules: RelationRules) -> tuple[str | None, str]:
    """The cue right before word `index` (articles skipped, same clause), if any; also over
    one word that an article opens ("Help the software review lead", "Contact the acting
    Peer Review Lead")."""
    found = _cue_ending_at(text, tokens, index, rules)
    modifier = index - 1
    if (
        found[0] is None
        and modifier > 0
        and tokens[modifier].lower not in rules.articles
        and tokens[modifier - 1].lower in rules.articles
        and not CLAUSE_END.search(text[tokens[modifier - 1].end : tokens[index].start])
    ):
        over = _cue_ending_at(text, tokens, modifier, rules)
        return over if words(over[1]) not in rules.weak_cues else (None, "")  # "for the other Role Leads"
    if found[0] is None and rules.passives:
        return _passive_agent(text, tokens, index, rules) or found
    return found


def _passive_agent(text: str, tokens: list[Token], index: int, rules: RelationRules) -> tuple[str, str] | None:
    """What the doer of a passive verb, named from word `index` after a preposition of
    `passives` ("by"), does for the writer: "members are nominated by the Chair", "the time
    is set by the Editor-in-Chief" (relied on: `passives`); "the risk must be recorded in the
    register by `grc-analyst`" — a modal of obligation before the verb — leaves the work to
    it (`passive_duty`; "will be archived by X" is relied on, as "X will archive" is).
    The passive ("is set", "must be recorded") opens the same clause."""
    position = index - 1
    while position >= 0 and (tokens[position].lower in rules.articles or tokens[position].lower in rules.quantifiers):
        position -= 1
    if position < 1 or (tokens[position].lower,) not in rules.passives:
        return None
    start = _clause_start(text, tokens, position)
    for be in range(position - 2, start - 1, -1):
        if tokens[be].lower not in _BE_FORMS:
            continue
        verb = be + 1 + (be + 2 < position and is_adverb(tokens[be + 1].text))
        written = tokens[verb].text
        if participle_lemma(written) is None and not (verb == position - 1 and is_verb(written)):
            continue  # "is responsible for", "are open"; "is set by" (a participle like its verb)
        kind = rules.passives[(tokens[position].lower,)]
        before = tokens[be - 1].lower if be > start else ""
        if rules.passive_duty and before in rules.obligations:
            kind = rules.passive_duty
        return kind, text[tokens[be].start : tokens[position].end]
    return None


def _cue_ending_at(text: str, tokens: list[Token], index: int, rules: RelationRules) -> tuple[str | None, str]:
    position = index - 1
    while position >= 0 and (
        tokens[position].lower in rules.articles
        or (position == index - 1 and tokens[position].lower in rules.quantifiers)
    ):  # "notify the Releaser", "after discussion with all editors"
        if CLAUSE_END.search(text[tokens[position].end : tokens[position + 1].start]):
            return None, ""
        position -= 1
    if position > 0 and tokens[position].lower == "of" and tokens[position - 1].lower in rules.quantifiers:
        position -= 2  # "each of the Role Leads"
        while position >= 0 and tokens[position].lower in rules.articles:
            position -= 1
    quantified = position < index - 1 and tokens[index - 1].lower in rules.quantifiers
    gap = text[tokens[position].end : tokens[position + 1].start] if position >= 0 else ""
    if position < 0 or CLAUSE_END.search(gap) or "|" in gap:
        return None, ""  # another clause, or another table cell ("| Add Queue | `queue-expert` |")
    for length in range(min(rules.longest_cue, position + 1), 0, -1):
        span = tokens[position - length + 1 : position + 1]
        if any(CLAUSE_END.search(text[a.end : b.start]) for a, b in zip(span, span[1:], strict=False)):
            continue
        said = tuple(t.lower for t in span)
        kind = rules.cues.get(said)
        if kind is None and said[0].endswith("ing"):  # "helping the leads", "escalating to"
            base = gerund_lemma(said[0])
            kind = rules.cues.get((base, *said[1:])) if base is not None else None
        if kind is not None:
            if quantified and said in rules.weak_cues:
                return None, ""  # "(for both authors and editors)": an audience, not a relation
            return kind, text[span[0].start : span[-1].end]
    return None, ""


_STEP_WRAPPING = " \t*_`'\"()"
"""What may stand between a step of a chain and the mark: spaces, emphasis, code marks."""


def chain_step(text: str, start: int, end: int, rules: RelationRules) -> tuple[str | None, str]:
    """The relation a chain mark next to a name states: a step of a flow its writer runs. The
    name is a step when a mark follows it ("technical-designer → Design Doc creation"), or
    one comes before it in a chain of several ("`a` → `b` (if gaps) → `c`"); a single mark
    after mere text maps a request to whom it concerns ("*"Write the tests"* → `writer`")."""
    after = text[end:].lstrip(_STEP_WRAPPING)
    before = text[:start].rstrip(_STEP_WRAPPING)
    # a step is the name alone: "→ buddy-guided onboarding" is a stage that only names the role
    rest = text[end:].lstrip(" \t*_`'\"")
    alone = not rest or rest[0] in ",.;:!?(" or rest.startswith(tuple(rules.chain_marks))
    for mark, kind in rules.chain_marks.items():
        if after.startswith(mark) or (before.endswith(mark) and text.count(mark) > 1):
            return (kind if after.startswith(mark) or alone else RelationType.MENTIONS), mark
    return None, ""


_BE_FORMS = frozenset({"am", "is", "are", "was", "were", "be", "been", "being"})


_ABBREVIATED = re.compile(r"\s*\([^()]{1,15}\)")
"""An abbreviation or aside right after a name: "the Emeritus Advisor (EA) will …"."""
_POSSESSIVE = ("'", "’")


_OPENING_MARKS = " \t-*_`>"
_DESCRIBED = re.compile(r"[`*_ ]*:[`*_ ]*")


def cue_as_subject(
    text: str, tokens: list[Token], index: int, rules: RelationRules, start: int = -1
) -> tuple[str | None, str, bool]:
    """What a role named as the subject of a verb (the name ends before word `index`) is to
    the writer: "the IC will ask you …", "the backend developer informs me …" (relied on);
    "your lead will chat with you" (a `subject_verbs` verb). The verb follows a modal
    (perhaps with an adverb between) in its base form, or stands in the third person
    singular before a common word or a colon ("informs me", "shares: …"); "be" and "have" say nothing. A passive
    verb's subject receives what the verb does ("Integrator will be queued" is queued).
    Also whether the role acts (is not the subject of a passive verb)."""
    if index >= len(tokens) or index == 0:
        return None, "", False
    end = tokens[index - 1].end
    aside = _ABBREVIATED.match(text, end)
    if aside is not None:
        end = aside.end()
        while index < len(tokens) and tokens[index].start < end:
            index += 1
        if index >= len(tokens):
            return None, "", False
    gap = text[end : tokens[index].start]
    # "- **`backend`**: Provides API contracts": a name that opens the line, a colon, and a
    # verb in the third person describe what the role does
    described = start >= 0 and not text[:start].strip(_OPENING_MARKS) and bool(_DESCRIBED.fullmatch(gap))
    if (gap.strip("`*_ ") != "" or " " not in gap) and not described:  # marks may close the name
        return None, "", False
    if tokens[index].lower in rules.hedges:
        return None, "", False  # "the Deputy might also take on …": only a possibility
    position, modal = index, tokens[index].lower in rules.modals
    if modal:
        position += 1
    if position + 1 < len(tokens) and is_adverb(tokens[position].text):
        position += 1  # "will also post"; without a modal, only a verb of the work ("currently owns")
        if not modal and (verb_lemma(tokens[position].text) or "",) not in rules.subject_verbs:
            return None, "", False
    if position >= len(tokens) or (position > index and text[tokens[position - 1].end : tokens[position].start] != " "):
        return None, "", False
    passive = _passive_cue(text, tokens, position, modal, rules)
    if passive is not None:
        return (*passive, False)
    lemma = verb_lemma(tokens[position].text, base_only=modal)
    if not modal and lemma == tokens[position].lower:
        return None, "", False  # "Former leads make good deputies": a plural's habit, not an act
    if lemma is None or lemma in rules.subject_skipped:
        return None, "", False
    if not modal and position + 1 < len(tokens) and (tokens[position].lower, tokens[position + 1].lower) in rules.cues:
        return None, "", False  # "`reporter` depends on …": the subject's own relation, not an act for the writer
    speech = described or text[tokens[position].end :].startswith(":")  # "when the architect shares: …"
    if not modal and not speech:
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        if (
            following is None
            or not is_function_word(following.text)
            or CLAUSE_END.search(text[tokens[position].end : following.start])
        ):
            return None, "", False
    kind = rules.subject_verbs.get((lemma,), rules.subject_default)
    return kind, text[tokens[index].start : tokens[position].end], True


_BE = frozenset({"be", "is", "are", "gets", "get"})


def _passive_cue(
    text: str, tokens: list[Token], position: int, modal: bool, rules: RelationRules
) -> tuple[str, str] | None:
    """A name that is the subject of a passive verb receives what the verb does: "Integrator
    will be queued" is queued, as "queue Integrator" is (the verb's own cue, in `cues`)."""
    if tokens[position].lower not in _BE or (modal and tokens[position].lower != "be"):
        return None
    following = position + 1
    if following < len(tokens) and is_adverb(tokens[following].text):
        following += 1
    if following >= len(tokens) or CLAUSE_END.search(text[tokens[position].end : tokens[following].start]):
        return None
    lemma = participle_lemma(tokens[following].text)
    kind = rules.cues.get((lemma,)) if lemma is not None else None
    return (kind, text[tokens[position].start : tokens[following].end]) if kind is not None else None


_LABEL = re.compile(r"^[\W_]*(\w[\w\s-]*?)[\s*_]*:[\s*_`]*$")
_LONGEST_LABEL = 160
"""How far before a name a label may start (with the items between): a label is a few words."""
_LAST_LABEL = re.compile(
    r"(?<![\w-])([A-Z][a-z]+(?: [a-z]+){0,3})[\s*_]*:[\s*_`]*"
    r"(?:[\w`*-]+(?:\s+for(?:\s+[\w-]+){1,4})?\s*,[\s*_`]*)*$"
)
"""A capitalised label of a few words before a name, after other text: hard-wrapped lines
run on ("Reports to: `lead` Coordinates with: `qa`"); other items may stand between, each
with its purpose ("Reports to: producer for scheduling, `technical-director`")."""
_TASK = re.compile(r"^[\s*_]*:[\s*_]*(\w+)")


def label_cue(text: str, start: int, rules: RelationRules, since: int = 0) -> tuple[str | None, str]:
    """The cue a line's label states of the names after it: "Supports: QA Engineers",
    "Depends on: data-engineer" (the label is a cue, the name the first thing after it);
    from `since` (the end of the name before it, when a label follows another's names). A
    label may say more than its verb in a sentence (`labels`: "Reports to: X" names the
    role's superior)."""
    found = _LABEL.match(text[since:start]) if start - since <= _LONGEST_LABEL else None
    if found is None or (since and not found[1][:1].isupper()):
        found = _LAST_LABEL.search(text, max(0, start - _LONGEST_LABEL), start)  # after a name: capitalised
    if found is None:
        return None, ""
    said = words(found[1])
    kind = rules.labels.get(said) or rules.cues.get(said)
    return (kind, found[1]) if kind is not None and said not in rules.weak_cues else (None, "")


def _addressed_task(text: str, end: int, rules: RelationRules) -> tuple[str, str] | None:
    """What a line addressed to a role asks of it, by the first word after the colon: "To
    QA Engineer: coordinate testing" works with it, where "to" alone would hand off."""
    found = _TASK.match(text[end:])
    if found is None:
        return None
    verb = found[1].lower()
    if (verb,) in rules.weak_cues:
        return None
    # the verb may open a longer cue ("coordinate" of "coordinate with")
    kind = rules.cues.get((verb,)) or next((k for cue, k in rules.cues.items() if cue[0] == verb), None)
    return (kind, found[1]) if kind is not None else None


def _denied(text: str, start: int, cue_text: str, rules: RelationRules) -> bool:
    """Whether a denial (`denials`: do not, never, not …) stands right before the cue of the
    name at `start`, in its clause: "Do not escalate to X", "escalate to a human, not to X"."""
    said = cue_text.split()
    if not said or not rules.denials:
        return False
    last = text.rfind(said[-1], 0, start)  # the preposition of "Escalate … to": "…, not to X"
    if last < 0:  # a cue after the name: "You do not need Agent0 approval"
        found = words(CLAUSE_END.split(text[max(0, start - 30) : start])[-1])[-3:]
        return any(found[at : at + len(denial)] == denial for denial in rules.denials for at in range(len(found)))
    for at in {text.rfind(said[0], 0, last + 1), last}:
        if at >= 0:
            found = words(CLAUSE_END.split(text[max(0, at - 30) : at])[-1])
            if any(found[-len(denial) :] == denial for denial in rules.denials):
                return True
    return False


_APART = re.compile(r"[.!?;:|(—–]|\s-\s")
"""What sets the words after a name apart from it: another sentence, clause or table cell,
an aside, a dash ("design-bridge - Design-to-agent translator", "UXAgent (design review)")."""
_CLAUSE_OPENING = re.compile(r"[.!?;:|(]")
"""What opens a clause, for the verb that governs it: a sentence's end, a semicolon, a
colon, a table cell, a parenthesis."""


def _clause_start(text: str, tokens: list[Token], index: int) -> int:
    while index > 0 and not _CLAUSE_OPENING.search(text[tokens[index - 1].end : tokens[index].start]):
        index -= 1
    return index


def _clause_verb(
    text: str, tokens: list[Token], index: int, preposition: tuple[str, ...], rules: RelationRules
) -> tuple[str, str] | None:
    """What the verb that opens the clause says of the name at word `index`, when only a
    preposition stands before the name: "Route API tasks to X" is what "route to" says
    (delegates), "Escalate security findings to X" what "escalate to" says; the verb, not
    its object, decides. A clause after ";" that opens with no verb of its own has the
    one before it: "escalate security issues to X; design questions to Y" escalates to Y."""
    if len(preposition) != 1 or preposition[0] not in rules.governed:
        return None
    position = index - 1
    while position >= 0 and tokens[position].lower in rules.articles:
        position -= 1
    passive = _passive_before(text, tokens, position, preposition, rules)
    if passive is not None:
        return passive  # "Any disagreements can be escalated to X"
    start = _clause_start(text, tokens, position)
    for _ in range(3):
        first = start
        while first < position and (
            is_adverb(tokens[first].text) or any(tokens[first].lower == denial[0] for denial in rules.denials)
        ):
            first += 1  # "Always route …", "then escalate …", "Do not route …"
        if first >= position:
            return None
        verb = tokens[first]
        base = verb_lemma(verb.text)
        lemma = base or gerund_lemma(verb.text)
        if lemma is not None:
            for length in (2, 1):  # "hand off … to", "route … to"
                phrase = (lemma, *(t.lower for t in tokens[first + 1 : first + length]), *preposition)
                kind = rules.cues.get(phrase)
                if kind is not None and phrase not in rules.weak_cues and first + length - 1 < position:
                    return kind, f"{text[verb.start : tokens[first + length - 1].end]} … {tokens[position].text}"
            if base is not None:
                return None  # a verb of its own ("…; forward drafts to X")
        if start == 0 or text[tokens[start - 1].end : tokens[start].start].strip()[:1] != ";":
            return None
        position = start - 1  # "…; design questions to Y": the verb left out is the one before
        start = _clause_start(text, tokens, position)
    return None


def _passive_before(
    text: str, tokens: list[Token], position: int, preposition: tuple[str, ...], rules: RelationRules
) -> tuple[str, str] | None:
    """What a passive verb right before the preposition at word `position` says: "can be
    escalated to X" is what "escalate to" says, "is assigned to X" what "assign" says."""
    verb = position - 1
    if (
        verb < 1
        or tokens[verb - 1].lower not in _BE_FORMS
        or CLAUSE_END.search(text[tokens[verb].end : tokens[position].start])
    ):
        return None
    lemma = participle_lemma(tokens[verb].text)
    if lemma is None:
        return None
    for phrase in ((lemma, *preposition), (lemma,)):
        kind = rules.cues.get(phrase)
        if kind is not None and phrase not in rules.weak_cues:
            return kind, text[tokens[verb - 1].start : tokens[position].end]
    return None


_LIST_OF_WORDS = re.compile(r"^,(?:\s*[\w-]+(?:\s+[\w-]+)?\s*,)*\s*[\w-]+(?:\s+[\w-]+)?\s*,?\s+(?:and|or)\s*$")
"""Between two names of one list, other short items: ", developers, QA, and "."""


_PURPOSE_ITEM = re.compile(r"^\s*for(?:\s+[\w-]+){1,4}\s*,\s*(?:and\s+|or\s+)?$", re.IGNORECASE)
"""Between two names of one list, what the first is for: "Coordinates with: `designer` for
specs, `qa-lead` for testability"."""
_MARKS = re.compile(r"[`*_\"']")
"""Code and emphasis marks around the items of a list of names."""


def _listed(between: str, rules: RelationRules) -> bool:
    """Whether the text between two names makes them items of one list, which share the
    first one's cue: "notify the Builder and the Verifier", "directs the designer,
    developers, QA, and the tester" (short items between, articles left out)."""
    between = _MARKS.sub("", between)  # "`frontend` / `backend`", "**QA** and **Ops**"
    plain = " ".join(word for word in between.split(" ") if word.lower() not in rules.articles)
    # an article after the purpose opens a phrase, not an item ("asking the authors for
    # recommendations, the reviewers application")
    return bool(GLUE.match(plain) or _LIST_OF_WORDS.match(plain) or _PURPOSE_ITEM.match(between))


_ABOUT = frozenset({"of", "about"})
"""Words after a name that say what the role is told of: "notify the lead of the issue"."""


def _raises_trouble(text: str, tokens: list[Token], index: int, after: int, rules: RelationRules) -> bool:
    """Whether what the clause passes to the role named from word `index` to `after` is
    trouble, or is passed once the work halts (`trouble`: "blockers", "concerns", "stop"):
    "Communicate scope concerns to the lead", "stop and tell the lead", or what the role is
    told of right after its name ("notify the lead of the issue")."""
    start = index
    while start > 0 and not CLAUSE_END.search(text[tokens[start - 1].end : tokens[start].start]):
        start -= 1
    if any(
        token.lower in rules.trouble and text[token.end : token.end + 1] != "-"  # "failure-handling conventions"
        for token in tokens[start:index]
    ):
        return True
    if after >= len(tokens) or tokens[after].lower not in _ABOUT:
        return False
    told = tokens[after + 1 : after + 4]  # "of the issue", "about any open questions"
    for previous, token in zip(tokens[after : after + 3], told, strict=False):
        if CLAUSE_END.search(text[previous.end : token.start]):
            return False
        if token.lower in rules.trouble:
            return True
    return False


def causative(text: str, tokens: list[Token], index: int, after: int, rules: RelationRules) -> tuple[str | None, str]:
    """The relation a causative verb before a name states when a verb in its base form
    follows the name (`causatives`): "have the product manager write the stories", "get QA
    to check it" leave that work to the role; "have the Builder's notes" says nothing."""
    position = index - 1
    while position >= 0 and tokens[position].lower in rules.articles:
        position -= 1
    if position < 0 or CLAUSE_END.search(text[tokens[position].end : tokens[index].start]):
        return None, ""
    kind = rules.causatives.get((tokens[position].lower,))
    if kind is None or after >= len(tokens):
        return None, ""
    verb = after + 1 if tokens[after].lower == "to" else after
    if verb >= len(tokens) or text[tokens[verb - 1].end : tokens[verb].start] != " ":
        return None, ""
    if verb_lemma(tokens[verb].text, base_only=True) is None or is_function_word(tokens[verb].text):
        return None, ""
    return kind, text[tokens[position].start : tokens[position].end]


def _requested(text: str, tokens: list[Token], after: int, cue_text: str, rules: RelationRules) -> str | None:
    """What asking a role to do something states (`requests`): "asking the admins to remove
    their permissions" passes them a task, where "ask the admins" alone consults them."""
    said = words(cue_text)
    if len(said) != 1:
        return None
    kind = rules.requests.get(said) or rules.requests.get((gerund_lemma(said[0]) or "",))
    if kind is None or after + 1 >= len(tokens) or tokens[after].lower != "to":
        return None
    verb = tokens[after + 1]
    if text[tokens[after - 1].end : tokens[after].start] != " " or text[tokens[after].end : verb.start] != " ":
        return None
    return kind if verb_lemma(verb.text, base_only=True) is not None and not is_function_word(verb.text) else None


def _receiving(text: str, tokens: list[Token], index: int, rules: RelationRules) -> str | None:
    """What a subject named from word `index` is when the word before it (articles skipped)
    opens a clause that says what the writer's work is for (`subject_receives`): "a capsule
    that the router can schedule", "so the team lead can compare"."""
    position = index - 1
    while position >= 0 and tokens[position].lower in rules.articles:
        position -= 1
    if position < 0 or CLAUSE_END.search(text[tokens[position].end : tokens[index].start]):
        return None
    return rules.subject_receives.get((tokens[position].lower,))


def _purpose(tokens: list[Token], index: int) -> str | None:
    """The verb of a purpose after a name (word `index` on), if one follows: "use X to
    assist you" works with X, as "assist X" does; "use X to fix it" leaves the work to X."""
    if index + 1 >= len(tokens) or tokens[index].lower != "to":
        return None
    verb = tokens[index + 1].lower
    return verb if verb_lemma(verb, base_only=True) is not None else None


def _share_subject(
    text: str, mentions: list[Mention], start: int, cue: str, cue_text: str, rules: RelationRules
) -> list[Mention]:
    """Give a subject's cue to the names listed before it with none of their own ("A, the B
    and C will …")."""
    shared = list(mentions)
    for at in range(len(shared) - 1, -1, -1):
        earlier = shared[at]
        between = " ".join(w for w in text[earlier.end : start].split() if w.lower() not in rules.articles)
        if earlier.cue is not None or not GLUE.match(between):
            break
        shared[at] = replace(earlier, cue=cue, cue_text=cue_text, subject=True)
        start = earlier.start
    return shared


def cue_after(text: str, tokens: list[Token], index: int, rules: RelationRules) -> tuple[str | None, str]:
    """The cue right after a name that ends before word `index`, in the same clause, over a
    possessive ("the IC's decision")."""
    if index >= len(tokens) or not rules.cues_after:
        return None, ""
    if (
        index
        and tokens[index].lower == "s"
        and text[tokens[index - 1].end : tokens[index].start].strip("`*_ ") in _POSSESSIVE
    ):
        index += 1
        if index >= len(tokens):
            return None, ""
    for length in (3, 2, 1):
        span = tokens[index : index + length]
        if len(span) < length or any(
            CLAUSE_END.search(text[a.end : b.start]) for a, b in zip(span, span[1:], strict=False)
        ):
            continue
        if _APART.search(text[tokens[index - 1].end : span[0].start]) if index else False:
            return None, ""  # "| dev-lead | Design |"
        kind = rules.cues_after.get(tuple(t.lower for t in span))
        if kind is not None:
            return kind, text[span[0].start : span[-1].end]
    return None, ""
