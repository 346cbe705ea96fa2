"""The registry of import kinds: each kind's module registers itself when imported."""

from __future__ import annotations

from operations.imports.kinds.base import ImportKind

KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    """Add ``kind`` to KINDS under its key (one kind per key)."""
    if kind.key in KINDS and type(KINDS[kind.key]) is not type(kind):
        raise ValueError(f"Two import kinds share the key {kind.key!r}.")
    KINDS[kind.key] = kind
    return kind


def kind_choices() -> list[tuple[str, str]]:
    """(key, label) for every registered kind, in registration order."""
    return [(key, kind.label) for key, kind in KINDS.items()]


# The kind modules register themselves (imported last: they import register from here).
# Add a line for each kind module. imp-kinds adds theirs below.
from operations.imports.kinds import (  # noqa: E402,F401  (volunteers: the engine's; the others: imp-kinds)
    directory,
    groups,
    matches,
    parents,
    referrals,
    referrers,
    volunteers,
)
