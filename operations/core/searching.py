"""How a search box reads what is typed, and how searchable text is written.

Pure rules, no database. Both sides of a search go through ``fold``: the
text kept for searching (``referrals.models.Parent.search_text``) and every
term of a query, so "Zoë" finds "Zoe", "TURNBULL" finds "Turnbull" and
"O'Brien" finds "OBrien", on SQLite and PostgreSQL alike (no database
collation or unaccent extension is relied on).

A query is a list of terms that must all occur, in any order, somewhere in
the text: "turnbull yasmin" finds "Yasmin Turnbull". Two kinds of query are
read whole rather than word by word, because their spaces carry no meaning:
a phone number ("+44 7700 900123" is "07700900123", as numbers are kept)
and a postcode ("td7 4eg" and "TD74EG" are the same place). A record number
("#41", or a short number alone) names a referral or a parent by its number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: The longest query read; a longer one is refused with a message, not cut
#: (a cut query could find the wrong person).
MAX_QUERY_LENGTH = 100

#: Fewer digits than this are a record number, not part of a phone number:
#: "41" would otherwise find every parent whose number holds "41".
PHONE_MIN_DIGITS = 6
#: Record numbers are database ids; longer numbers are phone numbers only.
RECORD_NUMBER_MAX_DIGITS = 9

# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i"})
# Joined, not spaced: "O'Brien" and "Smith-Jones" are one word each, so a
# query typed without the mark ("obrien") still finds them.
_JOINERS = re.compile(r"['’‘`\-‐.]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")
_PHONE = re.compile(r"^(?:\+44|0044)?\d+$")
_RECORD = re.compile(r"^#\s*(\d{1,9})$")
_POSTCODE = re.compile(r"^(gir0aa|[a-z]{1,2}[0-9][a-z0-9]?[0-9][a-z]{2})$")


def fold(text: str) -> str:
    """Lower case, without accents, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(_LETTERS))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_SEPARATORS.split(_JOINERS.sub("", plain))).strip()


def phone_digits(value: str) -> str:
    """A UK number as kept for searching: digits in national form
    ("+44 7700 900123" -> "07700900123"); other numbers as their digits."""
    compact = _PHONE_PUNCTUATION.sub("", value or "")
    if compact.startswith("+44"):
        compact = "0" + compact[3:]
    elif compact.startswith("0044"):
        compact = "0" + compact[4:]
    return "".join(char for char in compact if char.isdigit())


def searchable_text(*, names: list[str], postcode: str = "", phone: str = "") -> str:
    """The text a record is found by: its names, the postcode without its
    space, the phone number's digits in national form."""
    parts = [fold(name) for name in names]
    parts.append(fold(postcode).replace(" ", ""))
    parts.append(phone_digits(phone))
    return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class Query:
    """A query as read: ``terms`` must all occur in the searchable text;
    ``record_number`` names a record by its number."""

    text: str
    terms: tuple[str, ...] = field(default=())
    record_number: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.terms and self.record_number is None

    def matches(self, text: str) -> bool:
        """Whether folded ``text`` holds every term (for short lists read in Python)."""
        return bool(self.terms) and all(term in text for term in self.terms)


def read_query(text: str) -> Query:
    """Reads what was typed (at most ``MAX_QUERY_LENGTH`` characters: the
    form refuses longer queries before this is called)."""
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    record = _RECORD.match(text)
    if record:
        return Query(text=text, record_number=int(record.group(1)))
    compact = _PHONE_PUNCTUATION.sub("", text)
    if compact and _PHONE.match(compact):
        digits = phone_digits(compact)
        number = (
            int(compact)
            if compact.isdigit() and not compact.startswith("0") and len(compact) <= RECORD_NUMBER_MAX_DIGITS
            else None
        )
        terms = (digits,) if len(digits) >= PHONE_MIN_DIGITS else ()
        return Query(text=text, terms=terms, record_number=number)
    folded = fold(text)
    if _POSTCODE.match(folded.replace(" ", "")):
        return Query(text=text, terms=(folded.replace(" ", ""),))
    # Each term once, in the order typed.
    return Query(text=text, terms=tuple(dict.fromkeys(folded.split())))
