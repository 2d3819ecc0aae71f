"""Find the files of the source folders: the role documents the readers claim, and the
images published beside them.

Nothing here writes to the source folders, and nothing here reads a file's contents: which
files are documents is the readers' call (`rolebook.read.READERS`), what they hold is
theirs to read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rolebook.model import Finding, Level

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


@dataclass(frozen=True)
class SourceFile:
    """A document found in a source folder, before it is read."""

    abs_path: Path
    path: str
    """Path shown to users: relative to the site's config folder when inside it."""
    group: str
    """Documents with the same group form one role: a role folder's path, else the file's path."""
    folder: str
    """Name of the folder holding the file."""
    relative: str = ""
    """Path inside its sources folder (`agents/README.md`): the same wherever the folder is."""


def display_path(path: Path, base: Path, root: Path | None = None) -> str:
    """`path` as findings and the published site name it, always with `/`: relative to `base`
    (the folder of `mkdocs.yml`) when it lies inside it, else relative to the folder that
    holds its sources folder `root` (`roles/backend/ROLE.md`). Never absolute: a site must
    not depend on, nor publish, where it was built."""
    for anchor in (base, root.parent if root is not None else None):
        if anchor is not None and path.is_relative_to(anchor):
            return path.relative_to(anchor).as_posix()
    return path.name


def find_sources(
    roots: list[Path], base: Path, role_folder_markers: frozenset[str], wanted: Callable[[str], bool]
) -> tuple[list[SourceFile], list[Finding]]:
    """Every file under `roots` whose name a reader `wanted` (documents, metadata, crew
    files), in a stable order (sorted paths), and findings about what was skipped.

    Hidden folders inside a root are skipped; symbolic links are never followed (a link to a
    file outside the sources would publish it).
    """
    found: list[SourceFile] = []
    findings: list[Finding] = []
    seen: set[Path] = set()
    for root in roots:
        if not root.is_dir():
            continue
        for folder, dirnames, filenames in os.walk(root, followlinks=False):
            for name in sorted(dirnames):
                if Path(folder, name).is_symlink():
                    findings.append(_symlink_finding(Path(folder, name), root, base))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not Path(folder, d).is_symlink())
            lower = {name.lower() for name in filenames}
            is_role_folder = Path(folder) != root and bool(lower & role_folder_markers)
            for name in sorted(filenames):
                abs_path = Path(folder, name)
                if not wanted(name):
                    continue
                if abs_path.is_symlink():
                    findings.append(_symlink_finding(abs_path, root, base))
                    continue
                if abs_path in seen:
                    continue
                seen.add(abs_path)
                group = Path(folder) if is_role_folder else abs_path
                found.append(
                    SourceFile(
                        abs_path=abs_path,
                        path=display_path(abs_path, base, root),
                        group=display_path(group, base, root),
                        folder=Path(folder).name,
                        relative=abs_path.relative_to(root).as_posix(),
                    )
                )
    return found, findings


def find_images(roots: list[Path]) -> list[tuple[Path, Path]]:
    """Images under the source folders, as `(root, path)`: published so documents can show them."""
    found = []
    for root in roots:
        if root.is_dir():
            for folder, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    path = Path(folder, name)
                    if name.lower().endswith(IMAGE_SUFFIXES) and not path.is_symlink():
                        found.append((root, path))
    return found


def _symlink_finding(link: Path, root: Path, base: Path) -> Finding:
    target = link.resolve()
    where = "outside the sources" if not target.is_relative_to(root.resolve()) else "inside the sources"
    message = f"symbolic link to a path {where}; not followed"
    return Finding(display_path(link, base, root), None, Level.WARNING, message)
