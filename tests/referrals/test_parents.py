"""Parent records: contact safety, needs with agreement, consent, timeline, children through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.contact import baby_age_messages_allowed, contact_permissions
from referrals.models import Parent
from tests.factories import ChildFactory, ParentFactory, ReferralFactory

TODAY = timezone.localdate


@pytest.mark.django_db
def test_nothing_is_safe_until_recorded(coordinator, organisation):
    parent = ParentFactory(organisation=organisation, phone="07700900123", email="a@example.org", safe_sms=True)
    assert contact_permissions(parent).safe_channels == ()
    assert contact_permissions(parent).may_name_service is False
    services.parent_record_contact_safety(
        actor=coordinator,
        parent=parent,
        data={"safe_sms": True, "safe_email": False, "safe_voicemail": True, "best_contact_times": "After 7pm"},
    )
    permissions = contact_permissions(parent)
    assert permissions.safe_channels == ("sms", "voicemail")
    assert permissions.allows("sms")
    assert not permissions.allows("email")
    assert permissions.best_times == "After 7pm"


@pytest.mark.django_db
def test_a_channel_without_the_contact_detail_is_not_safe(coordinator, organisation):
    parent = ParentFactory(organisation=organisation, phone="", email="")
    services.parent_record_contact_safety(actor=coordinator, parent=parent, data={"safe_sms": True})
    assert contact_permissions(parent).safe_channels == ()


@pytest.mark.django_db
def test_contact_safety_page(coordinator_client, organisation):
    parent = ParentFactory(organisation=organisation, phone="07700900123")
    response = coordinator_client.post(
        reverse("referrals:parent-contact-safety", args=[parent.pk]), {"safe_phone": "on", "best_contact_times": "x"}
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert contact_permissions(parent).safe_channels == ("phone",)


def edit_data(parent, **overrides) -> dict:
    data = {
        "role": parent.role,
        "first_name": parent.first_name,
        "last_name": parent.last_name,
        "date_of_birth": parent.date_of_birth.isoformat(),
        "postcode": parent.postcode,
        "language": "English",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"substance_use": "on"}, "needs_agreed"),
        ({"ethnicity": "white"}, "needs_agreed"),
        ({"evaluation_consent_withdrawn_on": "2026-01-01"}, "evaluation_consent_withdrawn_on"),
        (
            {"evaluation_consent_given_on": "2026-02-01", "evaluation_consent_withdrawn_on": "2026-01-01"},
            "evaluation_consent_withdrawn_on",
        ),
        ({"postcode": "W1A"}, "postcode"),
        ({"phone": "0800 12"}, "phone"),
    ],
)
def test_parent_edit_refusals_change_nothing(coordinator_client, organisation, overrides, field):
    parent = ParentFactory(organisation=organisation)
    response = coordinator_client.post(
        reverse("referrals:parent-edit", args=[parent.pk]), edit_data(parent, **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    saved = Parent.objects.get(pk=parent.pk)
    assert (saved.substance_use, saved.ethnicity, saved.evaluation_consent_withdrawn_on) == (False, "", None)


@pytest.mark.django_db
def test_parent_edit_with_agreement_and_consent(coordinator_client, organisation):
    parent = ParentFactory(organisation=organisation)
    response = coordinator_client.post(
        reverse("referrals:parent-edit", args=[parent.pk]),
        edit_data(
            parent,
            needs_agreed="on",
            ethnicity="prefer_not_to_say",
            lawful_basis_article6="consent",
            lawful_basis_article9="not_for_profit",
            evaluation_consent_given_on="2026-01-01",
            evaluation_consent_withdrawn_on="2026-03-01",
        ),
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.ethnicity == "prefer_not_to_say"
    assert parent.evaluation_consent_active is False


@pytest.mark.django_db
def test_young_parent_flag(organisation):
    assert ParentFactory(organisation=organisation, date_of_birth=TODAY() - timedelta(days=365 * 19)).is_young_parent
    assert not ParentFactory(
        organisation=organisation, date_of_birth=TODAY() - timedelta(days=365 * 21)
    ).is_young_parent


@pytest.mark.django_db
def test_timeline_shows_transitions_and_births(coordinator, coordinator_client, organisation, service):
    parent = ParentFactory(organisation=organisation)
    ChildFactory(parent=parent, due_date=TODAY() - timedelta(days=3), birth_date=TODAY() - timedelta(days=1))
    referral = ReferralFactory(organisation=organisation, parent=parent, service=service)
    services.referral_transition(actor=coordinator, referral=referral, to_status="contacted")
    page = coordinator_client.get(reverse("referrals:parent-detail", args=[parent.pk])).content.decode()
    assert "Referral for Befriending moved from received to contacted" in page
    assert "Birth" in page


@pytest.mark.django_db
def test_record_a_birth_through_the_api(coordinator_client, organisation, service, other_coordinator_client):
    parent = ParentFactory(organisation=organisation)
    child = ChildFactory(parent=parent, due_date=TODAY() - timedelta(days=16))
    referral = ReferralFactory(organisation=organisation, parent=parent, service=service)
    url = reverse("api-child-detail", args=[child.pk])
    assert other_coordinator_client.patch(url, {}, content_type="application/json").status_code == 404
    future = coordinator_client.patch(
        url, {"birth_date": (TODAY() + timedelta(days=1)).isoformat()}, content_type="application/json"
    )
    assert future.status_code == 400
    assert "birth_date" in future.json()
    response = coordinator_client.patch(
        url, {"birth_date": (TODAY() - timedelta(days=10)).isoformat()}, content_type="application/json"
    )
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.eligibility_estimated is False


@pytest.mark.django_db
def test_an_ended_service_takes_no_new_referrals(coordinator, organisation, service):
    service.is_active = False
    service.save()
    with pytest.raises(services.ValidationError):
        services.referral_create(
            actor=coordinator,
            organisation=organisation,
            service=service,
            parent_data={"first_name": "A", "last_name": "B"},
            referral_data={"source": "self"},
        )
    assert not Parent.objects.exists()


@pytest.mark.django_db
def test_no_baby_age_messages_after_a_loss(organisation):
    parent = ParentFactory(organisation=organisation)
    child = ChildFactory(parent=parent)
    assert baby_age_messages_allowed(parent)
    child.loss_kind, child.loss_date = "miscarriage", TODAY()
    child.save()
    assert not baby_age_messages_allowed(parent)


@pytest.mark.django_db
def test_a_known_family_referred_again_keeps_one_pregnancy(coordinator, organisation, service):
    from tests.factories import ServiceFactory

    groups = ServiceFactory(organisation=organisation, name="Groups")
    due = TODAY() + timedelta(weeks=8)
    person = {"first_name": "Rhiannon", "last_name": "Twice", "date_of_birth": TODAY() - timedelta(days=9000)}
    for chosen in (service, groups):
        services.referral_create(
            actor=coordinator,
            organisation=organisation,
            service=chosen,
            parent_data=person,
            child_data={"due_date": due},
            referral_data={"source": "self"},
        )
    parent = Parent.objects.get()
    assert parent.children.count() == 1
    assert parent.referrals.count() == 2
