"""How a referral reads to whoever referred (a midwife, a health visitor, a
partner system): its reference and its state in plain words, nothing else.

Plain module, no database. The wording is deliberately coarser than the
workflow: a referrer learns that the parent was contacted, waits for a
volunteer, or started support, never what was assessed or why a coordinator
moved the referral (those notes stay inside the charity)."""

from __future__ import annotations

from referrals.workflow import Status

#: Each state as a referrer reads it.
STATUS_FOR_REFERRER: dict[str, str] = {
    Status.RECEIVED: "Received: the charity will contact the parent",
    Status.CONTACTED: "The charity is in touch with the parent",
    # What was assessed is the charity's business; to the referrer it is still "in touch".
    Status.ASSESSED: "The charity is in touch with the parent",
    Status.WAITING: "Waiting for a volunteer",
    Status.MATCHED: "A volunteer has been found; support is about to start",
    Status.ACTIVE: "Support has started",
    Status.ENDING: "Support is coming to an end",
    Status.CLOSED: "Support has ended",
    Status.NOT_ELIGIBLE: "Closed: outside what the service can offer",
    Status.DECLINED: "Closed: support was not taken up",
    Status.WITHDRAWN: "Closed: the referral was withdrawn",
    Status.TRANSFERRED: "Closed: the family moved to another organisation's area",
}

#: Why a referral closed without (or before the end of) support, as a
#: neutral category: never the coordinator's reason, which may describe the person.
CLOSED_REASON_FOR_REFERRER: dict[str, str] = {
    Status.NOT_ELIGIBLE: "it is outside what the service can offer",
    Status.DECLINED: "support was not taken up",
    Status.WITHDRAWN: "the referral was withdrawn",
}


def referral_reference(referral_id: int) -> str:
    """The number a referrer quotes when they ring the charity: the record
    number coordinators see on every page ("Referral #1234")."""
    return f"#{referral_id}"


def status_for_referrer(status: str) -> str:
    return STATUS_FOR_REFERRER.get(status, "In progress")


def initial_of(first_name: str) -> str:
    """The parent's first initial ("M."): with the reference, enough for the
    referrer to know whom a message is about, and no more."""
    name = (first_name or "").strip()
    return f"{name[0].upper()}." if name else ""
