"""Values a spreadsheet would run as formulas, made harmless: for every CSV
or XLSX the project writes (evaluation exports today; any log export later).

Rule: a text value whose first character, after any leading spaces, is one
of ``= + - @`` or a tab or carriage return gets a single quote in front, so
Excel, LibreOffice and Google Sheets show it as text instead of running it
(OWASP "CSV injection"). Real numbers are left alone: Python ints, floats
and Decimals, and text that is exactly a plain decimal number such as
``-3`` or ``-1.5``, which a spreadsheet reads as a number and never as a
formula. It lives in the base layer so that every app may use it.
"""

from __future__ import annotations

import re
from decimal import Decimal

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Text starting with anything else is safe as it is: the common case, decided
# on its first character (exports call this for every cell).
_RISKY_FIRST = frozenset("=+-@\t\r \n\x0b\x0c")


def neutralise(value: object) -> object:
    """The value to write in a cell: numbers and None unchanged, risky text quoted."""
    if type(value) is str:
        text = value
    elif value is None or isinstance(value, bool | int | float | Decimal):
        return value
    else:
        text = str(value)
    if not text or text[0] not in _RISKY_FIRST:
        return text
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    if text.startswith(TRIGGERS) or text.lstrip().startswith(TRIGGERS):
        return "'" + text
    return text


def neutralise_row(row) -> list[object]:
    return [neutralise(value) for value in row]
