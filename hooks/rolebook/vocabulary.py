"""The section vocabulary (`vocabulary.yml`): heading synonyms and document-kind rules, as data."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from rolebook.datafile import DataFile, DataFileError, read_data_file

DEFAULT_VOCABULARY = Path(__file__).with_name("vocabulary.yml")

_PARENTHETICAL = re.compile(r"\s*\([^)]*\)\s*$")
_NOT_WORD = re.compile(r"[^\w\s'-]+")
_SPACES = re.compile(r"[\s_]+")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[A-Za-z][.)])\s+(?=\w)")
"""An outline number before a heading's words ("2. Mission", "5.1 Starting Work", "B) Scope")."""
_JOINED = re.compile(r"\s+(?:&|and|\+)\s+", re.IGNORECASE)
"""What joins two names in one heading ("Mission & Success Criteria")."""


def normalize_heading(title: str) -> str:
    """Reduce a heading to the form synonyms are compared in.

    Lower-case, a trailing `(...)` dropped, emoji and punctuation (but `-` and `'`) removed:
    `"❌ Out-of-Scope (v2)"` -> `"out-of-scope"`; an outline number goes too (`"2. Mission"`).
    """
    text = _PARENTHETICAL.sub("", unicodedata.normalize("NFKC", title))
    text = _NUMBERING.sub("", text).lower()
    text = text.replace("’", "'")
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip(" -'")


class SectionMeaning(StrEnum):
    """The section meanings the code acts on. Every stage asks for a section's meaning, not
    its key: a section means its own key unless `vocabulary.yml` (or a site's vocabulary)
    says `means:`, so a site's "Raise the alarm" section that `means: escalation` is read
    as escalation triggers. Each is a section of the built-in vocabulary (checked on load)."""

    MISSION = "mission"
    """What the role is for: the page's summary, a front-matter description's place."""
    RESPONSIBILITIES = "responsibilities"
    """What the role owns: a heading that states a duty is read as one of these."""
    BOUNDARIES = "boundaries"
    """What the role must not do: a role named there does it instead (`delegates_to`)."""
    ESCALATION = "escalation"
    """Every line is an escalation trigger; a role named by a cue is where it escalates."""


@dataclass(frozen=True)
class SectionSpec:
    """A canonical section of a role page."""

    key: str
    title: str
    means: str = ""
    """The section whose meaning it has (`escalation`); empty: its own."""

    @property
    def meaning(self) -> str:
        """What the section means: `means`, else its own key."""
        return self.means or self.key


@dataclass(frozen=True)
class TitlePattern:
    """A pattern for a document's `# Title`, giving the role name it carries and maybe its kind."""

    pattern: re.Pattern[str]
    kind: str | None


@dataclass(frozen=True)
class Vocabulary:
    """Canonical sections, their synonyms, and the rules that tell document kinds apart."""

    sections: tuple[SectionSpec, ...]
    synonyms: dict[str, str]
    """Normalized heading -> section key."""
    preamble: dict[str, str]
    """Document kind (or `default`) -> section key for the text before the first heading."""
    file_names: dict[str, str]
    """Lower-cased file name -> document kind."""
    role_folder_markers: frozenset[str]
    """Lower-cased file names that make their folder a role folder."""
    title_patterns: tuple[TitlePattern, ...]
    library_documents: frozenset[str] = frozenset()
    """Lower-cased file names without extension of documents that describe the library, not
    a role (`readme`, `index`)."""
    library_folders: frozenset[str] = frozenset()
    """Lower-cased folder names whose documents are the library's, not roles (`commands`)."""
    role_sections: frozenset[str] = frozenset()
    """Section keys that make a document on its own describe a role: those whose meaning
    `documents.role_sections` lists."""
    fingerprint: str = ""
    """SHA-256 of the vocabulary files' text: parsed documents can be reused while it holds."""
    label_openers: frozenset[str] = frozenset()
    """Normalized words that, opening a label line ("Avoid these patterns:"), make its list
    the section they name."""
    openers: tuple[str, ...] = ()
    """Normalized words a heading may open with before its section's name ("what are the
    responsibilities"), longest first."""
    forbidding: tuple[tuple[str, ...], ...] = ()
    """Normalized phrases (as word tuples) that make a heading naming no section a list of
    boundaries ("What This Agent Must NOT Do"): `forbidding`."""
    conditional: frozenset[str] = frozenset()
    """Words after which such a phrase is about a circumstance ("What happens if … does not …"):
    `conditional`."""
    meanings: dict[str, str] = field(default_factory=dict)
    """Section key -> its meaning, for the sections that mean another's (`means:`)."""
    self_identity: tuple[str, ...] = ()
    """Lower-cased phrases that open a sentence in which a document names the role it
    addresses ("you are", "act as"): `documents.self_identity`."""
    also_known_as: tuple[str, ...] = ()
    """Lower-cased phrases that open a parenthesis giving such a name's other names ("also
    known as"): `documents.also_known_as`."""
    former_names: tuple[str, ...] = ()
    """Lower-cased phrases of a clause that gives the role's former names in bold or quotes
    ("previously named **AgentUX**"): `documents.former_names`."""
    title_kinds: frozenset[str] = frozenset()
    """Lower-cased words for a kind of document that a title puts beside the people it is
    for ("Reviewer guidelines", "Tips for editors"): `documents.title_kinds`."""
    title_audiences: frozenset[str] = frozenset()
    """Lower-cased readers of documentation that are no role ("user"): `documents.title_audiences`."""
    title_addressing: frozenset[str] = frozenset()
    """Lower-cased words that, after such a kind word, open whom it is for ("for", "of"):
    `documents.title_addressing`."""

    def meaning(self, key: str | None) -> str | None:
        """What a section key means (see `SectionMeaning`): its `means`, else itself."""
        return self.meanings.get(key, key) if key is not None else None

    def keys_meaning(self, meaning: str) -> frozenset[str]:
        """The section keys that mean `meaning` (it among them)."""
        return frozenset({meaning, *(key for key, means in self.meanings.items() if means == meaning)})

    def section_for(self, heading: str) -> str | None:
        """The section key a heading maps to, or `None`: a synonym, or a synonym after one
        of the `openers` ("What are the responsibilities?" -> responsibilities); for a heading
        that joins names ("Mission & Success Criteria"), the first of them that maps."""
        found = self._section_for(heading)
        if found is None and _JOINED.search(heading):
            # "Mission & Success Criteria", "Decision Rights & Escalation": the first name that maps
            found = next((f for part in _JOINED.split(heading) if (f := self._section_for(part))), None)
        return found

    def heading_section(self, heading: str) -> str | None:
        """The section key a heading maps to (`section_for`), else boundaries when it says what
        must not be done ("What This Agent Must NOT Do", "Things you should never do"). Only
        for headings: a label line ("It's an action we do not take lightly …:") is prose."""
        found = self.section_for(heading)
        if found is None and self._forbids(heading):
            found = SectionMeaning.BOUNDARIES
        return found

    def _forbids(self, heading: str) -> bool:
        """Whether a heading says what must not be done: it has a `forbidding` phrase, and no
        `conditional` word before it ("What happens if my issue does not get covered?")."""
        said = normalize_heading(heading).split()
        for index in range(len(said)):
            if said[index] in self.conditional:
                return False
            if any(tuple(said[index : index + len(phrase)]) == phrase for phrase in self.forbidding):
                return True
        return False

    def _section_for(self, heading: str) -> str | None:
        text = normalize_heading(heading)
        found = self.synonyms.get(text)
        while found is None:
            first = text.split(" ", 1)[0]
            opener = next((o for o in self._openers_by_word.get(first, ()) if text.startswith(o + " ")), None)
            if opener is None:
                break
            text = text[len(opener) + 1 :]
            found = self.synonyms.get(text)
        return found

    @cached_property
    def _openers_by_word(self) -> dict[str, tuple[str, ...]]:
        """The `openers` by their first word, each word's in the order of `openers` (a heading
        opens with an opener only if their first words are the same)."""
        found: dict[str, list[str]] = {}
        for opener in self.openers:
            found.setdefault(opener.split(" ", 1)[0], []).append(opener)
        return {word: tuple(openers) for word, openers in found.items()}

    def label_for(self, text: str) -> str | None:
        """The section a label line introduces ("Escalate when:", "Avoid these patterns:"):
        its whole text, else its first one or two words when they are `label_openers`."""
        found = self.section_for(text)
        opening = normalize_heading(text).split()
        for length in (2, 1):
            words = " ".join(opening[:length])
            if found is None and words in self.label_openers:
                found = self.synonyms.get(words)
        return found

    def title_of(self, key: str) -> str:
        """Display title of a section key."""
        for spec in self.sections:
            if spec.key == key:
                return spec.title
        return key.replace("_", " ").capitalize()

    def preamble_section(self, kind: str) -> str:
        """The section that a document's preamble belongs to."""
        return self.preamble.get(kind, self.preamble.get("default", SectionMeaning.MISSION))


class VocabularyError(DataFileError):
    """A vocabulary file that cannot be used; the message starts with its path and line."""


def load_vocabulary(*extra_files: str | Path) -> Vocabulary:
    """Load the built-in vocabulary, then add each site file's sections and synonyms."""
    built_in = _read(DEFAULT_VOCABULARY)
    raw = built_in.data
    digest = hashlib.sha256(DEFAULT_VOCABULARY.read_bytes())
    for extra in extra_files:
        digest.update(Path(extra).read_bytes() if Path(extra).is_file() else b"")
    sections: list[SectionSpec] = []
    synonyms: dict[str, str] = {}
    library_documents: set[str] = set()
    openers: set[str] = set()
    label_openers: set[str] = set()
    forbidding: set[str] = set()
    conditional: set[str] = set()
    library_folders: set[str] = set()
    preamble = dict(built_in.mapping("preamble", holding="document kinds to section keys"))
    meant_in: dict[str, tuple[DataFile, int]] = {}
    for file in [built_in] + [_read(Path(p)) for p in extra_files]:
        entries = file.data.get("sections") or []
        if not isinstance(entries, list):
            raise file.error("`sections` must be a list of sections (key, title, synonyms)", "sections")
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                raise file.error(f"each section needs a `key` string, got {entry!r}", "sections", index)
            key = entry["key"]
            if not isinstance(entry.get("title") or "", str):
                raise file.error(f"section {key}: `title` must be a string", "sections", index, "title")
            means = entry.get("means") or ""
            if not isinstance(means, str):
                raise file.error(f"section {key}: `means` must be a section key, got {means!r}", "sections", index)
            if all(spec.key != key for spec in sections):
                sections.append(SectionSpec(key, str(entry.get("title") or key.capitalize()), means))
            elif means:  # a site's entry for a built-in section gives it a meaning
                sections = [SectionSpec(s.key, s.title, means) if s.key == key else s for s in sections]
            if means:
                meant_in[key] = (file, index)
            for word in [key, entry.get("title") or "", *file.strings("sections", index, "synonyms")]:
                if word:
                    synonyms[normalize_heading(str(word))] = key
        if file is not built_in:
            for kind, key in file.mapping("preamble", holding="document kinds to section keys").items():
                if not isinstance(key, str):
                    raise file.error(f"preamble {kind}: expected a section key, got {key!r}", "preamble", kind)
                preamble[str(kind)] = key
        file.mapping("documents", holding="document rules")
        library_documents.update(name.lower() for name in file.strings("documents", "library_documents"))
        for key, found in (
            ("openers", openers),
            ("label_openers", label_openers),
            ("forbidding", forbidding),
            ("conditional", conditional),
        ):
            found.update(normalize_heading(o) for o in file.strings(key))
        library_folders.update(f.lower() for f in file.strings("documents", "library_folders"))
    meanings = _meanings(sections, meant_in)
    rules = raw.get("documents") or {}
    role_meanings = {str(key) for key in rules.get("role_sections") or []}
    patterns = tuple(
        TitlePattern(re.compile(p["pattern"], re.IGNORECASE), p.get("kind")) for p in rules.get("title_patterns") or []
    )
    return Vocabulary(
        sections=tuple(sections),
        synonyms=synonyms,
        preamble=preamble,
        file_names={k.lower(): v for k, v in (rules.get("file_names") or {}).items()},
        role_folder_markers=frozenset(m.lower() for m in rules.get("role_folder_markers") or []),
        library_documents=frozenset(library_documents),
        library_folders=frozenset(library_folders),
        role_sections=frozenset(spec.key for spec in sections if spec.meaning in role_meanings),
        title_patterns=patterns,
        fingerprint=digest.hexdigest(),
        label_openers=frozenset(label_openers),
        forbidding=tuple(sorted({tuple(phrase.split()) for phrase in forbidding if phrase})),
        conditional=frozenset(conditional),
        openers=tuple(sorted(openers, key=lambda opener: (-len(opener), opener))),
        meanings=meanings,
        self_identity=tuple(str(cue).lower() for cue in rules.get("self_identity") or []),
        also_known_as=tuple(str(phrase).lower() for phrase in rules.get("also_known_as") or []),
        former_names=tuple(str(phrase).lower() for phrase in rules.get("former_names") or []),
        title_kinds=frozenset(str(word).lower() for word in rules.get("title_kinds") or []),
        title_audiences=frozenset(str(word).lower() for word in rules.get("title_audiences") or []),
        title_addressing=frozenset(str(word).lower() for word in rules.get("title_addressing") or []),
    )


def _meanings(sections: list[SectionSpec], meant_in: dict[str, tuple[DataFile, int]]) -> dict[str, str]:
    """Key -> meaning of each section that means another's. It must name a section that means
    itself; and each `SectionMeaning` must be one (the code's meanings are the vocabulary's)."""
    own = {spec.key for spec in sections if spec.meaning == spec.key}
    missing = [meaning.value for meaning in SectionMeaning if meaning not in own]
    if missing:
        raise VocabularyError(f"{DEFAULT_VOCABULARY}: the sections {', '.join(missing)} must be defined")
    found = {}
    for spec in sections:
        if spec.meaning != spec.key:
            if spec.means not in own:
                file, index = meant_in[spec.key]
                raise file.error(
                    f"section {spec.key}: `means: {spec.means}` names no section that "
                    f"means itself (one of {', '.join(sorted(own))})",
                    "sections",
                    index,
                    "means",
                )
            found[spec.key] = spec.means
    return found


def _read(path: Path) -> DataFile:
    return read_data_file(path, "of vocabulary (sections, preamble, documents)", VocabularyError)
