"""Bad input of every kind: each gets a `path:line: level: message` finding (log, health page,
`rolebook check`), never a traceback, and the good document beside it is published intact."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, BuiltSite, build_site, write_tree
from pagetext import broken_links, visible_text
from rolebook import load_vocabulary
from rolebook.read.markdown import PLACEHOLDER, parse_body
from rolebook.relate.discover import discover_names
from rolebook.relate.lexicon import Lexicon
from rolebook.relate.rules import load_relation_rules

BOMB = (
    "---\nname: bomb\na: &a [x, x]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(f'*{chr(97 + i)}' for _ in range(9))}]\n" for i in range(8))
    + "---\n# Bomb\n\nBody of the bomb.\n"
)

BAD = {
    "bad-utf8/ROLE.md": (b"# Bad UTF8\n\nok line\nbad \xff\xfe bytes\n", 4, "error", "not valid UTF-8"),
    "binary/ROLE.md": (b"# Binary\n\x00\x01\x02 payload\n", 2, "error", "binary data (NUL bytes)"),
    "bom/ROLE.md": ("\ufeff# Bom\n\nText after a BOM.\n", 1, "warning", "byte-order mark"),
    "crlf/ROLE.md": ("# Crlf\r\n\r\nWindows text.\r\n", 1, "warning", "CRLF line endings"),
    "empty/ROLE.md": ("", None, "warning", "document is empty"),
    "blank/ROLE.md": ("  \n\n\t\n", None, "warning", "document is empty"),
    "fm-malformed/ROLE.md": (
        "---\nname: x\ndescription: a: b\n---\n# Malformed\n\nBody still shown.\n",
        3,
        "warning",
        "not valid YAML",
    ),
    "fm-unterminated/ROLE.md": ("---\nname: x\n# Unterminated\n\nBody.\n", 1, "warning", "never closed"),
    "fm-list/ROLE.md": ("---\n- a\n- b\n---\n# List\n\nBody.\n", 2, "warning", "not a mapping"),
    "fm-tag/ROLE.md": (
        "---\nname: !!python/object/apply:os.system ['echo pwned']\n---\n# Tag\n\nBody.\n",
        2,
        "warning",
        "not valid",
    ),
    "fm-bomb/ROLE.md": (BOMB, 2, "warning", "YAML aliases"),
    "fence/ROLE.md": ("# Fence\n\n## Notes\n```python\nprint('never closed')\n", 4, "warning", "never closed"),
    "emoji/ROLE.md": ("# Emoji\n\n## 🚀🚀 !!\nText under emoji.\n", 3, "warning", "heading has no words"),
    "deep/ROLE.md": ("# Deep\n\n##### Very deep\nText.\n", 3, "warning", "deeper than"),
    "plain-notes.md": ("Just words and no headings at all.\n", None, "info", "no headings"),
    "ctrl/ROLE.md": ("# Ctrl\n\nA\x02B\x03C text.\n", 3, "warning", "control characters"),
    "scaffold/ROLE.md": (
        f"# Scaffold - ROLE\n\n## Mission\n{PLACEHOLDER} One paragraph: what the Scaffold exists to do.\n",
        4,
        "warning",
        f"unfilled placeholder `{PLACEHOLDER}`",
    ),
    "agent-bad/agent.json": ('{ "id": "agent-bad",\n  name: oops }\n', 2, "warning", "not valid JSON"),
    "agent-types/agent.json": ('{"id": 5}\n', None, "warning", "no string `id`"),
    "roster.json": ('[{"id": "ghost", "name": 3}]\n', None, "warning", "`name` should be a string"),
}

GOOD = {
    "good/ROLE.md": "# Good - ROLE\n\n## Mission\nStay intact and visible beside bad neighbours.\n",
    "agent-bad/ROLE.md": "# Agent Bad - ROLE\n\n## Mission\nThe documents still read.\n",
    "agent-types/ROLE.md": "# Agent Types - ROLE\n\n## Mission\nStill read too.\n",
    "name with spaces/ROLE.md": "# Spaced - ROLE\n\n## Mission\nA folder name with spaces.\n",
    "ünïcödé/ROLE.md": "# Unicode - ROLE\n\n## Mission\nA folder name that is not ASCII.\n",
    "pathy/agent.json": '{"id": "../../../etc/passwd", "name": "Pathy"}\n',
    "pathy/ROLE.md": "# Pathy - ROLE\n\n## Mission\nAn id that looks like a path.\n",
    "Case/ROLE.md": "# Case - ROLE\n\n## Mission\nUpper-case folder.\n",
    "case/ROLE.md": "# case - ROLE\n\n## Mission\nLower-case folder.\n",
    "LICENSE.md": "Permission is granted to copy these words.\n\nNo warranty of any kind.\n",
}


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad")
    sources = write_tree(root / "roles", {path: content for path, (content, *_) in BAD.items()} | GOOD)
    outside = root / "secret.md"
    outside.write_text("# Secret\n\nNever published.\n", encoding="utf-8")
    (sources / "link").mkdir()
    (sources / "link" / "ROLE.md").symlink_to(outside)
    return sources


@pytest.fixture(scope="module")
def bad_site(library_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(tmp_path_factory.mktemp("bad-site") / "site", sources=library_dir)


def _shown(path: str, library_dir: Path) -> str:
    """How findings name a document outside the site's folder: from its sources folder on."""
    return f"{library_dir.name}/{path}"


@pytest.mark.parametrize("path", sorted(BAD))
def test_each_bad_input_gets_its_finding(path: str, bad_site: BuiltSite, library_dir: Path) -> None:
    _, line, level, words = BAD[path]
    where = _shown(path, library_dir) + (f":{line}" if line else "")
    records = [
        r for r in bad_site.records if r.getMessage().startswith(f"rolebook: {where}: ") and words in r.getMessage()
    ]
    assert records, f"no finding {where}: {level}: …{words}…\n" + "\n".join(bad_site.messages())
    assert records[0].levelno == {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}[level]
    assert "Traceback" not in "\n".join(bad_site.messages())
    health = visible_text(bad_site.page("health/"))
    assert f"{level} {where}" in health and words in health


def test_a_licence_without_headings_is_no_problem(bad_site: BuiltSite) -> None:
    """A LICENSE (a document of the library, not a role) is written without headings: shown
    as it is, with no warning, where a role's document without headings gets one."""
    assert not [r for r in bad_site.records if "LICENSE.md" in r.getMessage()]
    assert "Permission is granted to copy these words." in visible_text(bad_site.page("roles/license/"))


def test_good_neighbours_are_published_intact(bad_site: BuiltSite) -> None:
    assert "Stay intact and visible beside bad neighbours." in visible_text(bad_site.page("roles/good/"))
    assert not [r for r in bad_site.records if "good/ROLE.md" in r.getMessage() and r.levelno >= logging.WARNING]
    assert "The documents still read." in visible_text(bad_site.page("roles/agent-bad/"))
    # bodies of documents with broken front matter are still shown
    for role, text in [
        ("fm-malformed", "Body still shown."),
        ("fm-bomb", "Body of the bomb."),
        ("bom", "Text after a BOM."),
        ("crlf", "Windows text."),
        ("ctrl", "A\ufffdB\ufffdC text."),
    ]:
        assert text in visible_text(bad_site.page(f"roles/{role}/")), role
    assert "never closed" in visible_text(bad_site.page("roles/fence/"))


def test_names_ids_and_links_are_safe(bad_site: BuiltSite, library_dir: Path) -> None:
    site = bad_site.site_dir
    assert (site / "roles" / "name-with-spaces" / "index.html").is_file()
    assert (site / "roles" / "unicode" / "index.html").is_file()  # ünïcödé -> unicode
    assert (site / "roles" / "etc-passwd" / "index.html").is_file()  # an id that looks like a path
    written = {p.resolve() for p in library_dir.parent.rglob("*")}
    assert all(p.is_relative_to(library_dir.parent) for p in written)
    assert not (site.parent / "etc").exists()
    # case-only collision: both kept, the second under another id, and reported
    assert "Upper-case folder." in visible_text(bad_site.page("roles/case/"))
    assert "Lower-case folder." in visible_text(bad_site.page("roles/case-2/"))
    assert [m for m in bad_site.messages(logging.WARNING) if "role id 'case' is already used" in m]
    # the symlink pointing outside the sources is reported and never followed
    assert [m for m in bad_site.messages(logging.WARNING) if "link/ROLE.md: symbolic link to a path outside" in m]
    assert not list(site.rglob("*secret*")) and "Never published" not in "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.html")
    )
    assert broken_links(site) == []


def test_strict_fails_on_them(library_dir: Path, tmp_path: Path) -> None:
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort, match="in strict mode"):
        build_site(tmp_path / "strict", sources=library_dir, strict=True)


def test_check_reports_them_with_exit_code_1(library_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rolebook"), "check", "--source", str(library_dir), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    findings = json.loads(done.stdout)
    for path, (_, line, level, words) in BAD.items():
        assert [
            f
            for f in findings
            if f["path"].endswith(path) and f["line"] == line and f["level"] == level and words in f["message"]
        ], path


def test_raw_html_is_text_unless_the_site_trusts_its_sources() -> None:
    vocabulary = load_vocabulary()
    text = "Use <example>tags</example> and <b>bold</b>.\n"
    assert "&lt;example&gt;" in parse_body(text, 0, "x.md", vocabulary).sections[0].html
    assert "<b>bold</b>" in parse_body(text, 0, "x.md", vocabulary, allow_html=True).sections[0].html


def test_placeholders_are_found_on_their_lines_but_not_in_code() -> None:
    text = (
        f"## Mission\n{PLACEHOLDER} the mission\n\n## Scope\n- done\n  - {PLACEHOLDER} nested\n\n"
        f"Quoted: `{PLACEHOLDER} in a code span`.\n\n```text\n{PLACEHOLDER} in a fence\n```\n\n"
        f"    {PLACEHOLDER} in an indented block\n"
    )
    problems = parse_body(text, 10, "x.md", load_vocabulary()).problems
    assert [line for line, message in problems if "unfilled placeholder" in message] == [12, 16]


# -- Sizes that must stay linear: built (or matched) without blowing up ------------------


def test_a_200_kb_line_and_thousands_of_sections_build(tmp_path: Path) -> None:
    long_line = " ".join(f"word{i} (Integrator)" for i in range(12000))  # ~200 KB on one line
    sections = "".join(f"## Section {i}\n- item {i} for Verifier\n\n" for i in range(3000))
    sources = write_tree(
        tmp_path / "roles",
        {
            "long/ROLE.md": f"# Long - ROLE\n\n## Out-of-Scope\n- {long_line}\n",
            "many/ROLE.md": f"# Many - ROLE\n\n{sections}",
        },
    )
    site = build_site(tmp_path / "site", sources=sources)
    assert "word11999" in site.page("roles/long/")
    assert "item 2999 for" in site.page("roles/many/")


def test_a_line_naming_hundreds_of_roles() -> None:
    rules = load_relation_rules()
    lexicon = Lexicon(rules)
    names = [f"Team{i} Engineer" for i in range(400)]
    for i, name in enumerate(names):
        lexicon.add(f"team{i}", name)
    line = "Handoff: notify " + ", ".join(names)
    mentions = lexicon.find(line)
    assert [m.role for m in mentions] == [f"team{i}" for i in range(400)]
    assert {m.cue for m in mentions if m.cue} == {"hands_off_to"}
    assert (
        len(discover_names("Handoff: notify " + ", ".join(f"Squad{i} Architect" for i in range(300)), False, rules))
        == 300
    )


def test_environment_has_no_network_access_during_a_build(tmp_path: Path) -> None:
    """Builds read only local files: with every proxy pointed nowhere and no DNS, it still builds."""
    sources = write_tree(tmp_path / "roles", {"a/ROLE.md": "# A - ROLE\n\n## Mission\nOffline.\n"})
    env = dict(
        os.environ,
        ROLEBOOK_SOURCES=str(sources),
        NO_MKDOCS_2_WARNING="1",
        HTTP_PROXY="http://127.0.0.1:9",
        HTTPS_PROXY="http://127.0.0.1:9",
        ALL_PROXY="http://127.0.0.1:9",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert re.search("Offline", (tmp_path / "site" / "roles" / "a" / "index.html").read_text(encoding="utf-8"))
