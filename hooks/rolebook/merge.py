"""Group documents into roles and give each role its identity, aliases and summary."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from rolebook.lexical import all_lemmas, doer_of, gerund_lemma, is_particle, is_verb
from rolebook.model import Document, DocumentKind, Finding, Item, Level, Role, RoleMetadata, RoleStatus
from rolebook.names import humanise, looks_like_id, shared_names, slugify
from rolebook.read.files import SourceFile
from rolebook.read.overlay import Overlay
from rolebook.vocabulary import SectionMeaning

KIND_ORDER = {
    DocumentKind.ROLE: 0,
    DocumentKind.PLAYBOOK: 1,
    DocumentKind.STANDARDS: 2,
    DocumentKind.AGENT_CARD: 3,
    DocumentKind.SKILL: 4,
}
"""Order of documents on a role page: the role definition first, then how, then rules."""


def merge_roles(
    documents: Iterable[tuple[SourceFile, Document]],
    agent_files: dict[str, RoleMetadata] | None = None,
    roster: Iterable[RoleMetadata] = (),
    overlay: Overlay | None = None,
    library_documents: frozenset[str] = frozenset(),
    describes_a_role: Callable[[Document], bool] | None = None,
    library_folders: frozenset[str] = frozenset(),
    mission_sections: frozenset[str] = frozenset({SectionMeaning.MISSION}),
    person_word: Callable[[str], bool] | None = None,
    title_evidence: TitleEvidence | None = None,
) -> tuple[list[Role], list[Finding], dict[str, tuple[str, ...]]]:
    """Merge documents that share a group (a role folder) into roles, sorted by id.

    Identity: a role folder's `agent.json` gives the id and name, else the folder does
    (`backend/` -> `backend`, "Backend"); a document on its own is named by its front-matter
    `name`, else its title, else its file name. Every other name the documents give becomes
    an alias. Roster entries fill in a role's name and summary, and make roles that have
    no documents known. A document on its own whose file name (without extension) is one of
    `library_documents` (a README, an index), or that `describes_a_role` says describes no
    role (a process page of a handbook), is an overview of the library, not a role: its id
    is its path (`agents-readme`), its name its title. A role's summary comes from the
    first of its `mission_sections` (the section keys that mean mission). With `person_word`,
    a handbook page titled for its readers ("Guide for Reviewers", "Software Review Editor
    Guide") is also known by their role noun ("Reviewer", "Editor"; see `title_roles`).
    With `title_evidence`, a page on its own whose title or file name names the role it is
    for beside a kind of document ("Reviewer guidelines", "Tips for editors") describes a
    role, and two or more such pages naming one role are that role ("Editor"), whose page
    the former pages' ids redirect to (see `_title_groups`).
    Also returned: the one-word names two roles were given, which name neither (name ->
    role ids).
    """
    agent_files = agent_files or {}
    overlay = overlay or Overlay()
    grouped: dict[str, list[tuple[SourceFile, Document]]] = {}
    former: dict[str, set[str]] = {}
    for source, document in documents:
        chosen = overlay.role_of(source.abs_path.resolve())
        group = f"overlay:{chosen.id}" if chosen else source.group
        grouped.setdefault(group, []).append((source, document))

    kind_of_file = _kinds_of_file(grouped)
    titled: dict[str, str] = {}
    """Group key -> role name, of the pages merged by what their titles name."""
    addressed: dict[str, str] = {}
    """Group key -> the role a page alone names so, in the singular: one of its names."""
    if title_evidence is not None:
        lone = [
            key
            for key, members in grouped.items()
            if len(members) == 1
            and members[0][0].group == members[0][0].path
            and not key.startswith("overlay:")
            and key not in agent_files
            and not members[0][1].front_matter.get("name")
            and str(members[0][0].abs_path) not in overlay.multi_role
            and members[0][0].abs_path.stem.lower() not in library_documents
            and not any(part.lower() in library_folders for part in Path(members[0][0].relative or key).parts[:-1])
        ]
        title_groups = _title_groups(grouped, lone, title_evidence)
        evidenced_docs = {id(grouped[key][0][1]) for _, keys in title_groups.values() for key in keys}
        if evidenced_docs:
            judged = describes_a_role
            describes_a_role = lambda d: id(d) in evidenced_docs or judged is None or judged(d)  # noqa: E731
        for role_key, (name, keys) in title_groups.items():
            if len(keys) == 1:  # "Associate Editors' Guide" alone: also "Associate Editor"
                addressed[keys[0]] = name
                continue
            merged = [grouped.pop(key)[0] for key in sorted(keys)]
            for source, document in merged:
                path = (source.relative or source.path).rsplit(".", 1)[0]
                former.setdefault(role_key, set()).update({slugify(document.alias or document.title), slugify(path)})
            grouped[f"title:{role_key}"] = merged
            titled[f"title:{role_key}"] = name
    _join_kinds_of_file(
        grouped,
        kind_of_file,
        lambda s, d: _overview(s, d, library_documents, overlay, describes_a_role, library_folders),
    )
    project_names = _project_names(d for members in grouped.values() for _, d in members)
    findings: list[Finding] = []
    roles: dict[str, Role] = {}
    single_files: set[str] = set()
    """Ids given by documents on their own (agent cards): another such document with the same
    id is a copy of the same agent in another folder."""
    for key in sorted(set(grouped) | set(agent_files)):
        members = grouped.get(key, [])
        metadata = agent_files.get(key)
        docs = tuple(sorted((d for _, d in members), key=lambda d: (KIND_ORDER[d.kind], d.path)))
        is_folder = not members or members[0][0].group != members[0][0].path
        if members and not is_folder and members[0][1] is not docs[0]:
            # a folder of kinds of file (`_join_kinds_of_file`): the agent's own file first
            docs = (members[0][1], *(d for d in docs if d is not members[0][1]))
        chosen = overlay.for_id(key.removeprefix("overlay:")) if key.startswith("overlay:") else None
        stem_names: list[str] = []
        overview = (
            bool(docs)
            and chosen is None
            and metadata is None
            and not is_folder
            and _overview(members[0][0], docs[0], library_documents, overlay, describes_a_role, library_folders)
        )
        if chosen is not None:
            own = members[0][1]
            name = chosen.name or own.alias or own.title
            base_id = chosen.id
            natural = slugify(own.alias or own.title)
            former.setdefault(base_id, set()).add(natural)
        elif metadata is not None:
            name = metadata.name or humanise(metadata.id, _text(docs))
            base_id = slugify(metadata.id)
        elif key in titled:
            name = titled[key]
            base_id = slugify(name)
        elif is_folder:
            folder = members[0][0].folder
            given = {slugify(d.alias): d.alias for d in docs if d.alias}
            name = humanise(next(iter(given.values())) if len(given) == 1 else folder, _text(docs))
            base_id = slugify(folder)
        elif overview:
            source = members[0][0]
            base_id = slugify((source.relative or source.path).rsplit(".", 1)[0])
            name = docs[0].title
        else:
            titled_as = docs[0].alias or docs[0].title
            singular = _in_the_singular(titled_as, person_word) if not docs[0].front_matter.get("name") else None
            if singular is not None:  # "# Maintainers", "MAINTAINERS.md": the Maintainer's page
                former.setdefault(slugify(singular), set()).add(slugify(titled_as))  # its old address
                titled_as = singular  # (names match in the plural too: no alias for it)
            base_id = slugify(titled_as)
            name = humanise(titled_as, _text(docs))
            stem = Path(docs[0].path).stem
            named = docs[0].front_matter.get("name")
            if not named and len(slugify(stem).split("-")) > 1 and slugify(stem) != base_id:
                # "release-lead.md" titled "Kubernetes Release Team: Release Team Leader" is
                # also what other documents call it: Release Lead (a one-word file name such
                # as "lead.md" names too little, and a front-matter name is the role's own)
                stem_names.append(humanise(stem, _text(docs)))
            if person_word is not None and not named:  # "Guide for Reviewers": also "Reviewer"
                stem_names.extend(title_roles(docs[0].title, person_word))
            if key in addressed:
                stem_names.append(addressed[key])
            title_words = name.split()
            if len(title_words) > 2 and title_words[0].casefold() in project_names:
                stem_names.append(" ".join(title_words[1:]))  # "Jupyter Media Strategy Working Group"
            stem_names.extend(_ids_of(members[0][0], docs[0], kind_of_file, name, person_word))
        role_id = base_id
        single = chosen is None and metadata is None and not is_folder
        copy_of = base_id if single and base_id in single_files else None
        if single:
            single_files.add(base_id)
        if role_id in roles:
            counter = 2
            while f"{base_id}-{counter}" in roles:
                counter += 1
            role_id = f"{base_id}-{counter}"
            where = docs[0].path if docs else (metadata.path if metadata else key)
            findings.append(
                Finding(
                    where,
                    None,
                    Level.INFO,
                    f"another copy of role '{base_id}' ({_where(roles[base_id])}), with other text; published "
                    f"as '{role_id}', and mentions of '{base_id}' link to the copy nearest to them",
                )
                if copy_of
                else Finding(
                    where,
                    None,
                    Level.WARNING,
                    f"role id '{base_id}' is already used by {_where(roles[base_id])}; "
                    f"this role is published as '{role_id}'",
                )
            )
        spelt: dict[str, str] = {}
        for other in stem_names:  # "Analyst" (a title's role noun) and `analyst` (its folder): the id
            if slugify(other) not in spelt or other.islower():
                spelt[slugify(other)] = other
        aliases: list[str] = list(spelt.values())
        for document in docs if is_folder else () if key in titled else docs[:1]:
            # a joined file's title ("Team Members") is no name, nor are the titles of the
            # pages merged by the role they name ("Top tips for editors")
            plain = document.alias == document.title and not _names_someone(document.alias, person_word)
            if document.alias and document.alias not in aliases and not (chosen is not None and plain):
                # a page the overlay gives a named role, titled for a thing ("Review
                # checklist"), gives it no name: "the review checklist" is no reviewer
                aliases.append(document.alias)
            aliases.extend(a for a in document.also_known_as if a not in aliases)
        named = _after_context(name)  # "Kubernetes Release Team: Release Team Leader"
        if named and named not in aliases:
            aliases.append(named)
        if chosen is not None:
            aliases.extend(a for a in chosen.aliases if a not in aliases)
            former.setdefault(base_id, set()).update(slugify(old) for old in chosen.renamed_from)
        # the role's own name and id are not other names for it, nor is the id of a copy's original
        aliases = [a for a in aliases if a.casefold() != name.casefold() and slugify(a) not in (role_id, base_id)]
        roles[role_id] = Role(
            id=role_id,
            name=name,
            aliases=tuple(aliases),
            documents=docs,
            summary=summarize(docs, mission_sections) or (metadata.summary if metadata else None) or "",
            source_dir=key if is_folder else "",
            metadata=metadata,
            status=RoleStatus.OVERVIEW if overview else RoleStatus.DEFINED if docs else RoleStatus.LISTED,
            former_ids=tuple(sorted(former.get(role_id, set()) - {role_id})),
            copy_of=copy_of if role_id != base_id else None,
        )
    for declared in overlay.roles.values():
        # a role the overlay declares without documents ("associate-editor-in-chief: aliases:
        # [AEiC]") is known by every name it gives, as a roster entry is
        if declared.id not in roles and f"overlay:{declared.id}" not in grouped:
            name = declared.name or humanise(declared.id)
            roles[declared.id] = Role(
                id=declared.id,
                name=name,
                aliases=tuple(dict.fromkeys(a for a in declared.aliases if a.casefold() != name.casefold())),
                documents=(),
                summary="",
                status=RoleStatus.LISTED,
                former_ids=tuple(sorted({slugify(old) for old in declared.renamed_from} - {declared.id})),
            )
    shared = _drop_shared_aliases(roles)
    for entry in roster:
        role_id = slugify(entry.id)
        known = roles.get(role_id)
        if known is None:
            roles[role_id] = Role(
                id=role_id,
                name=entry.name or humanise(entry.id),
                aliases=(),
                documents=(),
                summary=entry.summary or "",
                metadata=entry,
                status=RoleStatus.LISTED,
            )
        elif known.metadata is None or not known.summary:
            roles[role_id] = replace(
                known,
                metadata=known.metadata or entry,
                summary=known.summary or entry.summary or "",
            )
    return [roles[k] for k in sorted(roles)], findings, shared


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_FOR = re.compile(r"\bfor\b", re.IGNORECASE)
_JOINS = re.compile(r"\s*(?:,|&|\band\b)\s*", re.IGNORECASE)


def _kinds_of_file(grouped: dict[str, list[tuple[SourceFile, Document]]]) -> frozenset[str]:
    """File names (lower-cased stems) that documents on their own carry in two folders or
    more (`agents/analyst/SOUL.md`, `agents/pm/SOUL.md`): such a name says what kind of file
    it is, and the folder says whose."""
    folders: dict[str, set[str]] = {}
    for members in grouped.values():
        if len(members) == 1 and members[0][0].group == members[0][0].path:
            source = members[0][0]
            folders.setdefault(source.abs_path.stem.lower(), set()).add(str(source.abs_path.parent))
    return frozenset(stem for stem, held in folders.items() if len(held) > 1)


def _join_kinds_of_file(
    grouped: dict[str, list[tuple[SourceFile, Document]]],
    kinds_of_file: frozenset[str],
    is_overview: Callable[[SourceFile, Document], bool],
) -> None:
    """Put the documents on their own of a folder whose every file is a kind of file
    (`agents/analyst/SOUL.md` beside `agents/analyst/AGENTS.md`), when exactly one of them
    describes a role, into that role's group, first: the folder is that agent's, and what
    its other files say (its team list, its handoff targets) is the agent's own. A folder
    whose files describe no role, or several, is left as it is."""
    folders: dict[str, list[str]] = {}
    for key, members in grouped.items():
        if len(members) == 1 and members[0][0].group == members[0][0].path:
            folders.setdefault(str(members[0][0].abs_path.parent), []).append(key)
    for keys in folders.values():
        if len(keys) < 2 or any(grouped[k][0][0].abs_path.stem.lower() not in kinds_of_file for k in keys):
            continue
        roles = [k for k in keys if not is_overview(*grouped[k][0])]
        if len(roles) == 1:
            lead = roles[0]
            grouped[lead] = [*grouped[lead], *(grouped.pop(k)[0] for k in sorted(keys) if k != lead)]


def _ids_of(
    source: SourceFile,
    document: Document,
    kinds_of_file: frozenset[str],
    name: str,
    person_word: Callable[[str], bool] | None,
) -> list[str]:
    """The ids a document on its own gives its role besides its title: a front-matter `id`
    (`id: qa` of a page titled "QA Engineer"), and the folder's name when the file's name is
    a kind of file (`agents/analyst/SOUL.md` is the agent `analyst`) and the folder's name
    reads as a role: it ends in a word for someone (`scrum-master`), or spells the initials
    the name starts with (`pm` of "Product Manager Agent"). A folder named for a topic
    (`test-infra/README.md` of "Test Infra Lead") names the topic, not the role."""
    found = []
    given = document.front_matter.get("id")
    if isinstance(given, str) and given.strip() and looks_like_id(given.strip()):
        found.append(given.strip())
    folder = source.folder
    if source.abs_path.stem.lower() in kinds_of_file and looks_like_id(folder) and folder.strip("-_"):
        last = re.split(r"[-_]+", folder.strip("-_"))[-1]
        initials = "".join(word[0] for word in re.findall(r"\w+", name)).lower()
        if (person_word is not None and person_word(last)) or (len(folder) > 1 and initials.startswith(folder)):
            found.append(folder)
    return found


def title_roles(title: str, person_word: Callable[[str], bool]) -> list[str]:
    """The roles a page's title addresses, each as its head noun in the singular, when the
    title says more than the role's name: "Guide for Reviewers" -> Reviewer, "pyOpenSci
    Software Review Editor Guide" -> Editor, "Guide for Maintainers and Authors" ->
    Maintainer (an author is also a verb: a noun that can be one is never a name alone).
    A title that is the role's name ("Internal Liaison", "Editor in Chief") gives none."""
    parts = _FOR.split(title)
    addressed = len(parts) > 1  # "Guide for …"
    found = []
    for part in _JOINS.split(parts[-1]):
        words_of = [word.strip(".,:;!?()") for word in part.split()]
        heads = [index for index, word in enumerate(words_of) if person_word(word)]
        if not heads:
            continue
        head = heads[-1]
        word = words_of[head]
        singular = word[:-1] if word.endswith("s") and person_word(word[:-1]) else word
        said_more = addressed or head + 1 < len(words_of)  # "… Editor Guide"
        of_a_phrase = head > 0 and is_particle(words_of[head - 1])  # "Editor in Chief"
        if said_more and not of_a_phrase and not is_verb(singular):
            found.append(singular[:1].upper() + singular[1:])
    return found


_SEGMENTS = re.compile(r"\s[-–—|]\s|[:,;()]|\s[–—]|[–—]\s")
_TOKEN = re.compile(r"[^\W_][\w'’-]*")


@dataclass(frozen=True)
class TitleEvidence:
    """What a handbook page's title (or file name) says of whom the page is for."""

    kinds: frozenset[str]
    """Words for a kind of document ("guidelines", "onboarding", "tips")."""
    addressing: frozenset[str]
    """Words that open whom such a document is for ("for", "of")."""
    person_word: Callable[[str], bool]
    role_endings: tuple[str, ...] = ("er", "or")
    role_nouns: frozenset[str] = frozenset()
    """Lower-cased nouns for someone that are verbs too ("mentor", "author"): names alone."""
    audiences: frozenset[str] = frozenset()
    """Lower-cased readers of documentation that are no role ("user", "beginner"): a "User
    guide" is the product's, not a role's."""
    determiners: frozenset[str] = frozenset()
    """Lower-cased words before the role that are not part of its name ("the", "our", "all":
    `articles` and `quantifiers` in relations.yml)."""

    def role(self, text: str) -> tuple[str, ...] | None:
        """The words of the role a title or file name names beside a kind of document, its
        head noun last and in the singular: "Reviewer guidelines" -> (Reviewer,), "Top tips
        for JOSS editors" -> (JOSS, editor), "Associate Editors' Guide" -> (Associate,
        Editor), "Editor-in-Chief's Guide" -> (Editor-in-Chief,). `None` when it names
        nobody so ("JOSS Policies", "Guide to Building an Issue", "Onboarding New Editors":
        a process done to them, "Guide for Maintainers and Authors": more than one role)."""
        for segment in _SEGMENTS.split(text.replace("_", " ")):
            tokens = _TOKEN.findall(segment)
            lowered = [t.lower().rstrip("'’").removesuffix("'s").removesuffix("’s") for t in tokens]
            for index, word in enumerate(lowered):
                if word not in self.kinds:
                    continue
                if index + 1 < len(tokens) and lowered[index + 1] in self.addressing:
                    phrase = tokens[index + 2 :]  # "Tips for JOSS editors"
                elif index > 0 and index + 1 == len(tokens):
                    phrase = tokens[:index]  # "JOSS Editor workflow", "Editors' Guide"
                else:
                    continue
                found = self._person(phrase)
                if found is not None:
                    return found
        return None

    def activity(self, text: str) -> str | None:
        """The verb a page named for an activity and a kind of document names ("Review
        checklist", "Editing guide" -> review, edit), else `None`."""
        tokens = _TOKEN.findall(text.replace("_", " "))
        if len(tokens) != 2 or tokens[1].lower() not in self.kinds:
            return None
        first = tokens[0].lower()
        return first if is_verb(first) else gerund_lemma(first)

    def _person(self, phrase: list[str]) -> tuple[str, ...] | None:
        words = [w.rstrip("'’").removesuffix("'s").removesuffix("’s") for w in phrase]
        while words and words[0].lower() in self.determiners:
            words = words[1:]
        joined = [i for i, w in enumerate(words) if w.lower() == "and"]
        if any(i > 0 and self.person_word(words[i - 1]) for i in joined):
            return None  # "Guide for Maintainers and Authors": two roles
        if not words or len(words) - len(joined) > 4:
            return None
        head = words[-1]
        parts = head.split("-")
        if len(parts) > 2 and is_particle(parts[1]):  # "Editor-in-Chief": its head is "Editor"
            return (*words[:-1], head) if self.person_word(parts[0]) and not parts[0].endswith("s") else None
        if not self.person_word(head):
            return None
        singular = head[:-1] if head.lower().endswith("s") and self.person_word(head[:-1]) else head
        if singular.lower() in self.audiences:
            return None  # "User guide", "Guide for beginners": readers, not a role
        if len(words) == 1 and is_verb(singular) and singular.lower() not in self.role_nouns:
            return None  # "Chart guide": a verb is no name alone, unless a role noun ("Mentor guidelines")
        return (*words[:-1], singular)

    def doer_of(self, verb: str, head: str) -> bool:
        return doer_of(verb, head, self.role_endings)


def _title_groups(
    grouped: dict[str, list[tuple[SourceFile, Document]]], lone: list[str], evidence: TitleEvidence
) -> dict[str, tuple[str, list[str]]]:
    """The documents on their own (group keys `lone`) whose titles, or else file names, name
    the role they are for (see `TitleEvidence`): role key -> (its name, the group keys of
    the documents that name it). A
    leading word of the library's own name ("JOSS" of "JOSS Editor workflow", also in the
    title "JOSS Policies", which names nobody) is not the role's; a page named for an
    activity ("Review checklist") is the one role built on its verb's (Reviewer), and a
    page titled with the role's name alone ("Reviewer") is that role's."""
    named: dict[str, tuple[str, ...]] = {}
    activities: dict[str, str] = {}
    titled_as: dict[str, str] = {}
    for key in lone:
        document = grouped[key][0][1]
        stem = Path(document.path).stem
        found = evidence.role(document.title) or evidence.role(stem)
        if found is not None:
            named[key] = found
            continue
        verb = evidence.activity(document.title) or evidence.activity(stem)
        if verb is not None:
            activities[key] = verb
        else:
            titled_as[key] = slugify(document.alias or document.title)
    unnamed_titles = {
        word.lower() for key in lone if key not in named for word in _TOKEN.findall(grouped[key][0][1].title)
    }
    groups: dict[str, tuple[str, list[str]]] = {}
    for key, found in named.items():
        words = list(found)
        while len(words) > 1 and words[0].lower() in unnamed_titles:
            words = words[1:]  # "JOSS Editor": the library's name before the role's
        name = " ".join(w if w.lower() == "and" else w[:1].upper() + w[1:] for w in words)
        role_key = slugify(name)
        groups.setdefault(role_key, (name, []))[1].append(key)
    for key, verb in activities.items():
        doers = [role_key for role_key, (name, _) in groups.items() if evidence.doer_of(verb, name.split()[-1])]
        if len(doers) == 1:
            groups[doers[0]][1].append(key)
    for key, role_key in titled_as.items():  # "# Reviewer" beside "Reviewer guidelines": one role
        if role_key in groups:
            groups[role_key][1].append(key)
    return groups


def _project_names(documents: Iterable[Document]) -> frozenset[str]:
    """First words of titles that name the project, not a role (case-folded): a word no
    English lexicon knows, capitalised, opening the titles of two documents or more
    ("Jupyter" of "Jupyter Governance Overview" and "Jupyter Media Strategy Working Group").
    Prose mostly names a role without it ("the Media Strategy Working Group")."""
    openings: dict[str, int] = {}
    for document in documents:
        first = (document.title or "").split()[:1]
        if first and first[0][:1].isupper() and first[0].isalpha():
            openings[first[0].casefold()] = openings.get(first[0].casefold(), 0) + 1
    return frozenset(word for word, count in openings.items() if count > 1 and not all_lemmas(word))


def _in_the_singular(title: str, person_word: Callable[[str], bool] | None) -> str | None:
    """A title naming people in the plural as the role they hold ("Maintainers" ->
    "Maintainer", "Release Managers" -> "Release Manager"); `None` for any other title."""
    words = title.split()
    last = words[-1] if words else ""
    if person_word is None or len(words) > 3 or not last.endswith("s") or last.endswith("ss"):
        return None
    singular = last[:-1]
    if not (person_word(last) and person_word(singular)) or not all(w[:1].isupper() for w in words):
        return None
    return " ".join([*words[:-1], singular])


def _names_someone(title: str | None, person_word: Callable[[str], bool] | None) -> bool:
    """Whether a title ends in a word for someone ("Backend Engineer"; not "Review checklist")."""
    last = (title or "").split()[-1:] or [""]
    return person_word is None or person_word(last[0].strip(".,:;!?()'’"))


def _after_context(name: str) -> str | None:
    """The role a title names after a colon that sets its context ("Kubernetes Release
    Team: Release Team Leader" -> "Release Team Leader"), as prose names it; `None` when the
    title has no such colon or nothing of two words or more follows it."""
    head, colon, tail = name.rpartition(": ")
    tail = tail.strip()
    return tail if colon and head.strip() and len(tail.split()) >= 2 else None


def _drop_shared_aliases(roles: dict[str, Role]) -> dict[str, tuple[str, ...]]:
    """A role noun or id that two roles' documents give ("Editor" of an editor guide and of
    an onboarding page for editors; one front-matter `id` in two files) names neither: it
    is ambiguous. Copies of one role count once. Returns the dropped names and their roles."""
    one_word = [
        (alias.casefold(), role.copy_of or role.id)
        for role in roles.values()
        for alias in role.aliases
        if " " not in alias
    ]
    ambiguous = shared_names(one_word)
    names = {role.name.casefold() for role in roles.values()}
    shared = set(ambiguous) | {alias for alias, _ in one_word if alias in names}
    if shared:
        for role_id, role in roles.items():
            kept = tuple(a for a in role.aliases if " " in a or a.casefold() not in shared)
            if kept != role.aliases:
                roles[role_id] = replace(role, aliases=kept)
    return {alias: ambiguous[alias] for alias in sorted(ambiguous)}


def _overview(
    source: SourceFile,
    document: Document,
    library_documents: frozenset[str],
    overlay: Overlay,
    describes_a_role: Callable[[Document], bool] | None,
    library_folders: frozenset[str] = frozenset(),
) -> bool:
    """Whether a document on its own is an overview of the library rather than a role."""
    if str(source.abs_path) in overlay.multi_role:
        return False
    if any(part.lower() in library_folders for part in Path(source.relative or source.path).parts[:-1]):
        return True  # a Claude Code plugin's commands/, a guides/ folder: the library's, not roles
    describes = describes_a_role is None or describes_a_role(document)
    if source.abs_path.stem.lower() in library_documents:
        # a folder's README is an index, unless its title names the role the folder is about
        # ("Features Lead Handbook")
        return not (describes and document.alias and document.alias != document.title)
    return not describes


def _text(documents: tuple[Document, ...]) -> str:
    """What a role's documents say, for spelling its name the way they do."""
    return "\n".join(document.text for document in documents)


def _where(role: Role) -> str:
    if role.documents:
        return role.documents[0].path
    return role.metadata.path if role.metadata else role.id


def summarize(
    documents: tuple[Document, ...], mission_sections: frozenset[str] = frozenset({SectionMeaning.MISSION})
) -> str:
    """One paragraph for cards and the page lead: a `Mission` section's first paragraph (any
    of `mission_sections`, the section keys that mean mission),
    else a front-matter description's first paragraph (a card's description may go on with
    "Use this agent when:" and examples, shown in full in its own section of the page),
    else the first paragraph of any document. A paragraph that ends in a colon ("…, it
    would be:") takes the block it introduces along."""
    for document in documents:
        for section in document.sections:
            if section.canonical in mission_sections and section.level > 0:
                for index, item in enumerate(section.items):
                    if item.text.strip():
                        return _lead(section.items, index)
    for document in documents:
        if document.description:
            paragraphs = [" ".join(block.split()) for block in _BLANK_LINE.split(document.description.strip())]
            return _lead(tuple(Item(0, "paragraph", block, block) for block in paragraphs), 0)
    for document in documents:
        for section in document.sections:
            for index, item in enumerate(section.items):
                if item.kind == "paragraph" and item.text.strip():
                    return _lead(section.items, index)
    return ""


def _lead(items: tuple[Item, ...], index: int) -> str:
    text = items[index].text.strip()
    while text.endswith(":") and index + 1 < len(items) and items[index + 1].kind != "code":
        index += 1
        text = f"{text} {items[index].text.strip()}"
    return text
