"""Urgent events that must reach people at once (a concern from a contact
log, a safety alert from an assessment).

The app that records the cause calls ``raise_urgent`` inside its own
transaction; the notifications layer, which sits above it, registers the
handler that writes the outbox rows. So the rows commit with their cause and
are handed to a worker on commit — never left to the next beat scan — and
no lower layer imports a higher one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HANDLERS: dict[str, list[Callable[[Any], None]]] = {}


def on_urgent(kind: str, handler: Callable[[Any], None]) -> None:
    handlers = HANDLERS.setdefault(kind, [])
    if handler not in handlers:
        handlers.append(handler)


def raise_urgent(kind: str, subject: Any) -> None:
    """Runs every handler for ``kind`` now, in the caller's transaction."""
    for handler in HANDLERS.get(kind, []):
        handler(subject)
