"""The optional overlay file, `rolebook.yml` at the top of a sources folder: role identity
kept beside the documents, never in them (agents read the documents as prompts).

    roles:
      backend:                        # the role's id (its URL: /roles/backend/)
        name: Backend                 # display name
        documents:                    # documents grouped into this role, relative to the folder
          - agents/backend-developer.md
          - skills/backend/SKILL.md
        aliases: [API team]           # more names to link and redirect
        renamed_from: [server]        # old ids whose URLs redirect here
    multi_role_documents:             # documents with one top-level section per role
      - handbook/different-roles.md
    names:                            # roles that no document defines
      confirm: [Owner, On-call Engineer]  # roles wherever the text names them
      forbid: [Flutter, Jaeger]           # never roles, however the text uses them
    groups:                           # headings of the roles list in the site's sidebar
      Engineering: [backend, frontend-developer]
      Delivery: [releaser, verifier]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from rolebook.model import Finding, Level
from rolebook.names import slugify
from rolebook.read.files import display_path

OVERLAY_FILE = "rolebook.yml"


@dataclass(frozen=True)
class OverlayRole:
    id: str
    name: str | None
    documents: tuple[Path, ...]
    """Absolute paths of the documents grouped into the role."""
    aliases: tuple[str, ...]
    renamed_from: tuple[str, ...]


@dataclass
class Overlay:
    roles: dict[str, OverlayRole] = field(default_factory=dict)
    multi_role: set[str] = field(default_factory=set)
    """Absolute paths of documents declared to describe several roles, one per top-level section."""
    confirmed: list[str] = field(default_factory=list)
    """Names that are roles wherever the text names them, though no document defines them."""
    forbidden: set[str] = field(default_factory=set)
    """Lower-cased names that are never roles that no document defines."""
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Heading -> ids of the roles listed under it in the sidebar, in the file's order."""
    groups_file: str = ""
    """The overlay file that declares `groups` (as findings name it)."""

    def role_of(self, path: Path) -> OverlayRole | None:
        """The overlay role a document is grouped into, if any."""
        for role in self.roles.values():
            if path in role.documents:
                return role
        return None

    def for_id(self, role_id: str) -> OverlayRole | None:
        return self.roles.get(role_id)


def _strings(value: object) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def load_overlay(roots: list[Path], base: Path) -> tuple[Overlay, list[Finding]]:
    """Read `rolebook.yml` from each sources folder that has one."""
    overlay = Overlay()
    findings: list[Finding] = []
    for root in roots:
        path = root / OVERLAY_FILE
        if not path.is_file():
            continue
        shown = display_path(path, base, root)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            mark = getattr(error, "problem_mark", None)
            findings.append(
                Finding(
                    shown, mark.line + 1 if mark else None, Level.WARNING, f"overlay not read: {error}".split("\n")[0]
                )
            )
            continue
        multi = _strings(data.get("multi_role_documents")) if isinstance(data, dict) else None
        if multi is None:
            findings.append(
                Finding(shown, None, Level.WARNING, "overlay `multi_role_documents` must be a list of paths")
            )
            multi = []
        for document in multi:
            target = (root / document).resolve()
            if target.is_relative_to(root.resolve()) and target.is_file():
                overlay.multi_role.add(str(target))
            else:
                findings.append(
                    Finding(shown, None, Level.WARNING, f"overlay: no document '{document}' in the sources")
                )
        names = data.get("names", {}) if isinstance(data, dict) else None
        confirm = _strings(names.get("confirm")) if isinstance(names, dict) else None
        forbid = _strings(names.get("forbid")) if isinstance(names, dict) else None
        if confirm is None or forbid is None:
            findings.append(
                Finding(shown, None, Level.WARNING, "overlay `names` must map `confirm` and `forbid` to lists of names")
            )
        else:
            overlay.confirmed.extend(confirm)
            overlay.forbidden.update(name.strip().lower() for name in forbid)
        groups = data.get("groups") if isinstance(data, dict) else None
        if groups is not None and not isinstance(groups, dict):
            findings.append(
                Finding(shown, None, Level.WARNING, "overlay `groups` must map headings to lists of role ids")
            )
        for title, members in groups.items() if isinstance(groups, dict) else ():
            listed = _strings(members)
            if listed is None:
                findings.append(
                    Finding(shown, None, Level.WARNING, f"overlay group '{title}' must be a list of role ids")
                )
                continue
            heading = str(title)
            overlay.groups[heading] = overlay.groups.get(heading, ()) + tuple(slugify(member) for member in listed)
            overlay.groups_file = shown
        roles = data.get("roles", {}) if isinstance(data, dict) else None
        if not isinstance(roles, dict):
            findings.append(Finding(shown, 1, Level.WARNING, "overlay needs a `roles:` mapping; ignored"))
            continue
        for key, entry in roles.items():
            role_id = slugify(str(key))
            entry = entry or {}
            if not isinstance(entry, dict):
                findings.append(Finding(shown, None, Level.WARNING, f"overlay role '{key}' is not a mapping; ignored"))
                continue
            documents = _strings(entry.get("documents"))
            aliases = _strings(entry.get("aliases"))
            renamed = _strings(entry.get("renamed_from"))
            name = entry.get("name")
            if documents is None or aliases is None or renamed is None or not (name is None or isinstance(name, str)):
                findings.append(
                    Finding(
                        shown, None, Level.WARNING, f"overlay role '{key}': name must be text, the others lists of text"
                    )
                )
                continue
            resolved = []
            for document in documents:
                target = (root / document).resolve()
                if not target.is_relative_to(root.resolve()) or not target.is_file():
                    findings.append(
                        Finding(
                            shown, None, Level.WARNING, f"overlay role '{key}': no document '{document}' in the sources"
                        )
                    )
                    continue
                resolved.append(target)
            overlay.roles[role_id] = OverlayRole(role_id, name, tuple(resolved), tuple(aliases), tuple(renamed))
    return overlay, findings
