"""Records sent twice are kept once.

A phone on one bar of signal retries a form whose reply it never got, and an
offline queue sends what it kept when the connection returns: each record
carries a key the sender made before sending (``client_key``), unique per
organisation in the database. The same key again answers with the record kept
the first time and writes nothing more; two copies arriving at the same moment
meet the unique constraint, and the loser answers with the winner's record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

Record = TypeVar("Record", bound=models.Model)


def kept_for_key(
    queryset: models.QuerySet[Record], *, organisation_id: int, key: Any, sender_id: int, sender_field: str, what: str
) -> Record | None:
    """The record already sent with ``key`` (None: never sent). A key is its
    sender's own: the same key from someone else is refused rather than
    answered with a record they may not see."""
    if not key:
        return None
    kept = queryset.filter(organisation_id=organisation_id, client_key=key).first()
    if kept is not None and getattr(kept, sender_field) != sender_id:
        raise ValidationError({"client_key": f"This key was already used for another {what}; send a new one."})
    return kept


def write_once(write: Callable[[], Record], *, kept: Callable[[], Record | None]) -> tuple[Record, bool]:
    """``write()`` in a savepoint, and True; when a simultaneous request with
    the same key won the unique constraint, its record and False."""
    try:
        with transaction.atomic():
            return write(), True
    except IntegrityError:
        winner = kept()
        if winner is None:
            raise
        return winner, False
