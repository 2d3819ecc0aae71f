"""Turn mentions of roles inside rendered document HTML into links.

Only text outside links, code, preformatted blocks and headings is touched. Links point to
`rolebook:role/<id>` placeholders, which the hook resolves per page to a relative URL (and
reports when the target does not exist), the way mkdocs-autorefs resolves identifiers.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from rolebook.library import Library
from rolebook.model import RoleStatus
from rolebook.relate.lexicon import Lexicon
from rolebook.render.markdown import protect
from rolebook.urls import ROLE_HREF, role_href

_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>")
_SKIP = frozenset({"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"})


_ROLE_LINK = re.compile(r'href="' + re.escape(ROLE_HREF) + r'([^"#]+)')


def resolve_role_links(html: str, url: Callable[[str], str | None]) -> str:
    """Replace role-link placeholders whose `url(role id)` is known (anchors are kept); the
    others stay for the hook to resolve, and to report."""

    def resolve(match: re.Match[str]) -> str:
        found = url(match[1])
        return match[0] if found is None else f'href="{found}'

    return _ROLE_LINK.sub(resolve, html)


def role_link(library: Library, role_id: str, anchor: str = "") -> str:
    """A link to a role's page, marked when no document defines the role."""
    role = library.by_id.get(role_id)
    name = role.name if role else role_id
    css = "rb-role" if role and role.status is RoleStatus.DEFINED else "rb-role rb-role--undefined"
    return f'<a class="{css}" href="{role_href(role_id, anchor)}">{html.escape(name)}</a>'


def link_mentions(fragment: str, lexicon: Lexicon, self_id: str, names: dict[str, tuple[str, bool]]) -> str:
    """Link every mention of a role other than `self_id` in `fragment`.

    `names` maps role ids to `(display name, defined?)`, for the link's title and class.
    """
    out: list[str] = []
    position = 0
    skipping = 0
    for tag in _TAG.finditer(fragment):
        text = fragment[position : tag.start()]
        out.append(text if skipping or not text.strip() else _link_text(text, lexicon, self_id, names))
        if tag[2].lower() in _SKIP:
            skipping += -1 if tag[1] else 1
            skipping = max(skipping, 0)
        out.append(tag[0])
        position = tag.end()
    tail = fragment[position:]
    out.append(tail if skipping or not tail.strip() else _link_text(tail, lexicon, self_id, names))
    return "".join(out)


def _link_text(text: str, lexicon: Lexicon, self_id: str, names: dict[str, tuple[str, bool]]) -> str:
    plain = html.unescape(text)
    mentions = [m for m in lexicon.find(plain) if m.role != self_id]
    if not mentions:
        return text
    pieces: list[str] = []
    position = 0
    for mention in mentions:
        pieces.append(protect(html.escape(plain[position : mention.start], quote=False)))
        name, defined = names.get(mention.role, (mention.role, False))
        css = "rb-role" if defined else "rb-role rb-role--undefined"
        title = name if defined else f"{name} (no document defines this role yet)"
        if mention.group:  # "the developers": the words link to the first of the roles they name
            title = ", ".join(names.get(role, (role, False))[0] for role in mention.group)
        pieces.append(
            f'<a class="{css}" href="{ROLE_HREF}{mention.role}" title="{html.escape(title)}">'
            f"{protect(html.escape(plain[mention.start : mention.end], quote=False))}</a>"
        )
        position = mention.end
    pieces.append(protect(html.escape(plain[position:], quote=False)))
    return "".join(pieces)


def broken_link(attribute: str, why: str) -> str:
    """What takes the place of `href="…"` (or an image's `src="…"`) when its target does not
    exist: no target at all (never `#`, which would jump to the top of the page), a class
    that shows the text as a broken link, and why, on hover."""
    return f'class="rb-broken" title="{html.escape(f"Broken link: {why}", quote=True)}"'
