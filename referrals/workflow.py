"""The referral workflow as a plain transition table (no database).

received -> contacted -> assessed -> waiting -> matched -> active -> ending -> closed,
and from any open state to not eligible, declined or withdrawn; an open
referral is closed as transferred only by an accepted transfer to another
organisation (``referrals.transfers``). A match that
falls through sends the referral back to the waiting list.

"Matched" and "active" are entered only through matching. A referral is matched
when a coordinator confirms a match, and active when an open match's support
starts (its first contact log). A coordinator's bare move to either is
refused, so the waiting list never loses a parent who has nobody.
"""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    CONTACTED = "contacted", "Contacted"
    ASSESSED = "assessed", "Assessed"
    WAITING = "waiting", "Waiting"
    MATCHED = "matched", "Matched"
    ACTIVE = "active", "Active"
    ENDING = "ending", "Ending"
    CLOSED = "closed", "Closed"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TRANSFERRED = "transferred", "Transferred"


OPEN_STATUSES: tuple[str, ...] = (
    Status.RECEIVED,
    Status.CONTACTED,
    Status.ASSESSED,
    Status.WAITING,
    Status.MATCHED,
    Status.ACTIVE,
    Status.ENDING,
)
CLOSED_STATUSES: tuple[str, ...] = (
    Status.CLOSED,
    Status.NOT_ELIGIBLE,
    Status.DECLINED,
    Status.WITHDRAWN,
    Status.TRANSFERRED,
)
_EXITS = {Status.NOT_ELIGIBLE, Status.DECLINED, Status.WITHDRAWN}

TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.CONTACTED} | _EXITS,
    Status.CONTACTED: {Status.ASSESSED} | _EXITS,
    Status.ASSESSED: {Status.WAITING} | _EXITS,
    Status.WAITING: {Status.MATCHED} | _EXITS,
    Status.MATCHED: {Status.ACTIVE, Status.WAITING} | _EXITS,
    Status.ACTIVE: {Status.ENDING} | _EXITS,
    Status.ENDING: {Status.CLOSED} | _EXITS,
    Status.CLOSED: set(),
    Status.NOT_ELIGIBLE: set(),
    Status.DECLINED: set(),
    Status.WITHDRAWN: set(),
    Status.TRANSFERRED: set(),
}

#: "Transferred" closes an open referral when another organisation accepts
#: the family (``referrals.transfers``): never a coordinator's bare move, so it
#: is in no "Move to" list and ``transition_error`` refuses it unless the
#: accepted transfer makes the move.
ENTERED_BY_TRANSFER: frozenset[str] = frozenset({Status.TRANSFERRED})
TRANSFER_ONLY_MESSAGE = (
    "A referral is closed as transferred when another organisation accepts the family: "
    "use “Transfer to another organisation” on the referral's page."
)

#: States entered only by matching (confirming a match; the first contact
#: log), never by a coordinator's move: they are left out of the "Move to"
#: lists and refused by ``transition_error`` unless matching makes the move.
ENTERED_BY_MATCHING: frozenset[str] = frozenset({Status.MATCHED, Status.ACTIVE})

#: Why a bare move to a state entered by matching is refused.
MATCHING_ONLY_MESSAGES: dict[str, str] = {
    Status.MATCHED: "A referral becomes matched when a match is confirmed: confirm a match on its candidates page.",
    Status.ACTIVE: "A referral becomes active when support starts, with the first contact logged on its match. "
    "If it has no match yet, confirm one on its candidates page.",
}

#: Moves that need a reason a colleague can read later.
REASON_REQUIRED: set[tuple[str, str]] = {(source, target) for source in OPEN_STATUSES for target in _EXITS} | {
    (Status.MATCHED, Status.WAITING),
    (Status.ACTIVE, Status.ENDING),
}


def allowed_targets(status: str, *, by_match: bool = False) -> list[str]:
    """The states a referral in ``status`` may move to, in workflow order;
    those entered only by matching are left out unless ``by_match``."""
    order = [choice.value for choice in Status]
    targets = TRANSITIONS.get(status, set())
    if not by_match:
        targets = targets - ENTERED_BY_MATCHING
    return sorted(targets, key=order.index)


def move_choices(status: str) -> list[tuple[str, str]]:
    """The "Move to" list of a referral in ``status``. When every move takes
    it off its path (waiting: only exits are left; matched: back to the
    list), the list starts with a blank choice, so nobody moves a parent by
    clicking "Move" without choosing."""
    labels = dict(Status.choices)
    targets = allowed_targets(status)
    choices = [(target, str(labels[target])) for target in targets]
    if targets and all((status, target) in REASON_REQUIRED for target in targets):
        choices.insert(0, ("", "Choose…"))
    return choices


def transition_error(
    source: str, target: str, reason: str, *, by_match: bool = False, by_transfer: bool = False
) -> dict[str, str]:
    """Field errors for moving from ``source`` to ``target`` ({} when allowed).
    ``by_match``: the move is made by matching (a match confirmed, support
    started), the only way into "matched" and "active". ``by_transfer``: an
    accepted transfer closes an open referral, the only way into "transferred"."""
    labels = dict(Status.choices)
    if target not in labels:
        return {"to_status": f"“{target}” is not a referral state."}
    if target in ENTERED_BY_TRANSFER:
        if not by_transfer:
            return {"to_status": TRANSFER_ONLY_MESSAGE}
        if source not in OPEN_STATUSES:
            return {"to_status": f"A referral that is {str(labels[source]).lower()} cannot be transferred."}
        return {}
    if target in ENTERED_BY_MATCHING and not by_match:
        return {"to_status": MATCHING_ONLY_MESSAGES[target]}
    if target not in TRANSITIONS.get(source, set()):
        allowed = (
            ", ".join(str(labels[s]).lower() for s in allowed_targets(source, by_match=by_match))
            or "nothing (it is closed)"
        )
        return {
            "to_status": f"A referral that is {str(labels[source]).lower()} cannot move to "
            f"{str(labels[target]).lower()}. It can move to: {allowed}."
        }
    if (source, target) in REASON_REQUIRED and not reason.strip():
        return {"reason": f"Say why the referral is moving to {str(labels[target]).lower()}."}
    return {}
