"""Small validators for UK postcodes and phone numbers, and the date rules
for pregnancies and births. No dependency: the patterns are the common ones
(postcode format from the ONS/Royal Mail outward/inward structure)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError

_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
# A UK number: 0 or +44 followed by 9 or 10 digits (spaces, dashes and brackets allowed).
_PHONE = re.compile(r"^(?:\+44|0044|0)(\d{9,10})$")

#: A due date may be at most this far ahead (the longest pregnancy recorded as normal).
MAX_WEEKS_AHEAD = 42
#: A pregnancy whose due date is longer ago than this, with no birth or loss, is a mistake.
MAX_DAYS_OVERDUE = 365


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code ("td1 1aa" -> "TD1 1AA"), or a ValidationError."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return ""
    if not _POSTCODE.match(compact):
        raise ValidationError("Enter a UK postcode, for example TD1 1AA.", code="postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def normalise_uk_phone(value: str) -> str:
    """A UK phone number in national form ("+44 7700 900123" -> "07700900123"), or a ValidationError."""
    compact = re.sub(r"[\s\-().]", "", value or "")
    if not compact:
        return ""
    match = _PHONE.match(compact)
    if not match:
        raise ValidationError("Enter a UK phone number, for example 07700 900123 or 01896 123456.", code="phone")
    return "0" + match.group(1)


def validate_postcode(value: str) -> None:
    normalise_postcode(value)


def validate_uk_phone(value: str) -> None:
    normalise_uk_phone(value)


def pregnancy_date_errors(
    *, due_date: date | None, birth_date: date | None, loss_date: date | None, today: date
) -> dict[str, str]:
    """Field errors for a child's dates ({} when they make sense)."""
    errors: dict[str, str] = {}
    if due_date is None and birth_date is None:
        errors["due_date"] = "Give the expected due date, or the birth date if the baby is born."
    if due_date is not None and due_date > today + timedelta(weeks=MAX_WEEKS_AHEAD):
        errors["due_date"] = f"The due date cannot be more than {MAX_WEEKS_AHEAD} weeks from today."
    if due_date is not None and birth_date is None and loss_date is None and (today - due_date).days > MAX_DAYS_OVERDUE:
        errors["due_date"] = (
            "This due date is more than a year ago and no birth or loss is recorded: "
            "record the birth or check the date."
        )
    if birth_date is not None and birth_date > today:
        errors["birth_date"] = "The birth date cannot be in the future."
    if loss_date is not None and loss_date > today:
        errors["loss_date"] = "The date of the loss cannot be in the future."
    return errors
