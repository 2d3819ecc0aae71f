"""Rolebook: role, playbook and standards documents merged into one page per role.

The package knows nothing about MkDocs events; `hooks/rolebook_hook.py` adapts them.
"""

from rolebook.library import Library, load_library
from rolebook.model import (
    Document,
    DocumentKind,
    Escalation,
    Finding,
    Item,
    Level,
    Relation,
    RelationType,
    Role,
    RoleStatus,
    Section,
)
from rolebook.vocabulary import Vocabulary, load_vocabulary

__all__ = [
    "Document",
    "DocumentKind",
    "Escalation",
    "Finding",
    "Item",
    "Level",
    "Library",
    "Relation",
    "RelationType",
    "Role",
    "RoleStatus",
    "Section",
    "Vocabulary",
    "load_library",
    "load_vocabulary",
]
