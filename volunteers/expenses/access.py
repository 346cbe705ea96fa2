"""One access helper per object: scoped through ``visible_to``, 404 when out
of reach, with what its page shows loaded at once."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from volunteers.expenses import targets
from volunteers.expenses.models import ExpenseClaim, PaymentBatch


def get_claim_for(user, pk: int) -> ExpenseClaim:
    """Coordinators and managers: any claim of their organisation; a
    volunteer or PSO: only her own."""
    return get_object_or_404(
        ExpenseClaim.objects.visible_to(user).select_related(
            "volunteer__user",
            "category",
            "contact_log__match__parent",
            "service",
            "decided_by",
            "batch",
            *targets.related_paths(),
        ),
        pk=pk,
    )


def get_batch_for(user, pk: int) -> PaymentBatch:
    """Coordinators and managers of the batch's organisation; nobody else."""
    return get_object_or_404(PaymentBatch.objects.visible_to(user).select_related("created_by", "paid_by"), pk=pk)
