"""The whole pipeline, independent of MkDocs: find sources -> read -> parse -> merge."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path

from rolebook.cache import RESULTS, keep_out_of_sight
from rolebook.lexical import is_function_word, opens_with_a_gerund
from rolebook.merge import TitleEvidence, merge_roles, summarize
from rolebook.model import (
    Document,
    DocumentKind,
    Escalation,
    Finding,
    Level,
    Relation,
    RelationTypes,
    Role,
    RoleMetadata,
)
from rolebook.names import self_named, slugify, split_abbreviation, without_context
from rolebook.read import READERS
from rolebook.read.files import SourceFile, find_images, find_sources
from rolebook.read.overlay import Overlay, load_overlay
from rolebook.read.reader import ParseCache, ReadContext, read_sources
from rolebook.relate import relate
from rolebook.relate.lexicon import Lexicon
from rolebook.relate.lines import sections_for_other_roles
from rolebook.relate.rules import RelationRules, load_relation_rules
from rolebook.vocabulary import SectionMeaning, Vocabulary
from rolebook.workers import available_cpus


def split_multi_role(
    roles: list[Role],
    overlay: Overlay,
    is_role_word: Callable[[str], bool] = lambda word: True,
    mission_sections: frozenset[str] = frozenset({SectionMeaning.MISSION}),
) -> list[Role]:
    """`roles` and the roles that only a declared multi-role document describes: each
    top-level section whose heading names no known role, and ends in a role word
    (`is_role_word`: "Comms Lead", not "Don't Panic!"), becomes one (its document is the
    section, with its subsections; the whole document stays on its own role's page). A
    heading that names one known role, alone or among other words ("Steps for Deputy"), is
    that role's section; with its abbreviation ("Incident Commander (IC)") it gives the role
    the abbreviation as an alias. Summaries come from `mission_sections` (see `summarize`)."""
    roles = list(roles)
    known: dict[str, int] = {}
    for index, role in enumerate(roles):
        for name in (role.id, role.name, *role.aliases):
            known.setdefault(slugify(name), index)
    new: list[Role] = []
    for role in roles[:]:
        for document in role.documents:
            if document.abs_path not in overlay.multi_role:
                continue
            sections = document.sections
            for start, section in enumerate(sections):
                if section.parent is not None or section.level == 0:
                    continue
                name, short = split_abbreviation(section.title)
                role_id = slugify(name)
                if role_id not in known:  # "Steps for Deputy": the section of a role it names
                    named = _known_in(name, known)
                    role_id = named if named is not None else role_id
                if role_id in known:
                    # "## Incident Commander (IC)" describes Incident Commander, who is also IC
                    index = known[role_id]
                    if short and index < len(roles) and short not in roles[index].aliases:
                        roles[index] = replace(roles[index], aliases=(*roles[index].aliases, short))
                    continue
                last = name.split()[-1:] or [""]
                if not is_role_word(last[0][:1].upper() + last[0][1:]):
                    continue  # "Don't Panic!": a section of the document, not a role
                end = start + 1
                while end < len(sections) and sections[end].level > section.level:
                    end += 1
                part = tuple(
                    replace(s, parent=None if s.parent is None or s.parent < start else s.parent - start)
                    for s in sections[start:end]
                )
                clone = replace(document, sections=part, alias=None)
                known[role_id] = len(roles) + len(new)
                new.append(
                    Role(
                        role_id,
                        name,
                        (short,) if short else (),
                        (clone,),
                        summarize((clone,), mission_sections),
                        metadata=None,
                    )
                )
    return roles + new


def _known_in(heading: str, known: dict[str, int]) -> str | None:
    """The one known role whose name is a run of the heading's words, if exactly one is."""
    tokens = slugify(heading).split("-")
    runs = [
        (start, stop)
        for start in range(len(tokens))
        for stop in range(start + 1, len(tokens) + 1)
        if "-".join(tokens[start:stop]) in known or "-".join(tokens[start:stop]).removesuffix("s") in known
    ]
    widest = [(a, b) for a, b in runs if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in runs)]
    found = {"-".join(tokens[a:b]) for a, b in widest}
    found = {f if f in known else f.removesuffix("s") for f in found}
    return found.pop() if len({known[f] for f in found}) == 1 else None


def describes_a_role(document: Document, rules: RelationRules, vocabulary: Vocabulary) -> bool:
    """Whether a document on its own describes a role: it names itself in front matter, its
    kind says so (playbook, skill …), it has a section only roles have (Responsibilities,
    Boundaries, Escalation), it names itself in a sentence such as "You are **X**." (see
    `self_named`), or its title names someone ("Subject Matter Expert", "Backender
    - PLAYBOOK") and does not open with a gerund, or a body of people ("Executive Council",
    but not "Standing Committees and Working Groups": two kinds of body). "During an
    Incident", "Post-mortem Process" or "Finding Reviewers" describe no role."""
    if document.front_matter.get("name") or document.kind is not DocumentKind.ROLE:
        return True
    if any(section.canonical in vocabulary.role_sections for section in document.sections):
        return True
    if self_named(document.title, document.name, document.text, vocabulary.self_identity) is not None:
        return True  # "You are **ReleaseCaptain**." in "# RELEASE-CAPTAIN – Charter"
    whole = split_abbreviation(document.alias or document.title)[0]
    title = (without_context(whole, rules.role_context, rules.is_person_word) or whole).split()
    if len(title) > 1 and title[-1].lower() in rules.role_context:
        return False  # "Code Review Agent": a context noun after no word for someone
    last = title[-1].strip(".,:;!?()") if title else ""
    if opens_with_a_gerund(document.title) and last.endswith("s") and rules.is_person_word(last[:-1]):
        return False  # "Finding Reviewers", "Onboarding New Editors": a process done to people
    if any(word.lower() == "and" and rules.names_a_party(title[i - 1]) for i, word in enumerate(title) if i):
        return False  # "Standing Committees and Working Groups": kinds of body, no one role
    if len(title) > 1 and rules.is_body_word(last) and _a_proper_name(title[:-1]):
        return True  # "Executive Council", "Media Strategy Working Group": a body of people
    return bool(title) and rules.is_person_word(last)


_JOINING = frozenset({"and", "&", "of"})


def _a_proper_name(words: list[str]) -> bool:
    """Whether words before a body noun make its name ("Media Strategy Working", "Diversity
    and Inclusion"): capitalised words, maybe joined by "and" or "of"; not a phrase about a
    body ("Meet the Team", "Working with Our Board")."""
    return words[0][:1].isupper() and all(
        word.lower() in _JOINING or (word[:1].isupper() and not is_function_word(word)) for word in words
    )


def _check_links(documents: list[Document], roots: list[Path], is_page: Callable[[str], bool] | None) -> list[Finding]:
    """Links written in documents to files that are neither among the sources (documents,
    images) nor pages of the site: after the merge they would be 404s."""
    by_path = {d.abs_path: d for d in documents}
    known = set(by_path) | {str(path) for _, path in find_images(roots)}
    headings: dict[str, set[str]] = {}
    findings = []
    for document in documents:
        for link in document.links:
            target = by_path.get(link.target)
            if target is not None and link.fragment:
                if link.target not in headings:
                    headings[link.target] = {slugify(s.title) for s in target.sections} | {slugify(target.title)}
                if slugify(link.fragment) not in headings[link.target]:
                    findings.append(
                        Finding(
                            document.path,
                            link.line,
                            Level.WARNING,
                            f"links to '{link.href}', but {target.name} has no heading '#{link.fragment}'; "
                            "the link leads to the top of its page",
                        )
                    )
                continue
            if link.target in known or (is_page is not None and is_page(link.target)):
                continue
            findings.append(
                Finding(
                    document.path,
                    link.line,
                    Level.WARNING,
                    f"links to '{link.href}', which is neither among the sources nor a page of the site",
                )
            )
    return findings


class Stopwatch:
    """Adds the time since the last lap to a phase of `timings` (when there is one)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[phase] = self.timings.get(phase, 0.0) + now - self.last
        self.last = now


@dataclass(frozen=True)
class Library:
    """Everything Rolebook knows after reading a set of source folders."""

    roles: tuple[Role, ...]
    """Roles sorted by id: those with documents, those only a roster lists, and those only
    other roles' documents mention."""
    documents: tuple[Document, ...]
    """Every Markdown document that could be read, in source order."""
    sources: tuple[SourceFile, ...]
    """Every file found, including any that could not be read."""
    findings: tuple[Finding, ...]
    """What was noticed on the way, in the order it was noticed."""
    relations: tuple[Relation, ...] = ()
    """What roles' documents say about other roles."""
    escalations: tuple[Escalation, ...] = ()
    overview_relations: tuple[Relation, ...] = ()
    """Mentions of roles in overview documents (READMEs, indexes), which are not roles."""
    lexicon: Lexicon | None = None
    """Every name of every role, for linking mentions."""
    multi_role: frozenset[str] = frozenset()
    """Absolute paths of the documents the overlay declares multi-role."""
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The overlay's sidebar groups: (heading, role ids), in the file's order."""

    @property
    def relation_types(self) -> RelationTypes:
        """The relation types of the build: those of the rules the library was related with."""
        return self.lexicon.rules.types if self.lexicon is not None else _shipped_relation_types()

    @cached_property
    def borrowed(self) -> dict[str, list[tuple[Document, int, str]]]:
        """Sections of other roles' documents that describe a role (multi-role documents,
        `rolebook.relate.lines.sections_for_other_roles`): role id -> (document, section
        index, id of the role whose document it is). Worked out once per library."""
        if self.lexicon is None:
            return {}
        return sections_for_other_roles(self.roles, self.lexicon, self.multi_role)

    @cached_property
    def by_id(self) -> dict[str, Role]:
        return {role.id: role for role in self.roles}

    @cached_property
    def outgoing(self) -> dict[str, list[Relation]]:
        """Relations by the id of the role whose documents state them."""
        index: dict[str, list[Relation]] = {}
        for relation in self.relations:
            index.setdefault(relation.source, []).append(relation)
        return index

    @cached_property
    def incoming(self) -> dict[str, list[Relation]]:
        """Relations by the id of the role they name."""
        index: dict[str, list[Relation]] = {}
        for relation in self.relations:
            index.setdefault(relation.target, []).append(relation)
        return index


@cache
def _shipped_relation_types() -> RelationTypes:
    return load_relation_rules().types


def load_library(
    roots: list[Path],
    base: Path,
    vocabulary: Vocabulary,
    rules: RelationRules | None = None,
    cache: ParseCache | None = None,
    timings: dict[str, float] | None = None,
    allow_html: bool = False,
    progress: Callable[[int, int], None] | None = None,
    is_page: Callable[[str], bool] | None = None,
    workers: int | None = None,
) -> Library:
    """Read every document under `roots` (paths shown relative to `base`), merge roles and
    relate them. With a `cache`, unchanged documents are not parsed (nor related) again; `timings`
    receives the seconds each phase took; `allow_html` lets raw HTML in documents through
    (for trusted sources only); `progress(done, total)` is called as documents are read;
    `is_page(path)` says whether a file outside the sources is a page of the site (links
    written in documents to anything else are reported); `workers` processes parse large
    libraries (default: one per available processor)."""
    clock = Stopwatch(timings)
    if cache is not None:
        cache.start()
        RESULTS.start()
    sources, findings = find_sources(
        roots, base, vocabulary.role_folder_markers, lambda name: any(reader.claims(name) for reader in READERS)
    )
    overlay, overlay_findings = load_overlay(roots, base)
    findings.extend(overlay_findings)
    read: list[tuple[SourceFile, Document]] = []
    agent_files: dict[str, RoleMetadata] = {}
    roster: list[RoleMetadata] = []
    context = ReadContext(vocabulary, allow_html)
    results = read_sources(sources, READERS, context, cache, workers or available_cpus())
    upcoming = next(results, None)
    for done, source in enumerate(sources, start=1):
        if progress is not None:
            progress(done, len(sources))
        if upcoming is None or upcoming[0] is not source:
            continue  # read with the first file of its group (a CrewAI folder)
        result = upcoming[1]
        upcoming = next(results, None)
        findings.extend(result.findings)
        read.extend(result.documents)
        agent_files.update(result.agents)
        roster.extend(result.roster)
    findings.extend(_check_links([d for _, d in read], roots, is_page))
    keep_out_of_sight()  # the documents live as long as the build
    clock.lap("read and parse")
    rules = rules or load_relation_rules()
    roles, merge_findings, shared_names = merge_roles(
        read,
        agent_files,
        roster,
        overlay,
        vocabulary.library_documents,
        lambda d: describes_a_role(d, rules, vocabulary),
        vocabulary.library_folders,
        vocabulary.keys_meaning(SectionMeaning.MISSION),
        rules.is_person_word,
        TitleEvidence(
            vocabulary.title_kinds,
            vocabulary.title_addressing,
            rules.names_a_party,
            rules.role_endings,
            rules.role_nouns,
            vocabulary.title_audiences,
            rules.articles | rules.quantifiers,
        ),
    )
    findings.extend(merge_findings)
    roles = split_multi_role(roles, overlay, rules.is_role_word, vocabulary.keys_meaning(SectionMeaning.MISSION))
    clock.lap("merge")
    related = relate(
        roles,
        rules or load_relation_rules(),
        vocabulary,
        workers or available_cpus(),
        RESULTS if cache is not None else None,
        overlay.confirmed,
        frozenset(overlay.forbidden),
        shared_names,
        [(r.id, r.name or r.id, r.aliases) for r in overlay.roles.values() if not r.documents],
    )
    findings.extend(related.findings)
    known = {role.id for role in related.roles}
    findings.extend(
        Finding(overlay.groups_file, None, Level.WARNING, f"overlay group '{title}': no role '{role_id}'; not listed")
        for title, ids in overlay.groups.items()
        for role_id in ids
        if role_id not in known
    )
    keep_out_of_sight()
    clock.lap("relate")
    return Library(
        roles=related.roles,
        documents=tuple(d for _, d in read),
        sources=tuple(sources),
        findings=tuple(findings),
        relations=related.relations,
        escalations=related.escalations,
        overview_relations=related.overview_relations,
        lexicon=related.lexicon,
        multi_role=frozenset(overlay.multi_role),
        groups=tuple(overlay.groups.items()),
    )
