"""Reading one cell of an imported file: pure functions, no database.

Every function takes the cell's text (already stripped; ``''`` when blank) and
returns a Python value or raises :class:`CellError` with what is wrong and how
to fix it, in plain words for a manager.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "CellError",
    "fold",
    "parse_choice",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_list",
    "parse_yes_no",
]


class CellError(ValueError):
    """A cell that cannot be read: ``problem`` and ``fix`` are shown to the manager."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case, letters and digits only: "E-mail Address " -> "emailaddress".
    Remembered: a file repeats the same few values (a role, a council area,
    a choice's labels) on every one of its rows."""
    return _NOT_LETTER_OR_DIGIT.sub("", str(text).casefold())


MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_DATE_FIX = "Write the date as day/month/year, for example 03/05/2026 or 3 May 2026."
_NUMERIC = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ][\d:.]+(?:z|[+-]\d{2}:?\d{2})?)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?,?[\s\-]+(\d{2}|\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{2}|\d{4})$")
_SERIAL = re.compile(r"^(\d{4,5})(?:\.0+)?$")
#: Excel's day 0 in the 1900 date system (day 60 is the 29 Feb 1900 that never was).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _make(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"“{original}” is not a real date.", _DATE_FIX) from None


def parse_date(text: str) -> dt.date | None:
    """A date as people and spreadsheets write it (UK order: day first)."""
    original = str(text).strip()
    if not original:
        return None
    value = original.lower()
    if match := _ISO.match(value):
        return _make(int(match[1]), int(match[2]), int(match[3]), original)
    if match := _NUMERIC.match(value):
        return _make(_year(match[3]), int(match[2]), int(match[1]), original)
    if match := _DAY_MONTH_YEAR.match(value):
        if match[2] in MONTHS:
            return _make(_year(match[3]), MONTHS[match[2]], int(match[1]), original)
    if match := _MONTH_DAY_YEAR.match(value):
        if match[1] in MONTHS:
            return _make(_year(match[3]), MONTHS[match[1]], int(match[2]), original)
    if match := _SERIAL.match(value):
        # A spreadsheet's date stored as a day number (the cell lost its date format).
        serial = int(match[1])
        if 1000 <= serial <= 2958465:
            return _EXCEL_EPOCH + dt.timedelta(days=serial)
    raise CellError(f"“{original}” is not a date we can read.", _DATE_FIX)


_YES = {"yes", "y", "true", "t", "1", "ticked", "tick", "checked", "x", "on", "✓", "✔"}
_NO = {"no", "n", "false", "f", "0", "unticked", "unchecked", "off", "none"}


def parse_yes_no(text: str) -> bool | None:
    """Yes/no in any of the ways spreadsheets write it; blank -> None."""
    value = str(text).strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise CellError(f"“{text}” is neither yes nor no.", "Write Yes or No (or leave it blank).")


def parse_list(text: str) -> list[str]:
    """Several values in one cell, separated by ``;`` or ``,``."""
    return [part.strip() for part in re.split(r"[;,]", str(text)) if part.strip()]


def _choice_pairs(choices) -> list[tuple[object, str]]:
    pairs = getattr(choices, "choices", choices)
    return [(value, str(label)) for value, label in pairs]


def parse_choice(text: str, choices):
    """The value of ``choices`` (TextChoices or a choices list) whose value or label matches."""
    value = fold(text)
    if not value:
        return None
    pairs = _choice_pairs(choices)
    for choice, label in pairs:
        if value in (fold(str(choice)), fold(label)):
            return choice
    accepted = ", ".join(label for _, label in pairs)
    raise CellError(f"“{text}” is not one of the choices.", f"Use one of: {accepted}.")


def parse_int(text: str) -> int | None:
    """A whole number ("3", "3.0", "1,200"); blank -> None."""
    value = str(text).strip().replace(",", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise CellError(f"“{text}” is not a whole number.", "Write a whole number, for example 3.")
    return int(number)


def parse_decimal(text: str) -> Decimal | None:
    """A number, with an optional £ sign and thousands commas; blank -> None."""
    value = str(text).strip().replace(",", "").removeprefix("£").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(f"“{text}” is not a number.", "Write a number, for example 12.50.")
    return number
