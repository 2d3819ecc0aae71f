"""Ids and display names."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A URL-safe id: ASCII letters and digits joined by `-` (`"Backend Engineer"` -> `backend-engineer`)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "role"


def display_name(identifier: str) -> str:
    """A readable name from a folder or file name: `backend` -> `Backend`, `data_engineer` -> `Data Engineer`."""
    words = re.split(r"[-_\s]+", identifier.strip())
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or identifier


def item_anchor(document_name: str, line: int) -> str:
    """Anchor of an item on its role page, and of its line on the sources page (`role-md-L8`)."""
    return f"{slugify(document_name)}-L{line}"
