"""CrewAI crews: `agents.yaml` (key -> role / goal / backstory) and `tasks.yaml` (key ->
description / expected_output / agent).

Each agent becomes a role of its own (id from its key); each task is shown on its agent's
page. YAML anchors and `<<:` merge keys are resolved by the safe loader; entries whose key
starts with `_` (such as `_common`) or that have none of role/goal/backstory are templates,
not agents. Line numbers point at the YAML keys, so provenance links land on the right line.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import Document, DocumentKind, Finding, Item, Level, Section
from .names import item_anchor
from .parse import highlight_code, protect
from .sources import CONTROL, SourceFile

AGENT_FILES = ("agents.yaml", "agents.yml")
TASK_FILES = ("tasks.yaml", "tasks.yml")
AGENT_FIELDS = ("role", "goal", "backstory")
TASK_FIELDS = ("description", "expected_output")


@dataclass(frozen=True)
class CrewDocument:
    """A document made from a CrewAI file for one agent, and the role group it joins."""

    group: str
    folder: str
    document: Document


def is_crew_file(name: str) -> bool:
    return name.lower() in AGENT_FILES + TASK_FILES


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


def read_crew_file(source: SourceFile) -> tuple[list[CrewDocument], list[Finding]]:
    """Documents for each agent of an agents.yaml, or for each agent's tasks of a tasks.yaml."""
    findings: list[Finding] = []
    try:
        raw = source.abs_path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return [], [Finding(source.path, None, Level.ERROR, f"cannot read CrewAI file: {error}")]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return [], [Finding(source.path, mark.line + 1 if mark else None, Level.WARNING, f"not valid YAML ({problem})")]
    if not isinstance(data, dict):
        return [], [Finding(source.path, 1, Level.WARNING, "a CrewAI file should map names to entries; ignored")]
    lines = _key_lines(text)
    digest = hashlib.sha256(raw).hexdigest()
    tasks = source.abs_path.name.lower() in TASK_FILES
    crew_dir = source.path.rsplit("/", 1)[0] if "/" in source.path else "."
    by_agent: dict[str, list[Section]] = {}
    out: list[CrewDocument] = []
    for key, entry in data.items():
        key = str(key)
        line = lines.get((key,), 1)
        if not isinstance(entry, dict):
            findings.append(Finding(source.path, line, Level.WARNING, f"entry '{key}' is not a mapping; ignored"))
            continue
        fields = AGENT_FIELDS if not tasks else TASK_FIELDS
        if key.startswith("_") or not any(f in entry for f in fields):
            findings.append(
                Finding(source.path, line, Level.INFO, f"entry '{key}' is a template, not an agent or task")
            )
            continue
        bad = [f for f in fields if f in entry and not isinstance(entry[f], str)]
        for field in bad:
            findings.append(
                Finding(source.path, lines.get((key, field), line), Level.WARNING, f"'{key}.{field}' should be text")
            )
        if tasks:
            agent = entry.get("agent")
            if not isinstance(agent, str) or not agent.strip():
                findings.append(Finding(source.path, line, Level.WARNING, f"task '{key}' names no agent; not shown"))
                continue
            body = str(entry.get("description") or "")
            if entry.get("expected_output"):
                body += f"\n\nExpected output: {entry['expected_output']}"
            section = _section(source.abs_path.name, key, "tasks", line, body, level=3)
            by_agent.setdefault(agent.strip(), []).append(section)
            continue
        role = str(entry.get("role") or key).strip()
        name = source.abs_path.name
        sections = [_section(name, role, "mission", lines.get((key, "role"), line), role, level=0)]
        for field, canonical in (("goal", "mission"), ("backstory", "principles")):
            if isinstance(entry.get(field), str):
                sections.append(
                    _section(name, field.capitalize(), canonical, lines.get((key, field), line), entry[field])
                )
        settings = {k: v for k, v in entry.items() if k not in AGENT_FIELDS}
        if settings:
            dump = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True)
            html_code = protect(highlight_code(dump, "yaml"))
            item = Item(line, "code", dump, "", ())
            sections.append(Section("Settings", ("Settings",), 2, line, "tools", html_code, (item,)))
        out.append(
            CrewDocument(f"{crew_dir}/crewai:{key}", key, _document(source, text, digest, raw, key, role, sections))
        )
    for agent, sections in by_agent.items():
        out.append(
            CrewDocument(
                f"{crew_dir}/crewai:{agent}",
                agent,
                _document(source, text, digest, raw, agent, f"Tasks of {agent}", sections),
            )
        )
    return out, findings


def _document(
    source: SourceFile, text: str, digest: str, raw: bytes, key: str, title: str, sections: list[Section]
) -> Document:
    return Document(
        path=source.path,
        abs_path=str(source.abs_path),
        name=source.abs_path.name,
        kind=DocumentKind.AGENT_CARD,
        title=title,
        alias=title if title != key and not title.startswith("Tasks of ") else None,
        front_matter={},
        description=None,
        text=text.replace("\r\n", "\n"),
        sections=tuple(sections),
        digest=digest,
        size=len(raw),
    )


def crew_source(document: CrewDocument, source: SourceFile) -> SourceFile:
    """The source file as the merge step sees it: grouped with its agent's other documents."""
    return SourceFile(abs_path=Path(source.abs_path), path=source.path, group=document.group, folder=document.folder)
