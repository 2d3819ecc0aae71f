"""The roles list of the site's navigation: under which heading each role is listed.

Material writes the navigation into every page, leaving out only the sections it prunes
(those the page is not in). So a library of a thousand roles reaches the sidebar in groups,
and a role page carries its own group's roles, never the whole library: groups from the
overlay file (`groups:` in `rolebook.yml`), else the folders the roles come from, else
letters of the alphabet once a list grows longer than `GROUP_SIZE`.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from rolebook import urls
from rolebook.compat import ListedPage, link_navigation
from rolebook.library import Library
from rolebook.model import Role, RoleStatus

GROUP_SIZE = 40
"""Most roles listed together; a longer list is split into groups by name."""

OTHER_ROLES = "Other roles"
"""Heading of the defined roles that the overlay's groups leave out."""


@dataclass(frozen=True)
class Group:
    """Roles listed under one collapsible heading."""

    title: str
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class Shelf:
    """A heading of the roles list, always open: its roles, or its groups of roles."""

    title: str
    roles: tuple[Role, ...] = ()
    """Listed directly (a short list)."""
    groups: tuple[Group, ...] = ()
    """Or listed by group, each group collapsed unless the page is in it."""


def _key(role: Role) -> str:
    return role.name.casefold()


def _initial(role: Role) -> str:
    first = role.name[:1].upper()
    return first if first.isalpha() else "#"


def _words(name: str, *others: str) -> str:
    """The first words of `name`, as many as tell it from each of `others`."""
    words = name.split()
    needed = 1
    for other in others:
        shared = 0
        for mine, theirs in zip(words, other.split(), strict=False):
            if mine != theirs:
                break
            shared += 1
        needed = max(needed, shared + 1)
    return " ".join(words[:needed])


def _guide_words(parts: list[list[Role]]) -> list[str]:
    """Titles of consecutive parts of one letter, as a dictionary's guide words: the first
    and last names, in as many words as tell them from each other and from the neighbouring
    parts ("Accessibility–Analytics Manager", "Analytics Observer–Audit")."""
    titles = []
    for number, part in enumerate(parts):
        first, last = part[0].name, part[-1].name
        before = parts[number - 1][-1].name if number else ""
        after = parts[number + 1][0].name if number + 1 < len(parts) else ""
        head, tail = _words(first, before, last), _words(last, after, first)
        titles.append(head if head == tail else f"{head}–{tail}")
    return titles


def by_letter(roles: list[Role], size: int = GROUP_SIZE) -> list[Group]:
    """`roles` by name, cut into groups of at most `size` along initials ("A–C"), a letter
    with more than `size` roles into even parts titled like guide words ("Sea–Sec")."""
    ordered = sorted(roles, key=_key)
    letters = [(initial, list(members)) for initial, members in groupby(ordered, key=_initial)]
    groups: list[Group] = []
    run: list[tuple[str, list[Role]]] = []

    def close_run() -> None:
        if run:
            span = run[0][0] if len(run) == 1 else f"{run[0][0]}–{run[-1][0]}"
            groups.append(Group(span, tuple(role for _, members in run for role in members)))
            run.clear()

    for initial, members in letters:
        if len(members) > size:
            close_run()
            count = -(-len(members) // size)
            step = -(-len(members) // count)
            parts = [members[start : start + step] for start in range(0, len(members), step)]
            groups.extend(Group(title, tuple(part)) for title, part in zip(_guide_words(parts), parts, strict=True))
            continue
        if sum(len(m) for _, m in run) + len(members) > size:
            close_run()
        run.append((initial, members))
    close_run()
    return groups


def _shelf(title: str, roles: list[Role], size: int = GROUP_SIZE) -> Shelf:
    ordered = tuple(sorted(roles, key=_key))
    return Shelf(title, roles=ordered) if len(ordered) <= size else Shelf(title, groups=tuple(by_letter(roles, size)))


def _grouped(groups: list[tuple[str, list[Role]]], size: int = GROUP_SIZE) -> list[Group]:
    """Named groups, each longer than `size` split by name ("Billing, A–C")."""
    result: list[Group] = []
    for title, members in groups:
        if len(members) <= size:
            result.append(Group(title, tuple(members)))
        else:
            result.extend(Group(f"{title}, {part.title}", part.roles) for part in by_letter(members, size))
    return result


def role_folder(role: Role) -> str:
    """The folder that holds a role: the parent of its role folder (`backend/ROLE.md`), or
    the folder of its one document (an agent card among others)."""
    folder = posixpath.dirname(role.documents[0].path)
    return posixpath.dirname(folder) if role.source_dir else folder


def _by_folder(roles: list[Role]) -> list[tuple[str, list[Role]]]:
    """Roles by the folder that holds them, named from where the folders part ways."""
    folders: dict[str, list[Role]] = {}
    for role in sorted(roles, key=_key):
        folders.setdefault(role_folder(role), []).append(role)
    if len(folders) < 2:
        return []
    common = posixpath.commonpath(list(folders)) if all(folders) else ""

    def title(folder: str) -> str:
        """The folder's path below where the folders part ways; the roles that sit at that
        point itself (`roles/lead.md` beside `roles/team-a/`) are headed by its name."""
        below = posixpath.relpath(folder, common) if common else folder
        return posixpath.basename(common) or OTHER_ROLES if below in ("", ".") else below

    named = [(title(folder), members) for folder, members in folders.items()]
    return sorted(named, key=lambda pair: pair[0].casefold())


DEFINED = "Defined roles"
"""Heading of the roles that documents define."""
NOT_DEFINED = "Not defined yet"
"""Heading of the roles that documents only name, or a roster only lists."""
OVERVIEWS = "Library documents"
"""Heading of the documents that describe the library rather than a role (READMEs, indexes)."""


def shelves(library: Library, size: int = GROUP_SIZE) -> list[Shelf]:
    """The roles list (group members that name no role are left out: `load_library` warns),
    no group longer than `size`."""
    by_status: dict[RoleStatus, list[Role]] = {status: [] for status in RoleStatus}
    for role in library.roles:
        by_status[role.status].append(role)
    defined = by_status[RoleStatus.DEFINED]
    not_defined = by_status[RoleStatus.LISTED] + by_status[RoleStatus.REFERENCED]
    result: list[Shelf] = []
    if library.groups:
        placed: set[str] = set()
        named: list[tuple[str, list[Role]]] = []
        for title, ids in library.groups:
            members = [library.by_id[i] for i in dict.fromkeys(ids) if i in library.by_id and i not in placed]
            placed.update(role.id for role in members)
            if members:
                named.append((title, members))
        rest = [role for role in defined if role.id not in placed]
        if rest:
            named.append((OTHER_ROLES, sorted(rest, key=_key)))
        result.append(Shelf(DEFINED, groups=tuple(_grouped(named, size))))
        not_defined = [role for role in not_defined if role.id not in placed]
    elif folders := _by_folder(defined):
        result.append(Shelf(DEFINED, groups=tuple(_grouped(folders, size))))
    elif defined:
        result.append(_shelf(DEFINED, defined, size))
    if not_defined:
        result.append(_shelf(NOT_DEFINED, not_defined, size))
    if by_status[RoleStatus.OVERVIEW]:
        result.append(_shelf(OVERVIEWS, by_status[RoleStatus.OVERVIEW], size))
    return result


def parts(library: Library, size: int) -> list[Group]:
    """Every role in groups of at most `size`, for the cross-role pages a large library
    splits (`rolebook.site.pages`): the same groups as the roles list (the overlay's, else the
    folders, else letters of the alphabet), each longer than `size` cut by name. Groups of
    roles no document defines, and of library documents, are titled as such ("Not defined
    yet, A–C")."""
    result: list[Group] = []
    for shelf in shelves(library, size):
        if shelf.roles:
            result.append(Group(shelf.title, shelf.roles))
        for group in shelf.groups:
            result.append(group if shelf.title == DEFINED else Group(f"{shelf.title}, {group.title}", group.roles))
    return result


def add_roles_section(nav: Navigation, files: Files, config: MkDocsConfig, library: Library) -> None:
    """List every role in `nav`, under the roles index, in the groups `shelves` chose.
    Material then shows the list in the sidebar of role pages, the current role highlighted,
    other groups collapsed (pruned).

    Where the site's `nav` lists the roles index, that entry becomes the section (the index
    its first page); else the section is appended. Sources pages are left out: each is
    linked from its role page and from the roles index. Listed under their roles they would
    carry the role list too, doubling what the navigation costs a build (measured: +1.8 s
    instead of +0.9 s at 300 roles)."""
    index = files.get_file_from_path(urls.ROLES_INDEX)
    if index is None:
        return

    # Titles: a page's comes from its `# heading` (escaped text), a section's is escaped here;
    # Material writes both into the navigation as HTML.
    def role_item(role: Role) -> StructureItem | None:
        file = files.get_file_from_path(urls.role_page(role.id))
        return None if file is None else ListedPage(None, file, config)

    def shelf_item(shelf: Shelf) -> Section:
        def items(roles: tuple[Role, ...]) -> list[StructureItem]:
            return [item for item in map(role_item, roles) if item is not None]

        groups: list[StructureItem] = [Section(html.escape(group.title), items(group.roles)) for group in shelf.groups]
        return Section(shelf.title, items(shelf.roles) + groups)

    listed = shelves(library)

    def roles_section(index_page: Page) -> Section:
        return Section(index_page.title or "Roles", [index_page, *map(shelf_item, listed)])

    if not _replace_page(nav.items, index, roles_section):
        nav.items.append(roles_section(Page("Roles", index, config)))
    link_navigation(nav)


def _replace_page(items: list[StructureItem], file: File, replace: Callable[[Page], StructureItem]) -> bool:
    """Put `replace(page)` where the navigation lists `file`'s page; False if it does not."""
    for number, item in enumerate(items):
        if isinstance(item, Page) and item.file is file:
            items[number] = replace(item)
            return True
        if isinstance(item, Section) and _replace_page(item.children, file, replace):
            return True
    return False
