"""What each kind of notification is called on the notification log and its
filter. A notification's ``kind`` is a code its writer chooses
("visit_reminder", "pvg_renewal_3m"): this says it in words, kept here next
to the writers (due.py, due_outcomes.py, concerns.py, group_messages.py,
services.py, evaluation's export)."""

from __future__ import annotations

import re

KIND_LABELS: dict[str, str] = {
    "visit_reminder": "Visit reminder",
    "contact_log_missing": "Contact log missing after a visit",
    "session_reminder": "Group session reminder",
    "parent_visit_reminder": "Visit reminder to the parent",
    "text_from_staff": "Text from staff",
    "session_cancelled": "Group session cancelled",
    "session_moved": "Group session moved",
    "booking_place_offered": "Group place offered from the waiting list",
    "supervision_due": "Supervision due",
    "supervision_overdue": "Supervision overdue",
    "pvg_renewal": "PVG renewal",
    "training_expiring": "Required training expiring",
    "eligibility_end": "Eligibility ending",
    "eligibility_ending": "Eligibility ending",
    "birth_to_confirm": "Birth to confirm",
    "referral_not_contacted": "Referral not contacted in time",
    "match_review_due": "Match review due",
    "match_confirmed": "Match confirmed",
    "match_ended_transfer": "Match ended: the family was transferred",
    "transfer_proposed": "Family proposed for transfer to us",
    "transfer_withdrawn": "Proposed transfer withdrawn",
    "transfer_accepted": "Transfer accepted",
    "transfer_declined": "Transfer declined",
    "closure_match_ended": "Match ended: the service closed",
    "closure_evaluation": "Final evaluation export suggested",
    "volunteer_break": "Volunteer paused from matching",
    "volunteer_back": "Volunteer back in matching early",
    "quiet_match": "Match gone quiet",
    "concern_raised": "Concern raised",
    "concern_escalated": "Concern not acknowledged in time",
    "concern_acknowledged": "Concern acknowledged",
    "concern_closed": "Concern closed",
    "concern_follow_up": "Concern follow-up due",
    "safety_alert": "Safety alert",
    "message_withheld": "Message not sent: no safe way to reach the family",
    "export_ready": "Evaluation export ready",
    "expense_queried": "Expense claim queried",
    "expense_approved": "Expense claim approved",
    "expense_rejected": "Expense claim not approved",
    "expense_paid": "Expense claim paid",
    "outcome_baseline_due": "Baseline outcome measure due",
    "outcome_review_due": "Review outcome measure due",
    "outcome_ending_due": "Ending outcome measure due",
    "text_reply": "Answer to a text received",
    "visit_replan": "Visit to plan again (the family said no)",
}

#: Reminders sent twice, each kind ending with how long before: "pvg_renewal_3m", "eligibility_end_8w".
_BEFORE = re.compile(r"^(?P<kind>[a-z_]+)_(?P<count>\d+)(?P<unit>[mw])$")
_UNITS = {"m": ("month", "months"), "w": ("week", "weeks")}


def kind_label(kind: str) -> str:
    """ "pvg_renewal_3m" -> "PVG renewal (3 months before)"; a kind this
    module does not know is written out rather than shown as a code."""
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    before = _BEFORE.match(kind)
    if before and before["kind"] in KIND_LABELS:
        count = int(before["count"])
        one, many = _UNITS[before["unit"]]
        return f"{KIND_LABELS[before['kind']]} ({count} {one if count == 1 else many} before)"
    words = kind.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]
