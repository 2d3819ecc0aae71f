"""One analysis of a library, the same for the site and for `rolebook check`/`export`: read
and merge the documents, relate the roles, choose the responsibility areas, read every
claim and find the conflicts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from rolebook.cache import RESULTS, collection_paused, keep_out_of_sight, start_over
from rolebook.config import Settings
from rolebook.library import Library, Stopwatch, load_library
from rolebook.model import Finding, Level
from rolebook.read.files import display_path
from rolebook.read.reader import PARSE_CACHE
from rolebook.responsibilities.areas import Area
from rolebook.responsibilities.matrices import (
    Claim,
    Conflict,
    areas_for,
    claims_by_role,
    collect_claims,
    find_conflicts,
    matrix_rows,
    unowned,
)

SETTINGS_FILE = "mkdocs.yml"
"""Where settings findings point."""
MISSING_FOLDER = "source folder does not exist; no roles are read from it"


@dataclass(frozen=True)
class Analysis:
    """Everything Rolebook concludes from a library, before anything is rendered."""

    library: Library
    areas: list[Area]
    """The responsibility areas the matrix has columns for."""
    areas_reason: str
    """Why these areas (the site's, the built-in ones, or derived from the library)."""
    claims: list[Claim]
    conflicts: list[Conflict]

    @cached_property
    def own_claims(self) -> dict[str, list[Claim]]:
        """Claims by the id of the role they are about."""
        return claims_by_role(self.claims)

    @cached_property
    def unowned(self) -> list[Area]:
        """Areas no role owns."""
        return unowned(self.claims, self.areas)


def analyse(
    settings: Settings,
    base: Path,
    *,
    roots: list[Path] | None = None,
    is_page: Callable[[str], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    timings: dict[str, float] | None = None,
    keep: bool = False,
) -> Analysis:
    """Analyse the library in `settings.roots` (or `roots`), paths shown relative to `base`.

    `is_page(path)` says whether a file outside the sources is a page of the site (links to
    anything else are reported); `progress(done, total)` follows the reading; `timings`
    receives seconds per phase; with `keep`, what each document gave is kept for the next
    analysis in this process (`mkdocs serve`), which then redoes only changed documents.
    The settings' warnings and missing source folders are findings like any other.

    What the analysis holds lives until the site is written, so it is kept out of the
    garbage collector's sight until the next analysis starts (`rolebook.cache.keep_out_of_sight`)."""
    start_over()
    with collection_paused():
        return _analyse(settings, base, roots, is_page, progress, timings, keep)


def _analyse(
    settings: Settings,
    base: Path,
    roots: list[Path] | None,
    is_page: Callable[[str], bool] | None,
    progress: Callable[[int, int], None] | None,
    timings: dict[str, float] | None,
    keep: bool,
) -> Analysis:
    roots = list(settings.roots) if roots is None else roots
    findings = [Finding(SETTINGS_FILE, None, Level.WARNING, message) for message in settings.warnings]
    findings += [
        Finding(
            display_path(root, base), None, Level.WARNING, "source folder does not exist; no roles are read from it"
        )
        for root in roots
        if not root.is_dir()
    ]
    library = load_library(
        roots,
        base,
        settings.vocabulary,
        settings.rules,
        cache=PARSE_CACHE if keep else None,
        timings=timings,
        allow_html=settings.allow_html,
        progress=progress,
        is_page=is_page,
        workers=settings.workers,
    )
    if findings:
        library = replace(library, findings=(*findings, *library.findings))
    clock = Stopwatch(timings)
    choice = areas_for(library, settings.vocabulary, settings.areas, settings.claims)
    claims = collect_claims(
        library, settings.vocabulary, choice.areas, settings.workers, RESULTS if keep else None, settings.claims
    )
    analysis = Analysis(
        library=library,
        areas=choice.areas,
        areas_reason=choice.reason,
        claims=claims,
        conflicts=find_conflicts(claims, choice.areas, matrix_rows(library)),
    )
    keep_out_of_sight()
    clock.lap("responsibility claims")
    return analysis
