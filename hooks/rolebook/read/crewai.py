"""CrewAI crews: `agents.yaml` (key -> role / goal / backstory), `tasks.yaml` (key ->
description / expected_output / agent) and `crews.yaml` (key -> agents, tasks, process,
memory and other crew settings), read together, folder by folder.

Each agent becomes a role of its own (id from its key, name from its `role`); each task is
shown on its agent's page; a task that names no agent belongs to the crew, and is shown on
the page of every agent of the crew that lists it (or of every agent of the folder); a crew
is shown on the page of each of its members. YAML anchors and `<<:` merge keys are
resolved by the safe loader; entries whose key starts with `_` (such as `_common`) or that
have none of the expected fields are templates. Line numbers point at the YAML keys, so
provenance links land on the right line.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from rolebook.model import Document, DocumentKind, Finding, Item, Level, Section
from rolebook.names import item_anchor
from rolebook.read.files import SourceFile
from rolebook.read.markdown import highlight_code, protect
from rolebook.read.reader import ReadContext, Reader, ReadResult, TextFile
from rolebook.read.text import CONTROL

AGENT_FILES = ("agents.yaml", "agents.yml")
TASK_FILES = ("tasks.yaml", "tasks.yml")
CREW_FILES = ("crews.yaml", "crews.yml")
AGENT_FIELDS = ("role", "goal", "backstory")
TASK_FIELDS = ("description", "expected_output")
CREW_FIELDS = ("agents", "tasks", "process")


@dataclass(frozen=True)
class CrewDocument:
    """A document made from a CrewAI file for one agent, and the role group it joins."""

    group: str
    folder: str
    document: Document


def is_crew_file(name: str) -> bool:
    return name.lower() in AGENT_FILES + TASK_FILES + CREW_FILES


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """1-based line of each mapping key, by path of keys (`("researcher", "goal")`)."""
    lines: dict[tuple[str, ...], int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode):
                lines[(key.value,)] = key.start_mark.line + 1
                if isinstance(value, yaml.MappingNode):
                    for child, _ in value.value:
                        if isinstance(child, yaml.ScalarNode):
                            lines[(key.value, child.value)] = child.start_mark.line + 1
    return lines


def _paragraphs(text: str, anchor: str) -> str:
    """Folded YAML text as paragraphs; the first carries the item's anchor."""
    paragraphs = [p for p in CONTROL.sub("\N{REPLACEMENT CHARACTER}", text.strip()).split("\n\n") if p.strip()]
    out = []
    for index, paragraph in enumerate(paragraphs):
        opening = f'<p id="{anchor}">' if index == 0 else "<p>"
        out.append(f"{opening}{protect(html.escape(paragraph).replace(chr(10), '<br>' + chr(10)))}</p>\n")
    return "".join(out)


def _section(file_name: str, title: str, canonical: str | None, line: int, text: str, level: int = 2) -> Section:
    item = Item(line, "paragraph", text.strip(), text.strip(), ((line, text.strip(), text.strip()),))
    return Section(title, (title,), level, line, canonical, _paragraphs(text, item_anchor(file_name, line)), (item,))


@dataclass
class _CrewFile:
    """One YAML file of a crew folder, loaded."""

    file: TextFile
    entries: dict[str, dict]
    """Entries that are agents, tasks or crews (templates and bad entries left out)."""
    lines: dict[tuple[str, ...], int]

    def line(self, *keys: str) -> int:
        return self.lines.get(keys, self.lines.get(keys[:1], 1))

    @property
    def source(self) -> SourceFile:
        return self.file.source

    def document(self, title: str, sections: list[Section], alias: str | None = None) -> Document:
        return _document(self.file, title, sections, alias)


def _load(file: TextFile, fields: tuple[str, ...], findings: list[Finding]) -> _CrewFile | None:
    source, text = file.source, file.text.rendered
    findings.extend(file.text.findings)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        findings.append(
            Finding(source.path, mark.line + 1 if mark else None, Level.WARNING, f"not valid YAML ({problem})")
        )
        return None
    if not isinstance(data, dict):
        findings.append(Finding(source.path, 1, Level.WARNING, "a CrewAI file should map names to entries; ignored"))
        return None
    lines = _key_lines(text)
    entries: dict[str, dict] = {}
    for key, entry in data.items():
        key = str(key)
        line = lines.get((key,), 1)
        if not isinstance(entry, dict):
            findings.append(Finding(source.path, line, Level.WARNING, f"entry '{key}' is not a mapping; ignored"))
        elif key.startswith("_") or not any(f in entry for f in fields):
            findings.append(
                Finding(source.path, line, Level.INFO, f"entry '{key}' is a template, not an entry of its own")
            )
        else:
            entries[key] = entry
    return _CrewFile(file, entries, lines)


def _settings(
    crew_file: _CrewFile, key: str, entry: dict, skip: tuple[str, ...], title: str, level: int, canonical: str
) -> Section:
    """The fields of an entry that are not shown as text, as highlighted YAML."""
    dump = yaml.safe_dump({k: v for k, v in entry.items() if k not in skip}, sort_keys=False, allow_unicode=True)
    line = crew_file.line(key)
    item = Item(line, "code", dump, "", ())
    return Section(title, (title,), level, line, canonical, protect(highlight_code(dump, "yaml")), (item,))


def _names(value: object) -> list[str]:
    """Agent or task keys a crew lists (`[researcher, writer]`, or one name)."""
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if isinstance(v, (str, int))]
    return []


def read_crew(files: list[TextFile]) -> tuple[list[CrewDocument], list[Finding]]:
    """Documents for each agent of one crew folder: its own entry in `agents.yaml`, its tasks
    (and the crew's tasks that name no agent) from `tasks.yaml`, and the crews of
    `crews.yaml` it belongs to."""
    findings: list[Finding] = []
    by_name = {file.source.abs_path.name.lower(): file for file in files}

    def load(names: tuple[str, ...], fields: tuple[str, ...]) -> _CrewFile | None:
        file = next((by_name[n] for n in names if n in by_name), None)
        return _load(file, fields, findings) if file is not None else None

    agents, tasks, crews = load(AGENT_FILES, AGENT_FIELDS), load(TASK_FILES, TASK_FIELDS), load(CREW_FILES, CREW_FIELDS)
    first = files[0].source.path
    crew_dir = first.rsplit("/", 1)[0] if "/" in first else "."
    out: list[tuple[str, Document]] = []
    agent_keys = list(agents.entries) if agents else []
    names: dict[str, str] = {}
    if agents is not None:
        name = agents.source.abs_path.name
        for key, entry in agents.entries.items():
            for field in AGENT_FIELDS:
                if field in entry and not isinstance(entry[field], str):
                    findings.append(
                        Finding(
                            agents.source.path,
                            agents.line(key, field),
                            Level.WARNING,
                            f"'{key}.{field}' should be text",
                        )
                    )
            role = str(entry.get("role") or key).strip()
            sections = [_section(name, role, "mission", agents.line(key, "role"), role, level=0)]
            for field, canonical in (("goal", "mission"), ("backstory", "principles")):
                if isinstance(entry.get(field), str):
                    sections.append(
                        _section(name, field.capitalize(), canonical, agents.line(key, field), entry[field])
                    )
            if any(k not in AGENT_FIELDS for k in entry):
                sections.append(_settings(agents, key, entry, AGENT_FIELDS, "Settings", 2, "tools"))
            out.append((key, agents.document(role, sections, alias=role if role != key else None)))
            names[key] = role

    crew_of_task: dict[str, list[str]] = {}
    members: dict[str, list[str]] = {}
    if crews is not None:
        for key, entry in crews.entries.items():
            listed = _names(entry.get("agents")) or agent_keys
            members[key] = listed
            for task in _names(entry.get("tasks")):
                crew_of_task.setdefault(task, []).extend(listed)
            section = _settings(crews, key, entry, (), f"Crew {key}", 2, "crew")
            for agent in listed:
                out.append((agent, crews.document(f"Crew {key}", [section])))

    if tasks is not None:
        name = tasks.source.abs_path.name
        by_agent: dict[str, list[Section]] = {}
        for key, entry in tasks.entries.items():
            line = tasks.line(key)
            for field in TASK_FIELDS:
                if field in entry and not isinstance(entry[field], str):
                    findings.append(
                        Finding(
                            tasks.source.path, tasks.line(key, field), Level.WARNING, f"'{key}.{field}' should be text"
                        )
                    )
            named = entry.get("agent")
            assigned = isinstance(named, str) and bool(named.strip())
            owners = [str(named).strip()] if assigned else crew_of_task.get(key, agent_keys)
            title = key if assigned else f"{key} (a task of the crew: it names no agent)"
            if not owners:
                findings.append(
                    Finding(
                        tasks.source.path,
                        line,
                        Level.WARNING,
                        f"task '{key}' names no agent and no agents.yaml is beside it; not shown",
                    )
                )
                continue
            body = str(entry.get("description") or "")
            if entry.get("expected_output"):
                body += f"\n\nExpected output: {entry['expected_output']}"
            section = _section(name, title, "tasks", line, body, level=3)
            if any(k not in TASK_FIELDS for k in entry):
                extra = _settings(tasks, key, entry, TASK_FIELDS, title, 3, "tasks")
                section = replace(section, html=section.html + extra.html, items=section.items + extra.items)
            for owner in owners:
                by_agent.setdefault(owner, []).append(section)
        for agent, sections in by_agent.items():
            out.append((agent, tasks.document(f"Tasks of {names.get(agent, agent)}", sections)))
    return [CrewDocument(f"{crew_dir}/crewai:{key}", key, document) for key, document in out], findings


def _document(file: TextFile, title: str, sections: list[Section], alias: str | None) -> Document:
    source = file.source
    return Document(
        path=source.path,
        abs_path=str(source.abs_path),
        name=source.abs_path.name,
        kind=DocumentKind.AGENT_CARD,
        title=title,
        alias=alias,
        front_matter={},
        description=None,
        text=file.text.original,
        sections=tuple(sections),
        digest=file.text.digest,
        size=file.text.size,
    )


def crew_source(crew: CrewDocument) -> SourceFile:
    """The source file as the merge step sees it: grouped with its agent's other documents."""
    path = Path(crew.document.abs_path)
    return SourceFile(abs_path=path, path=crew.document.path, group=crew.group, folder=crew.folder)


class CrewReader(Reader):
    """A CrewAI folder's `agents.yaml`, `tasks.yaml` and `crews.yaml`, read together."""

    name = "crewai"

    def claims(self, name: str) -> bool:
        return is_crew_file(name)

    def units(self, files: list[SourceFile]) -> list[list[SourceFile]]:
        folders: dict[Path, list[SourceFile]] = {}
        for file in files:
            folders.setdefault(file.abs_path.parent, []).append(file)
        return list(folders.values())

    def read(self, files: list[TextFile], context: ReadContext) -> ReadResult:
        crew, findings = read_crew(files)
        return ReadResult(documents=tuple((crew_source(c), c.document) for c in crew), findings=tuple(findings))
