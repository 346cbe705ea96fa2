"""Two coordinators confirming at the same moment never overfill a
volunteer: confirmation locks volunteer rows (PostgreSQL only: SQLite
serialises writers anyway)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.factories import council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services
from volunteers.matching.models import Match

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_confirmations_respect_capacity(coordinator, organisation, service) -> None:
    area = council_area("S12000026")
    profile = fit_volunteer(organisation=organisation, areas=[area], max_caseload=1)
    referrals = [waiting_referral(organisation=organisation, service=service, area=area) for _ in range(4)]
    barrier = threading.Barrier(len(referrals))
    outcomes: list[bool] = []

    def confirm(referral_id: int) -> None:
        try:
            barrier.wait()
            (result,) = services.match_confirm_batch(
                actor=coordinator, organisation_id=organisation.pk, pairs=[(referral_id, profile.pk)]
            )
            outcomes.append(result.ok)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(r.pk,)) for r in referrals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, False, False, True]
    assert Match.objects.filter(volunteer=profile).count() == 1
