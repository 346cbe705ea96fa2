"""Phone numbers as text messages need them: E.164 ("+447700900123").

``normalise_number`` is the one place a number written by a person ("07700
900123", "+44 (0)7700 900123", "0044 7700 900123") or sent by a provider
("447700900123", "+447700900123") becomes the form every SMS field keeps and
compares. No dependency: UK mobiles are checked closely (07 and ten digits
after the 0); other countries only by the E.164 shape (a country code and at
most 15 digits), which is all a provider needs to try."""

from __future__ import annotations

import re

# Spaces, dashes, dots and brackets people write; the "(0)" of "+44 (0)7700…".
_SEPARATORS = re.compile(r"[\s\-.()/]")
_UK_TRUNK = re.compile(r"^\+44\(0\)")
# A UK mobile after +44: 7 and nine more digits.
_UK_MOBILE = re.compile(r"^7\d{9}$")
# E.164: a country code (never starting with 0) and at most 15 digits in all.
_INTERNATIONAL = re.compile(r"^[1-9]\d{7,14}$")


def normalise_number(text: str) -> str:
    """The number in E.164, or '' when it does not look like a mobile number
    a text can go to (a UK landline, letters, too short or too long)."""
    compact = _UK_TRUNK.sub("+44", re.sub(r"\s", "", text or ""))
    compact = _SEPARATORS.sub("", compact)
    if not compact:
        return ""
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("0"):
        # National UK form: 07700900123.
        return "+44" + compact[1:] if _UK_MOBILE.match(compact[1:]) else ""
    digits = compact[1:] if compact.startswith("+") else compact
    if not digits.isdigit():
        return ""
    if digits.startswith("44"):
        national = digits[2:]
        if national.startswith("0"):  # "+44 07700 900123", as people write it
            national = national[1:]
        return "+44" + national if _UK_MOBILE.match(national) else ""
    if not compact.startswith("+") and _UK_MOBILE.match(digits):
        # "7700900123": a UK mobile without its 0.
        return "+44" + digits
    return "+" + digits if _INTERNATIONAL.match(digits) else ""
