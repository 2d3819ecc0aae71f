"""The section vocabulary (`vocabulary.yml`): heading synonyms and document-kind rules, as data."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

DEFAULT_VOCABULARY = Path(__file__).with_name("vocabulary.yml")

_PARENTHETICAL = re.compile(r"\s*\([^)]*\)\s*$")
_NOT_WORD = re.compile(r"[^\w\s'-]+")
_SPACES = re.compile(r"[\s_]+")


def normalize_heading(title: str) -> str:
    """Reduce a heading to the form synonyms are compared in.

    Lower-case, a trailing `(...)` dropped, emoji and punctuation (but `-` and `'`) removed:
    `"❌ Out-of-Scope (v2)"` -> `"out-of-scope"`.
    """
    text = _PARENTHETICAL.sub("", unicodedata.normalize("NFKC", title)).lower()
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
    meanings: dict[str, str] = field(default_factory=dict)
    """Section key -> its meaning, for the sections that mean another's (`means:`)."""

    def meaning(self, key: str | None) -> str | None:
        """What a section key means (see `SectionMeaning`): its `means`, else itself."""
        return self.meanings.get(key, key) if key is not None else None

    def keys_meaning(self, meaning: str) -> frozenset[str]:
        """The section keys that mean `meaning` (it among them)."""
        return frozenset({meaning, *(key for key, means in self.meanings.items() if means == meaning)})

    def section_for(self, heading: str) -> str | None:
        """The section key a heading maps to, or `None`: a synonym, or a synonym after one
        of the `openers` ("What are the responsibilities?" -> responsibilities)."""
        text = normalize_heading(heading)
        found = self.synonyms.get(text)
        while found is None:
            opener = next((o for o in self.openers if text.startswith(o + " ")), None)
            if opener is None:
                break
            text = text[len(opener) + 1 :]
            found = self.synonyms.get(text)
        return found

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


class VocabularyError(ValueError):
    """A vocabulary file that cannot be used; the message starts with its path."""


def load_vocabulary(*extra_files: str | Path) -> Vocabulary:
    """Load the built-in vocabulary, then add each site file's sections and synonyms."""
    raw = _read(DEFAULT_VOCABULARY)
    digest = hashlib.sha256(DEFAULT_VOCABULARY.read_bytes())
    for extra in extra_files:
        digest.update(Path(extra).read_bytes() if Path(extra).is_file() else b"")
    sections: list[SectionSpec] = []
    synonyms: dict[str, str] = {}
    library_documents: set[str] = set()
    openers: set[str] = set()
    label_openers: set[str] = set()
    library_folders: set[str] = set()
    preamble = dict(raw.get("preamble") or {})
    meant_in: dict[str, Path] = {}
    for path, data in [(DEFAULT_VOCABULARY, raw)] + [(Path(p), _read(Path(p))) for p in extra_files]:
        for entry in data.get("sections") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                raise VocabularyError(f"{path}: each section needs a `key` string, got {entry!r}")
            key = entry["key"]
            means = entry.get("means") or ""
            if not isinstance(means, str):
                raise VocabularyError(f"{path}: section {key}: `means` must be a section key, got {means!r}")
            if all(spec.key != key for spec in sections):
                sections.append(SectionSpec(key, str(entry.get("title") or key.capitalize()), means))
            elif means:  # a site's entry for a built-in section gives it a meaning
                sections = [SectionSpec(s.key, s.title, means) if s.key == key else s for s in sections]
            if means:
                meant_in[key] = path
            for word in [key, entry.get("title") or "", *(entry.get("synonyms") or [])]:
                if word:
                    synonyms[normalize_heading(str(word))] = key
        if path != DEFAULT_VOCABULARY:
            preamble.update(data.get("preamble") or {})
        listed = (data.get("documents") or {}).get("library_documents") or []
        if not isinstance(listed, list):
            raise VocabularyError(f"{path}: `documents.library_documents` must be a list of file names")
        library_documents.update(str(name).lower() for name in listed)
        for key, found in (("openers", openers), ("label_openers", label_openers)):
            found.update(normalize_heading(str(o)) for o in _string_list(path, data.get(key), key))
        folders = (data.get("documents") or {}).get("library_folders")
        library_folders.update(str(f).lower() for f in _string_list(path, folders, "documents.library_folders"))
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
        openers=tuple(sorted(openers, key=len, reverse=True)),
        meanings=meanings,
    )


def _meanings(sections: list[SectionSpec], meant_in: dict[str, Path]) -> dict[str, str]:
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
                raise VocabularyError(
                    f"{meant_in[spec.key]}: section {spec.key}: `means: {spec.means}` names no section that "
                    f"means itself (one of {', '.join(sorted(own))})"
                )
            found[spec.key] = spec.means
    return found


def _string_list(path: Path, value: object, key: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VocabularyError(f"{path}: `{key}` must be a list of strings, got {value!r}")
    return value


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise VocabularyError(f"{path}: cannot read vocabulary: {error}") from error
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: a vocabulary file must be a mapping")
    return data
