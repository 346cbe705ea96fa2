"""The referral page links to matching through core's page-link registry
(referrals never names matching's URLs), and rows hanging off a match are
scoped to the active organisation first."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.workflow import Status
from tests.factories import MatchFactory, VisitFactory, council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching.models import MatchStatus, Visit

REFERRALS = Path(__file__).resolve().parents[2] / "referrals"


def test_no_referrals_template_or_module_names_a_matching_url() -> None:
    offenders = [
        str(path.relative_to(REFERRALS))
        for path in REFERRALS.rglob("*")
        if path.suffix in {".html", ".py"} and "matching:" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_referral_page_offers_candidates_only_while_waiting_or_assessed(
    coordinator_client, organisation, service
) -> None:
    referral = waiting_referral(organisation=organisation, service=service, area=council_area("S12000026"))
    page = reverse("referrals:referral-detail", args=[referral.pk])
    candidates = reverse("matching:candidates", args=[referral.pk])
    assert candidates in coordinator_client.get(page).content.decode()
    referral.status = Status.MATCHED
    referral.save(update_fields=["status"])
    assert candidates not in coordinator_client.get(page).content.decode()


@pytest.mark.django_db
def test_a_visit_filed_under_another_organisation_is_not_visible(
    coordinator, organisation, other_organisation, service
) -> None:
    area = council_area("S12000026")
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    match = MatchFactory(
        organisation=organisation,
        referral=referral,
        parent=referral.parent,
        volunteer=fit_volunteer(organisation=organisation, areas=[area]),
        status=MatchStatus.ACTIVE,
    )
    ours = VisitFactory(organisation=organisation, match=match, planned_for=timezone.localdate())
    VisitFactory(organisation=other_organisation, match=match, planned_for=timezone.localdate())
    assert list(Visit.objects.visible_to(coordinator)) == [ours]
