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


#: The order a move is done in, as the pages list the kinds: people first,
#: then what names them (a referral names its parent, a match its referral
#: and volunteer). A kind not listed comes last.
MOVING_IN_ORDER = ("volunteers", "referrers", "parents", "referrals", "matches", "groups", "directory")


def kinds_in_order() -> list[ImportKind]:
    """Every registered kind, in the order a move is done in."""
    position = {key: index for index, key in enumerate(MOVING_IN_ORDER)}
    return sorted(KINDS.values(), key=lambda kind: position.get(kind.key, len(position)))


def kind_choices() -> list[tuple[str, str]]:
    """(key, label) for every registered kind, in the order a move is done in."""
    return [(kind.key, kind.label) for kind in kinds_in_order()]


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
