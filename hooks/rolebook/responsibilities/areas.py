"""Responsibility areas: the columns of the responsibility matrix and the topics of a role's
source comparison.

The built-in list (`areas.yml`) fits libraries of software agents. A site can extend it or
replace it (`extra.rolebook.areas`, a file of the same shape; `defaults: false` in it drops
the built-in list). A library whose responsibility lines seldom name a built-in area — a
handbook of human roles — gets areas derived from its own words instead: the noun phrases
that the scope, boundary and mission lines of several roles share ("status updates",
"customer communication"), found with word frequencies (wordfreq) and English noun and verb
lemmas (lemminflect), not with a list of words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rolebook import lexical
from rolebook.datafile import DataFileError, read_data_file
from rolebook.names import slugify
from rolebook.relate.lexicon import Lexicon
from rolebook.relate.rules import words
from rolebook.responsibilities.claims import Span

DEFAULT_AREAS = Path(__file__).with_name("areas.yml")

FIT = 0.15
"""Share of a library's responsibility lines that must name a built-in area for the built-in
areas to be used. Measured: 0.23-0.74 on six software agent libraries (voltagent 0.23,
pdl-roles 0.30, wshobson plugins 0.39, vijay-agents 0.40, sentinel-kit 0.50, the shipped
seeds 0.74), 0.08 on PagerDuty's incident-response handbook."""
SAMPLE = 3000
"""Responsibility lines read to decide the fit: enough for any library, cheap at 10,000 roles."""
MOST_DERIVED = 12
"""Most areas derived from a library: more columns than a matrix can show."""
FEWEST_DERIVED = 3
"""Fewer shared phrases than this, and the built-in areas are kept."""
LISTED_KINDS = frozenset({"list item", "table row", "heading"})
LISTED = 10
"""Lines in lists, tables and duty headings from which areas are derived from those alone: a
scope list says what a role does in a few words, prose says it among many other words."""
COMMON_WORD = 5.25
"""Zipf frequency from which a word is too common to name an area ("make", "sure", "team",
"yourself")."""
RARE_WORD = 5.1
"""Zipf frequency under which a word alone can name an area ("timeline", "decisions";
not "track" or "problem")."""
NEARLY_ALL = 0.8
"""Share of the roles from which a phrase names the library rather than an area."""
PLACES = frozenset({"to", "in", "on", "at", "from", "into", "onto", "via", "within", "inside", "across", "through"})
"""Prepositions after which a noun phrase says where the work happens ("to the GitHub issue",
"in Slack"), not what it is."""
LONGER = 0.6
"""A longer phrase replaces a phrase within it when it is shared by this share of its roles
("status updates" rather than "status")."""


class AreasError(DataFileError):
    """An areas file that cannot be used."""


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    keywords: tuple[tuple[str, ...], ...]
    origin: str = "built-in"
    """`built-in`, `site` (a site's areas file gave or extended it) or `derived`."""
    broad: tuple[tuple[str, ...], ...] = ()
    """Keywords that name the area only unqualified: "architecture", not "database architecture"."""


def load_areas(*extra_files: str | Path) -> list[Area]:
    """The built-in areas, then each site file's (same key: more keywords; new key: new area;
    `defaults: false`: the built-in areas are dropped)."""
    areas: dict[str, Area] = {}
    for path in (DEFAULT_AREAS, *map(Path, extra_files)):
        file = read_data_file(path, "with an `areas` list", AreasError)
        origin = "built-in" if path == DEFAULT_AREAS else "site"
        defaults = file.data.get("defaults", True)
        if not isinstance(defaults, bool):
            raise file.error(f"`defaults` must be true or false, not {defaults!r}", "defaults")
        if not defaults:
            areas = {key: area for key, area in areas.items() if area.origin != "built-in"}
        entries = file.data.get("areas") or []
        if not isinstance(entries, list):
            raise file.error("`areas` must be a list of areas (key, title, keywords)", "areas")
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                raise file.error(f"each area needs a `key` string, got {entry!r}", "areas", index)
            key = entry["key"]
            listed = file.strings("areas", index, "keywords")
            if not isinstance(entry.get("title", ""), str):
                raise file.error(f"area {key}: `title` must be a string", "areas", index, "title")
            keywords = tuple(words(k) for k in listed if words(k))
            broad = tuple(words(k) for k in file.strings("areas", index, "broad") if words(k))
            if key in areas:
                old = areas[key]
                title = str(entry.get("title") or old.title)
                areas[key] = Area(key, title, old.keywords + keywords, origin, old.broad + broad)
            else:
                areas[key] = Area(key, str(entry.get("title") or key), keywords, origin, broad)
    return list(areas.values())


_WORD = re.compile(r"[^\W_]+")


@cache
def _file_pattern() -> re.Pattern[str]:
    """A file path or URL in prose: starts with `/`, `.` or `~`, has a `/` and ends with an
    extension, or is a file name with one of the extensions of `areas.yml`
    (`file_extensions`: "runbook.md" names a file, "e.g." does not)."""
    listed = read_data_file(DEFAULT_AREAS, "with an `areas` list").data.get("file_extensions") or []
    extensions = "|".join(sorted(map(re.escape, map(str, listed)), key=len, reverse=True)) or "(?!)"
    return re.compile(
        r"(?:^|(?<=[\s(`'\"]))(?:[/.~][^\s()`'\"]*|[^\s()`'\"/]*/[^\s()`'\"]*\.\w{1,5}"
        rf"|[\w-]+\.(?:{extensions}))(?=[\s)`'\",;:]|$)"
    )


@cache
def _qualifies(word: str) -> bool:
    """Whether a word before a broad keyword narrows it to a field: a noun that is no
    adjective and no function word ("database", "test", "component"; not "clean", "overall",
    "the")."""
    lemmas = lexical.all_lemmas(word)
    return "NOUN" in lemmas and "ADJ" not in lemmas and not lexical.is_function_word(word)


_BEFORE = re.compile(r"([^\W\d_]+)[\"'”’]?[\s-]+$")
"""The word before a keyword, with a closing quote between them ("the "Secure by Design" architecture")."""

_CAPITALS = re.compile(r"\b[A-Z]{4,}\b")
_NAMES = re.compile(r"\b[A-Z]{4,}(?:(?:\s*[,/]\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)[A-Z]{4,}\b)+")
"""A list of words in capitals ("IMPLEMENTATION, ARCHITECTURE, and CHANGELOG"): the names of
documents, whose words name no area; an ordinary word in capitals alone is emphasis."""

_MAYBE_FILE = re.compile(r"[/~]|\.\w")
"""What every file path has: most lines have none, and skip `_file_pattern`."""

_SCRIPT_NAME = re.compile(r"\w[\w-]*(?::[\w-]+)+")
"""A script's or a command's name ("validate:contracts", "test:unit"): a colon between words
with no space after it names a command, not an area."""


_RECENT = 256
"""How many of the texts it last read an `AreaMatcher` remembers the spans of."""


class AreaMatcher:
    """Finds the areas a text is about in one pass over its words."""

    def __init__(self, areas: Iterable[Area]) -> None:
        self.by_phrase: dict[tuple[str, ...], set[str]] = {}
        self.starts: dict[str, int] = {}
        """First word of each keyword -> its longest keyword's length."""
        self.broad = frozenset((keyword, area.key) for area in areas for keyword in area.broad)
        for area in areas:
            for keyword in area.keywords:
                self.by_phrase.setdefault(keyword, set()).add(area.key)
                self.starts[keyword[0]] = max(self.starts.get(keyword[0], 0), len(keyword))
        self._recent: dict[str, tuple[Span, ...]] = {}
        """The last texts read (a list's lead-in is read again with each of its items)."""

    def spans(self, text: str) -> list[Span]:
        """Where `text` names an area: the longest keyword at each word ("integration tests"
        is testing, not integrations), never inside a file path, a URL or a command's name."""
        found = self._recent.get(text)
        if found is None:
            if len(self._recent) >= _RECENT:
                del self._recent[next(iter(self._recent))]
            found = self._recent[text] = tuple(self._spans(text))
        return list(found)

    def _spans(self, text: str) -> list[Span]:
        if self.starts.keys().isdisjoint(_WORD.findall(text.lower())):
            return []  # most lines: no word starts a keyword
        tokens = [(m.start(), m.end(), m[0].lower()) for m in _WORD.finditer(text)]
        blocked = [(m.start(), m.end()) for m in _file_pattern().finditer(text)] if _MAYBE_FILE.search(text) else []
        if ":" in text:
            blocked += [(m.start(), m.end()) for m in _SCRIPT_NAME.finditer(text)]
        found: list[Span] = []
        start = 0
        lowered = [t for _, _, t in tokens]
        while start < len(tokens):
            begin = tokens[start][0]
            longest = 0 if blocked and any(a <= begin < b for a, b in blocked) else self.starts.get(lowered[start], 0)
            for length in range(min(longest, len(tokens) - start), 0, -1):
                keys = self.by_phrase.get(tuple(lowered[start : start + length]))
                if keys:
                    found += [Span(begin, tokens[start + length - 1][1], key) for key in sorted(keys)]
                    start += length
                    break
            else:
                start += 1
        # "Database architecture", "test architecture": a broad keyword after a noun is design
        # in that noun's field; the field is the area when it names one
        narrowed = {span for span in found if self._narrowed(text, span)}
        if _CAPITALS.search(text):  # "Maintain IMPLEMENTATION, ARCHITECTURE, and CHANGELOG": documents
            names = [m.span() for m in _NAMES.finditer(text)]
            narrowed |= {
                span
                for span in found
                if any(a <= span.start < b for a, b in names)
                and lexical.all_lemmas(text[span.start : span.end].lower())  # "README" is documentation
            }
        # "Security testing", "API caching": a keyword that modifies the next one is not the
        # line's area; the compound's head is. A verb does not modify ("Migrate database schema")
        return [
            span
            for span, after in zip(found, [*found[1:], None], strict=False)
            if span not in narrowed
            and (
                after is None
                or after.start == span.start
                or after in narrowed
                or text[span.end : after.start].strip(" -") != ""
                or _only_verb(text[span.start : span.end].lower())
            )
        ]

    def _narrowed(self, text: str, span: Span) -> bool:
        """Whether a broad keyword (`Area.broad`) follows a noun that narrows it."""
        if (words(text[span.start : span.end]), span.key) not in self.broad:
            return False
        before = _BEFORE.search(text, 0, span.start)
        return before is not None and _qualifies(before[1].lower())


@dataclass(frozen=True)
class AreaChoice:
    """The areas a library's matrix uses, and why (for the build log)."""

    areas: list[Area]
    reason: str


def choose_areas(
    lines: list[tuple[str, str, str]],
    configured: list[Area],
    lexicon: Lexicon,
    section_words: frozenset[str] = frozenset(),
) -> AreaChoice:
    """A site's own areas when it gives any; else the built-in areas when the library's
    responsibility lines (`(role id, text, kind)`: items and duty headings of the sections
    that state a stance) name them (`FIT`); else areas derived from those lines."""
    if any(area.origin == "site" for area in configured):
        return AreaChoice(configured, "the site's areas file (extra.rolebook.areas)")
    sample = lines[:SAMPLE]
    if not sample:
        return AreaChoice(configured, "the built-in areas (no responsibility lines to judge them by)")
    matcher = AreaMatcher(configured)
    fit = sum(1 for _, text, _ in sample if matcher.spans(text)) / len(sample)
    if fit >= FIT:
        return AreaChoice(configured, f"the built-in areas ({fit:.0%} of the responsibility lines name one)")
    listed = [(role, text) for role, text, kind in lines if kind in LISTED_KINDS]
    derived = derive_areas(
        listed if len(listed) >= LISTED else [(role, text) for role, text, _ in lines], lexicon, section_words
    )
    if len(derived) < FEWEST_DERIVED:
        return AreaChoice(
            configured,
            f"the built-in areas: only {fit:.0%} of the responsibility lines name one, "
            "but the roles share too few phrases to derive areas from",
        )
    return AreaChoice(
        derived,
        f"{len(derived)} areas derived from the phrases the roles' responsibility lines share "
        f"(only {fit:.0%} of them name a built-in area)",
    )


@cache
def _content(word: str) -> bool:
    """Whether a word can be part of an area's name: not a function word or a very common one."""
    return len(word) > 2 and word.isalpha() and lexical.zipf(word) < COMMON_WORD


@cache
def _noun(word: str) -> str | None:
    """The singular of a word that can be a noun (or a gerund: "paging"), else `None`; a
    common adverb is none ("moving forward")."""
    lemmas = lexical.all_lemmas(word)
    if "ADV" in lemmas and lexical.zipf(word) >= RARE_WORD:
        return None
    if "NOUN" in lemmas:
        return str(lemmas["NOUN"][0])
    if not lemmas:  # a word the lexicon does not know ("timeline", "remediation") is a noun
        return (word.removesuffix("s") if word.endswith("ers") else word) if len(word) > 4 else None
    return word if word.endswith("ing") else None


@cache
def lemmas_of(word: str) -> dict[str, tuple[str, ...]]:
    """The word's lemmas by part of speech (lemminflect): {"VERB": ("tag",), "NOUN": …}."""
    return dict(lexical.all_lemmas(word))


@cache
def _only_verb(word: str) -> bool:
    lemmas = lexical.all_lemmas(word)
    return bool(lemmas) and set(lemmas) == {"VERB"}


def _phrases(text: str, lexicon: Lexicon) -> set[tuple[str, ...]]:
    """What a line is about: the last one or two words of each run of content words (a
    leading verb dropped: "Provide executive status updates" -> "status update"), the head
    a noun in the singular; a single word only when it is uncommon ("timeline", not
    "track"). Never a role's name or a path."""
    found: set[tuple[str, ...]] = set()
    text = _file_pattern().sub(" . ", text)
    for mention in reversed(lexicon.find(text)):  # a role's name is not an area
        text = text[: mention.start] + " . " + text[mention.end :]
    opening = True  # the first words of a list item are a verb: "Record decisions"
    for piece in re.split(r"[^\w\s'-]+", text.lower()):
        run: list[str] = []
        placed = False
        for word in [*_WORD.findall(piece), ""]:
            if word and _content(word):
                run.append(word)
                continue
            if placed and run:  # "Add a comment to the GitHub issue": where the work happens, not the work
                run, placed = [], False
            placed = placed or word in PLACES
            if opening and run and "VERB" in lexical.all_lemmas(run[0]):
                run.pop(0)
            opening = opening and not run and not word
            while run and _only_verb(run[0]):
                run.pop(0)
            head = _noun(run[-1]) if run else None
            if head is not None and not lexicon.rules.is_role_word(head.capitalize()):  # "resolvers" are people
                if len(run) > 1:
                    found.add((run[-2], head))
                elif lexical.zipf(head) < RARE_WORD and "ADJ" not in lexical.all_lemmas(run[-1]):
                    found.add((head,))  # not "primary", "necessary"
            run = []
    return found


def derive_areas(
    lines: list[tuple[str, str]], lexicon: Lexicon, section_words: frozenset[str] = frozenset()
) -> list[Area]:
    """Areas from `(role id, line)` pairs: the noun phrases most roles share (at least two,
    never nearly all of them: a phrase every role uses, such as "incident" in an incident
    handbook, names the library, not an area), never one with a word of a section's name
    (`section_words`: "responsibilities" names a part of a document)."""
    roles_of: dict[tuple[str, ...], set[str]] = {}
    for role, text in lines:
        for phrase in _phrases(text, lexicon):
            roles_of.setdefault(phrase, set()).add(role)
    everyone = len({role for role, _ in lines})
    ceiling = max(2, int(everyone * NEARLY_ALL))
    sections = section_words | {word.removesuffix("ies") + "y" for word in section_words if word.endswith("ies")}
    shared = {
        p: r
        for p, r in sorted(roles_of.items())  # sorted: the same areas whatever the hash seed
        if 2 <= len(r) <= ceiling and sections.isdisjoint(p)
    }

    def longer(phrase: tuple[str, ...]) -> tuple[str, ...]:
        """The longest phrase containing `phrase` that most of its roles share."""
        best = phrase
        for other, other_roles in shared.items():
            if len(other) > len(best) and _within(best, other) and len(other_roles) >= LONGER * len(shared[phrase]):
                best = other
        return best

    ranked = sorted(shared, key=lambda p: (-len(shared[p]), -len(p), p))
    chosen: list[tuple[str, ...]] = []
    for phrase in ranked:
        best = longer(phrase)
        if any(_within(best, c) or _within(c, best) for c in chosen):
            continue
        chosen.append(best)
        if len(chosen) == MOST_DERIVED:
            break
    areas = []
    for phrase in chosen:
        plural = lexical.inflections(phrase[-1], "NNS")
        forms = {phrase, *((*phrase[:-1], p) for p in plural or ())}
        title = " ".join(phrase)
        areas.append(Area(slugify(title), title[:1].upper() + title[1:], tuple(sorted(forms)), "derived"))
    return areas


def _within(inner: tuple[str, ...], outer: tuple[str, ...]) -> bool:
    return any(outer[i : i + len(inner)] == inner for i in range(len(outer) - len(inner) + 1))
