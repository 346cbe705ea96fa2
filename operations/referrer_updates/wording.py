"""What the referrer is told, and when: the events, their standard wording,
the placeholders a manager may use, and the typical wait in words.

Plain module, no database (tested without one). The wording names the
referral by its reference and the parent by her first initial only: the
referrer knows whom they referred, and an email can go astray."""

from __future__ import annotations

from statistics import median
from string import Formatter

from django.db import models

from referrals.workflow import Status


class Event(models.TextChoices):
    RECEIVED = "received", "Referral received"
    CONTACTED = "contacted", "Parent contacted"
    WAITING = "waiting", "Waiting for a volunteer"
    SUPPORT_STARTED = "support_started", "Support started"
    CLOSED = "closed", "Not going ahead (not eligible, declined or withdrawn)"
    SUPPORT_ENDED = "support_ended", "Support ended"
    NOTE = "note", "Note from a coordinator"


#: The moments that matter to a referrer, by the state the referral enters.
#: Assessed, matched and ending are steps inside the charity: no message.
EVENT_FOR_STATUS: dict[str, str] = {
    Status.RECEIVED: Event.RECEIVED,
    Status.CONTACTED: Event.CONTACTED,
    Status.WAITING: Event.WAITING,
    Status.ACTIVE: Event.SUPPORT_STARTED,
    Status.NOT_ELIGIBLE: Event.CLOSED,
    Status.DECLINED: Event.CLOSED,
    Status.WITHDRAWN: Event.CLOSED,
    Status.CLOSED: Event.SUPPORT_ENDED,
}

#: The events that follow the workflow (a note is written by a coordinator).
AUTOMATIC_EVENTS: tuple[str, ...] = tuple(event.value for event in Event if event != Event.NOTE)

#: Every message may use these.
COMMON_PLACEHOLDERS: dict[str, str] = {
    "reference": "the referral's reference, e.g. #1234",
    "initial": "the parent's first initial, e.g. M.",
    "service": "the service she was referred to",
    "organisation": "your organisation's name",
    "status_link": "the private link to the referral's status (added at the end if you leave it out)",
}
#: The subject is a line of text: no link.
SUBJECT_PLACEHOLDERS: dict[str, str] = {key: text for key, text in COMMON_PLACEHOLDERS.items() if key != "status_link"}
#: And these only in the message they belong to.
EVENT_PLACEHOLDERS: dict[str, dict[str, str]] = {
    Event.WAITING: {
        "typical_wait": "a sentence such as “The wait for a volunteer is usually about 3 weeks.” "
        "(empty when there were too few recent matches to say)"
    },
    Event.CLOSED: {
        "reason": "why, as a neutral category: “it is outside what the service can offer”, "
        "“support was not taken up” or “the referral was withdrawn” (never the coordinator's notes)"
    },
}

DEFAULT_SUBJECT = "Update on referral {reference} ({initial}) to {organisation}"

DEFAULT_WORDING: dict[str, str] = {
    Event.RECEIVED: (
        "Thank you for your referral to {service}. We have received it (our reference {reference}, {initial}) "
        "and will get in touch with the parent soon."
    ),
    Event.CONTACTED: "We have been in touch with the parent you referred to {service} (our reference {reference}, "
    "{initial}).",
    Event.WAITING: (
        "The parent you referred to {service} (our reference {reference}, {initial}) is now waiting for a "
        "volunteer. {typical_wait}"
    ),
    Event.SUPPORT_STARTED: "Support has started for the parent you referred to {service} (our reference "
    "{reference}, {initial}).",
    Event.CLOSED: (
        "The referral to {service} (our reference {reference}, {initial}) has closed: {reason}. "
        "If you would like to talk about it, please contact us."
    ),
    Event.SUPPORT_ENDED: (
        "Support from {service} has ended for the parent you referred (our reference {reference}, {initial}). "
        "Thank you for referring them to us."
    ),
}

#: A coordinator's note is framed the same way every time; only the note is theirs.
NOTE_WORDING = "A message from {organisation} about the referral to {service} (our reference {reference}, {initial}):"

#: Under every message: the private link (unless the wording placed it already)…
FOOTER_LINK = (
    "You can check how the referral is going, without signing in, at this private link until {link_expires}:\n"
    "{status_link}"
)
#: …and why the referrer hears at all.
FOOTER_END = (
    "You receive these updates because the parent agreed that you may hear how the referral goes. "
    "Please do not reply with personal details by email; call us instead.\n\n"
    "{organisation}"
)

#: Fewer matches than this in the last 12 months say nothing about a typical wait.
TYPICAL_WAIT_MIN_MATCHES = 5


def placeholders_for(event: str) -> dict[str, str]:
    return {**COMMON_PLACEHOLDERS, **EVENT_PLACEHOLDERS.get(event, {})}


def wording_errors(text: str, *, allowed: dict[str, str] | set[str]) -> list[str]:
    """What is wrong with a manager's wording ([] when nothing): a brace
    that opens nothing, or a placeholder this message does not have. Only
    bare names are accepted ({reference}, never {reference.attr} or
    {reference:>9}), so filling in the wording can only ever put the given
    values where the manager wrote them."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in Formatter().parse(text) if name is not None]
    except ValueError:
        return ["A single { or } must be part of a placeholder such as {reference}; write {{ or }} for the sign."]
    errors = []
    for name, spec, conversion in fields:
        if name not in allowed or spec or conversion:
            names = ", ".join(f"{{{key}}}" for key in allowed)
            errors.append(f"“{{{name}}}” is not a placeholder of this message. Use only: {names}.")
    return errors


def fill(text: str, values: dict[str, str]) -> str:
    """The wording with its placeholders filled in (``text`` passed
    ``wording_errors`` for these values' names)."""
    return text.format_map(values)


def typical_wait_days(waits: list[int]) -> int | None:
    """The median of recent waits in days; None when there are too few to say."""
    if len(waits) < TYPICAL_WAIT_MIN_MATCHES:
        return None
    return round(median(waits))


def wait_in_words(days: int) -> str:
    """ "less than a week", "about 1 week", "about 3 weeks", "about 4 months":
    a referrer needs the order of magnitude, not the day."""
    if days < 7:
        return "less than a week"
    if days < 60:
        weeks = round(days / 7)
        return f"about {weeks} week{'s' if weeks != 1 else ''}"
    months = round(days / 30.44)
    return f"about {months} months"


def typical_wait_sentence(days: int | None) -> str:
    if days is None:
        return ""
    return f"The wait for a volunteer is usually {wait_in_words(days)}."
