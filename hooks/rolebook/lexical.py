"""Is a word a word for someone who does something — an agent noun such as "Integrator",
"Observer", "Releaser" — or an ordinary word, a product or a technology ("Consider",
"Flutter", "Object", "Jaeger", "FlashList")?

Decided from English morphology and word frequency, not from a hand list of words: an
agent noun is a verb plus `-er`/`-or` (observe -> observer, integrate -> integrator,
verify -> verifier), checked against lemminflect's lexicon of English verbs; a word no
lexicon knows is a coined agent noun ("Refactorer", "Frontender") only when what it is
built on is itself a common word (wordfreq) and the whole is rare. Product names written
in camel case ("FlashList", "ObjectMapper") are never role words.

Both libraries take a few tenths of a second to load, so answers are kept (`use_cache`:
the judgements, and every lemma, inflection and frequency looked up through `all_lemmas`,
`inflections` and `zipf`): a build that meets only words it has met before loads neither.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

CACHE_FILE = "lexicon-answers.json"
_answers: dict[str, bool] = {}
_lemma_answers: dict[str, dict[str, tuple[str, ...]]] = {}
_inflection_answers: dict[str, tuple[str, ...]] = {}
_zipf_answers: dict[str, float] = {}
_cache_path: Path | None = None
_unsaved = False

COMMON = 1.5
"""Zipf frequency (log10 of uses per billion words) from which a stem counts as a common word."""
RARE = 2.0
"""Zipf frequency below which a word no lexicon knows may be a coined agent noun."""
FUNCTION_WORD = 5.5
"""Zipf frequency from which a word is a function word or nearly ("the", "your", "to")."""


@cache
def _lemmas() -> Any:
    from lemminflect import getAllLemmas  # type: ignore[import-untyped]

    return getAllLemmas


@cache
def _zipf() -> Any:
    from wordfreq import zipf_frequency

    return zipf_frequency


def all_lemmas(word: str, upos: str | None = None) -> dict[str, tuple[str, ...]]:
    """lemminflect's lemmas of `word` by part of speech (`getAllLemmas`; only those of `upos`
    when given), kept between builds (`use_cache`). Not to be changed by the caller."""
    global _unsaved
    key = f"{word}|{upos or ''}"
    found = _lemma_answers.get(key)
    if found is None:
        found = _lemma_answers[key] = {pos: tuple(forms) for pos, forms in _lemmas()(word, upos=upos).items()}
        _unsaved = True
    return found


def inflections(word: str, tag: str) -> tuple[str, ...]:
    """lemminflect's inflections of `word` for a Penn tag (`getInflection`: "NNS" for the
    plural), kept between builds."""
    global _unsaved
    key = f"{word}|{tag}"
    found = _inflection_answers.get(key)
    if found is None:
        from lemminflect import getInflection

        found = _inflection_answers[key] = tuple(getInflection(word, tag) or ())
        _unsaved = True
    return found


def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of an English word, kept between builds."""
    global _unsaved
    found = _zipf_answers.get(word)
    if found is None:
        found = _zipf_answers[word] = float(_zipf()(word, "en"))
        _unsaved = True
    return found


def _is_verb(word: str) -> bool:
    return bool(word) and "VERB" in all_lemmas(word, "VERB")


def _verb_stems(lower: str, ending: str, doubled: bool) -> list[str]:
    """The verbs `lower` could be built on with `ending`: observ-er -> observe, verifi-er ->
    verify, integrat-or -> integrate, execut-or -> execute, edit-or -> edit; with `doubled`, controll-er ->
    control."""
    stem = lower[: -len(ending)]
    if ending == "or":
        return [stem, stem + "e"]  # edit-or, integrat-or -> integrate, execut-or -> execute
    candidates = [stem, stem + "e"]
    if stem.endswith("i"):
        candidates.append(stem[:-1] + "y")
    if doubled and len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        candidates.append(stem[:-1])  # a doubled consonant: controll-er, plann-er
    return candidates


def _versions() -> str:
    """The versions of the libraries the answers come from: answers of others are not read."""
    from importlib import metadata

    found = []
    for library in ("lemminflect", "wordfreq"):
        try:
            found.append(f"{library}={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            found.append(f"{library}=-")
    return " ".join(found)


def use_cache(folder: Path | None) -> None:
    """Keep answers in `folder` (the build's cache folder) from build to build: a build that
    meets only words it has judged, looked up or counted before loads neither library."""
    global _cache_path
    _cache_path = folder / CACHE_FILE if folder is not None else None
    if _cache_path is None or not _cache_path.is_file():
        return
    try:
        stored = json.loads(_cache_path.read_text(encoding="utf-8"))
        if stored.get("versions") != _versions():
            return
        agent = {str(k): v for k, v in stored["agent nouns"].items() if isinstance(v, bool)}
        lemmas = {str(k): {str(p): tuple(map(str, f)) for p, f in v.items()} for k, v in stored["lemmas"].items()}
        inflected = {str(k): tuple(map(str, v)) for k, v in stored["inflections"].items()}
        counted = {str(k): float(v) for k, v in stored["zipf"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return  # answers not read are only worked out again
    _answers.update(agent)
    _lemma_answers.update(lemmas)
    _inflection_answers.update(inflected)
    _zipf_answers.update(counted)


def save_cache() -> None:
    """Write the answers found since the last save to the cache folder, if there is one."""
    global _unsaved
    if _cache_path is not None and _unsaved:
        stored = {
            "versions": _versions(),
            "agent nouns": _answers,
            "lemmas": _lemma_answers,
            "inflections": _inflection_answers,
            "zipf": _zipf_answers,
        }
        try:
            _cache_path.write_text(json.dumps(stored, sort_keys=True), encoding="utf-8")
        except OSError:
            return  # an answer not kept is only worked out again
        _unsaved = False


def is_agent_noun(word: str, endings: tuple[str, ...], doubled: bool = False) -> bool:
    """Whether `word` (one word, as written) reads as a doer built with one of `endings`.
    `doubled` also accepts a doubled consonant before the ending ("Controller", "Planner"),
    which admits more products too ("Flipper"): enough to tell that an escalation goes to
    someone, not to discover a role nobody defines."""
    global _unsaved
    key = f"{word}|{'/'.join(endings)}|{int(doubled)}"
    found = _answers.get(key)
    if found is None:
        found = _answers[key] = _judge(word, endings, doubled)
        _unsaved = True
    return found


def _judge(word: str, endings: tuple[str, ...], doubled: bool) -> bool:
    if any(ch.isupper() for ch in word[1:]) and not word.isupper():
        return False  # camel case: a product or an identifier
    lower = word.lower()
    ending = next((e for e in sorted(endings, key=len, reverse=True) if lower.endswith(e)), None)
    if ending is None or len(lower) - len(ending) < 3:
        return False
    known = all_lemmas(lower)
    if known and lower not in known.get("NOUN", ()):
        return False  # another word's form: "Safer" (safe), "Consider" (a verb)
    if any(_is_verb(stem) for stem in _verb_stems(lower, ending, doubled)):
        return True
    if known:
        return False  # a noun the lexicon knows, but not built on a verb ("Flutter", "Messenger")
    stem = lower[: -len(ending)]
    return zipf(lower) < RARE and zipf(stem) >= COMMON


def is_practitioner(word: str, endings: tuple[str, ...]) -> bool:
    """Whether `word` reads as someone who practises what a noun or adjective names, built
    with one of `endings` (art-ist, special-ist, journal-ist): a noun the lexicon knows, never
    a verb ("assist", "persist"), on a stem that is a word itself ("checklist", "wrist": no)."""
    lower = word.lower()
    if any(ch.isupper() for ch in word[1:]) and not word.isupper():
        return False  # camel case: a product or an identifier
    ending = next((e for e in endings if lower.endswith(e) and len(lower) - len(e) >= 3), None)
    if ending is None:
        return False
    known = all_lemmas(lower)
    if "NOUN" not in known or "VERB" in known:
        return False
    stem = all_lemmas(lower[: -len(ending)])
    return "NOUN" in stem or "ADJ" in stem


def doer_of(verb: str, doer: str, endings: tuple[str, ...]) -> bool:
    """Whether `doer` is built on `verb` with one of `endings` ("review" -> "Reviewer",
    "edit" -> "Editor"): a page named for an activity ("Review checklist") is its doer's."""
    lower, base = doer.lower(), verb.lower()
    return any(lower.endswith(e) and base in _verb_stems(lower, e, True) for e in endings if len(lower) > len(e))


@cache
def states_a_duty(heading: str) -> bool:
    """Whether a heading says what its role does: it opens with a verb in its base form or
    as a gerund ("Provide executive status updates", "Keep track of responders",
    "Assigning tasks"), not with a noun ("Status updates", "Start of call")."""
    tokens = heading.split()
    if not tokens:
        return False
    first = tokens[0].strip("*_`'\"").lower()
    if len(tokens) > 1 and tokens[1].lower() == "of":
        return False  # "Start of call announcement", "Transfer of command": a noun
    lemmas = all_lemmas(first)
    verbs = lemmas.get("VERB", ())
    if not verbs or len(tokens) < 2:
        return False  # one word is a topic ("Purpose"), not something done
    if first in verbs:
        if "NOUN" not in lemmas and "ADJ" not in lemmas:
            return True  # "Provide …", "Ensure …"
        following = tokens[1].strip("*_`'\"")
        if following[:1].isdigit():
            return False  # "Pass 2: Logic", "Step 3": a numbered label
        # "Alert IC to timers", "Update the status page"; not "Design principles", "Use cases"
        return following.isupper() or zipf(following.lower()) >= FUNCTION_WORD
    return first.endswith("ing") and first not in lemmas.get("NOUN", ())  # "Training process" is a noun


def is_verb(word: str) -> bool:
    """Whether a word can be a verb in its base form ("lead", "author", "review"): a role
    noun that is one is named alone only where nothing else could be meant."""
    lower = word.lower()
    return lower in all_lemmas(lower, "VERB").get("VERB", ())


def is_particle(word: str) -> bool:
    """Whether a word is neither a noun, a verb nor an adjective ("in", "of", "for", "the"):
    the word before a role noun that makes it the object of a phrase ("Editor in Chief")."""
    return not set(all_lemmas(word.lower())) - {"ADV"}


def opens_with_a_gerund(title: str) -> bool:
    """Whether a title opens with an -ing word ("Finding Reviewers", "Onboarding New
    Editors", but also "Engineering Manager"): with people in the plural after it, it names
    an activity done to them, not a role (see `rolebook.library.describes_a_role`)."""
    first = title.split()[0].strip(".,:;!?()*_`").lower() if title.split() else ""
    return first.endswith("ing") and len(first) >= 6


def is_function_word(word: str) -> bool:
    """Whether a word is among the most common of English ("you", "we", "the", "also"):
    before a negation it leaves the sentence an instruction, where a noun ("Customers don't
    care") makes it a statement about someone else."""
    return bool(zipf(word.lower()) >= FUNCTION_WORD)


def verb_lemma(word: str, base_only: bool = False) -> str | None:
    """The base form of a verb written in its base form or its third person ("ask",
    "informs" -> "inform"), else `None`; with `base_only`, only a base form counts (the verb
    after "will" or "can")."""
    lower = word.lower()
    verbs = all_lemmas(lower, "VERB").get("VERB", ())
    if lower in verbs:
        return lower
    if base_only or not lower.endswith("s"):
        return None
    return next((verb for verb in verbs if lower in (verb + "s", verb + "es", verb[:-1] + "ies")), None)


def is_adverb(word: str) -> bool:
    """Whether a word is an adverb and neither a noun nor a verb ("also", "then", "often"):
    it may stand between "will" and the verb it opens."""
    return set(all_lemmas(word.lower())) in ({"ADV"}, {"ADV", "ADJ"})


def participle_lemma(word: str) -> str | None:
    """The base form of a past participle ("queued" -> "queue", "paged" -> "page"), else
    `None`."""
    lower = word.lower()
    if not lower.endswith(("ed", "en", "wn", "ld", "nt")):
        return None
    verbs = all_lemmas(lower, "VERB").get("VERB", ())
    return next((verb for verb in verbs if verb != lower), None)


def is_noun(word: str) -> bool:
    """Whether a word can be a noun and is not a function word ("process", "plan"; not "for")."""
    return "NOUN" in all_lemmas(word.lower()) and not is_function_word(word)


def gerund_lemma(word: str) -> str | None:
    """The base form of an -ing form of a verb ("helping" -> "help", "notifying" ->
    "notify"), else `None`: a cue written as a gerund says what its verb says."""
    lower = word.lower()
    if not lower.endswith("ing"):
        return None
    verbs = all_lemmas(lower, "VERB").get("VERB", ())
    return next((verb for verb in verbs if verb != lower), None)
