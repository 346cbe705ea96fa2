"""The words of messages to parents: the built-in English wording of each
purpose, the placeholders each may use, and filling them in. Pure: no
database (the organisation's own templates are read by
``message_templates``, which hands the chosen text here).

A template has two bodies: the neutral one every parent may get, and an
optional one that names the group or the service, used only where the
parent's record says messages may name it (``contact_permissions``). The
placeholders that name something ({group}, {service}) are refused in the
neutral body, so a template cannot name the service by mistake.

Placeholders are filled by reading the text with ``string.Formatter.parse``
and joining the pieces, never by ``str.format``: a template is written by a
person, and ``{first_name.__class__}`` must stay an error, not an attribute
lookup."""

from __future__ import annotations

import string
from dataclasses import dataclass

#: Every placeholder, as the template page explains it.
PLACEHOLDERS: dict[str, str] = {
    "first_name": "The parent's first name (or the name she prefers)",
    "date": "The day, e.g. Mon 14 Feb 2028",
    "time": "The time, e.g. 10:00",
    "when": "The day and time, e.g. Mon 14 Feb 2028 at 10:00",
    "place": "Where (a group's venue, a visit's place)",
    "link": "The joining link of an online group",
    "group": "The group's name (names the service: only in the wording that may name it)",
    "service": "The service's name (names the service: only in the wording that may name it)",
}

#: Placeholders that say who the message is from.
NAMING = frozenset({"group", "service"})

_GROUP = ("first_name", "date", "time", "when", "place", "link", "group")
_VISIT = ("first_name", "date", "time", "when", "place", "service")

#: Which placeholders each purpose may use (its values are given when it is sent).
ALLOWED: dict[str, tuple[str, ...]] = {
    "session_reminder": _GROUP,
    "session_cancelled": _GROUP,
    "session_moved": _GROUP,
    "booking_place_offered": _GROUP,
    "parent_visit_reminder": _VISIT,
    "text_from_staff": ("first_name",),
}

#: A visit reminder by text message ends with this (sms-twoway reads the answer).
REPLY_PROMPT = "Reply YES to confirm or NO if you need to change it."

#: How long one SMS segment is: 160 characters of the GSM alphabet, 70 of anything else.
GSM_SEGMENT, GSM_PART = 160, 153
UNICODE_SEGMENT, UNICODE_PART = 70, 67
_GSM = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("^{}\\[~]|€")


@dataclass(frozen=True)
class Wording:
    """One purpose's words: the neutral subject and body every parent may
    get, and those naming the service (blank: the neutral ones)."""

    subject: str
    body: str
    named_subject: str = ""
    named_body: str = ""

    def pick(self, *, named: bool) -> tuple[str, str]:
        """(subject, body) for a parent whose messages may (or may not) name the service."""
        if named:
            return self.named_subject or self.subject, self.named_body or self.body
        return self.subject, self.body


#: The built-in English wording, used where an organisation has no template.
DEFAULTS: dict[str, Wording] = {
    "session_reminder": Wording(
        subject="A reminder",
        body="A reminder of your appointment {when}.",
        named_subject="Reminder: {group}",
        named_body="A reminder that {group} meets {when}. We look forward to seeing you.",
    ),
    "session_cancelled": Wording(
        subject="Cancelled",
        body="Sorry: the meeting on {when} is cancelled. We will be in touch.",
        named_subject="{group} is cancelled",
        named_body="Sorry: {group} on {when} is cancelled. We will be in touch about the next one.",
    ),
    "session_moved": Wording(
        subject="New time",
        body="The meeting you are booked on has moved to {when}. Your place is kept.",
        named_subject="{group} has moved",
        named_body="{group} has moved to {when}. Your place is kept.",
    ),
    "booking_place_offered": Wording(
        subject="A place is now available",
        body="Good news: the place you asked about is now available, on {when}. See you then.",
        named_subject="A place at {group}",
        named_body="Good news: a place has come up for you at {group} on {when}. See you there.",
    ),
    "parent_visit_reminder": Wording(
        subject="A reminder",
        body="Hello {first_name}, a reminder of your appointment {when}.",
        named_subject="Your visit from {service}",
        named_body="Hello {first_name}, a reminder that your {service} volunteer will see you {when}.",
    ),
    "text_from_staff": Wording(subject="A message", body=""),
}


def placeholders_in(text: str) -> list[str]:
    """The placeholder names in ``text``, in order; raises ValueError for a
    brace left open or a placeholder with a format (``{date:%Y}``, ``{x!r}``)."""
    names = []
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if spec or conversion:
            raise ValueError(f"{{{name}}} cannot have a format: write it as {{{name.split('.')[0]}}}.")
        names.append(name)
    return names


def placeholder_errors(text: str, *, purpose: str, named: bool) -> list[str]:
    """What is wrong with the placeholders of one body of a template, in
    words for the form (empty when nothing is)."""
    try:
        names = placeholders_in(text)
    except ValueError as exc:
        message = str(exc)
        if "cannot have a format" in message:
            return [message]
        return ["A { or } is not closed: placeholders are written like {first_name} (use {{ or }} for a brace)."]
    allowed = ALLOWED.get(purpose, ())
    errors = []
    unknown = sorted({name for name in names if name not in allowed})
    if unknown:
        listed = ", ".join(f"{{{name}}}" for name in unknown)
        usable = ", ".join(f"{{{name}}}" for name in allowed if named or name not in NAMING)
        errors.append(f"Unknown placeholder {listed}: this message can use {usable}.")
    naming = sorted({name for name in names if name in NAMING and name in allowed})
    if naming and not named:
        listed = ", ".join(f"{{{name}}}" for name in naming)
        errors.append(f"{listed} names the service: use it only in the wording that may name it.")
    return errors


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with its placeholders replaced by ``values`` (a placeholder
    without a value reads as nothing)."""
    pieces = []
    for literal, name, _, _ in string.Formatter().parse(text):
        pieces.append(literal)
        if name is not None:
            pieces.append(values.get(name, ""))
    return "".join(pieces)


def is_valid(text: str, *, purpose: str, named: bool) -> bool:
    return not placeholder_errors(text, purpose=purpose, named=named)


def sms_segments(text: str) -> int:
    """How many text messages ``text`` takes: 160 characters in one (153
    each when split), or 70 (67) when a character is outside the GSM alphabet."""
    if not text:
        return 0
    if all(char in _GSM or char in _GSM_EXTENDED for char in text):
        length = sum(2 if char in _GSM_EXTENDED else 1 for char in text)
        return 1 if length <= GSM_SEGMENT else -(-length // GSM_PART)
    length = len(text)
    return 1 if length <= UNICODE_SEGMENT else -(-length // UNICODE_PART)


def sample_values(purpose: str) -> dict[str, str]:
    """Made-up values for the preview on the template page."""
    return {
        "first_name": "Sam",
        "date": "Mon 14 Feb 2028",
        "time": "10:00",
        "when": "Mon 14 Feb 2028 at 10:00",
        "place": "Riverside community centre" if purpose != "parent_visit_reminder" else "the café on the corner",
        "link": "https://meet.example.org/group",
        "group": "Bumps and babies",
        "service": "Befriending",
    }
