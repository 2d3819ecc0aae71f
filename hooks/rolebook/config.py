"""Rolebook's settings, typed and validated with MkDocs' own `config_options`, the way a
plugin's are: the same class checks `extra.rolebook` for the hook and for `rolebook check`,
and serves as the config of the plugin.

A value of the wrong type is an error naming its key
(`extra.rolebook.workers: Expected type: <class 'int'> but received: <class 'str'>`);
a key that is not a setting is a warning naming it, with the closest setting's name
(`extra.rolebook: unrecognised setting 'worker' (did you mean 'workers'?)`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, Config, ValidationError, get_schema

from rolebook.datafile import DataFileError
from rolebook.relate.rules import RelationRules, load_relation_rules
from rolebook.responsibilities.areas import Area, load_areas
from rolebook.responsibilities.claims import ClaimRules, load_claim_rules
from rolebook.site.search import ENGINES
from rolebook.vocabulary import Vocabulary, load_vocabulary
from rolebook.workers import available_cpus

DEFAULT_SOURCES = "docs/sources"
DEFAULT_CACHE = ".cache/rolebook"
SPLIT_ABOVE = 300
"""Default `split_above`: at 300 roles the responsibility matrix is about 2 MB of HTML
(6.5 KB a role, measured on `scripts/gen_corpus.py` libraries), and its parts, half this
size, about 1 MB."""
WHERE = "extra.rolebook"
"""Where the settings are in `mkdocs.yml`, for messages."""


class SettingsError(ValueError):
    """A setting that cannot be used, with a message for the user that names it."""


class OneOrMore(c.ListOfItems[str]):
    """One value or a list of them (`!ENV` gives one string); absent or null is the default."""

    def run_validation(self, value: object) -> list[str]:
        if value is None:
            value = self.default
        return super().run_validation([value] if isinstance(value, str) else value)


class Count(c.Type[int]):
    """A whole number from 1 up (`true` is not one, though Python counts it as an `int`)."""

    def __init__(self, default: int | None = None) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or (isinstance(value, int) and value < 1):
            raise ValidationError(f"Expected a whole number from 1 up but received: {value!r}")
        return super().run_validation(value)


class FolderOrNone(BaseConfigOption[str | None]):
    """A folder, or `false`/null for none; absent is `default`."""

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str | None:
        if value is None or value is False:
            return None
        if not isinstance(value, str) or not value:
            raise ValidationError(f"Expected a folder, or false for none, but received: {value!r}")
        return value


class RolebookConfig(Config):
    """The settings under `extra.rolebook` (or a `rolebook` plugin's options). File and folder
    paths are relative to the folder of `mkdocs.yml`; see the guide's "Site settings"."""

    sources = OneOrMore(c.Type(str), default=[DEFAULT_SOURCES])
    """Folders of role documents."""
    vocabulary = OneOrMore(c.File(exists=True), default=[])
    """Site vocabulary files: more section synonyms and sections."""
    relations = OneOrMore(c.File(exists=True), default=[])
    """Site relation rule files: more cues, role words, persons."""
    areas = OneOrMore(c.File(exists=True), default=[])
    """Site responsibility area files: more areas or keywords."""
    claims = OneOrMore(c.File(exists=True), default=[])
    """Site claim rule files: more ownership, prohibition or exception words."""
    allow_html = c.Type(bool, default=False)
    """Keep raw HTML in documents (only for sources you trust)."""
    workers = c.Optional(Count())
    """Processes that read a large library; `None`: one per CPU the build may use."""
    cache = FolderOrNone(DEFAULT_CACHE)
    """Folder for what builds can share; `None`: nothing kept."""
    search = c.Choice(ENGINES, default=ENGINES[0])
    """What answers the search box."""
    split_above = Count(default=SPLIT_ABOVE)
    """Most roles the cross-role pages show on one page; a larger library's are split by group."""


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
    split_above: int = SPLIT_ABOVE
    """Libraries with more roles than this get the matrices, conflicts, escalations, graph and
    roles index split by group, in parts of at most half as many roles (`rolebook.site.pages`)."""
    search: str = "pagefind"
    """What answers the search box: `pagefind` (a chunked index built after the site) or
    `material` (Material's own index, loaded whole by the browser)."""
    warnings: tuple[str, ...] = ()
    """What was wrong but did not stop the build (an unrecognised setting), as messages that
    name the key; the build and `rolebook check` report them as warnings."""


def source_folders(settings: object, base: Path) -> list[Path]:
    """The `sources` setting (default `docs/sources`), resolved against `base`; `settings` is
    `extra.rolebook` as written, not validated (`rolebook new` needs only this)."""
    found = settings.get("sources") if isinstance(settings, dict) else None
    listed = [str(s) for s in found] if isinstance(found, list) else [str(found)] if found else []
    return [(base / s).resolve() for s in listed or [DEFAULT_SOURCES]]


def validate(raw: object, base: Path) -> tuple[RolebookConfig, tuple[str, ...]]:
    """`raw` (`extra.rolebook`, `None` when absent) checked against `RolebookConfig`, with the
    warnings it gave; raise `SettingsError` on the first value that cannot be used."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise SettingsError(f"{WHERE} in mkdocs.yml must be a mapping of settings, not {raw!r}")
    config = RolebookConfig(config_file_path=str(base / "mkdocs.yml"))
    config.load_dict(raw)
    errors, warnings = config.validate()
    if errors:
        key, error = errors[0]
        raise SettingsError(f"{WHERE}.{key}: {error}")
    known = [name for name, _ in get_schema(RolebookConfig)]
    messages = [f"{WHERE}.{key}: {warning}" for key, warning in warnings if key in known]
    for key in sorted(str(key) for key, _ in warnings if key not in known):  # MkDocs gives them unordered
        close = difflib.get_close_matches(key, known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (settings: {', '.join(known)})"
        messages.append(f"{WHERE}: unrecognised setting '{key}'{hint}")
    return config, tuple(messages)


def settings_from(config: RolebookConfig, base: Path) -> Settings:
    """The settings of an already validated config (a plugin's, validated by MkDocs), with its
    files read; raise `SettingsError` when a file it names cannot be used (`file:line: …`)."""
    try:
        rules = load_relation_rules(*[base / p for p in config.relations])
        return Settings(
            roots=tuple((base / s).resolve() for s in config.sources or [DEFAULT_SOURCES]),
            vocabulary=load_vocabulary(*[base / p for p in config.vocabulary]),
            rules=rules,
            areas=load_areas(*[base / p for p in config.areas]),
            claims=load_claim_rules(rules.negations, *[base / p for p in config.claims]),
            allow_html=config.allow_html,
            workers=config.workers or available_cpus(),
            cache=base / config.cache if config.cache else None,
            search=config.search,
            split_above=config.split_above,
        )
    except (DataFileError, OSError) as error:
        raise SettingsError(str(error)) from error


def read_settings(raw: object, base: Path) -> Settings:
    """Read `extra.rolebook` (`raw`, `None` when absent): validate it with `RolebookConfig`,
    then read the files it names. Raise `SettingsError` when a setting or a file cannot be
    used; an unrecognised setting is a warning in `Settings.warnings`."""
    config, warnings = validate(raw, base)
    return replace(settings_from(config, base), warnings=warnings)
