"""Settings (`extra.rolebook`) and a site's data files: a misspelt setting is a warning that
names it, a bad value or a broken data file is one clear error naming the key or
`file:line`, in the build (a PluginError) and in `rolebook check` (exit 2), never a traceback."""

from __future__ import annotations

import logging
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from conftest import ROOT, build_site, write_tree
from rolebook.config import DEFAULT_CACHE, RolebookConfig, SettingsError, read_settings, settings_from
from rolebook.datafile import DataFileError, read_data_file

ROLE = {"roles/alpha/ROLE.md": "# Alpha - ROLE\n\n## Mission\nShips releases.\n"}


# -- Settings, validated with MkDocs' config options -------------------------------------


def test_defaults(tmp_path: Path) -> None:
    settings = read_settings(None, tmp_path)
    assert settings.roots == ((tmp_path / "docs/sources").resolve(),)
    assert settings.cache == tmp_path / DEFAULT_CACHE
    assert (settings.allow_html, settings.search, settings.warnings) == (False, "pagefind", ())
    assert settings.workers >= 1
    assert [s.key for s in settings.vocabulary.sections][0] == "mission"


def test_every_setting_is_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"more/areas.yml": "areas:\n  - key: ci\n    keywords: [pipelines]\n"})
    settings = read_settings(
        {
            "sources": "roles",  # one folder as a string: what `!ENV` gives
            "areas": ["more/areas.yml"],
            "allow_html": True,
            "workers": 3,
            "cache": False,
            "search": "material",
        },
        tmp_path,
    )
    assert settings.roots == ((tmp_path / "roles").resolve(),)
    assert [a for a in settings.areas if a.key == "ci"][0].keywords[-1] == ("pipelines",)
    assert (settings.allow_html, settings.workers, settings.cache, settings.search) == (True, 3, None, "material")
    assert read_settings({"sources": ["a", "b"], "cache": None}, tmp_path).cache is None
    assert len(read_settings({"sources": ["a", "b"]}, tmp_path).roots) == 2


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"allow_html": "yes"}, "extra.rolebook.allow_html: Expected type: <class 'bool'> but received: <class 'str'>"),
        ({"workers": "2"}, "extra.rolebook.workers: Expected type: <class 'int'> but received: <class 'str'>"),
        ({"workers": 0}, "extra.rolebook.workers: Expected a whole number from 1 up but received: 0"),
        ({"workers": True}, "extra.rolebook.workers: Expected a whole number from 1 up but received: True"),
        ({"split_above": 0}, "extra.rolebook.split_above: Expected a whole number from 1 up but received: 0"),
        ({"search": "lunr"}, "extra.rolebook.search: Expected one of: ('pagefind', 'material') but received: 'lunr'"),
        ({"cache": True}, "extra.rolebook.cache: Expected a folder, or false for none, but received: True"),
        ({"sources": [3]}, "extra.rolebook.sources: Expected type: <class 'str'> but received: <class 'int'>"),
        ({"areas": "missing.yml"}, "extra.rolebook.areas: The path '{base}/missing.yml' isn't an existing file."),
        (["sources"], "extra.rolebook in mkdocs.yml must be a mapping of settings, not ['sources']"),
    ],
)
def test_a_bad_value_is_an_error_naming_its_key(tmp_path: Path, raw: object, message: str) -> None:
    with pytest.raises(SettingsError) as error:
        read_settings(raw, tmp_path)
    assert str(error.value) == message.format(base=tmp_path)


def test_an_unknown_key_is_a_warning_with_the_closest_setting(tmp_path: Path) -> None:
    settings = read_settings({"worker": 2, "colour": "red"}, tmp_path)
    assert settings.warnings == (
        "extra.rolebook: unrecognised setting 'colour' (settings: sources, vocabulary, relations, areas, claims, "
        "allow_html, workers, cache, search, split_above)",
        "extra.rolebook: unrecognised setting 'worker' (did you mean 'workers'?)",
    )
    assert settings.workers >= 1  # the misspelt value is not used


def test_a_config_validated_by_mkdocs_gives_the_same_settings(tmp_path: Path) -> None:
    """What a plugin gets: MkDocs validates `RolebookConfig`, `settings_from` reads its files."""
    config = RolebookConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict({"sources": "roles", "workers": 2})
    assert config.validate() == ([], [])
    assert settings_from(config, tmp_path) == read_settings({"sources": "roles", "workers": 2}, tmp_path)


# -- Data files: file:line: message ------------------------------------------------------

BROKEN = {
    # setting: [(file text, line, message)]; the first of each is also built and checked below
    "areas": [
        ("areas:\n  - key: ci\n    title: a: b\n", 3, "not valid YAML: mapping values are not allowed here"),
        ("areas:\n  - key: ci\n    keywords: ci\n", 3, "`keywords` must be a list of strings, got 'ci'"),
        ("areas:\n  - key: ci\n  - title: No key\n", 3, "each area needs a `key` string"),
    ],
    "relations": [
        (
            "cues:\n  escalates_to: [ping]\n  hands_over: [pass the baton to]\n",
            3,
            "`cues` names the relation type 'hands_over', which no `types` entry declares (declared: delegates_to, ",
        ),
        ("section_types:\n  handoffs: passes\n", 2, "`section_types` names the relation type 'passes', which no"),
        ("types:\n  reviews:\n    label: Reviews\n", 2, "relation type 'reviews' needs `inverse`"),
        ("types:\n  reviews:\n    label: R\n    graph: {colour: 'red;x'}\n", 4, "relation type 'reviews': graph"),
        ("negations: never\n", 1, "`negations` must be a list of strings, got 'never'"),
        ("cues:\n  escalates_to: [ping,\n", 3, "not valid YAML"),
    ],
    "vocabulary": [
        ("sections:\n\t- key: metrics\n", 2, "not valid YAML: found character '\\t' that cannot start any token"),
        ("sections:\n  - key: metrics\n    synonyms: KPIs\n", 3, "`synonyms` must be a list of strings, got 'KPIs'"),
        ("- key: metrics\n", 1, "expected a mapping of vocabulary"),
        ("preamble:\n  playbook: workflow\n  skill: [mission]\n", 3, "preamble skill: expected a section key"),
    ],
    "claims": [
        ("sections:\n  boundaries: forbids\n", 2, "section boundaries: unknown stance 'forbids' (one of owns, "),
        ("owning: [owns,\n  3]\n", 2, "`owning` must be a list of strings, got 3 in it"),
    ],
}
CASES = [(setting, *case) for setting, cases in BROKEN.items() for case in cases]
FIRSTS = [(setting, *cases[0]) for setting, cases in BROKEN.items()]


@pytest.mark.parametrize(("setting", "text", "line", "message"), CASES)
def test_a_broken_data_file_names_its_line(tmp_path: Path, setting: str, text: str, line: int, message: str) -> None:
    path = write_tree(tmp_path, {f"{setting}.yml": text}) / f"{setting}.yml"
    with pytest.raises(SettingsError) as error:
        read_settings({setting: f"{setting}.yml"}, tmp_path)
    assert str(error.value).startswith(f"{path}:{line}: {message}")


def test_lines_follow_keys_items_and_merge_keys(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text("base: &b\n  title: T\nareas:\n  - key: a\n    keywords: [a,\n      2]\n  - <<: *b\n", "utf-8")
    file = read_data_file(path, "of areas")
    assert (file.line_of("areas", 0, "keywords"), file.line_of("areas", 1, "title")) == (5, 2)
    assert file.line_of("areas", 0, "nothing here") == 4  # the nearest enclosing value
    with pytest.raises(DataFileError) as error:
        file.strings("areas", 0, "keywords")
    assert (str(error.value), error.value.line) == (f"{path}:6: `keywords` must be a list of strings, got 2 in it", 6)
    path.write_text("a: &a [*a]\nb: !!python/object/apply:os.system [true]\n", "utf-8")
    with pytest.raises(DataFileError, match=r"x\.yml:2: not valid YAML: could not determine a constructor"):
        read_data_file(path, "of areas")


# -- The same, in a real build and in `rolebook check` -----------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site folder with one role; tests add the data files and settings they need."""
    root = write_tree(tmp_path_factory.mktemp("settings"), ROLE)
    for setting, text, _, _ in FIRSTS:
        write_tree(root, {f"broken/{setting}.yml": text})
    return root


def check(site: Path, settings: str, *options: str) -> subprocess.CompletedProcess[str]:
    """`scripts/rolebook check` on `site` with `settings` (YAML lines) under `extra.rolebook`."""
    config = site / f"mkdocs-{zlib.crc32(settings.encode()):08x}.yml"
    indented = "".join(f"    {line}\n" for line in settings.splitlines())
    config.write_text(f"site_name: t\nextra:\n  rolebook:\n    sources: roles\n{indented}", encoding="utf-8")
    rolebook = [sys.executable, str(ROOT / "scripts" / "rolebook")]
    return subprocess.run([*rolebook, "--config", str(config), "check", *options], capture_output=True, text=True)


def test_a_misspelt_setting_warns_in_the_build_log(site: Path, tmp_path: Path) -> None:
    built = build_site(tmp_path / "site", sources=site / "roles", settings={"worker": 2})
    warning = "rolebook: mkdocs.yml: extra.rolebook: unrecognised setting 'worker' (did you mean 'workers'?)"
    assert warning in built.messages(logging.WARNING)
    assert "Ships releases." in built.page("roles/alpha/")


def test_a_misspelt_setting_warns_in_check_and_fails_it_when_strict(site: Path) -> None:
    done = check(site, "worker: 2", "--strict")
    assert done.returncode == 1, done.stderr
    assert "mkdocs.yml: warning: extra.rolebook: unrecognised setting 'worker' (did you mean 'workers'?)" in done.stdout
    assert "0 errors, 1 warning" in done.stderr and "Traceback" not in done.stderr


def build_error(tmp_path: Path, site: Path, caplog: pytest.LogCaptureFixture, settings: dict) -> str:
    """The error a build stops with: a PluginError, which MkDocs logs as an error, without a
    traceback, before it aborts."""
    with pytest.raises(Abort, match="Aborted with a BuildError") as aborted:
        build_site(tmp_path / "site", sources=site / "roles", settings=settings)
    assert isinstance(aborted.value.__context__, PluginError)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is None
    return errors[0].getMessage()


@pytest.mark.parametrize(("setting", "text", "line", "message"), FIRSTS)
def test_a_broken_data_file_stops_the_build_with_its_line(
    site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, setting: str, text: str, line: int, message: str
) -> None:
    path = site / "broken" / f"{setting}.yml"
    error = build_error(tmp_path, site, caplog, {setting: str(path)})
    assert error.startswith(f"{path}:{line}: {message}")


@pytest.mark.parametrize(("setting", "text", "line", "message"), FIRSTS)
def test_a_broken_data_file_stops_check_with_its_line(
    site: Path, setting: str, text: str, line: int, message: str
) -> None:
    done = check(site, f"{setting}: broken/{setting}.yml")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"rolebook: error: {site / 'broken' / setting}.yml:{line}: {message}")


def test_a_bad_value_stops_the_build_and_check(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    error = build_error(tmp_path, site, caplog, {"allow_html": "yes"})
    assert error.startswith("extra.rolebook.allow_html: Expected type: <class 'bool'> but received: <class 'str'>")
    done = check(site, "allow_html: 'yes'")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("rolebook: error: extra.rolebook.allow_html: Expected type: <class 'bool'>")


def test_a_broken_mkdocs_yml_is_a_usage_error_in_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rolebook.cli import main

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\nextra:\n  rolebook:\n    sources: [roles\n", encoding="utf-8")
    assert main(["--config", str(config), "check"]) == 2
    assert capsys.readouterr().err.startswith(f"rolebook: error: {config}:5: not valid YAML: expected ',' or ']'")
