"""The navigation: every generated page is in it, roles are listed in groups (the overlay's,
else folders, else letters), and a page carries only its own group of roles."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from conftest import BuiltSite, build_site, write_tree
from rolebook.model import Role, RoleStatus
from rolebook.site.nav import GROUP_SIZE, by_letter


def _primary_nav(html: str) -> str:
    start = html.index('<nav class="md-nav md-nav--primary')
    return html[start : html.index('<div class="md-sidebar md-sidebar--secondary"', start)]


def _nav_links(html: str) -> list[tuple[str, str]]:
    """(href, text) of the links of a page's primary navigation, and ("", text) of the titles
    of its open sections."""
    entry = r'<(?:a href="([^"]*)"|label) class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*(.*?)\s*<'
    found = re.findall(entry, _primary_nav(html), re.S)
    return [(href, " ".join(text.split())) for href, text in found]


def test_every_generated_page_is_in_the_navigation(shipped_site: BuiltSite) -> None:
    """From a role page, the tabs and the sidebar link every kind of generated page."""
    html = shipped_site.page("roles/backend/")
    tabs = re.findall(r'<a href="([^"]*)" class="md-tabs__link">\s*(.*?)\s*</a>', html, re.S)
    assert [title for _, title in tabs] == ["Home", "Roles", "Matrices", "Document health", "Guide", "Reference"]
    links = dict((text, href) for href, text in _nav_links(html))
    assert links["Backend"] == "./" and 'href="backend/sources/">5</a>' in shipped_site.page("roles/")
    assert links["Designer"] == "../designer/" and links["data-engineer"] == "../data-engineer/"
    matrix = shipped_site.page("matrices/responsibilities/")
    assert {"Escalations", "Relations graph", "Conflicts and gaps", "Gaps"} <= {text for _, text in _nav_links(matrix)}
    assert not re.search(r'data-md-type="navigation"\s*hidden', matrix)  # the sidebar is no longer hidden
    assert re.search(r'data-md-type="navigation"\s*hidden', shipped_site.page("roles/backend/sources/"))
    guide = {text: href for href, text in _nav_links(shipped_site.page("guide/add-a-role/"))}
    assert guide["Data export"] == "../export/"


def test_the_current_role_is_highlighted_and_other_tabs_carry_no_roles(shipped_site: BuiltSite) -> None:
    nav = _primary_nav(shipped_site.page("roles/designer/"))
    active = re.findall(r'md-nav__link--active">\s*<span class="md-ellipsis">\s*(.*?)\s*<', nav, re.S)
    assert active == ["Designer"]
    assert re.search(r"Defined roles.*Backend.*Not defined yet.*Database Architect.*Designer.*Verifier", nav, re.S)
    # outside the Roles tab the list is pruned to one link: pages do not grow with the library
    for page in ("matrices/graph/", "health/", "guide/links/"):
        texts = [text for _, text in _nav_links(shipped_site.page(page))]
        assert "Designer" not in texts and "Backend" not in texts and "Roles" in texts, page


def test_the_sidebars_are_compact(shipped_site: BuiltSite) -> None:
    """Material indents each navigation link with blank lines; the hook folds them away."""
    html = shipped_site.page("roles/backend/")
    sidebar = html[html.index('<div class="md-sidebar md-sidebar--primary"') : html.index('<div class="md-content"')]
    assert not re.search(r"\n[ \t]*\n", sidebar)
    assert "Backend" in sidebar


def _card(name: str) -> str:
    return f"---\nname: {name.lower()}\ndescription: {name} things.\n---\n\n# {name}\n\n## Responsibilities\n- Work\n"


LIBRARY = {
    "team-a/alpha.md": _card("Alpha"),
    "team-a/gamma.md": _card("Gamma"),
    "team-b/beta.md": _card("Beta"),
    "lead.md": _card("Lead"),  # beside the team folders: headed by the sources folder's name, never "."
}


@pytest.fixture(scope="module")
def by_folder(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("folders")
    return build_site(root / "site", sources=write_tree(root / "roles", LIBRARY))


def test_roles_are_grouped_by_folder_and_only_the_pages_group_is_listed(by_folder: BuiltSite) -> None:
    texts = [text for _, text in _nav_links(by_folder.page("roles/beta/"))]
    assert texts.index("team-a") < texts.index("team-b") < texts.index("Beta")
    assert "Alpha" not in texts and "Gamma" not in texts  # team-a is collapsed: a link to its first role
    texts = [text for _, text in _nav_links(by_folder.page("roles/gamma/"))]
    assert texts.index("Alpha") < texts.index("Gamma") < texts.index("team-b") and "Beta" not in texts
    texts = [text for _, text in _nav_links(by_folder.page("roles/lead/"))]
    assert texts.index("roles") < texts.index("Lead") < texts.index("team-a") and "." not in texts


def test_the_overlay_names_the_groups_and_an_unknown_member_is_a_warning(tmp_path: Path) -> None:
    overlay = "groups:\n  Data: [beta, nobody]\n  Shipping: [Alpha]\n"
    site = build_site(tmp_path / "site", sources=write_tree(tmp_path / "roles", {**LIBRARY, "rolebook.yml": overlay}))
    texts = [text for _, text in _nav_links(site.page("roles/gamma/"))]
    assert texts.index("Data") < texts.index("Shipping") < texts.index("Other roles") < texts.index("Gamma")
    assert "rolebook: roles/rolebook.yml: overlay group 'Data': no role 'nobody'; not listed" in site.messages(
        logging.WARNING
    )
    bad_library = write_tree(tmp_path / "bad-roles", {**LIBRARY, "rolebook.yml": "groups: [a]\n"})
    bad = build_site(tmp_path / "bad", sources=bad_library)
    assert any("overlay `groups` must map headings to lists of role ids" in m for m in bad.messages(logging.WARNING))


def _roles(names: list[str]) -> list[Role]:
    return [Role(name.lower().replace(" ", "-"), name, (), (), "", status=RoleStatus.REFERENCED) for name in names]


def test_long_lists_are_cut_by_letter_into_groups_of_at_most_group_size() -> None:
    names = [f"{word} {n}" for word in ("Alpha", "Bravo", "Charlie", "Sierra") for n in range(30)]
    names += [f"Search {n}" for n in range(60)] + ["42 Club"]
    groups = by_letter(_roles(names))
    assert all(len(group.roles) <= GROUP_SIZE for group in groups)
    listed = [role.name for group in groups for role in group.roles]
    assert sorted(listed, key=str.casefold) == listed and len(listed) == len(names)
    titles = [group.title for group in groups]
    assert titles[:3] == ["#–A", "B", "C"]  # letters are merged while they fit
    # a letter longer than a group: even parts, titled by where their names part ways
    assert [t for t in titles if t.startswith("S")] == ["Search 0–Search 35", "Search 36–Search 9", "Sierra 0–Sierra 9"]
