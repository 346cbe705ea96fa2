"""API for the coordinator's matching records: match reviews (record, list)
and conflicts of interest (record, list, remove). Staff only; bad input is a
400 with field errors and writes nothing. (Concerns: tests/safeguarding/test_api.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from operations.core.audit import AuditEvent
from tests.factories import MatchFactory, council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching.models import ConflictOfInterest, Match, MatchReview, MatchStatus

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def area():
    return council_area("S12000026")


@pytest.fixture
def match(organisation, service, area, volunteer) -> Match:
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    return MatchFactory(
        organisation=organisation,
        referral=referral,
        parent=referral.parent,
        volunteer=fit_volunteer(organisation=organisation, areas=[area], user=volunteer),
        status=MatchStatus.ACTIVE,
        started_on=None,  # no contact logged yet
    )


def test_recording_a_review_sets_the_next_one_and_lists_it(coordinator_client, match) -> None:
    today = timezone.localdate()
    response = coordinator_client.post(
        "/api/v1/match-reviews/",
        {"match": match.pk, "held_on": today.isoformat(), "going_well": False, "notes": "Meet more often"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    match.refresh_from_db()
    assert match.next_review_on == dt.date.fromisoformat(response.json()["next_review_on"]) > today
    listed = coordinator_client.get(f"/api/v1/match-reviews/?match={match.pk}").json()["results"]
    assert [(r["going_well"], r["notes"]) for r in listed] == [(False, "Meet more often")]


def test_a_review_in_the_future_or_of_another_organisation_is_refused(
    coordinator_client, other_coordinator_client, match
) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    future = coordinator_client.post(
        "/api/v1/match-reviews/", {"match": match.pk, "held_on": tomorrow}, content_type=JSON
    )
    assert future.status_code == 400
    assert "held_on" in future.json()
    foreign = other_coordinator_client.post(
        "/api/v1/match-reviews/", {"match": match.pk, "held_on": timezone.localdate().isoformat()}, content_type=JSON
    )
    assert foreign.status_code == 400
    assert "match" in foreign.json()
    assert not MatchReview.objects.exists()


def test_a_recorded_conflict_excludes_the_volunteer_until_removed(
    coordinator_client, organisation, service, area
) -> None:
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area])
    body = {"parent": referral.parent_id, "volunteer": profile.pk, "note": "Sister-in-law"}
    created = coordinator_client.post("/api/v1/conflicts/", body, content_type=JSON)
    assert created.status_code == 201, created.content
    candidates = coordinator_client.get(f"/api/v1/referrals/{referral.pk}/candidates/").json()
    assert candidates["candidates"] == []
    assert candidates["excluded"][0]["exclusions"][0]["code"] == "conflict"
    duplicate = coordinator_client.post("/api/v1/conflicts/", body, content_type=JSON)
    assert duplicate.status_code == 400
    assert "already recorded" in " ".join(duplicate.json()["volunteer"])
    listed = coordinator_client.get(f"/api/v1/conflicts/?parent={referral.parent_id}").json()["results"]
    assert [c["volunteer"] for c in listed] == [profile.pk]
    assert coordinator_client.delete(f"/api/v1/conflicts/{created.json()['id']}/").status_code == 204
    assert not ConflictOfInterest.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="matching.ConflictOfInterest").exists()
    again = coordinator_client.get(f"/api/v1/referrals/{referral.pk}/candidates/").json()
    assert [c["volunteer_id"] for c in again["candidates"]] == [profile.pk]


def test_a_conflict_naming_another_organisations_parent_is_a_field_error(
    coordinator_client, other_organisation, other_service, organisation, area
) -> None:
    foreign = waiting_referral(organisation=other_organisation, service=other_service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area])
    response = coordinator_client.post(
        "/api/v1/conflicts/", {"parent": foreign.parent_id, "volunteer": profile.pk}, content_type=JSON
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    assert not ConflictOfInterest.objects.exists()
