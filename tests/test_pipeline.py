"""The plain modules, on objects and texts built in the test: no MkDocs involved."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_site, write_tree
from pagetext import visible_text
from rolebook import DocumentKind, Level, load_library, load_vocabulary
from rolebook.read.markdown import parse_body
from rolebook.read.text import decode, split_front_matter
from rolebook.render.pages import md_cell, md_inline
from rolebook.vocabulary import VocabularyError, normalize_heading

VOCABULARY = load_vocabulary()


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("In-Scope", "responsibilities"),
        ("What You CAN Do", "responsibilities"),
        ("Out-of-Scope", "boundaries"),
        ("What You CANNOT Do", "boundaries"),
        ("❌ FORBIDDEN", "boundaries"),
        ("What NOT To Do", "boundaries"),
        ("Required Outputs (per task)", "outputs"),
        ("Escalation Triggers", "escalation"),
        ("STOP and ask", "escalation"),
        ("Security & Performance", "standards"),
        ("2. Mission & Success Criteria", "mission"),  # an outline number; the first name that maps
        ("5.1 Out of Scope", "boundaries"),
        ("Decision Rights & Escalation", "responsibilities"),
        ("Tooling and Environment", "tools"),
        ("Quality bar and guardrails", "standards"),  # a synonym whole before its parts
        ("A Day in the Life", None),  # a capital and a space is no outline letter
        ("11. Artifacts You Own", "responsibilities"),
        ("2. Prime Directives (Must Do)", "responsibilities"),
        ("Mission & Success Criteria", "mission"),
        ("You succeed when", "success"),
        ("Linear Integration (Required)", None),
        ("🚀", None),
    ],
)
def test_headings_map_through_the_synonym_table(heading: str, section: str | None) -> None:
    assert VOCABULARY.section_for(heading) == section


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("What This Agent Must NOT Do", "boundaries"),
        ("Things you should never do", "boundaries"),
        ("Out of bounds", "boundaries"),
        ("Work We Won't Take On", "boundaries"),
        ("What happens if a review does not finish?", None),  # a circumstance
        ("What a Checklist Is Not", None),  # a definition, not a prohibition
    ],
)
def test_a_heading_that_forbids_lists_boundaries(heading: str, section: str | None) -> None:
    """A heading that names no section but says what must not be done is a boundary list; a
    label line in prose is not a heading, so `section_for` leaves it alone."""
    assert VOCABULARY.heading_section(heading) == section
    assert VOCABULARY.section_for("It is a step we do not take lightly") is None


def test_normalize_heading_drops_emoji_punctuation_and_trailing_parenthetical() -> None:
    assert normalize_heading("  ❌ Out-of-Scope (v2) ") == "out-of-scope"
    assert normalize_heading("What You CAN’T Do!") == "what you can't do"
    assert normalize_heading("10.2 Hand-offs") == "hand-offs"
    assert normalize_heading("B) Scope") == "scope"


def test_a_site_vocabulary_adds_synonyms_and_sections(tmp_path: Path) -> None:
    extra = tmp_path / "vocabulary.yml"
    extra.write_text(
        "sections:\n"
        "  - key: boundaries\n    synonyms: [Red lines]\n"
        "  - key: metrics\n    title: Metrics\n    synonyms: [KPIs]\n",
        encoding="utf-8",
    )
    vocabulary = load_vocabulary(extra)
    assert vocabulary.section_for("Red Lines") == "boundaries"
    assert vocabulary.section_for("KPIs") == "metrics"
    assert [s.key for s in vocabulary.sections][-1] == "metrics"
    extra.write_text("- not a mapping\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"vocabulary\.yml:1: expected a mapping of vocabulary"):
        load_vocabulary(extra)


def test_sections_keep_file_line_numbers_and_inherit_their_parent_section() -> None:
    body = "# X - PLAYBOOK\n\nIntro text.\n\n## Capabilities\n\n### Details\n- one\n- two\n\n## Odd One\nText.\n"
    parsed = parse_body(body, offset=3, label="X.md", vocabulary=VOCABULARY)
    assert parsed.title == "X - PLAYBOOK" and parsed.title_line == 4
    preamble, capabilities, details, odd = parsed.sections
    assert (preamble.level, preamble.line, preamble.items[0].text) == (0, 6, "Intro text.")
    assert (capabilities.canonical, capabilities.line) == ("responsibilities", 8)
    assert (details.canonical, details.parent, details.path) == ("responsibilities", 1, ("Capabilities", "Details"))
    assert [(i.line, i.text) for i in details.items] == [(11, "one"), (12, "two")]
    assert odd.canonical is None and odd.parent is None


def test_a_front_matter_title_wins_and_a_different_first_h1_is_a_section() -> None:
    body = "# Mission\n\nServe the readers.\n\n# Getting started\n\nRead this.\n"
    parsed = parse_body(body, offset=4, label="guide.md", vocabulary=VOCABULARY, front_title="The Editors' Guide")
    assert parsed.title is None
    assert [(s.title, s.level, s.line) for s in parsed.sections] == [("Mission", 1, 5), ("Getting started", 1, 9)]
    same = parse_body("#  the editors'   GUIDE\n\nText.\n", 4, "guide.md", VOCABULARY, front_title="The Editors' Guide")
    assert same.title == "the editors'   GUIDE" and [s.level for s in same.sections] == [0]


def test_raw_html_in_documents_is_text_and_items_link_their_line() -> None:
    parsed = parse_body("- use <example>tags</example>\n", 0, "card.md", VOCABULARY)
    html = parsed.sections[0].html
    assert "&lt;example&gt;tags&lt;/example&gt;" in html and "<example>" not in html
    assert 'title="card.md, line 1">L1</a>' in html


def test_fences_in_rendered_code_cannot_reopen_in_the_page() -> None:
    parsed = parse_body("````md\n```\nnested\n```\n````\n", 0, "x.md", VOCABULARY)
    html = parsed.sections[0].html
    assert "```" not in html and "&#96;&#96;&#96;" in html


def test_front_matter_problems_are_findings_and_the_text_is_kept() -> None:
    good = split_front_matter("---\nname: a\ndescription: b\n---\nBody\n", "a.md")
    assert good.data == {"name": "a", "description": "b"} and good.body == "Body\n" and good.body_offset == 4
    # not valid YAML, but a mapping by its lines: read key by key
    lenient = split_front_matter("---\nname: a\ntools: [Read]\ndescription: x: y\n---\nBody\n", "a.md")
    assert lenient.data == {"name": "a", "tools": ["Read"], "description": "x: y"} and lenient.body == "Body\n"
    assert "read key by key: name, tools, description" in lenient.findings[0].message
    assert split_front_matter("---\nname: a\nBody\n", "a.md").body == "---\nname: a\nBody\n"
    for text, line, words in [
        ("---\nname: a\nBody\n", 1, "never closed"),
        ("---\n- a\n- b\n---\nBody\n", 2, "not a mapping"),
        ("---\nname: !!python/object/apply:os.system ['true']\n---\nBody\n", 2, "not valid YAML"),
        ("---\nname: a: b\n  - c\nno key here\n---\nBody\n", 2, "not valid YAML"),
    ]:
        result = split_front_matter(text, "a.md")
        # unusable front matter stays in the body, as a code block in place of its fences
        assert result.data == {} and result.body_offset == 0
        closed = text.replace("---\n", "~~~yaml\n", 1).replace("\n---\n", "\n~~~\n", 1)
        assert result.body == (text if words == "never closed" else closed)
        (finding,) = result.findings
        assert (finding.path, finding.line, finding.level) == ("a.md", line, Level.WARNING)
        assert words in finding.message


def test_decoding_reports_bad_bytes_and_repairs_mojibake_in_the_rendered_copy_only() -> None:
    text = decode("\ufeffa\r\nb 2â€“3\r\n".encode(), "p.md")
    assert text.original == "a\nb 2â€“3\n" and text.rendered == "a\nb 2–3\n"
    bom, crlf, mojibake = text.findings
    assert (bom.line, bom.level, crlf.line, crlf.level) == (1, Level.WARNING, 1, Level.WARNING)
    assert "byte-order mark" in bom.message and "CRLF" in crlf.message
    assert (mojibake.line, mojibake.level) == (2, Level.INFO) and '"2â€“3" -> "2–3"' in mojibake.message
    broken = decode(b"ok\nbad \xff here\n", "q.md")
    assert broken.rendered == "ok\nbad \ufffd here\n"
    assert [(f.line, f.level) for f in broken.findings] == [(2, Level.ERROR)]


def test_escaping_for_generated_markdown() -> None:
    assert md_inline("<script>x</script> *a* [b](c) #1") == (
        "&lt;script&gt;x&lt;/script&gt; \\*a\\* \\[b\\]\\(c\\) \\#1"
    )
    assert md_cell("a | b\nc") == "a \\| b c"
    assert md_inline(": looks like a definition") == "&#58; looks like a definition"


def test_role_folders_merge_and_loose_documents_are_roles_of_their_own(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "qa/ROLE.md": "# Tester - ROLE\n\n## Mission\nFind bugs.\n",
            "qa/card.md": "---\nname: qa-agent\ndescription: Tests things.\n---\nBody.\n",
            "agents/reviewer.md": "---\nname: code-reviewer\ndescription: Reviews.\n---\n",
            "agents/writer.md": "# Role: Tech Writer\n\nWrites.\n",
        },
    )
    library = load_library([tmp_path], tmp_path, VOCABULARY)
    roles = {role.id: role for role in library.roles}
    assert sorted(roles) == ["code-reviewer", "qa", "tech-writer"]
    qa = roles["qa"]
    assert qa.name == "Qa" and qa.aliases == ("Tester", "qa-agent") and qa.summary == "Find bugs."
    assert [d.kind for d in qa.documents] == [DocumentKind.ROLE, DocumentKind.AGENT_CARD]
    assert roles["code-reviewer"].summary == "Reviews."
    assert roles["tech-writer"].name == "Tech Writer"


def test_a_description_over_several_paragraphs_gives_its_first_as_the_summary(tmp_path: Path) -> None:
    """A card's description that goes on with when to use it and examples is summed up by its
    first paragraph; one ending in a colon takes the next along."""
    write_tree(
        tmp_path,
        {
            "scout.md": "---\nname: scout\ndescription: |\n  Maps the terrain\n  before the team moves.\n\n"
            "  Use this agent when:\n  - the ground is new\n\n  Examples:\n  - <example>walk</example>\n---\nBody.\n",
            "guide.md": "---\nname: guide\ndescription: |\n  Leads the way in:\n\n  forests and hills.\n"
            "\n  More.\n---\nBody.\n",
        },
    )
    roles = {role.id: role for role in load_library([tmp_path], tmp_path, VOCABULARY).roles}
    assert roles["scout"].summary == "Maps the terrain before the team moves."
    assert roles["guide"].summary == "Leads the way in: forests and hills."
    assert "<example>walk</example>" in roles["scout"].documents[0].description


def test_a_role_document_titled_in_its_front_matter_keeps_that_title(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "agents/reviewer.md": '---\ntitle: "Role: Section Reviewer"\n---\n# Mission\n\nReview sections.\n',
            "agents/writer.md": "# Role: Tech Writer\n\nWrites.\n",
        },
    )
    role = next(r for r in load_library([tmp_path], tmp_path, VOCABULARY).roles if r.id == "section-reviewer")
    assert role.name == "Section Reviewer"
    (document,) = role.documents
    assert document.title == "Role: Section Reviewer" and document.sections[0].title == "Mission"


def test_a_broken_document_warns_fails_strict_and_leaves_its_neighbour_intact(tmp_path: Path) -> None:
    sources = write_tree(
        tmp_path / "roles",
        {
            "good/ROLE.md": "# Good - ROLE\n\n## Mission\nStay intact.\n",
            "bad/ROLE.md": "---\nname: bad\ndescription: broken: yaml\n---\n# Bad\n\nStill shown.\n",
        },
    )
    site = build_site(tmp_path / "site", sources=sources)
    warnings = [m for m in site.messages() if "front matter" in m]
    assert warnings == [
        "rolebook: roles/bad/ROLE.md:3: front matter is not valid YAML "
        "(mapping values are not allowed here); read key by key: name, description"
    ]
    assert "Stay intact." in visible_text(site.page("roles/good/"))
    bad = visible_text(site.page("roles/bad/"))
    assert "Still shown." in bad and "broken: yaml" in bad  # the description, recovered
    assert "front matter is not valid YAML" in visible_text(site.page("health/"))
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort, match="1 warnings"):
        build_site(tmp_path / "strict", sources=sources, strict=True)
