"""MyST Markdown (Jupyter Book governance sites write it): directives shown as admonitions
whose text is still read, targets and comments hidden, inline roles as their text; line
numbers kept, the file unchanged, and R Markdown code chunks left as code."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from conftest import BuiltSite, build_site, write_tree
from pagetext import visible_text
from rolebook.read.myst import from_myst, without_comments

PAGE = """\
# Release Council

(release-council)=
## Responsibilities

:::{note}
The Release Council hands off every signed build to the Packaging Team.
:::

```{warning} Before a freeze
Never merge without a second reviewer.
```

```{include} _generated/members.md
```

% a comment for the editors only
- Publish the calendar (see {ref}`the freeze rules <freeze-rules>`).
- Press {kbd}`Ctrl` twice.

<!-- For the template's author: also ask the Packaging Team
     before the freeze. -->
Keep `<!-- this -->` as code.
"""

PACKAGING = "# Packaging Team\n\n## Responsibilities\n\n- Build the installers.\n"


def test_lines_stay_where_they_were() -> None:
    translated = from_myst(PAGE)
    before, after = PAGE.split("\n"), translated.text.split("\n")
    assert len(before) == len(after)
    assert after[2] == ""  # the target
    assert after[5] == '!!! note "Note"' and after[6].startswith("    The Release Council")
    assert after[9] == '!!! warning "Before a freeze"'
    assert after[16] == ""  # the comment
    assert "(see the freeze rules)" in after[17]
    assert "`Ctrl`" in after[18]
    assert set(translated.constructs) >= {"target", "directive {note}", "directive {include}", "role {ref}"}


def test_html_comments_are_hidden_outside_code() -> None:
    text = "# A\n\nSay <!-- not this --> it.\n<!--\nnor this\n-->\n```\n<!-- code -->\n```\n"
    assert without_comments(text) == "# A\n\nSay  it.\n\n\n\n```\n<!-- code -->\n```\n"


def test_plain_markdown_and_r_chunks_are_left_alone() -> None:
    plain = "# Editor\n\nSee `{page}-input-{field}` and `${key}`.\n"
    assert from_myst(plain).text == plain and not from_myst(plain).constructs
    chunk = "# Guide\n\n```{r}\nplot(1)\n```\n\n(not a target) = no\n"
    assert from_myst(chunk).text == chunk


def test_nested_directives_close_at_their_own_fence() -> None:
    text = "::::{card} Outer\nouter text\n:::{tip}\ninner text\n:::\n::::\nafter\n"
    lines = from_myst(text).text.split("\n")
    assert lines[0] == '!!! note "Outer"'
    assert lines[2] == '    !!! tip "Tip"' and lines[3] == "        inner text"
    assert lines[6] == "after"


@pytest.fixture(scope="module")
def myst_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuiltSite, Path]:
    root = tmp_path_factory.mktemp("myst")
    sources = write_tree(root / "roles", {"release-council.md": PAGE, "packaging-team.md": PACKAGING})
    return build_site(root / "site", sources=sources), sources


def test_directives_render_as_admonitions_and_are_read(myst_site: tuple[BuiltSite, Path]) -> None:
    site, sources = myst_site
    html = site.page("roles/release-council/")
    assert '<div class="admonition note"' in html and '<div class="admonition warning"' in html
    text = visible_text(html)
    assert "(release-council)=" not in text and "a comment for the editors" not in text
    assert "the template's author" not in text and "Keep <!-- this --> as code." in text
    assert "{ref}" not in text and "the freeze rules" in text
    assert "Included here in the original site: _generated/members.md" in text
    # the note's sentence is still read: the handoff is a relation of the council
    assert 'href="../packaging-team/' in html
    assert (sources / "release-council.md").read_text(encoding="utf-8") == PAGE  # the file unchanged
    said = [r for r in site.records if "MyST Markdown" in r.getMessage()]
    assert said and said[0].levelno == logging.INFO and "the file is unchanged" in said[0].getMessage()
