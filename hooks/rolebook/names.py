"""Ids and display names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

N = TypeVar("N", bound=Hashable)

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A URL-safe id: ASCII letters and digits joined by `-` (`"Backend Engineer"` -> `backend-engineer`)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "role"


def display_name(identifier: str) -> str:
    """A readable name from a folder or file name: `backend` -> `Backend`, `data_engineer` -> `Data Engineer`."""
    words = re.split(r"[-_\s]+", identifier.strip())
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or identifier


def description_anchor(document_name: str) -> str:
    """Anchor of a document's front-matter description on its role page."""
    return f"mission--{slugify(document_name)}--description"


def item_anchor(document_name: str, line: int) -> str:
    """Anchor of an item on its role page, and of its line on the sources page (`role-md-L8`)."""
    return f"{slugify(document_name)}-L{line}"


_SEPARATORS = re.compile(r"[-_\s]+")


def looks_like_id(name: str) -> bool:
    """Whether `name` is written as an identifier (`claude-api`, `incident_commander`,
    `pdf`) rather than as a display name (`Backend Engineer`, `Backender`)."""
    return name == name.lower() or (" " not in name.strip() and bool(re.search(r"[-_]", name)))


def humanise(identifier: str, text: str = "") -> str:
    """A display name for an id or file stem, spelt the way `text` (the role's own documents)
    spells it: `claude-api` -> "Claude API", `gitops-workflow` -> "GitOps Workflow",
    `incident_commander` -> "Incident Commander". The whole phrase as the text capitalises it
    wins, else each word as the text writes it (acronyms and brand casing kept), else the
    word with a capital first letter. Names already written for display are kept."""
    if not looks_like_id(identifier) or _titled_compound(identifier.strip()):
        return identifier.strip()  # "Editor-in-Chief" is written for display already
    words = [word for word in _SEPARATORS.split(identifier.strip()) if word]
    if not words:
        return identifier
    phrase = _spelling(words, text)
    if phrase is not None:
        return phrase
    return " ".join(_spelling([word], text) or word[:1].upper() + word[1:] for word in words)


def _titled_compound(name: str) -> bool:
    """Whether a name is a hyphenated title, capitalised where it starts and ends, with
    little words in lower case between ("Editor-in-Chief", "Officer-of-the-Watch")."""
    parts = name.split("-")
    return (
        len(parts) > 2
        and parts[0][:1].isupper()
        and parts[-1][:1].isupper()
        and any(part.islower() for part in parts[1:-1])
        and all(part.isalpha() for part in parts)
    )


def _spelling(words: list[str], text: str) -> str | None:
    """The most frequent capitalised spelling of `words` (as a phrase) in `text`. All-capital
    spellings count only for short words (acronyms), not for a shouted heading."""
    if not text:
        return None
    pattern = re.compile(r"(?<![\w-])" + r"[-_\s]+".join(map(re.escape, words)) + r"(?![\w-])", re.IGNORECASE)
    counts: dict[str, int] = {}
    for match in pattern.finditer(text):
        found = " ".join(_SEPARATORS.split(match[0]))
        parts = found.split(" ")
        if not all(part[:1].isupper() or part[:1].isdigit() for part in parts):
            continue
        if found.isupper() and any(len(part) > 4 for part in parts):
            continue
        counts[found] = counts.get(found, 0) + 1
    return max(counts, key=lambda spelling: counts[spelling]) if counts else None


_TRAILING_ABBREVIATION = re.compile(r"^(?P<name>.*?\w)\s*\((?P<short>[A-Z][A-Za-z0-9]{0,7})\)\s*$")


def split_abbreviation(title: str) -> tuple[str, str | None]:
    """A heading or name that ends in its own abbreviation, split: `"Incident Commander (IC)"`
    -> `("Incident Commander", "IC")`. Only when the abbreviation's capitals are the name's
    initials; anything else in parentheses stays part of the name."""
    match = _TRAILING_ABBREVIATION.match(title.strip())
    if match is None:
        return title, None
    name, short = match["name"], match["short"]
    words = [word for word in _SEPARATORS.split(name) if word]
    initials = "".join(word[0] for word in words).upper()
    capitalised = "".join(word[0] for word in words if word[0].isupper())
    capitals = "".join(ch for ch in short if ch.isupper() or ch.isdigit())
    return (name, short) if capitals in (initials, capitalised) and len(capitals) > 1 else (title, None)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`1 role`, `2 roles`, `0 notes`: a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


_EDGE_PUNCTUATION = ".,:;!?()"


def without_context(name: str, context: Iterable[str], is_person: Callable[[str], bool]) -> str | None:
    """A name that ends in a context noun (`context`: "agent", "bot", "role"), without it,
    when the words before it end in a word for someone (`is_person`): "Scrum Master Agent"
    is also "Scrum Master", as other documents write it; "Code Review Bot" is not "Code
    Review". `None` when the name has no such ending."""
    parts = name.split()
    if len(parts) > 1 and parts[-1].lower() in context and is_person(parts[-2].strip(_EDGE_PUNCTUATION)):
        return " ".join(parts[:-1])
    return None


def shared_names(named: Iterable[tuple[N, str]]) -> dict[N, tuple[str, ...]]:
    """Of `(name, role id)` pairs, the names that more than one role is given, each with
    those roles' ids, sorted: such a name is ambiguous and names none of them. A copy of a
    role (the same agent card in several folders) is to be given as the role it copies, so
    copies count once."""
    owners: dict[N, set[str]] = {}
    for name, role in named:
        owners.setdefault(name, set()).add(role)
    return {name: tuple(sorted(held)) for name, held in owners.items() if len(held) > 1}


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TITLE_PARTS = re.compile(r"\s+[-–—|]\s+|\s*[–—|:]\s+")
_NAMED = (
    r"(?:the\s+|an?\s+)?(?:(?P<mark>\*\*|__|`)@?(?P<marked>[A-Za-z][\w.\- ]{0,60}?)(?P=mark)"
    r"|(?P<plain>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,5}))"
)


def camel_words(name: str) -> str:
    """A CamelCase name as words: `ProductManagerAgent` -> "Product Manager Agent"."""
    return _CAMEL_BOUNDARY.sub(" ", name)


def self_named(
    title: str, file_name: str, text: str, cues: Iterable[str], also: Iterable[str] = ()
) -> tuple[str, tuple[str, ...]] | None:
    """The role name a document gives itself in a sentence opening with one of `cues`
    ("You are **ProductManagerAgent**.", "Act as Incident Scribe"), when that name is the
    one its title carries (the title, a part of it before or after a dash or colon, or the
    leading words of either: "PRODUCT-MANAGER-AGENT – Operating Manual", "Incident Scribe
    Notebook") or its file name: that part of the title as written, else the name as the
    sentence writes it (a title in capitals is spelt as the sentence spells it, in words:
    "Product Manager Agent"); with the other names a parenthesis after it gives, opening
    with one of `also` ("(also known as AgentPM)"). `None` when no such sentence names the document's own role."""
    cues = [cue for cue in cues if cue]
    if not cues:
        return None
    pattern = re.compile(rf"(?:^|(?<=[.!?:]\s)|(?<=\n))[ \t>*_-]*(?:{_alternatives(cues)})\s+{_NAMED}", re.IGNORECASE)
    candidates: dict[str, str | None] = {}
    for part in [*_TITLE_PARTS.split(title), title]:
        tokens = slugify(camel_words(part)).split("-")
        whole = part.strip(" .,;!?*_`:|–—-")
        for stop in range(len(tokens), 0, -1):  # the part, then its leading words
            candidates.setdefault("-".join(tokens[:stop]), whole if stop == len(tokens) else None)
    candidates.pop("role", None)
    stem = slugify(camel_words(file_name.rsplit(".", 1)[0]))
    joined = {key.replace("-", ""): key for key in candidates}
    for match in pattern.finditer(text):
        name = (match["marked"] or match["plain"] or "").strip()
        key = slugify(camel_words(name))
        regrouped = None
        if key not in candidates and key.replace("-", "") in joined:  # "DevOpsEngineerAgent", "DEVOPS-ENGINEER-…"
            key = joined[key.replace("-", "")]
            regrouped = _regrouped(name, key.split("-"))
        if key not in candidates and key != stem or key == "role":
            continue
        if candidates.get(key) is None and key != stem and "-" not in key and not match["mark"]:
            continue  # "# Release Notes" with "You are Release…": one plain word is no name
        written = camel_words(name) if " " not in name and not looks_like_id(name) and not name.isupper() else name
        written = regrouped or written
        found = candidates.get(key) or written
        if found.isupper() and len(found) > 4:  # a shouted title: spelt as the sentence spells it
            found = written if not looks_like_id(written) and not written.isupper() else display_name(key)
        others = re.match(rf"\s*\((?:{_alternatives(also)})\s+([^()\n]+)\)", text[match.end() :], re.IGNORECASE)
        names = re.split(r"\s*(?:,|/|\bor\b)\s*", others[1]) if others and also else []
        return found, tuple(n.strip("*_` ") for n in names if n.strip("*_` "))
    return None


_CLAUSES = re.compile(r"(?<=[.!?:])\s+|\n\s*\n")
_MARKED_NAME = re.compile(r"\*\*([^*\n]+)\*\*|\"([^\"\n]+)\"|“([^”\n]+)”")


def former_names(text: str, phrases: Iterable[str]) -> tuple[str, ...]:
    """The names, in bold or in quotes, of each clause of `text` that holds one of `phrases`
    ("This agent was previously named **AgentUX**", "references to "ProductDesignerAgent"
    should be interpreted as referring to this agent"): the role's former names. A marked
    run that is no name (a path, a sentence) is not one."""
    phrases = [phrase for phrase in phrases if phrase]
    if not phrases:
        return ()
    pattern = re.compile(_alternatives(phrases), re.IGNORECASE)
    if not pattern.search(text):
        return ()  # most documents: no clause holds a phrase, no need to split them into clauses
    found: list[str] = []
    for clause in _CLAUSES.split(text):
        if not pattern.search(clause):
            continue
        for match in _MARKED_NAME.finditer(clause):
            name = next(group for group in match.groups() if group is not None).strip(" *_`")
            parts = name.split()
            if 0 < len(parts) <= 4 and all(p[:1].isupper() for p in parts) and re.fullmatch(r"[\w\- ]+", name):
                found.append(name)
    return tuple(dict.fromkeys(found))


def _alternatives(phrases: Iterable[str]) -> str:
    """A regex alternation of `phrases`, longest first, spaces matching any run of spaces."""
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True) if p)


def _regrouped(name: str, parts: list[str]) -> str | None:
    """A CamelCase name cut into the words a title spells: "DevOpsEngineerAgent" with the
    title's "devops", "engineer", "agent" -> "DevOps Engineer Agent"."""
    letters = re.sub(r"[\W_]+", "", name)
    if letters.lower() != "".join(parts):
        return None
    found, start = [], 0
    for part in parts:
        found.append(letters[start : start + len(part)])
        start += len(part)
    return " ".join(found)
