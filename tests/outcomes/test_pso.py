"""A PSO enters and reads assessments of the families on their own open
caseload, from their home page, and nobody else's."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.outcomes.models import Assessment, SafetyAlert
from tests.factories import MatchFactory
from tests.outcomes.helpers import assessable_referral
from tests.volunteers.helpers import make_profile
from volunteers.matching.models import Match

pytestmark = pytest.mark.django_db

EPDS_ITEM_10_ALERT = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2]


@pytest.fixture
def caseload_referral(organisation, service, pso, coordinator):
    referral = assessable_referral(organisation=organisation, service=service)
    profile = make_profile(organisation=organisation, user=pso, today=timezone.localdate(), supervisor=coordinator)
    MatchFactory(
        organisation=organisation, referral=referral, parent=referral.parent, volunteer=profile, status="active"
    )
    return referral


@pytest.fixture
def stranger_referral(organisation, service):
    return assessable_referral(organisation=organisation, service=service)


def form_data(referral, positions) -> dict:
    data = {"referral": referral.pk, "timepoint": "baseline", "taken_on": timezone.localdate().isoformat()}
    data.update({f"item_{n}": p for n, p in enumerate(positions, start=1)})
    return data


def new_url(parent_id: int, measure: str = "") -> str:
    url = reverse("outcomes:assessment-new", args=[parent_id])
    return f"{url}?measure={measure}" if measure else url


def test_the_pso_home_offers_an_assessment_for_each_family(pso_client, volunteer_client, caseload_referral):
    page = pso_client.get(reverse("home")).content.decode()
    assert new_url(caseload_referral.parent_id) in page
    assert "/outcomes/parents/" not in volunteer_client.get(reverse("home")).content.decode()


def test_a_pso_enters_an_assessment_for_their_family_and_sees_an_alert_at_once(pso_client, caseload_referral):
    response = pso_client.post(
        new_url(caseload_referral.parent_id, "epds"), form_data(caseload_referral, EPDS_ITEM_10_ALERT)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "speak to your coordinator" in page
    assert reverse("referrals:parent-detail", args=[caseload_referral.parent_id]) not in page
    assert SafetyAlert.objects.get().parent == caseload_referral.parent
    assessment = Assessment.objects.get()
    assert pso_client.get(reverse("outcomes:assessment-detail", args=[assessment.pk])).status_code == 200


def test_without_an_alert_the_pso_lands_on_the_assessment(pso_client, caseload_referral):
    response = pso_client.post(new_url(caseload_referral.parent_id, "gad7"), form_data(caseload_referral, [0] * 7))
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:assessment-detail", args=[Assessment.objects.get().pk])


def test_a_pso_cannot_reach_another_family(pso_client, caseload_referral, stranger_referral, coordinator):
    assert pso_client.get(new_url(stranger_referral.parent_id, "gad7")).status_code == 404
    response = pso_client.post(new_url(stranger_referral.parent_id, "gad7"), form_data(stranger_referral, [0] * 7))
    assert response.status_code == 404
    refused = pso_client.post(
        reverse("api-assessment-list"),
        {
            "parent": stranger_referral.parent_id,
            "referral": stranger_referral.pk,
            "measure": "gad7",
            "timepoint": "baseline",
            "taken_on": timezone.localdate().isoformat(),
            "responses": [0] * 7,
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "parent" in refused.json()
    assert not Assessment.objects.exists()


def test_a_pso_lists_only_their_caseloads_assessments_by_api(
    pso_client, coordinator_client, caseload_referral, stranger_referral
):
    for referral in (caseload_referral, stranger_referral):
        body = {
            "parent": referral.parent_id,
            "referral": referral.pk,
            "measure": "gad7",
            "timepoint": "baseline",
            "taken_on": timezone.localdate().isoformat(),
            "responses": [0] * 7,
        }
        assert (
            coordinator_client.post(reverse("api-assessment-list"), body, content_type="application/json").status_code
            == 201
        )
    listed = pso_client.get(reverse("api-assessment-list")).json()["results"]
    assert [row["parent"] for row in listed] == [caseload_referral.parent_id]
    assert pso_client.get(reverse("api-safety-alert-list")).status_code == 403


def test_an_ended_match_takes_the_family_off_the_caseload(pso_client, caseload_referral):
    Match.objects.filter(parent=caseload_referral.parent).update(
        status="ended", ended_on=timezone.localdate(), ending_type="planned"
    )
    assert pso_client.get(new_url(caseload_referral.parent_id, "gad7")).status_code == 404
