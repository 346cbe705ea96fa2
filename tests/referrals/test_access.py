"""Only coordinators and managers of the organisation see parents and referrals;
another organisation's records are a 404 on every page and endpoint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from operations.core.audit import AuditEvent
from tests.factories import ChildFactory, ParentFactory, ReferralFactory


@pytest.fixture
def records(organisation, service):
    parent = ParentFactory(organisation=organisation)
    return {
        "parent": parent,
        "child": ChildFactory(parent=parent),
        "referral": ReferralFactory(organisation=organisation, parent=parent, service=service),
    }


def page_urls(records) -> list[str]:
    parent, child, referral = records["parent"].pk, records["child"].pk, records["referral"].pk
    return [
        reverse("referrals:board"),
        reverse("referrals:waiting-list"),
        reverse("referrals:referral-new"),
        reverse("referrals:referral-detail", args=[referral]),
        reverse("referrals:referral-edit", args=[referral]),
        reverse("referrals:parent-list"),
        reverse("referrals:parent-detail", args=[parent]),
        reverse("referrals:parent-edit", args=[parent]),
        reverse("referrals:parent-contact-safety", args=[parent]),
        reverse("referrals:child-add", args=[parent]),
        reverse("referrals:child-edit", args=[child]),
    ]


def object_urls(records) -> list[str]:
    return [url for url in page_urls(records) if any(ch.isdigit() for ch in url)] + [
        reverse("api-referral-detail", args=[records["referral"].pk]),
        reverse("api-parent-detail", args=[records["parent"].pk]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator_client", "manager_client"])
def test_staff_open_every_page(request, records, persona):
    client = request.getfixturevalue(persona)
    for url in page_urls(records):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["volunteer_client", "pso_client"])
def test_volunteers_and_psos_are_refused(request, records, persona):
    client = request.getfixturevalue(persona)
    for url in page_urls(records):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("api-referral-list")).status_code == 403
    assert client.get(reverse("api-parent-list")).status_code == 403
    page = client.get(reverse("home")).content.decode()
    assert reverse("referrals:board") not in page


@pytest.mark.django_db
def test_another_organisation_sees_nothing(other_coordinator_client, records):
    for url in object_urls(records):
        assert other_coordinator_client.get(url).status_code == 404, url
    assert other_coordinator_client.get(reverse("api-referral-list")).json()["count"] == 0
    assert other_coordinator_client.get(reverse("api-parent-list")).json()["count"] == 0
    board = other_coordinator_client.get(reverse("referrals:board")).content.decode()
    assert records["parent"].first_name not in board
    waiting = other_coordinator_client.get(reverse("referrals:waiting-list")).content.decode()
    assert records["parent"].first_name not in waiting
    assert records["parent"].first_name not in other_coordinator_client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_another_organisation_cannot_move_or_change(other_coordinator_client, records):
    referral = records["referral"]
    response = other_coordinator_client.post(
        reverse("referrals:referral-transition", args=[referral.pk]), {"to_status": "contacted"}
    )
    assert response.status_code == 404
    response = other_coordinator_client.post(
        reverse("api-referral-transition", args=[referral.pk]), {"to_status": "contacted"}
    )
    assert response.status_code == 404
    response = other_coordinator_client.patch(
        reverse("api-referral-detail", args=[referral.pk]), {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "received"


@pytest.mark.django_db
def test_viewing_a_parent_is_audited_without_personal_data(coordinator_client, records):
    parent = records["parent"]
    coordinator_client.get(reverse("referrals:parent-detail", args=[parent.pk]))
    event = AuditEvent.objects.get(action="view", object_type="referrals.Parent")
    assert event.object_id == str(parent.pk)
    assert parent.first_name not in event.summary
    assert parent.last_name not in event.summary
