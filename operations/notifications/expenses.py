"""Messages of volunteer expenses, written in the transaction of the step
that causes them: the claimant told in the app that her claim was queried,
approved or rejected, and that it was paid.

The words say the claim's number, its amount and what to do; never the
family it was for. Every key names the claim and the step, so a step
announced twice writes its message once."""

from __future__ import annotations

from django.urls import reverse

from operations.core.dates import short_date
from operations.core.models import Membership, Organisation, User
from operations.notifications.models import Channel
from operations.notifications.services import notification_write
from volunteers.expenses.models import ClaimStatus, ExpenseClaim

#: What the claimant is told of each decision: (subject, body), formatted with the claim.
DECIDED_WORDS = {
    ClaimStatus.QUERIED: (
        "Question about your expense claim",
        "Your claim #{pk} for {amount} has a question from your coordinator. "
        "Open it, answer by changing the claim, and send it again.",
    ),
    ClaimStatus.APPROVED: (
        "Expense claim approved",
        "Your claim #{pk} for {amount} was approved. It will be paid in the next payment batch.",
    ),
    ClaimStatus.REJECTED: (
        "Expense claim not approved",
        "Your claim #{pk} for {amount} was not approved. Open it to read why.",
    ),
}


def _tell(claim: ExpenseClaim, *, step: str, moment: str, subject: str, body: str) -> None:
    user_id = claim.volunteer.user_id
    if not Membership.objects.active().filter(organisation_id=claim.organisation_id, user_id=user_id).exists():
        return
    notification_write(
        key=f"expense-{step}:{claim.pk}:{moment}:{user_id}:{Channel.IN_APP}",
        kind=f"expense_{step}",
        channel=Channel.IN_APP,
        organisation=Organisation(pk=claim.organisation_id),
        recipient_user=User(pk=user_id),
        subject=subject,
        body=body,
        link=reverse("expenses:claim-detail", args=[claim.pk]),
        about=claim,
    )


def claim_decided(claim_id: int) -> None:
    claim = ExpenseClaim.objects.select_related("volunteer").get(pk=claim_id)
    if claim.status not in DECIDED_WORDS:
        return
    subject, body = DECIDED_WORDS[claim.status]
    # A claim queried, changed and queried again is told each time: the key names the decision's moment.
    _tell(
        claim,
        step=claim.status,
        moment=f"{claim.decided_at.timestamp():.6f}" if claim.decided_at else "",
        subject=subject,
        body=body.format(pk=claim.pk, amount=claim.amount_words),
    )


def batch_paid(batch_id: int) -> None:
    for claim in ExpenseClaim.objects.filter(batch_id=batch_id, status=ClaimStatus.PAID).select_related("volunteer"):
        _tell(
            claim,
            step="paid",
            moment=str(batch_id),
            subject="Expense claim paid",
            body=f"Your claim #{claim.pk} for {claim.amount_words} was paid on {short_date(claim.paid_on)}.",
        )
