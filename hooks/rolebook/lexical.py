"""Is a word a word for someone who does something — an agent noun such as "Integrator",
"Observer", "Releaser" — or an ordinary word, a product or a technology ("Consider",
"Flutter", "Object", "Jaeger", "FlashList")?

Decided from English morphology and word frequency, not from a hand list of words: an
agent noun is a verb plus `-er`/`-or` (observe -> observer, integrate -> integrator,
verify -> verifier), checked against lemminflect's lexicon of English verbs; a word no
lexicon knows is a coined agent noun ("Refactorer", "Frontender") only when what it is
built on is itself a common word (wordfreq) and the whole is rare. Product names written
in camel case ("FlashList", "ObjectMapper") are never role words.
"""

from __future__ import annotations

from functools import lru_cache

from lemminflect import getAllLemmas  # type: ignore[import-untyped]
from wordfreq import zipf_frequency

COMMON = 1.5
"""Zipf frequency (log10 of uses per billion words) from which a stem counts as a common word."""
RARE = 2.0
"""Zipf frequency below which a word no lexicon knows may be a coined agent noun."""


def _is_verb(word: str) -> bool:
    return bool(word) and "VERB" in getAllLemmas(word, upos="VERB")


def _verb_stems(lower: str, ending: str, doubled: bool) -> list[str]:
    """The verbs `lower` could be built on with `ending`: observ-er -> observe, verifi-er ->
    verify, integrat-or -> integrate, edit-or -> edit; with `doubled`, controll-er ->
    control."""
    stem = lower[: -len(ending)]
    if ending == "or":
        return [stem, stem + "e"] if stem.endswith("at") or stem.endswith("s") else [stem]
    candidates = [stem, stem + "e"]
    if stem.endswith("i"):
        candidates.append(stem[:-1] + "y")
    if doubled and len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        candidates.append(stem[:-1])  # a doubled consonant: controll-er, plann-er
    return candidates


@lru_cache(maxsize=65536)
def is_agent_noun(word: str, endings: tuple[str, ...], doubled: bool = False) -> bool:
    """Whether `word` (one word, as written) reads as a doer built with one of `endings`.
    `doubled` also accepts a doubled consonant before the ending ("Controller", "Planner"),
    which admits more products too ("Flipper"): enough to tell that an escalation goes to
    someone, not to discover a role nobody defines."""
    if any(ch.isupper() for ch in word[1:]) and not word.isupper():
        return False  # camel case: a product or an identifier
    lower = word.lower()
    ending = next((e for e in sorted(endings, key=len, reverse=True) if lower.endswith(e)), None)
    if ending is None or len(lower) - len(ending) < 3:
        return False
    known = getAllLemmas(lower)
    if known and lower not in known.get("NOUN", ()):
        return False  # another word's form: "Safer" (safe), "Consider" (a verb)
    if any(_is_verb(stem) for stem in _verb_stems(lower, ending, doubled)):
        return True
    if known:
        return False  # a noun the lexicon knows, but not built on a verb ("Flutter", "Messenger")
    stem = lower[: -len(ending)]
    return zipf_frequency(lower, "en") < RARE and zipf_frequency(stem, "en") >= COMMON
