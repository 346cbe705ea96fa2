"""Validators shared by every app's models (so a model form and a model
serializer both apply them)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def single_line(value: str) -> None:
    """A name is one line: a line break in it breaks calendars, exports and
    page titles."""
    if "\n" in value or "\r" in value:
        raise ValidationError("Keep this to one line: remove the line break.", code="line_break")
