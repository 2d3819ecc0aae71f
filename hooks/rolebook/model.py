"""The Rolebook domain model: documents, their sections and items, roles, findings.

Everything here is a frozen dataclass built once per build by the pipeline
(`sources` -> `parse` -> `merge`) and only read by the renderers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rolebook.names import slugify


class DocumentKind(StrEnum):
    """What a source document is, detected from the file itself."""

    ROLE = "role"
    """A role definition: mission, scope, boundaries, escalation (`ROLE.md`, `# Role: X`)."""
    PLAYBOOK = "playbook"
    """Numbered steps for doing the work (`PLAYBOOK.md`, `# X - PLAYBOOK`)."""
    STANDARDS = "standards"
    """Rules the work must follow (`STANDARDS.md`)."""
    AGENT_CARD = "agent card"
    """A coding-agent subagent: YAML front matter with `name` and `description`."""
    SKILL = "skill"
    """A skill: `<name>/SKILL.md` with front matter."""


class Level(StrEnum):
    """How serious a finding is; `warning` and `error` fail `mkdocs build --strict`."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    """Something the build noticed about a document, reported as `path:line: level: message`."""

    path: str
    """The document's path as the user knows it (relative to the site's config file)."""
    line: int | None
    """1-based line in the document, when one applies."""
    level: Level
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level.value}: {self.message}"


@dataclass(frozen=True)
class Item:
    """One unit of content inside a section: a list item, a paragraph, a table row, a code block."""

    line: int
    """1-based line in the source document where the item starts."""
    kind: str
    """`list item`, `paragraph`, `quote` (a block quote), `note` (an admonition), `table row`
    or `code`."""
    text: str
    """The item's visible text (Markdown syntax removed)."""
    prose: str = ""
    """The same text with code spans blanked out: what mentions and topics are read from."""
    parts: tuple[tuple[int, str, str], ...] = ()
    """`(line, text, prose)` of each line of text in the item (a step and its sub-bullets),
    so a relation can cite the very sentence that makes it."""


@dataclass(frozen=True)
class Section:
    """A heading of a source document and the content directly under it."""

    title: str
    """The heading's visible text; for the preamble, the document's title."""
    path: tuple[str, ...]
    """Titles of the enclosing headings then this one (`("Capabilities", "What You CAN Do")`)."""
    level: int
    """Heading level (2 for `##`); 0 for the preamble before the first heading."""
    line: int
    """1-based line of the heading (or of the first content line for a preamble)."""
    canonical: str | None
    """Vocabulary key this section maps to (`responsibilities`), or `None` when nothing matches."""
    html: str
    """The content under the heading (up to its first subheading), rendered to HTML."""
    items: tuple[Item, ...]
    """The content's items, in source order."""
    parent: int | None = None
    """Index of the enclosing section in `Document.sections`; `None` at top level."""


@dataclass(frozen=True)
class Document:
    """One source file, read and parsed; the bytes on disk are never modified."""

    path: str
    """Path relative to the site's config file, as shown in findings."""
    abs_path: str
    """Absolute path of the file on disk."""
    name: str
    """File name (`PLAYBOOK.md`)."""
    kind: DocumentKind
    title: str
    """The document's own title: its `# H1`, else its front-matter `name`, else its file name."""
    alias: str | None
    """The role name the document's title or front matter gives (`Backender`, `backend-developer`)."""
    front_matter: dict[str, object]
    description: str | None
    """Front-matter `description`, if any."""
    text: str
    """The decoded text exactly as in the file (no repair), for the source view."""
    sections: tuple[Section, ...]
    """All sections in source order, preamble first when there is one."""
    digest: str
    """SHA-256 of the file's bytes."""
    size: int
    """Size of the file in bytes."""
    links: tuple[Any, ...] = ()
    """Relative links and images written in the document (`parse.DocumentLink`)."""
    also_known_as: tuple[str, ...] = ()
    """Other names the document gives its role where it names itself ("You are **X** (also
    known as Y)")."""


@dataclass(frozen=True)
class RoleMetadata:
    """What an `agent.json` or a roster entry (`all_agents.json`) says about a role."""

    path: str
    """The JSON file it came from."""
    id: str
    name: str | None
    summary: str | None
    keywords: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    """Other scalar fields (`rulesHash`, `version` …), as text, in file order."""


class RoleStatus(StrEnum):
    """How much the sources say about a role."""

    DEFINED = "defined"
    """At least one document describes it."""
    LISTED = "listed"
    """Only a roster names it (with a summary)."""
    REFERENCED = "referenced"
    """Only other roles' documents mention it."""
    OVERVIEW = "overview"
    """Not a role: a document of the library (a README or index) that describes other roles,
    shown on a page of its own, its mentions of roles linked."""


class RelationType(StrEnum):
    """The relation types whose logic is in the code. Every type, these and any other, is
    declared once in `relations.yml` (label, inverse heading, graph colour, description: see
    `RelationTypes`); a type a site adds needs no constant here."""

    DELEGATES_TO = "delegates_to"
    """A boundary item names who does it instead ("CI/CD (Releaser)")."""
    ESCALATES_TO = "escalates_to"
    """"escalate to Router", or a role named by an escalation trigger."""
    DEPENDS_ON = "depends_on"
    """"Depends on data-engineer", "use Integrator clients", "per Observer schema"."""
    USES_SKILL = "uses_skill"
    """The other role is a skill (its documents are `SKILL.md`s): "use the pdf skill"."""
    MENTIONS = "mentions"
    """Named with no telling context."""


@dataclass(frozen=True)
class RelationTypeSpec:
    """One relation type, as `relations.yml` declares it."""

    key: str
    """What `roles.json`, cue tables and anchors call it (`delegates_to`)."""
    label: str
    """How it reads from the role that states it: "Backend *delegates to* Releaser"."""
    inverse: str
    """The heading of the relations of this type that name a role, on that role's page
    ("Work others leave to it")."""
    description: str = ""
    """What it means, for `roles.schema.json`."""
    colour: str | None = None
    """The colour the relations graph draws it in; `None`: the graph leaves it out."""
    shown: bool = False
    """Whether the graph shows it before the reader ticks its box."""


@dataclass(frozen=True)
class RelationTypes:
    """The relation types of a build, in the order role pages list them: `relations.yml`'s,
    then those a site's relations files add."""

    specs: tuple[RelationTypeSpec, ...]

    def __iter__(self) -> Iterator[RelationTypeSpec]:
        return iter(self.specs)

    def __contains__(self, key: object) -> bool:
        return any(spec.key == key for spec in self.specs)

    def __getitem__(self, key: str) -> RelationTypeSpec:
        for spec in self.specs:
            if spec.key == key:
                return spec
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(spec.key for spec in self.specs)

    @property
    def drawn(self) -> tuple[RelationTypeSpec, ...]:
        """The types the relations graph draws (those with a colour), in order."""
        return tuple(spec for spec in self.specs if spec.colour is not None)


class Stance(StrEnum):
    """What a line says a role does about an area, each defined here once: its value (the
    words `claims.yml` and `roles.json` use), the label of its badge, the CSS class that
    colours the badge, and its rank (a matrix cell sorts by its highest)."""

    OWNS = "owns", "owns", "rb-owns", 4
    MUST_NOT = "must not", "must not", "rb-must-not", 1
    STANDARDS = "sets standards", "sets standards", "rb-standards", 3
    RELIES_ON = "relies on", "relies on", "rb-relies", 2
    """Leaves the area to, or depends on, another role for it."""

    label: str
    css_class: str
    rank: int

    def __new__(cls, value: str, label: str = "", css_class: str = "", rank: int = 0) -> Stance:
        # Called once per member, with its fields. `Stance("owns")` looks a member up and
        # never comes here; the defaults let type checkers accept that call.
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.css_class = css_class
        member.rank = rank
        return member


@dataclass(frozen=True)
class Relation:
    """One sentence of one role's documents naming another role."""

    source: str
    """Id of the role whose document says it."""
    target: str
    """Id of the role named."""
    type: str
    """The relation type's key (`delegates_to`): one of the build's `RelationTypes`."""
    path: str
    """Document path."""
    line: int
    sentence: str
    """The item's text, as the reader sees it."""
    section: str | None
    """Canonical section the item is in (`boundaries`), if any."""
    anchor: str
    """Anchor of the item on the source role's page."""


@dataclass(frozen=True)
class Escalation:
    """One escalation trigger: when a role escalates, to whom, how."""

    role: str
    trigger: str
    target: str
    """A role id, a person ("the user", "a human") or `unspecified`."""
    target_is_role: bool
    action: str
    path: str
    line: int
    anchor: str


@dataclass(frozen=True)
class Role:
    """A role: every document that describes it, merged."""

    id: str
    """URL-safe identifier; the role's page lives at `/roles/<id>/`."""
    name: str
    """Display name."""
    aliases: tuple[str, ...]
    """Other names the documents give this role, in document order."""
    documents: tuple[Document, ...]
    summary: str
    """One paragraph: the mission, else a description, else the first paragraph."""
    source_dir: str = field(default="")
    """The folder the role's documents came from (relative path), if they share one."""
    metadata: RoleMetadata | None = None
    """`agent.json` or roster entry, if any."""
    status: RoleStatus = RoleStatus.DEFINED
    former_ids: tuple[str, ...] = ()
    """Ids this role was known by (overlay renames): their URLs redirect to it."""
    copy_of: str | None = None
    """Id of the role this one is another copy of: the same agent card, with other text, in
    another folder (`plugins/b/agents/x.md` beside `plugins/a/agents/x.md`)."""

    @property
    def is_skill(self) -> bool:
        """Whether the role is a skill: every document of it is a `SKILL.md`."""
        return bool(self.documents) and all(d.kind is DocumentKind.SKILL for d in self.documents)

    def redirect_ids(self) -> list[str]:
        """Old ids and slugs of aliases, whose `/roles/<slug>/` should lead here."""
        found = [*self.former_ids, *(slugify(alias) for alias in self.aliases)]
        return [slug for slug in dict.fromkeys(found) if slug != self.id]
