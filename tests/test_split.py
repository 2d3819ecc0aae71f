"""A large library's cross-role pages split by group (`split_above`): a small library with
three team folders, built with the threshold set low, gets an overview at each page's
address, one part per team, and role pages that lead to their team's parts; a library at
or below the threshold keeps one page of each."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from conftest import BuiltSite, build_site, write_tree

TEAMS = {"team-a": ("Planner", "Builder"), "team-b": ("Tester", "Releaser"), "team-c": ("Observer", "Reviewer")}
RING = [name for names in TEAMS.values() for name in names]
SPLIT_PAGES = ("matrices/responsibilities/", "conflicts/", "matrices/escalations/", "matrices/graph/")


def team_library() -> dict[str, str]:
    """Six roles in three team folders: each delegates to the next in the ring (the first of
    a team to its teammate, the second to the next team), escalates to the one after it and
    to the Database Architect (whom no document defines), and owns the deployments, so they all conflict."""
    files = {}
    for team, names in TEAMS.items():
        for name in names:
            after = [RING[(RING.index(name) + step) % len(RING)] for step in (1, 2)]
            files[f"{team}/{name.lower()}/ROLE.md"] = (
                f"# {name} - ROLE\n\n## Mission\nKeeps the {name.lower()} work moving.\n\n"
                f"## In-Scope\n- Own the deployments of the {name.lower()} services\n\n"
                f"## Out-of-Scope\n- Billing reports ({after[0]})\n\n"
                f"## Escalation Triggers\n- Escalate to {after[1]} when blocked\n"
                "- Escalate to the Database Architect when lost\n"
            )
    return files


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("split")
    sources = write_tree(root / "roles", team_library())
    return build_site(root / "site", sources=sources, settings={"split_above": 5, "cache": False})


def article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)', article(html))


def resolve(page: str, href: str) -> str:
    """The URL path `href` leads to from the page at URL path `page`."""
    return posixpath.normpath(posixpath.join(page, href)) + "/"


@pytest.mark.parametrize("page", SPLIT_PAGES)
def test_each_split_page_lists_one_part_per_team(split_site: BuiltSite, page: str) -> None:
    overview = split_site.page(page)
    targets = [resolve(page, href) for href in links(overview)]
    assert [t for t in targets if t.startswith(page) and t != page] == [f"{page}{team}/" for team in TEAMS]
    for team, names in TEAMS.items():
        part = article(split_site.page(f"{page}{team}/"))
        assert f": {team}" in part and 'href="../">all parts</a>' in part
        others = [name for other, members in TEAMS.items() if other != team for name in members]
        if page == "matrices/responsibilities/":  # the team's rows, and no one else's
            rows = re.findall(r'data-rb-row="([a-z]+) ', part)
            assert rows == sorted(name.lower() for name in names)
            assert not any(f'data-rb-row="{name.lower()} ' in part for name in others)


def test_a_graph_part_draws_its_team_and_lists_relations_across_teams(split_site: BuiltSite) -> None:
    part = article(split_site.page("matrices/graph/team-a/"))
    figure = part[part.index("<svg") : part.index("</svg>")]
    assert sorted(re.findall(r'data-role="([^"]+)"', figure)) == ["builder", "database-architect", "planner"]
    table = part[part.index('id="rb-edges"') :]
    # Builder delegates to Tester (team-b), and Observer (team-c) escalates to Planner
    assert "Builder" in table and "Tester" in table and "Observer" in table


def test_conflicts_keep_their_lines_per_team_and_the_count_of_other_roles(split_site: BuiltSite) -> None:
    part = article(split_site.page("conflicts/team-b/"))
    assert "and 4 roles of other groups" in part
    assert "team-b/tester/ROLE.md" in part and "team-a/planner/ROLE.md" not in part
    assert 'id="owned-by-nobody"' in article(split_site.page("conflicts/"))


def test_the_roles_index_is_split_into_groups(split_site: BuiltSite) -> None:
    overview = article(split_site.page("roles/"))
    assert "6 roles defined by documents" in overview
    for team, names in TEAMS.items():
        part = article(split_site.page(f"groups/{team}/"))
        assert all(f">{name}</a>" in part for name in names)
    assert "Database Architect" in article(split_site.page("groups/not-defined-yet/"))


def test_a_role_page_links_to_its_row_in_each_part(split_site: BuiltSite) -> None:
    page = split_site.page("roles/releaser/")
    line = page[page.index('<p class="rb-parts"') :]
    line = line[: line.index("</p>")]
    targets = [resolve("roles/releaser/", href) for href in re.findall(r'href="([^"]+)"', line)]
    assert sorted(targets) == sorted(f"{page}team-b/" for page in SPLIT_PAGES)
    assert 'data-rb-row="releaser releaser"' in split_site.page("matrices/responsibilities/team-b/")
    assert 'data-role="releaser"' in split_site.page("matrices/graph/team-b/")


def test_a_library_at_the_threshold_keeps_one_page_of_each(shipped_site: BuiltSite) -> None:
    site = shipped_site.site_dir
    assert not (site / "groups").exists()
    for page in SPLIT_PAGES:
        assert not [p for p in (site / page).iterdir() if p.is_dir()], page
        assert "all parts" not in shipped_site.page(page)
    role_pages = Path(site, "roles").glob("*/index.html")
    assert not any('class="rb-parts"' in p.read_text(encoding="utf-8") for p in role_pages)


def test_the_home_page_has_a_card_per_group_not_per_role(split_site: BuiltSite) -> None:
    home = article(split_site.page(""))
    assert re.findall(r'href="groups/([^/"]+)/"', home)[:3] == list(TEAMS)
    assert 'href="roles/planner/"' not in home
