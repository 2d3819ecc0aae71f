"""The shipped site, built for real: role page, search index, source views, health."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import ROOT, SHARED, BuiltSite, build_site, write_tree
from pagetext import broken_links, visible_text, words

SOURCES = ROOT / "docs" / "sources" / "backend"
SEED_FILES = {
    "000_481d04da712054ba.txt": "ROLE.md",
    "001_be470f1cab0acdaf.txt": "PLAYBOOK.md",
    "002_130a9db32d14c0d0.txt": "backend-developer.md",
    "003_2766a9f315fc4a70.txt": "backend-engineer.md",
    "004_facb12eb33d6fa60.txt": "SKILL.md",
}


def _render_on_its_own(text: str) -> str:
    """What a document shows when rendered alone (GitHub-like): front matter's
    description as text, the body as CommonMark with tables."""
    description = ""
    if text.startswith("---\n"):
        front, _, text = text[4:].partition("\n---\n")
        description = " ".join(line.partition(":")[2] for line in front.splitlines() if line.startswith("description:"))
    parser = MarkdownIt("commonmark").enable("table")
    return description + " " + visible_text(parser.render(text), article_only=False)


def test_seeds_are_shipped_byte_for_byte() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout: cannot compare with the seeds")
    for seed, name in SEED_FILES.items():
        assert (SOURCES / name).read_bytes() == (SHARED / "seeds" / seed).read_bytes(), name


def test_backend_page_lists_name_aliases_and_sources(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("roles/backend/")
    text = visible_text(html)
    assert re.search(r"<h1[^>]*>Backend<", html)
    for alias in ("Backender", "backend-developer", "Backend Engineer", "backend"):
        assert alias in text
    assert text.index("Deliver server-side capabilities") < text.index("Also known as")
    for kind, name, title in [
        ("role", "ROLE.md", "Backender - ROLE"),
        ("playbook", "PLAYBOOK.md", "Backender - PLAYBOOK"),
        ("agent card", "backend-developer.md", "Backend Developer"),
        ("role", "backend-engineer.md", "Role: Backend Engineer"),
        ("skill", "SKILL.md", "Backend"),
    ]:
        assert re.search(rf"{kind}\s+{re.escape(name)}\s+{re.escape(title)}", text), (kind, name)


def test_canonical_sections_come_in_order_then_unmapped_ones(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("roles/backend/")
    h2 = re.findall(r'<h2 id="([^"]+)"', html)
    canonical = [a for a in h2 if "--" not in a]
    assert canonical == [
        "sources",
        "mission",
        "principles",
        "responsibilities",
        "boundaries",
        "anti-patterns",
        "outputs",
        "standards",
        "testing",
        "workflow",
        "escalation",
        "handoffs",
        "tools",
        "examples",
        "works-with",
    ]
    unmapped = [re.sub(r"<[^>]+>|&para;", "", m).strip() for m in re.findall(r'<h2 id="[^"]*--[^"]*">(.*?)</h2>', html)]
    assert unmapped == ["Linear Integration (Required)", "Domain Structure", "Spec Files", "Library Verification"]
    assert h2.index("examples") < h2.index("backend-developer-md--linear-integration-required") < h2.index("works-with")


def test_items_are_marked_with_their_document_and_line(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("roles/backend/")
    block = html[html.index('id="responsibilities--role-md--in-scope"') :]
    assert re.match(
        r'.*?<p class="rb-from" data-pagefind-ignore="all">From <a href="sources/#role-md-L6">ROLE.md, line 6</a>',
        block,
        re.S,
    )
    item = re.search(
        r"<li id=\"role-md-L8\">Domain models, persistence adapters, DB schema and migrations(.*?)</li>", html
    )
    assert item is not None
    assert (
        'class="rb-lineref" data-pagefind-ignore="all" href="sources/#role-md-L8" title="ROLE.md, line 8">L8</a>'
        in item.group(1)
    )
    sources = shipped_site.page("roles/backend/sources/")
    line = re.search(r'<span class="rb-line" id="role-md-L8">(.*?)</span>', sources, re.S)
    assert line is not None and "Domain models, persistence adapters, DB schema and migrations" in line.group(1)


def test_provenance_is_said_once_per_block(shipped_site: BuiltSite) -> None:
    """A block names its document once; its items and subheadings link only their lines, and
    no item repeats the document's name (the chips that did: 177 on this page)."""
    html = shipped_site.page("roles/backend/")
    article = html[html.index("<article") : html.index("</article>")]
    assert "rb-src" not in article
    items = re.findall(r'<(?:li|p)[^>]* id="([a-z0-9-]+-md-L\d+)"', article)
    links = re.findall(r'class="rb-lineref" data-pagefind-ignore="all" href="sources/#([a-z0-9-]+-md-L\d+)"', article)
    assert len(items) >= 150 and set(items) <= set(links)  # every item links its line
    assert len(re.findall(r'class="rb-from"', article)) < 40
    # a subheading under a block of its document: its line, no second "From …" line
    nested = re.search(
        r'<h4 id="workflow--[a-z-]+-md--[^"]+">[^<]+<a class="rb-lineref"[^>]*>L\d+</a>.*?</h4>\s*(<\w+[^>]*>)', article
    )
    assert nested is not None and nested.group(1) == '<div class="rb-body">', "the subheading repeats its provenance"


def test_every_word_of_every_seed_is_on_the_merged_page(shipped_site: BuiltSite) -> None:
    page_words = words(visible_text(shipped_site.page("roles/backend/")))
    for path in sorted(SOURCES.iterdir()):
        text = path.read_text(encoding="utf-8").replace("2â€“3", "2–3")  # shown repaired
        missing = words(_render_on_its_own(text)) - page_words
        assert not missing, f"{path.name}: {sorted(missing)}"


def test_playbook_steps_keep_order_numbering_and_nesting(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("roles/backend/")
    block = html[html.index('id="workflow--playbook-md--intro"') :]
    ordered = block[block.index("<ol>") :]
    steps = re.findall(r"<li[^>]*>\s*<p>(ORIENT|PLAN|DESIGN|IMPLEMENT|VERIFY|PACKAGE|HANDOFF)\b", ordered)
    assert steps == ["ORIENT", "PLAN", "DESIGN", "IMPLEMENT", "VERIFY", "PACKAGE", "HANDOFF"]
    first_step = ordered[: ordered.index("<p>PLAN")]
    assert "<ul>" in first_step and "<li>Read capsule Goal and Acceptance." in first_step
    assert '<li id="playbook-md-L3">' in ordered


def test_code_stays_highlighted_code_and_tables_stay_tables(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("roles/backend/")
    code = re.search(r'<div class="language-typescript highlight"><pre><span></span><code>(.*?)</code>', html, re.S)
    assert code is not None and '<span class="k">export</span>' in code.group(1)
    table = html[html.index('id="backend-developer-md--linear-integration-required"') :]
    table = table[table.index("<table>") : table.index("</table>")]
    assert "<th>Action</th>" in table and "Hit a blocker" in table and "<code>" in table


def test_mojibake_is_repaired_on_the_page_reported_and_not_strict(shipped_site: BuiltSite) -> None:
    text = visible_text(shipped_site.page("roles/backend/"))
    assert "2–3 representative requests" in text
    assert "2â€“3" not in text
    assert (SOURCES / "PLAYBOOK.md").read_bytes().count("2â€“3".encode()) == 1
    repaired = [r for r in shipped_site.records if "PLAYBOOK.md:31: repaired mojibake" in r.getMessage()]
    assert len(repaired) == 1 and repaired[0].levelno == logging.INFO
    health = visible_text(shipped_site.page("health/"))
    assert "docs/sources/backend/PLAYBOOK.md:31" in health and "repaired mojibake" in health
    assert 'href="../roles/backend/sources/#playbook-md-L31"' in shipped_site.page("health/")
    # The source view shows the file as written.
    assert "2â€“3" in visible_text(shipped_site.page("roles/backend/sources/"))


def test_raw_sources_are_not_pages_but_can_be_viewed_as_written(shipped_site: BuiltSite) -> None:
    site = shipped_site.site_dir
    assert not (site / "sources").exists()
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert not [p for p in pages if "sources/backend" in p]
    for name in SEED_FILES.values():
        raw = site / "roles" / "backend" / "raw" / f"{name}.txt"
        assert raw.read_bytes() == (SOURCES / name).read_bytes()
    sources = shipped_site.page("roles/backend/sources/")
    assert 'href="../raw/PLAYBOOK.md.txt"' in sources
    assert 'href="sources/#playbook-md"' in shipped_site.page("roles/backend/")


def test_api_reference_is_published_but_out_of_search(shipped_site: BuiltSite) -> None:
    """The reference documents the code: a search for a word of the roles ("escalat…")
    must rank the roles, not the functions named after it."""
    assert "rolebook.relate" in shipped_site.page("reference/api/")
    pages = shipped_site.search_pages()
    assert not [url for url in pages if url.startswith("/reference/")]
    assert "escalat" in pages["/roles/backend/"]["content"].lower()


def test_home_page_has_a_card_per_role_and_how_to_add_one(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("")
    card = re.search(r'<div class="grid cards rb-cards"[^>]*>(.*?)</div>', html, re.S)
    assert card is not None
    assert 'href="roles/backend/"' in card.group(1) and "5 source documents" in card.group(1)
    assert "Deliver server-side capabilities" in card.group(1)
    assert "Add a role" in visible_text(html)
    assert 'href="backend/"' in shipped_site.page("roles/")


def test_build_warns_about_nothing_on_the_shipped_content(shipped_site: BuiltSite) -> None:
    assert shipped_site.messages(logging.WARNING) == []


def test_sources_can_come_from_another_folder(tmp_path: Path) -> None:
    sources = write_tree(
        tmp_path / "roles",
        {
            "reviewer/ROLE.md": "# Reviewer - ROLE\n\n## Mission\nReview <every> change | twice.\n",
        },
    )
    site = build_site(tmp_path / "site", sources=sources, strict=True)
    html = site.page("roles/reviewer/")
    assert "Review &lt;every&gt; change | twice." in html
    assert not (site.site_dir / "roles" / "backend").exists()


def test_document_text_cannot_inject_markup_into_generated_pages(tmp_path: Path) -> None:
    sources = write_tree(
        tmp_path / "roles",
        {
            "agents/x.md": "---\nname: '<script>alert(1)</script> | *x*'\ndescription: 'a | b <b>c</b>'\n---\nBody.\n",
        },
    )
    site = build_site(tmp_path / "site", sources=sources)
    for page in ("", "roles/"):
        html = site.page(page)
        assert "<script>alert(1)" not in html and "<b>c</b>" not in html
    row = re.search(r"<tr>\s*<td><a [^>]*>(.*?)</a></td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", site.page("roles/"), re.S)
    assert row is not None
    assert "&lt;script&gt;" in row.group(1) and "a | b &lt;b&gt;c&lt;/b&gt;" in row.group(3)


def test_two_builds_give_the_same_role_page(shipped_site: BuiltSite, tmp_path: Path) -> None:
    again = build_site(tmp_path / "site")
    for page in ("roles/backend/index.html", "roles/backend/sources/index.html", "health/index.html"):
        first = hashlib.sha256((shipped_site.site_dir / page).read_bytes()).hexdigest()
        assert first == hashlib.sha256((again.site_dir / page).read_bytes()).hexdigest(), page


def test_no_placeholder_survives_in_any_page(shipped_site: BuiltSite) -> None:
    for page in shipped_site.site_dir.rglob("*.html"):
        if "reference" in page.parts:
            continue  # the API reference quotes these placeholders as constants
        text = page.read_text(encoding="utf-8")
        assert "data-rb-slot" not in text and "rolebook:role/" not in text and "rolebook:source" not in text, page


def test_every_link_in_the_site_resolves(shipped_site: BuiltSite) -> None:
    assert broken_links(shipped_site.site_dir) == []


def test_role_page_table_of_contents_nests_sections_and_their_parts(shipped_site: BuiltSite) -> None:
    html = shipped_site.page("roles/backend/")
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>\s*</div>', html, re.S)
    assert toc is not None
    hrefs = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', toc.group(0))
    assert hrefs[:2] == ["sources", "mission"]
    assert hrefs.index("responsibilities") < hrefs.index("responsibilities--role-md--in-scope")
    nested = re.search(r'href="#responsibilities".*?<nav class="md-nav"[^>]*>(.*?)</nav>', toc.group(0), re.S)
    assert nested is not None and 'href="#responsibilities--role-md--in-scope"' in nested.group(1)
    headings = set(re.findall(r'<h([1-6]) id="([^"]+)"', html))
    assert {anchor for level, anchor in headings if level in "23"} == set(hrefs)
    assert "works-with" in hrefs or "referenced-by" in hrefs


def test_rebuilding_in_one_process_frees_the_previous_build(tmp_path: Path) -> None:
    """What `mkdocs serve` does on every edit: the objects of earlier builds must go
    (the API reference's libraries cache per-build objects without bound)."""
    import gc

    counts = []
    for run in range(3):
        build_site(tmp_path / f"site-{run}")
        gc.collect()
        counts.append(len(gc.get_objects()))
    assert abs(counts[2] - counts[1]) < 2000, counts
