"""Reads of volunteer expenses: the lists the pages, the API and the payment file show."""

from __future__ import annotations

from django.db.models import QuerySet

from volunteers.expenses import targets
from volunteers.expenses.models import ClaimStatus, ExpenseClaim, PaymentBatch

#: What a row of a list shows: who, what, and what it was for (``ExpenseClaim.for_words``).
ROW = ("volunteer__user", "category", "service", "contact_log")


def claims_for(user) -> QuerySet[ExpenseClaim]:
    """Every claim ``user`` may see, with what a row shows."""
    return ExpenseClaim.objects.visible_to(user).select_related(*ROW, *targets.related_paths())


def own_claims(user) -> QuerySet[ExpenseClaim]:
    """Her own claims, newest first (a coordinator who also volunteers sees only hers here)."""
    return claims_for(user).filter(volunteer__user_id=user.pk)


def claims_to_decide(user) -> QuerySet[ExpenseClaim]:
    return claims_for(user).filter(status=ClaimStatus.SUBMITTED).order_by("submitted_at", "pk")


def claims_to_batch(user) -> QuerySet[ExpenseClaim]:
    return claims_for(user).filter(status=ClaimStatus.APPROVED, batch__isnull=True).order_by("pk")


def batches_for(user) -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.visible_to(user).select_related("created_by", "paid_by")


def batch_payees(batch: PaymentBatch) -> list[dict]:
    """One row per person paid in ``batch``: her name, her finance reference
    (if any), how many claims, their total, their numbers and what each was for."""
    rows: dict[int, dict] = {}
    claims = (
        ExpenseClaim.objects.filter(batch=batch)
        .select_related("volunteer__user", "volunteer__payee_reference", "contact_log", *targets.related_paths())
        .order_by("volunteer__user__last_name", "volunteer__user__first_name", "volunteer_id", "pk")
    )
    for claim in claims:
        volunteer = claim.volunteer
        row = rows.setdefault(
            volunteer.pk,
            {
                "name": volunteer.user.get_full_name() or volunteer.user.get_username(),
                "reference": getattr(getattr(volunteer, "payee_reference", None), "reference", ""),
                "claims": [],
                "for_what": [],
                "total_pence": 0,
            },
        )
        row["claims"].append(claim.pk)
        row["for_what"].append(f"#{claim.pk} {claim.for_words}")
        row["total_pence"] += claim.amount_pence
    return list(rows.values())
