"""Properties that hold for any input: nothing lost, never a traceback (hypothesis), and
builds that reproduce byte for byte."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import build_site
from pagetext import visible_text, words

# Letters that cannot look like mojibake (which the build repairs on purpose), Markdown
# specials, and a few scripts beyond ASCII.
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789αβγδεζηθ日本語字éü★✓🚀 *_`[]()#|<>&!-+.:;'\"/\\~=%"
)
text = st.text(alphabet=ALPHABET, min_size=1, max_size=40).map(lambda s: " ".join(s.split()) or "x")
word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzαβγ日本", min_size=2, max_size=10)
heading = st.builds(lambda level, title: "#" * level + " " + title, st.integers(2, 4), text)
bullet = st.builds(lambda marker, body: f"{marker} {body}", st.sampled_from(["-", "*", "+", "1.", "2)"]), text)
paragraph = st.lists(word, min_size=1, max_size=8).map(" ".join)
block = st.one_of(heading, bullet, paragraph, st.builds(lambda w: f"```\n{w}\n```", word))


@st.composite
def documents(draw: st.DrawFn) -> str:
    body = "\n\n".join(draw(st.lists(block, min_size=1, max_size=12)))
    title = draw(st.one_of(st.none(), text))
    if title is not None:
        body = f"# {title}\n\n{body}"
    if draw(st.booleans()):
        front = yaml.safe_dump({"name": draw(word), "description": draw(paragraph)}, allow_unicode=True)
        body = f"---\n{front}---\n\n{body}"
    return body + "\n"


def shown_alone(document: str) -> set[str]:
    """Words a document shows rendered on its own (CommonMark + tables; description shown)."""
    shown = ""
    if document.startswith("---\n"):
        front, _, document = document[4:].partition("---\n")
        data = yaml.safe_load(front)
        shown = f"{data['name']} {data['description']}"
    # raw HTML is shown as text, as Rolebook shows it by default (`allow_html: false`)
    rendered = MarkdownIt("commonmark", {"html": False}).enable("table").render(document)
    return words(shown + " " + visible_text(rendered, article_only=False))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(documents(), min_size=1, max_size=3))
def test_every_word_survives_the_merge(tmp_path_factory, docs: list[str]) -> None:  # noqa: ANN001
    root = tmp_path_factory.mktemp("prop")
    folder = root / "roles" / "prop"
    folder.mkdir(parents=True)
    names = ["ROLE.md", "PLAYBOOK.md", "notes.md"]
    for name, document in zip(names, docs, strict=False):
        (folder / name).write_text(document, encoding="utf-8")
    site = build_site(root / "site", sources=root / "roles")  # never raises
    # a name written as an id (`name: aaa`) is shown humanised ("Aaa"): compare words, not case
    page = {word.casefold() for word in words(visible_text(site.page("roles/prop/")))}
    for name, document in zip(names, docs, strict=False):
        missing = {word.casefold() for word in shown_alone(document)} - page
        assert not missing, f"{name}: {sorted(missing)}\n{document}"


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    try:
        first = build_site(tmp_path / "one")
        second = build_site(tmp_path / "two")
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]

    def digests(site: Path) -> dict[str, str]:
        return {
            p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*"))
            if p.is_file()
        }

    one, two = digests(first.site_dir), digests(second.site_dir)
    assert one.keys() == two.keys()
    assert [path for path in one if one[path] != two[path]] == []
