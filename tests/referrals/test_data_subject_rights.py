"""Subject access and erasure: managers only, every app's data, audited, and
erasure refused while a safeguarding hold stands."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from operations.core.audit import AuditAction, AuditEvent
from referrals.models import Parent, Referral
from tests.factories import ChildFactory, ReferralFactory


@pytest.fixture
def family(organisation, service):
    referral = ReferralFactory(
        organisation=organisation,
        service=service,
        parent__first_name="Morven",
        parent__last_name="Tester",
        parent__email="morven@example.org",
        parent__phone="07700900123",
        referrer_name="Health Visitor Smith",
        reason="Low mood since the birth",
    )
    ChildFactory(parent=referral.parent, name="Baby Tester")
    return referral.parent


@pytest.mark.django_db
def test_a_manager_gets_everything_held_as_a_page_and_json_and_it_is_audited(manager_client, family):
    page = manager_client.get(reverse("referrals:parent-subject-access", args=[family.pk])).content.decode()
    for value in ("Morven", "morven@example.org", "Baby Tester", "Health Visitor Smith", "Low mood since the birth"):
        assert value in page
    response = manager_client.get(reverse("referrals:parent-subject-access", args=[family.pk]), {"format": "json"})
    body = json.loads(response.content)
    assert [section["title"] for section in body["sections"]][:3] == [
        "Personal details, safe contact, needs and consent",
        "Children and pregnancies",
        "Referrals",
    ]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(family.pk)).count() == 2


@pytest.mark.django_db
def test_coordinators_and_other_organisations_cannot_ask(coordinator_client, other_coordinator_client, family):
    url = reverse("referrals:parent-subject-access", args=[family.pk])
    assert coordinator_client.get(url).status_code == 403
    assert other_coordinator_client.get(url).status_code == 403  # not a manager anywhere
    assert (
        coordinator_client.post(reverse("referrals:parent-erase", args=[family.pk]), {"confirm": "ERASE"}).status_code
        == 403
    )
    assert Parent.objects.get(pk=family.pk).first_name == "Morven"


@pytest.mark.django_db
def test_erasure_removes_identifiers_keeps_statistics_and_is_audited(manager_client, family):
    response = manager_client.post(reverse("referrals:parent-erase", args=[family.pk]), {"confirm": "ERASE"})
    assert response.status_code == 302
    parent = Parent.objects.get(pk=family.pk)
    assert (parent.first_name, parent.email, parent.phone, parent.date_of_birth) == ("Erased", "", "", None)
    assert parent.erased_at is not None
    referral = Referral.objects.get(parent=parent)
    assert (referral.referrer_name, referral.reason) == ("", "")
    assert referral.service_id
    assert referral.received_on
    assert parent.children.get().name == ""
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(parent.pk)).exists()


@pytest.mark.django_db
def test_erasure_is_refused_under_a_safeguarding_hold_and_without_confirmation(manager_client, family):
    url = reverse("referrals:parent-erase", args=[family.pk])
    assert "Type ERASE" in manager_client.post(url, {"confirm": "yes"}).content.decode()
    Parent.objects.filter(pk=family.pk).update(safeguarding_hold=True, safeguarding_hold_reason="Child protection plan")
    page = manager_client.post(url, {"confirm": "ERASE"}).content.decode()
    assert "safeguarding hold" in page.lower()
    assert Parent.objects.get(pk=family.pk).first_name == "Morven"
    assert not AuditEvent.objects.filter(action=AuditAction.DELETE).exists()


@pytest.mark.django_db
def test_a_safeguarding_hold_set_on_the_edit_page_is_kept(coordinator_client, family):
    page = coordinator_client.get(reverse("referrals:parent-edit", args=[family.pk]))
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(safeguarding_hold="on", safeguarding_hold_reason="Child protection plan")
    data.pop("organisation", None)
    response = coordinator_client.post(reverse("referrals:parent-edit", args=[family.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    parent = Parent.objects.get(pk=family.pk)
    assert (parent.safeguarding_hold, parent.safeguarding_hold_reason) == (True, "Child protection plan")
