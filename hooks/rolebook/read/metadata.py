"""Role metadata in JSON: a role folder's `agent.json`, and roster files listing many roles.

`agent.json` is `{"id": …, "name": …, "summary": …, "keywords"/"routing_keywords": […], …}`;
a roster (such as `all_agents.json`) is a list of such objects, or an object holding one
under `agents` or `roles`. Other JSON files are not role files and are left alone.
"""

from __future__ import annotations

import json

from rolebook.model import Finding, Level, RoleMetadata
from rolebook.read.reader import ReadContext, Reader, ReadResult, TextFile

AGENT_FILE = "agent.json"
_KEYWORD_FIELDS = ("keywords", "routing_keywords", "tags")


def _entry(path: str, data: dict[str, object], findings: list[Finding], where: str) -> RoleMetadata | None:
    identifier = data.get("id")
    if not isinstance(identifier, str) or not identifier.strip():
        findings.append(Finding(path, None, Level.WARNING, f"{where}has no string `id`; ignored"))
        return None
    name, summary = data.get("name"), data.get("summary") or data.get("description")
    for key, value in (("name", name), ("summary", summary)):
        if value is not None and not isinstance(value, str):
            findings.append(Finding(path, None, Level.WARNING, f"{where}`{key}` should be a string; ignored"))
    keywords: list[str] = []
    for key in _KEYWORD_FIELDS:
        value = data.get(key)
        if isinstance(value, list):
            keywords.extend(str(v) for v in value if isinstance(v, (str, int, float)))
        elif value is not None:
            findings.append(Finding(path, None, Level.WARNING, f"{where}`{key}` should be a list; ignored"))
    fields = tuple(
        (key, str(value))
        for key, value in data.items()
        if key not in ("id", "name", "summary", "description", *_KEYWORD_FIELDS)
        and isinstance(value, (str, int, float, bool))
    )
    return RoleMetadata(
        path=path,
        id=identifier.strip(),
        name=name.strip() if isinstance(name, str) and name.strip() else None,
        summary=summary.strip() if isinstance(summary, str) and summary.strip() else None,
        keywords=tuple(keywords),
        fields=fields,
    )


def read_metadata(file: TextFile) -> tuple[RoleMetadata | None, list[RoleMetadata], list[Finding]]:
    """Read a JSON file: `(agent metadata, roster entries, findings)`; both empty, and
    nothing reported, for JSON that is neither (`package.json`)."""
    source = file.source
    findings: list[Finding] = list(file.text.findings)
    try:
        data = json.loads(file.text.rendered)
    except json.JSONDecodeError as error:
        if source.abs_path.name.lower() != AGENT_FILE and "agent" not in source.abs_path.name.lower():
            return None, [], []
        return (
            None,
            [],
            [*findings, Finding(source.path, error.lineno, Level.WARNING, f"not valid JSON ({error.msg}); ignored")],
        )
    if source.abs_path.name.lower() == AGENT_FILE:
        if not isinstance(data, dict):
            return (
                None,
                [],
                [*findings, Finding(source.path, 1, Level.WARNING, "agent.json should be an object; ignored")],
            )
        return _entry(source.path, data, findings, ""), [], findings
    entries = data.get("agents", data.get("roles")) if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) and "id" in e for e in entries):
        return None, [], []  # some other JSON file
    roster = [_entry(source.path, entry, findings, f"roster entry {n}: ") for n, entry in enumerate(entries, 1)]
    return None, [entry for entry in roster if entry is not None], findings


class MetadataReader(Reader):
    """`agent.json` beside a role's documents, and roster files; other JSON is left alone
    (what decoding noticed included: a `package.json` is not the library's business)."""

    name = "metadata"

    def claims(self, name: str) -> bool:
        return name.lower().endswith(".json")

    def read(self, files: list[TextFile], context: ReadContext) -> ReadResult:
        agents, roster, findings = [], [], []
        for file in files:
            agent, entries, found = read_metadata(file)
            if agent is not None:
                agents.append((file.source.group, agent))
            roster.extend(entries)
            findings.extend(found)
        return ReadResult(agents=tuple(agents), roster=tuple(roster), findings=tuple(findings))
