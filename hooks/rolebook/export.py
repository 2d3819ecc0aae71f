"""Everything Rolebook knows, as data: `roles.json` (validated by `roles.schema.json`) and a
CSV per matrix. Same content, same order, every build."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rolebook import urls
from rolebook.library import Library
from rolebook.model import Document, RelationTypes, Role, RoleStatus, Stance
from rolebook.read.facts import role_facts
from rolebook.responsibilities.matrices import Area, Claim, Conflict

SCHEMA_PATH = Path(__file__).with_name("roles.schema.json")
"""The schema as the shipped relation types make it; a build publishes `schema_text`'s."""
SCHEMA_VERSION = 1


def _location(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line else path


def _document(document: Document) -> dict[str, Any]:
    return {
        "path": document.path,
        "name": document.name,
        "kind": document.kind.value,
        "title": document.title,
        "description": document.description,
        "sha256": document.digest,
        "bytes": document.size,
    }


def export_model(library: Library, claims: list[Claim], conflicts: list[Conflict], areas: list[Area]) -> dict:
    """The whole model as plain JSON-ready data."""
    rest = export_rest(library, claims, conflicts, areas)
    return {"rolebook": rest.pop("rolebook"), "roles": [role_record(role) for role in library.roles], **rest}


def export_parts(library: Library, rest: dict) -> Iterator[str]:
    """`to_json(export_model(...))` in parts, one role at a time, from `rest` (what
    `export_rest` gives), for writing the export without holding it whole: at a thousand
    roles it is 40 MB of text, and the model it is made from several times that."""
    others = {key: value for key, value in rest.items() if key != "rolebook"}
    yield f'{{"rolebook":{json.dumps(rest["rolebook"])},"roles":['
    for index, role in enumerate(library.roles):
        yield ("," if index else "") + to_json(role_record(role))[:-1]
    yield "]," + to_json(others)[1:]


def role_record(role: Role) -> dict[str, Any]:
    """One role of the export: what it is, its sources, its sections and their items."""
    sections = []
    for document in role.documents:
        for section in document.sections:
            sections.append(
                {
                    "document": document.path,
                    "title": section.title,
                    "path": list(section.path),
                    "level": section.level,
                    "location": _location(document.path, section.line),
                    "section": section.canonical,
                    "items": [
                        {"kind": item.kind, "text": item.text, "location": _location(document.path, item.line)}
                        for item in section.items
                    ],
                }
            )
    metadata = None
    if role.metadata is not None:
        metadata = {
            "path": role.metadata.path,
            "id": role.metadata.id,
            "name": role.metadata.name,
            "summary": role.metadata.summary,
            "keywords": list(role.metadata.keywords),
            "fields": dict(role.metadata.fields),
        }
    return {
        "id": role.id,
        "name": role.name,
        "status": role.status.value,
        "url": urls.role_url(role.id),
        "aliases": list(role.aliases),
        "summary": role.summary,
        "metadata": metadata,
        "facts": [{"key": f.key, "title": f.title, "value": f.value, "source": f.source} for f in role_facts(role)],
        "sources": [_document(d) for d in role.documents],
        "sections": sections,
    }


def export_rest(library: Library, claims: list[Claim], conflicts: list[Conflict], areas: list[Area]) -> dict:
    """The export without its roles: the schema version, relations, escalations, areas,
    responsibilities, conflicts, findings and counts (what the CSV files are made from)."""
    return {
        "rolebook": SCHEMA_VERSION,
        "relations": [
            {
                "source": r.source,
                "target": r.target,
                "type": str(r.type),
                "sentence": r.sentence,
                "section": r.section,
                "location": _location(r.path, r.line),
                "url": f"roles/{r.source}/#{r.anchor}",
            }
            for r in library.relations
        ],
        "escalations": [
            {
                "role": e.role,
                "trigger": e.trigger,
                "target": e.target,
                "target_is_role": e.target_is_role,
                "action": e.action,
                "location": _location(e.path, e.line),
                "url": f"roles/{e.role}/#{e.anchor}",
            }
            for e in library.escalations
        ],
        "areas": [{"key": a.key, "title": a.title} for a in areas],
        "responsibilities": [
            {
                "role": c.role,
                "area": c.area,
                "stance": c.stance.value,
                "others": list(c.others),
                "by": c.by or None,
                "text": c.text,
                "location": _location(c.path, c.line),
                "url": f"roles/{c.writer}/#{c.anchor}",
            }
            for c in claims
        ],
        "conflicts": [
            {
                "kind": c.kind,
                "area": c.area,
                "roles": list(c.roles),
                "locations": [_location(claim.path, claim.line) for claim in c.claims],
                "claims": [
                    {
                        "role": claim.role,
                        "stance": claim.stance.value,
                        "by": claim.writer,
                        "location": _location(claim.path, claim.line),
                        "url": f"roles/{claim.writer}/#{claim.anchor}",
                    }
                    for claim in c.claims
                ],
            }
            for c in conflicts
        ],
        "findings": [
            {"path": f.path, "line": f.line, "level": f.level.value, "message": f.message} for f in library.findings
        ],
        "counts": {
            "roles": sum(1 for r in library.roles if r.status is RoleStatus.DEFINED),
            "referenced_roles": sum(1 for r in library.roles if r.status is RoleStatus.REFERENCED),
            "listed_roles": sum(1 for r in library.roles if r.status is RoleStatus.LISTED),
            "overviews": sum(1 for r in library.roles if r.status is RoleStatus.OVERVIEW),
            "files": len(library.sources),
            "documents": len(library.documents),
            "relations": len(library.relations),
            "escalations": len(library.escalations),
        },
    }


def schema_text(types: RelationTypes) -> str:
    """`roles.schema.json` for a build: `SCHEMA_PATH` with its `relationType` definition
    written from the build's relation types (a site's own among them) and its `stance`
    definition from `Stance`, so the schema lists exactly what `roles.json` can hold."""
    relation_types = [
        json.dumps({"const": kind.key, "title": kind.label, "description": kind.description}, ensure_ascii=False)
        for kind in types
    ]
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    text = _replace_definition(
        text,
        "relationType",
        '"description": "What a sentence says one role does with another (relations.yml and the site\'s relations '
        'files declare the types).",\n      "oneOf": [\n        ' + ",\n        ".join(relation_types) + "\n      ]",
    )
    stances = json.dumps([stance.value for stance in Stance], ensure_ascii=False)
    return _replace_definition(
        text, "stance", f'"description": "What a line says a role does about an area.",\n      "enum": {stances}'
    )


def _replace_definition(text: str, name: str, body: str) -> str:
    """The schema `text` with the body of `$defs/<name>` (a block that another definition
    follows: from `    "<name>": {` to `    },`) replaced by `body`."""
    start = text.index(f'\n    "{name}": {{\n') + 1
    end = text.index("\n    },\n", start) + len("\n    },\n")
    return f'{text[:start]}    "{name}": {{\n      {body}\n    }},\n{text[end:]}'


def to_json(model: dict) -> str:
    """Compact JSON (one line per file keeps Python on its fast C encoder)."""
    return json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula gets a leading `'`."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def csv_files(model: dict) -> dict[str, str]:
    """`{file name: CSV text}` for the matrices."""
    return {
        "responsibilities.csv": to_csv(
            ["role", "area", "stance", "others", "by", "location", "text"],
            [
                [c["role"], c["area"], c["stance"], " ".join(c["others"]), c["by"] or "", c["location"], c["text"]]
                for c in model["responsibilities"]
            ],
        ),
        "escalations.csv": to_csv(
            ["role", "trigger", "target", "target_is_role", "action", "location"],
            [
                [e["role"], e["trigger"], e["target"], e["target_is_role"], e["action"], e["location"]]
                for e in model["escalations"]
            ],
        ),
        "relations.csv": to_csv(
            ["source", "type", "target", "section", "location", "sentence"],
            [
                [r["source"], r["type"], r["target"], r["section"], r["location"], r["sentence"]]
                for r in model["relations"]
            ],
        ),
    }
