"""Expense claims and payment batches named in words on the audit log (operations.core.record_names)."""

from __future__ import annotations

from operations.core.links import record_url
from operations.core.record_names import Namer
from volunteers.expenses.models import ExpenseClaim, PaymentBatch


def _claim_words(claim: ExpenseClaim) -> str:
    return f"Expense claim of {claim.volunteer.user} for {claim.amount_words}"


NAMES = {
    "expenses.ExpenseClaim": Namer(
        records=lambda user: ExpenseClaim.objects.visible_to(user).select_related("volunteer__user"),
        words=_claim_words,
        url=lambda claim: record_url("expenses:claim-detail", claim.pk),
    ),
    "expenses.PaymentBatch": Namer(
        records=lambda user: PaymentBatch.objects.visible_to(user),
        words=lambda batch: f"Payment batch of {batch.total_words}",
        url=lambda batch: record_url("expenses:batch-detail", batch.pk),
    ),
}
