"""`extra.rolebook` in `mkdocs.yml`, read the same way by the hook and by `rolebook check`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

from rolebook.datafile import DataFileError
from rolebook.relate.rules import RelationRules, load_relation_rules
from rolebook.responsibilities.areas import Area, load_areas
from rolebook.responsibilities.claims import ClaimRules, load_claim_rules
from rolebook.site.search import ENGINES
from rolebook.vocabulary import Vocabulary, VocabularyError, load_vocabulary
from rolebook.workers import available_cpus

DEFAULT_SOURCES = "docs/sources"
DEFAULT_CACHE = ".cache/rolebook"


class RolebookConfig(base.Config):
    """The settings, as the plugin's options (`plugins: - rolebook: {…}`) or `extra.rolebook`."""

    sources = c.Optional(c.Type((str, list)))
    vocabulary = c.Optional(c.Type((str, list)))
    relations = c.Optional(c.Type((str, list)))
    areas = c.Optional(c.Type((str, list)))
    claims = c.Optional(c.Type((str, list)))
    allow_html = c.Type(bool, default=False)
    workers = c.Optional(c.Type(int))
    cache = c.Optional(c.Type(str))
    search = c.Choice(ENGINES, default=ENGINES[0])


def settings_from(config: RolebookConfig, base_folder: Path) -> Settings:
    """Settings from an already validated config (the plugin's)."""
    return read_settings({key: value for key, value in config.items() if value is not None}, base_folder)


class SettingsError(ValueError):
    """A setting that cannot be used, with a message for the user."""


@dataclass(frozen=True)
class Settings:
    """What a build reads, with paths resolved against the folder of `mkdocs.yml`."""

    roots: tuple[Path, ...]
    vocabulary: Vocabulary
    rules: RelationRules
    areas: list[Area]
    """The built-in areas with the site's (see `rolebook.responsibilities.areas`); the library may still get
    derived ones (`rolebook.responsibilities.matrices.areas_for`)."""
    claims: ClaimRules
    allow_html: bool
    workers: int
    cache: Path | None
    """Folder for what builds can share; not created here."""
    search: str = "pagefind"
    """What answers the search box: `pagefind` (a chunked index built after the site) or
    `material` (Material's own index, loaded whole by the browser)."""
    warnings: tuple[str, ...] = ()
    """What was wrong with the settings but did not stop the build (an unknown key)."""


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def source_folders(settings: object, base: Path) -> list[Path]:
    """The `sources` setting (default `docs/sources`), resolved against `base`."""
    found = _as_list(settings.get("sources") if isinstance(settings, dict) else None)
    return [(base / s).resolve() for s in found or [DEFAULT_SOURCES]]


def read_settings(settings: object, base: Path) -> Settings:
    """Read `extra.rolebook` (`settings`, `None` when absent); raise `SettingsError` when a
    setting or a file it names cannot be used."""
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise SettingsError("extra.rolebook in mkdocs.yml must be a mapping")
    workers = settings.get("workers", available_cpus())
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise SettingsError(f"extra.rolebook.workers in mkdocs.yml must be a whole number from 1 up, not {workers!r}")
    cache = settings.get("cache", DEFAULT_CACHE)
    search = settings.get("search", ENGINES[0])
    if search not in ENGINES:
        raise SettingsError(f"extra.rolebook.search in mkdocs.yml must be one of {', '.join(ENGINES)}, not {search!r}")
    try:
        rules = load_relation_rules(*[base / p for p in _as_list(settings.get("relations"))])
        return Settings(
            roots=tuple(source_folders(settings, base)),
            vocabulary=load_vocabulary(*[base / p for p in _as_list(settings.get("vocabulary"))]),
            rules=rules,
            areas=load_areas(*[base / p for p in _as_list(settings.get("areas"))]),
            claims=load_claim_rules(rules.negations, *[base / p for p in _as_list(settings.get("claims"))]),
            allow_html=settings.get("allow_html") is True,
            workers=workers,
            cache=base / str(cache) if cache else None,
            search=search,
        )
    except (VocabularyError, DataFileError, ValueError, OSError) as error:
        raise SettingsError(str(error)) from error
