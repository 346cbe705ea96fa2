"""/api/v1/assessments/ and /api/v1/safety-alerts/: 201 with computed scores,
400 with field errors (nothing written), 404 for another organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.outcomes.models import Assessment, SafetyAlert
from tests.factories import ReferralFactory
from tests.outcomes.helpers import assessable_referral

pytestmark = pytest.mark.django_db

EPDS_ITEM_10_ALERT = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2]
LIST = reverse("api-assessment-list")


@pytest.fixture
def referral(organisation, service):
    return assessable_referral(organisation=organisation, service=service)


def body(base, **overrides) -> dict:
    """A request body for an assessment of ``base`` (a referral), with ``overrides``."""
    data = {
        "parent": base.parent_id,
        "referral": base.pk,
        "measure": "phq9",
        "timepoint": "baseline",
        "taken_on": timezone.localdate().isoformat(),
        "responses": [1, 1, 1, 1, 1, 1, 1, 1, 0],
    }
    data.update(overrides)
    return data


def post(client, data):
    return client.post(LIST, data, content_type="application/json")


def test_create_computes_total_band_and_version(coordinator_client, referral):
    response = post(coordinator_client, body(referral))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["total"] == "8.00"
    assert data["band"] == "mild"
    assert data["item_scores"] == [1, 1, 1, 1, 1, 1, 1, 1, 0]
    assert data["alert_items"] == []
    assert data["scoring_version"]
    assert data["parent"] == referral.parent_id


def test_create_with_an_alert_item_opens_a_safety_alert(coordinator_client, referral):
    response = post(coordinator_client, body(referral, measure="epds", responses=EPDS_ITEM_10_ALERT))
    assert response.status_code == 201
    alert = SafetyAlert.objects.get()
    assert response.json()["alert_items"] == [10]
    assert response.json()["safety_alerts"] == [alert.pk]
    listed = coordinator_client.get(reverse("api-safety-alert-list")).json()
    assert [row["id"] for row in listed["results"]] == [alert.pk]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"responses": [0] * 8}, "responses"),
        ({"responses": [0, 0, 0, 0, 0, 0, 0, 0, 4]}, "responses"),
        ({"responses": "not a list"}, "responses"),
        ({"measure": "hads"}, "measure"),
        ({"timepoint": "weekly"}, "timepoint"),
        ({"taken_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, "taken_on"),
        ({"parent": "abc"}, "parent"),
        ({"referral": 2**64}, "referral"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(coordinator_client, referral, overrides, field):
    response = post(coordinator_client, body(referral, **overrides))
    assert response.status_code == 400
    assert field in response.json()
    assert not Assessment.objects.exists()


def test_no_lawful_basis_is_a_400_that_says_where_to_record_it(coordinator_client, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service)
    response = post(coordinator_client, body(referral))
    assert response.status_code == 400
    assert "lawful basis for health data" in response.json()["parent"][0]
    assert not Assessment.objects.exists()


def test_another_organisations_parent_is_a_field_error(coordinator_client, referral, other_organisation, other_service):
    stranger = assessable_referral(organisation=other_organisation, service=other_service)
    response = post(coordinator_client, body(referral, parent=stranger.parent_id))
    assert response.status_code == 400
    assert "parent" in response.json()
    response = post(coordinator_client, body(referral, referral=stranger.pk))
    assert response.status_code == 400
    assert "referral" in response.json()
    assert not Assessment.objects.exists()


def test_filters_and_another_organisation_is_404(coordinator_client, other_coordinator_client, referral):
    first = post(coordinator_client, body(referral)).json()
    post(coordinator_client, body(referral, measure="gad7", timepoint="review", responses=[0] * 7))
    by_measure = coordinator_client.get(LIST, {"measure": "phq9"}).json()["results"]
    assert [row["id"] for row in by_measure] == [first["id"]]
    by_timepoint = coordinator_client.get(LIST, {"timepoint": "review", "parent": referral.parent_id}).json()
    assert [row["measure"] for row in by_timepoint["results"]] == ["gad7"]
    # A filter or page that is not a valid value is refused, naming it, never ignored.
    for bad in ({"parent": "x"}, {"timepoint": ""}, {"timepoint": "later"}, {"measure": ""}, {"page": ""}):
        response = coordinator_client.get(LIST, bad)
        assert response.status_code == 400, bad
        assert list(response.json()) == list(bad), bad
    detail = reverse("api-assessment-detail", args=[first["id"]])
    assert coordinator_client.get(detail).status_code == 200
    assert other_coordinator_client.get(detail).status_code == 404
    assert other_coordinator_client.get(LIST).json()["results"] == []


def test_volunteers_are_refused_and_a_pso_reaches_only_their_caseload(volunteer_client, pso_client, referral):
    assert volunteer_client.get(LIST).status_code == 403
    assert post(volunteer_client, body(referral)).status_code == 403
    assert pso_client.get(LIST).json()["results"] == []
    assert post(pso_client, body(referral)).status_code == 400  # not on the PSO's caseload
    assert not Assessment.objects.exists()


def test_closing_an_alert_needs_the_action_taken(coordinator_client, other_coordinator_client, referral):
    post(coordinator_client, body(referral, measure="epds", responses=EPDS_ITEM_10_ALERT))
    alert = SafetyAlert.objects.get()
    close = reverse("api-safety-alert-close", args=[alert.pk])
    foreign = other_coordinator_client.post(close, {"action_taken": "x"}, content_type="application/json")
    assert foreign.status_code == 404
    response = coordinator_client.post(close, {"action_taken": "  "}, content_type="application/json")
    assert response.status_code == 400
    assert "action_taken" in response.json()
    response = coordinator_client.post(close, {"action_taken": "GP called"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["actioned_at"]
    assert coordinator_client.get(reverse("api-safety-alert-list")).json()["results"] == []
    again = coordinator_client.post(close, {"action_taken": "Again"}, content_type="application/json")
    assert again.status_code == 400
