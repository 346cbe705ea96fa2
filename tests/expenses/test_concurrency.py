"""Paying under concurrency: real threads, each with its own database
connection. Two coordinators making a batch at the same moment never put
one claim in both (the approved claims are locked in primary-key order), and
a batch marked paid twice at once is paid once. PostgreSQL only (SQLite
serialises every writer)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from operations.core.audit import AuditEvent
from operations.core.models import Role
from tests.expenses.conftest import mileage
from tests.factories import member
from tests.groups.test_concurrency import race
from volunteers.expenses import services
from volunteers.expenses.models import ClaimStatus, ExpenseClaim, PaymentBatch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _refused(step):
    try:
        return step()
    except ValidationError:
        return None


def test_two_batches_at_once_share_no_claim_and_a_batch_is_paid_once(organisation, volunteer, coordinator, log):
    second = member(username="second-coordinator", organisation=organisation, role=Role.COORDINATOR)
    for miles in ("1", "2", "3", "4", "5", "6"):
        services.claim_approve(
            actor=coordinator, claim=services.claim_submit(actor=volunteer, data=mileage(log, miles=miles))
        )

    deciders = [coordinator, second] * 3
    made = [batch for batch in race(lambda i: _refused(lambda: services.batch_create(actor=deciders[i])), 6) if batch]
    assert len(made) == 1
    assert ExpenseClaim.objects.filter(batch__isnull=True).count() == 0
    assert PaymentBatch.objects.get().claim_count == 6

    batch = made[0]
    paid = [
        b for b in race(lambda i: _refused(lambda: services.batch_mark_paid(actor=deciders[i], batch=batch)), 6) if b
    ]
    assert len(paid) == 1
    assert set(ExpenseClaim.objects.values_list("status", flat=True)) == {ClaimStatus.PAID}
    assert AuditEvent.objects.filter(summary__startswith=f"Payment batch #{batch.pk} marked paid").count() == 1
