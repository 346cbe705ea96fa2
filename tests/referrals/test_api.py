"""/api/v1/referrals/ and /api/v1/parents/: create atomically, read-only
eligibility, transitions, and 400 with field errors for bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Child, Parent, Referral
from tests.factories import ParentFactory, ReferralFactory

TODAY = timezone.localdate


def payload(service, **overrides) -> dict:
    body = {
        "service": service.pk,
        "source": "health_visitor",
        "referrer_name": "A Health Visitor",
        "urgency": 1,
        "reason": "Low mood since the birth",
        "parent_details": {
            "first_name": "Skye",
            "last_name": "Apitest",
            "date_of_birth": "2007-03-01",
            "phone": "+44 7700 900456",
            "postcode": "EH1 1AA",
            "council_area": "S12000026",
        },
        "child": {"birth_date": (TODAY() - timedelta(days=40)).isoformat()},
    }
    body.update(overrides)
    return body


def post(client, body):
    return client.post(reverse("api-referral-list"), body, content_type="application/json")


@pytest.mark.django_db
def test_create_parent_and_referral_in_one_request(coordinator_client, service):
    response = post(coordinator_client, payload(service, eligibility_end="2099-01-01", status="closed"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "received"
    assert body["eligibility_estimated"] is False
    assert "turns 1" in body["eligibility_reason"]
    assert body["eligibility_end"] != "2099-01-01"
    parent = Parent.objects.get()
    assert parent.phone == "07700900456"
    assert parent.is_young_parent
    assert Child.objects.filter(parent=parent).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service": 0}, "service"),
        ({"child": {"due_date": (TODAY() + timedelta(weeks=50)).isoformat()}}, "due_date"),
        ({"child": {"birth_date": (TODAY() + timedelta(days=5)).isoformat()}}, "birth_date"),
        ({"parent_details": {"first_name": "A", "last_name": "B", "postcode": "12345"}}, "parent_details"),
        ({"parent_details": {"first_name": "A", "last_name": "B", "phone": "555-1234"}}, "parent_details"),
        ({"parent_details": None}, "parent_details"),
        ({"urgency": 9}, "urgency"),
        ({"source": "carrier pigeon"}, "source"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_nothing_saved(coordinator_client, service, change, field):
    body = payload(service)
    body.update(change)
    if body.get("parent_details") is None:
        body.pop("parent_details")
    response = post(coordinator_client, body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Parent.objects.exists()
    assert not Referral.objects.exists()
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_another_organisations_service_is_a_400(coordinator_client, other_service):
    response = post(coordinator_client, payload(other_service))
    assert response.status_code == 400
    assert response.json()["service"] == ["Choose a service of your organisation."]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_duplicate_is_a_400_naming_the_existing_referral(coordinator_client, service):
    first = post(coordinator_client, payload(service)).json()
    response = post(coordinator_client, payload(service))
    assert response.status_code == 400
    assert f"/referrals/{first['id']}/" in response.json()["service"][0]
    assert Referral.objects.count() == 1
    assert Child.objects.count() == 1


@pytest.mark.django_db
def test_existing_parent_by_id(coordinator_client, organisation, service, other_organisation):
    parent = ParentFactory(organisation=organisation)
    stranger = ParentFactory(organisation=other_organisation)
    body = payload(service, parent_id=parent.pk)
    body.pop("parent_details")
    assert post(coordinator_client, body).status_code == 201
    body["parent_id"] = stranger.pk
    response = post(coordinator_client, body)
    assert response.status_code == 400
    assert "parent_id" in response.json()


@pytest.mark.django_db
def test_transition_action(coordinator_client, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service)
    url = reverse("api-referral-transition", args=[referral.pk])
    refused = coordinator_client.post(url, {"to_status": "ending"}, content_type="application/json")
    assert refused.status_code == 400
    assert "cannot move to ending" in refused.json()["to_status"][0]
    needs_reason = coordinator_client.post(url, {"to_status": "declined"}, content_type="application/json")
    assert needs_reason.status_code == 400
    assert "reason" in needs_reason.json()
    moved = coordinator_client.post(url, {"to_status": "contacted"}, content_type="application/json")
    assert moved.status_code == 200
    assert moved.json()["status"] == "contacted"


@pytest.mark.django_db
def test_update_keeps_eligibility_read_only(coordinator_client, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service)
    response = coordinator_client.patch(
        reverse("api-referral-detail", args=[referral.pk]),
        {"urgency": 1, "eligibility_end": "2000-01-01", "status": "closed"},
        content_type="application/json",
    )
    assert response.status_code == 200
    referral.refresh_from_db()
    assert (referral.urgency, referral.status) == (1, "received")
    assert referral.eligibility_end != "2000-01-01"


@pytest.mark.django_db
def test_list_filters(coordinator_client, organisation, service):
    ReferralFactory(organisation=organisation, service=service, urgency=1)
    ReferralFactory(organisation=organisation, service=service, urgency=3, status="waiting")
    url = reverse("api-referral-list")
    assert coordinator_client.get(url).json()["count"] == 2
    assert coordinator_client.get(url, {"urgency": 1}).json()["count"] == 1
    assert coordinator_client.get(url, {"status": "waiting"}).json()["count"] == 1
    assert coordinator_client.get(url, {"service": service.pk + 1}).json()["count"] == 0
    # A filter that is not a valid value is refused, naming it, never ignored.
    for bad in ({"service": "abc"}, {"status": ""}, {"urgency": "9"}, {"page": "0"}):
        response = coordinator_client.get(url, bad)
        assert response.status_code == 400, bad
        assert list(response.json()) == list(bad), bad


@pytest.mark.django_db
def test_parent_api_records_contact_safety_and_children(coordinator_client, organisation):
    parent = ParentFactory(organisation=organisation, phone="07700900123")
    url = reverse("api-parent-detail", args=[parent.pk])
    assert coordinator_client.get(url).json()["contact"]["recorded"] is False
    response = coordinator_client.patch(
        url, {"safe_sms": True, "may_name_service": False}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["contact"]["safe_channels"] == ["sms"]
    bad = coordinator_client.patch(url, {"postcode": "nowhere"}, content_type="application/json")
    assert bad.status_code == 400
    assert "postcode" in bad.json()
    child = coordinator_client.post(
        reverse("api-parent-children", args=[parent.pk]),
        {"due_date": (TODAY() - timedelta(days=500)).isoformat()},
        content_type="application/json",
    )
    assert child.status_code == 400
    assert "due_date" in child.json()
    assert not Child.objects.exists()
