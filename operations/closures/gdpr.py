"""What closing a service holds about a parent: the decision taken for her
referral (where the family went, and whether she agreed to a transfer).
Erasure removes the decision; the closure report's counts stay (they name
no one)."""

from __future__ import annotations

from operations.closures import services
from operations.closures.models import ClosureDecision
from operations.core.gdpr import Section, readable

HOLDS = [ClosureDecision]

RESTRICTION_REFUSES: tuple[str, ...] = ()
RESTRICTION_REFUSES_NOTHING = (
    "Closing a service winds support down, which a restriction does not stop; a transfer to another "
    "organisation is refused for a restricted record (closure_decide and referrals.transfers)."
)
RESTRICTION_ALLOWS = {
    "closure_decide": "Deciding how support ends when a service closes winds it down; a transfer is refused.",
    "closure_decisions_forget_parent": "Erasure: removes the decisions about the parent's referrals.",
}

LABELS = {
    "closure": "Service closure",
    "outcome": "What happened when the service closed",
    "new_service": "Moved to",
    "receiving_organisation": "Transferred to",
    "directory_entry": "Signposted to",
    "consent": "Agreed to the transfer",
    "decided_at": "Decided",
}


def subject_access(parent) -> list[Section]:
    decisions = (
        ClosureDecision.objects.filter(referral__parent_id=parent.pk)
        .select_related("closure__service", "new_service", "receiving_organisation", "directory_entry")
        .order_by("decided_at", "pk")
    )
    rows = [
        readable(decision, exclude=["organisation", "referral", "decided_by"], labels=LABELS) for decision in decisions
    ]
    return [Section("When a service closed", rows, source="closures.ClosureDecision")]


def erase(parent) -> None:
    services.closure_decisions_forget_parent(parent_id=parent.pk)
