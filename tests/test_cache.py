"""What a build keeps for the next `mkdocs build` (`rolebook.cache`): a build that reads it
gives the bytes a fresh build gives, and a cache written by other code is never read."""

from __future__ import annotations

import gc
import logging
import os
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from conftest import ROOT, BuiltSite, build_site, load_script, write_tree
from rolebook import cache as cache_module
from rolebook.analyse import analyse
from rolebook.cache import (
    CACHE_FILE,
    PAGES,
    RENDERS,
    RESULTS,
    ROLES,
    SHARD_FOLDER,
    SHARDS,
    BuildCache,
    keep_out_of_sight,
    load_kept,
    save_kept,
    scope,
    start_over,
)
from rolebook.config import read_settings
from rolebook.read.reader import PARSE_CACHE
from rolebook.render import graph_layout
from rolebook.render.graph_layout import LAYOUTS
from rolebook.site.search import INDEXES


def _new_process() -> None:
    """Forget what earlier builds of this process kept in memory, as a new `mkdocs build` would."""
    PARSE_CACHE.clear()
    RESULTS.clear()
    RENDERS.clear()
    PAGES.clear()
    ROLES.clear()
    INDEXES.clear()
    LAYOUTS.clear()


def _listed(site: BuiltSite, label: str) -> list[str]:
    (line,) = [message for message in site.messages(logging.DEBUG) if label in message]
    return [item for item in line.partition(label)[2].strip().split(", ") if item]


def _rendered(site: BuiltSite) -> list[str]:
    """The pages whose template this build rendered (not kept from an earlier build)."""
    return _listed(site, "pages rendered:")


def _assembled(site: BuiltSite) -> list[str]:
    """The roles whose page the site step assembled (not kept from an earlier build)."""
    return _listed(site, "role pages assembled:")


def _files(site: BuiltSite) -> dict[str, bytes]:
    """Every file of a built site but the search bundle and the compressed sitemap (its gzip
    header holds the time it was written)."""
    return {
        path.relative_to(site.site_dir).as_posix(): path.read_bytes()
        for path in sorted(site.site_dir.rglob("*"))
        if path.is_file() and "pagefind" not in path.parts and path.name != "sitemap.xml.gz"
    }


def _assert_same(built: BuiltSite, fresh: BuiltSite) -> None:
    mine, theirs = _files(built), _files(fresh)
    assert mine.keys() == theirs.keys()
    assert [path for path in mine if mine[path] != theirs[path]] == []


def test_a_build_from_the_kept_cache_equals_a_fresh_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = tmp_path / "roles"
    load_script("gen_corpus").generate(8, sources)
    documents = len(list(sources.rglob("*.md")))
    kept = {"cache": str(tmp_path / "cache")}

    _new_process()
    first = build_site(tmp_path / "first", sources=sources, settings=kept)
    assert (tmp_path / "cache" / CACHE_FILE).is_file()
    _new_process()
    with monkeypatch.context() as patched:  # the graph's layout is kept too: no forces run
        patched.setattr(graph_layout, "spring_positions", lambda *args: pytest.fail("laid out again"))
        again = build_site(tmp_path / "again", sources=sources, settings=kept, level=logging.DEBUG)
    assert (PARSE_CACHE.parsed, PARSE_CACHE.reused) == (0, documents)
    _assert_same(again, first)
    assert _rendered(again) == []
    assert _assembled(again) == []
    assert any("the index an earlier build made of the same pages" in m for m in again.messages(logging.DEBUG))
    assert again.search_pages() == first.search_pages()

    # One document changes; another role's name is added to it, so relations change too.
    edited = sorted(sources.glob("*/ROLE.md"))[0]
    other = sorted(sources.glob("*/ROLE.md"))[-1].read_text(encoding="utf-8").splitlines()[0].split(" - ")[0][2:]
    edited.write_text(edited.read_text(encoding="utf-8") + f"\n- Escalate to {other} when blocked.\n", "utf-8")
    _new_process()
    rebuilt = build_site(tmp_path / "rebuilt", sources=sources, settings=kept, level=logging.DEBUG)
    assert (PARSE_CACHE.parsed, PARSE_CACHE.reused) == (1, documents - 1)
    # Only the pages the edit reaches are rendered again: the edited role's and its sources
    # pages, the page of the role it now names, and the matrices, graph and health pages.
    rendered = _rendered(rebuilt)
    assert f"roles/{edited.parent.name}/index.md" in rendered
    pages = len(list((tmp_path / "first").rglob("index.html")))
    assert 0 < len(rendered) < pages / 2, rendered
    # The site step assembles again only the edited role's page and those of the roles whose
    # relations the edit changed (the role it now names lists it as referring to it).
    assembled = _assembled(rebuilt)
    named = [
        uri.split("/")[1] for uri in rendered if uri.startswith("roles/") and uri.split("/")[1] != edited.parent.name
    ]
    assert edited.parent.name in assembled and set(named) <= set(assembled), (assembled, rendered)
    assert len(assembled) < len(list(sources.iterdir())) / 2, assembled
    _new_process()
    fresh = build_site(tmp_path / "fresh", sources=sources, settings={"cache": False})
    assert PARSE_CACHE.parsed == documents
    _assert_same(rebuilt, fresh)
    assert "when blocked." in rebuilt.page(f"roles/{edited.parent.name}/")
    assert not any("an earlier build made" in message for message in rebuilt.messages(logging.DEBUG))
    assert "blocked" in rebuilt.search_pages()[f"/roles/{edited.parent.name}/"]["content"]


def test_sources_moved_since_the_kept_build_build_as_a_fresh_build_does(tmp_path: Path) -> None:
    """Issue 16: the same bytes at a new place once crashed MkDocs on the kept build's paths."""
    before = tmp_path / "old" / "roles"
    load_script("gen_corpus").generate(3, before)
    role = sorted(path for path in before.iterdir() if path.is_dir())[0]
    write_tree(role, {"diagram.png": b"\x89PNG\r\n\x1a\n"})
    (role / "ROLE.md").write_text((role / "ROLE.md").read_text("utf-8") + "\n![Flow](diagram.png)\n", "utf-8")
    kept = {"cache": str(tmp_path / "cache")}
    _new_process()
    build_site(tmp_path / "first", sources=before, settings=kept)

    after = tmp_path / "new" / "roles"
    after.parent.mkdir()
    before.rename(after)
    _new_process()
    moved = build_site(tmp_path / "moved", sources=after, settings=kept)
    _new_process()
    fresh = build_site(tmp_path / "fresh", sources=after, settings={"cache": False})
    _assert_same(moved, fresh)
    assert (moved.site_dir / "roles" / role.name / "raw" / "ROLE.md.txt").is_file()
    assert "diagram.png" in moved.page(f"roles/{role.name}/")


def test_a_cache_file_of_other_code_or_a_broken_one_is_not_read(tmp_path: Path) -> None:
    written: BuildCache[str, list[int]] = BuildCache()
    written.put("key", [1])
    save_kept(tmp_path, "scope a", {"results": written})

    other: BuildCache[str, list[int]] = BuildCache()
    assert load_kept(tmp_path, "scope b", {"results": other}) == 0 and other.is_empty()
    assert load_kept(tmp_path, "scope a", {"results": other}) == 1
    other.start()
    assert other.get("key") == [1]

    (tmp_path / CACHE_FILE).write_bytes(b"not what save_kept writes")
    broken: BuildCache[str, list[int]] = BuildCache()
    assert load_kept(tmp_path, "scope a", {"results": broken}) == 0 and broken.is_empty()


def test_a_rebuild_rewrites_only_the_shards_whose_keys_changed(tmp_path: Path) -> None:
    results: BuildCache[str, list[int]] = BuildCache()
    for number in range(200):
        results.put(f"document {number}", [number])
    assert save_kept(tmp_path, "scope", {"results": results})
    shards = tmp_path / SHARD_FOLDER
    first = set(os.listdir(shards))
    assert len(first) == SHARDS
    assert not save_kept(tmp_path, "scope", {"results": results})  # nothing changed: nothing written

    results.start()
    for number in range(200):
        results.get(f"document {number}")
    results.put("document 200", [200])
    assert save_kept(tmp_path, "scope", {"results": results})
    assert len(set(os.listdir(shards)) - first) == 1 and len(first - set(os.listdir(shards))) == 1

    cache_module._ON_DISK.clear()  # as a new process
    again: BuildCache[str, list[int]] = BuildCache()
    assert load_kept(tmp_path, "scope", {"results": again}) == 201
    again.start()
    assert again.get("document 200") == [200] and again.get("document 7") == [7]


def test_the_scope_names_the_folder_and_is_the_same_each_time(tmp_path: Path) -> None:
    assert scope(ROOT) == scope(ROOT) != scope(tmp_path)


FINGERPRINTS = """
from rolebook.cache import fingerprint
from rolebook.relate.lexicon import Lexicon
from rolebook.relate.rules import load_relation_rules
from rolebook.responsibilities.areas import load_areas
rules = load_relation_rules()
lexicon = Lexicon(rules)
for number, name in enumerate(["Backend Engineer", "Release Manager", "QA"]):
    lexicon.add(f"role-{number}", name)
print(fingerprint(rules), fingerprint(load_areas()), lexicon.fingerprint())
"""


def test_cache_keys_are_the_same_in_every_process() -> None:
    """Python's `hash` of a string, and so the order of a set, changes between processes; the
    keys of the kept cache must not, or a later build would find nothing."""
    printed = {
        subprocess.run(
            [sys.executable, "-c", FINGERPRINTS],
            env={**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT / "hooks")},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(printed) == 1 and printed.pop().count(" ") == 2


def test_page_keys_spell_settings_in_full_and_name_objects_by_type() -> None:
    """A kept page's key covers the site's settings: a date or a path is spelt in full (it
    can show on a page), an object without a `repr` of its own (a plugin) only by its type,
    so the key is the same in every process."""
    import datetime

    from rolebook.site.kept import is_data, settled

    assert settled({"b": [1, Path("x")], "a": datetime.date(2024, 1, 2)}) == settled(
        {"a": datetime.date(2024, 1, 2), "b": (1, Path("x"))}
    )
    assert settled(datetime.date(2024, 1, 2)) != settled(datetime.date(2024, 1, 3))
    assert settled(object()) == settled(object()) == "object"
    assert is_data({"a": [1, "x", None]}) and not is_data({"a": object()})


def test_a_theme_that_prints_the_build_date_keeps_no_page(tmp_path: Path) -> None:
    """A template printing `build_date_utc` changes every build: no page could be kept."""
    from types import SimpleNamespace

    from rolebook.site.kept import _uses_build_date

    plain = write_tree(tmp_path / "plain", {"main.html": "{{ page.content }}", ".icons/x.svg": "<svg/>"})
    dated = write_tree(tmp_path / "dated", {"partials/footer.html": "{{ build_date_utc }}"})
    assert not _uses_build_date(SimpleNamespace(theme=SimpleNamespace(dirs=[str(plain)])))  # type: ignore[arg-type]
    assert _uses_build_date(SimpleNamespace(theme=SimpleNamespace(dirs=[str(plain), str(dated)])))  # type: ignore[arg-type]


API_SITE = {
    "mkdocs.yml": (
        "site_name: Desk\n"
        "theme:\n  name: material\n"
        f"hooks:\n  - {ROOT / 'hooks' / 'rolebook_hook.py'}\n"
        "plugins:\n  - search\n  - autorefs\n"
        "  - mkdocstrings:\n      handlers:\n        python:\n          paths: [src]\n"
        "extra:\n  rolebook:\n    sources: [roles]\n"
    ),
    "src/desk.py": '"""The desk."""\n\n\ndef tidy() -> None:\n    """Tidy the desk before the weekly review."""\n',
    "docs/index.md": "# Desk\n\nSee [tidy][desk.tidy], [the rules][filing-rules], [the clerk](roles/clerk/index.md).\n",
    "docs/rules.md": "# Rules\n\n## Filing rules\n\nPapers go in the tray.\n",
    "docs/api.md": "# API\n\n::: desk\n",
    "roles/clerk/ROLE.md": "# Clerk\n\n## Responsibilities\n\n- Files the papers and tidies the desk.\n",
}


def test_an_api_reference_is_kept_until_the_code_it_documents_changes(tmp_path: Path) -> None:
    """A hand-written page of API blocks (mkdocstrings) is rendered again only when its
    Markdown, the settings or the code it documents changed; kept, it still registers its
    identifiers, and a kept page its headings (autorefs scans them), so other pages'
    cross-references and `objects.inv` are what a fresh build gives."""
    site = write_tree(tmp_path / "desk", API_SITE)
    config = site / "mkdocs.yml"
    kept = {"cache": str(tmp_path / "cache")}

    def built(name: str, settings: dict) -> BuiltSite:
        _new_process()
        return build_site(tmp_path / name, settings=settings, level=logging.DEBUG, config_file=config)

    first = built("first", kept)
    assert "api.md" not in _listed(first, "markdown kept:")
    again = built("again", kept)
    assert "api.md" in _listed(again, "markdown kept:")
    _assert_same(again, first)
    assert {"api.md", "rules.md", "index.md"} <= set(_listed(again, "markdown kept:"))
    assert 'href="api/#desk.tidy"' in again.page("") and 'href="rules/#filing-rules"' in again.page("")
    assert (again.site_dir / "objects.inv").is_file()

    (site / "src" / "desk.py").write_text(API_SITE["src/desk.py"].replace("weekly", "monthly"), encoding="utf-8")
    edited = built("edited", kept)
    assert "api.md" not in _listed(edited, "markdown kept:")
    assert "monthly review" in edited.page("api/")
    _assert_same(edited, built("fresh", {"cache": False}))


def test_a_site_with_mkdocstrings_switched_off_keeps_its_pages(tmp_path: Path) -> None:
    """`mkdocstrings: {enabled: false}` leaves the plugin without handlers (asking for them
    raises): kept renders build all the same, with no inventory to replay."""
    files = {
        **API_SITE,
        "mkdocs.yml": API_SITE["mkdocs.yml"].replace(
            "  - mkdocstrings:\n", "  - mkdocstrings:\n      enabled: false\n"
        ),
    }
    files["docs/api.md"] = "# API\n\nSwitched off.\n"
    site = write_tree(tmp_path / "desk", files)
    kept = {"cache": str(tmp_path / "cache")}
    first = build_site(tmp_path / "first", settings=kept, level=logging.DEBUG, config_file=site / "mkdocs.yml")
    again = build_site(tmp_path / "again", settings=kept, level=logging.DEBUG, config_file=site / "mkdocs.yml")
    assert "rules.md" in _listed(again, "markdown kept:")
    _assert_same(again, first)


def test_lexicon_lookups_are_kept_between_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lemmas, inflections and word frequencies looked up once are answered by the cache
    folder later, without loading lemminflect or wordfreq; answers of other versions are not read."""
    from rolebook import lexical

    for name in ("_answers", "_lemma_answers", "_inflection_answers", "_zipf_answers"):
        monkeypatch.setattr(lexical, name, {})
    lexical.use_cache(tmp_path)
    answers = (
        lexical.all_lemmas("harbours"),
        lexical.all_lemmas("moor", "VERB"),
        lexical.inflections("harbour", "NNS"),
    )
    frequency = lexical.zipf("harbour")
    assert answers[0]["NOUN"] == ("harbour",) and "harbours" in answers[2] and 0 < frequency < 8
    lexical.save_cache()
    for name in ("_lemma_answers", "_inflection_answers", "_zipf_answers"):
        monkeypatch.setattr(lexical, name, {})

    def load() -> None:
        raise AssertionError("looked up again")

    monkeypatch.setattr(lexical, "_lemmas", load)
    monkeypatch.setattr(lexical, "_zipf", load)
    lexical.use_cache(tmp_path)
    assert (
        lexical.all_lemmas("harbours"),
        lexical.all_lemmas("moor", "VERB"),
        lexical.inflections("harbour", "NNS"),
    ) == answers
    assert lexical.zipf("harbour") == frequency

    monkeypatch.setattr(lexical, "_versions", lambda: "lemminflect=0 wordfreq=0")
    monkeypatch.setattr(lexical, "_zipf_answers", {})
    lexical.use_cache(tmp_path)
    assert lexical._zipf_answers == {}
    lexical.use_cache(None)


def test_an_analysis_lets_the_collector_free_what_the_last_one_hid(tmp_path: Path) -> None:
    """What a build hides from the garbage collector while the site is written
    (`keep_out_of_sight`) is seen again when the next analysis starts: a process that builds
    again and again (`mkdocs serve`) does not keep every earlier build's cycles."""

    class Node:
        pass

    cycle = Node()
    cycle.self = cycle  # type: ignore[attr-defined]
    gone = weakref.ref(cycle)
    keep_out_of_sight()
    del cycle
    gc.collect()
    assert gone() is not None  # hidden: a collection does not see it
    sources = tmp_path / "roles"
    load_script("gen_corpus").generate(3, sources)
    analysis = analyse(read_settings({"sources": [str(sources)]}, tmp_path), tmp_path)
    assert analysis.library.roles
    gc.collect()
    assert gone() is None
    start_over()


def test_a_kept_search_index_is_keyed_on_what_pagefind_reads_besides_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rolebook.site.search import _index_key

    write_tree(tmp_path, {"a/index.html": "<main data-pagefind-body>Hello</main>"})
    monkeypatch.delenv("PAGEFIND_FORCE_LANGUAGE", raising=False)
    plain = _index_key(tmp_path, ["a/index.html"])
    assert plain is not None and plain == _index_key(tmp_path, ["a/index.html"])
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "de")
    assert _index_key(tmp_path, ["a/index.html"]) != plain
    monkeypatch.delenv("PAGEFIND_FORCE_LANGUAGE")
    (tmp_path / "pagefind.yml").write_text("force_language: fr\n", encoding="utf-8")
    assert _index_key(tmp_path, ["a/index.html"]) != plain


def test_held_html_and_a_build_that_lets_go_give_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated pages' HTML held compressed between MkDocs' passes (`compat.HeldPages`), and
    a `mkdocs build` that frees what it holds before the search indexer runs, give the bytes
    of a build that does neither; the next build still reads the kept cache."""
    from rolebook import compat
    from rolebook import plugin as plugin_module

    sources = tmp_path / "roles"
    load_script("gen_corpus").generate(6, sources)
    kept = {"cache": str(tmp_path / "cache")}
    held: list[str] = []
    hold = compat.HeldPages.hold

    def spy(self: compat.HeldPages, page: object, html: str, stand_in: str) -> str:
        returned = hold(self, page, html, stand_in)  # type: ignore[arg-type]
        held.extend([stand_in] if returned is stand_in else [])
        return returned

    _new_process()
    with monkeypatch.context() as patched:
        patched.setattr(compat.HeldPages, "hold", spy)
        lean = build_site(tmp_path / "lean", sources=sources, settings=kept)
    assert len(held) >= 6  # every role page at least
    assert RESULTS.entries() == {} and PARSE_CACHE.entries() == {}  # let go before indexing
    _new_process()
    with monkeypatch.context() as patched:
        patched.setattr(compat, "only_known_plugins_read_html", lambda config, own: False)
        patched.setattr(plugin_module, "release", lambda caches: None)
        full = build_site(tmp_path / "full", sources=sources, settings={"cache": False})
    _assert_same(lean, full)
    assert lean.search_pages() == full.search_pages()
    _new_process()
    again = build_site(tmp_path / "again", sources=sources, settings=kept, level=logging.DEBUG)
    assert PARSE_CACHE.parsed == 0
    _assert_same(again, full)


def test_packed_fragments_and_files_waiting_on_disk_give_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pre-rendered fragments held compressed (`Slots.pack`) and generated files that wait on
    disk until MkDocs copies them (`SPILL_ABOVE`) give the bytes of a build that holds
    everything in memory as it is; the waiting files are gone once the build ends."""
    import tempfile

    from rolebook import plugin as plugin_module
    from rolebook.render.slots import Slots

    sources = tmp_path / "roles"
    load_script("gen_corpus").generate(6, sources)
    made: list[tempfile.TemporaryDirectory[str]] = []
    folder = tempfile.TemporaryDirectory

    def spy(*args: object, **kwargs: object) -> tempfile.TemporaryDirectory[str]:
        made.append(folder(*args, **kwargs))  # type: ignore[call-overload]
        return made[-1]

    packed: list[bool] = []
    pack = Slots.pack

    def counting(self: Slots) -> None:
        pack(self)
        packed.append(self._packed is not None)

    _new_process()
    with monkeypatch.context() as patched:
        patched.setattr(plugin_module, "SPILL_ABOVE", 0)
        patched.setattr(plugin_module.tempfile, "TemporaryDirectory", spy)
        patched.setattr(Slots, "pack", counting)
        lean = build_site(tmp_path / "lean", sources=sources, settings={"cache": False})
    assert len(made) == 1 and not Path(made[0].name).exists()  # export, CSVs, schema: copied, then removed
    assert sum(packed) >= 6  # every role page at least
    _new_process()
    with monkeypatch.context() as patched:
        patched.setattr(plugin_module, "SPILL_ABOVE", 10**12)
        patched.setattr(Slots, "pack", lambda self: None)
        full = build_site(tmp_path / "full", sources=sources, settings={"cache": False})
    _assert_same(lean, full)
    assert lean.search_pages() == full.search_pages()
