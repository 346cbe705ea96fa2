"""Taking referrals in: the intake page, duplicates, bad input, eligibility stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.core.months import add_months_rolling_forward
from operations.core.services import service_saved
from referrals.models import Child, Parent, Referral
from tests.factories import ChildFactory, ParentFactory, ReferralFactory, ServiceFactory, council_area

TODAY = timezone.localdate


def intake(service, **overrides) -> dict:
    data = {
        "service": service.pk,
        "role": "mother",
        "first_name": "Morven",
        "last_name": "Testcase",
        "date_of_birth": "1996-04-02",
        "phone": "07700 900123",
        "postcode": "td1 1aa",
        "council_area": council_area("S12000026").pk,
        "language": "English",
        "due_date": (TODAY() + timedelta(weeks=12)).isoformat(),
        "source": "midwife",
        "referrer_name": "A Midwife",
        "urgency": "2",
        "received_on": TODAY().isoformat(),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_intake_creates_parent_pregnancy_and_referral_with_estimated_end(coordinator_client, service):
    response = coordinator_client.post(reverse("referrals:referral-new"), intake(service))
    assert response.status_code == 302
    referral = Referral.objects.get()
    parent = referral.parent
    assert (parent.postcode, parent.phone) == ("TD1 1AA", "07700900123")
    due = Child.objects.get(parent=parent).due_date
    assert referral.eligibility_end == add_months_rolling_forward(due, 12) - timedelta(days=1)
    assert referral.eligibility_estimated is True
    assert "turns 1" in referral.eligibility_reason
    assert referral.transitions.get().to_status == "received"
    assert AuditEvent.objects.filter(action="create", object_type="referrals.Referral").exists()
    # Nothing is safe until a coordinator records it.
    assert parent.contact_safety_recorded_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"due_date": (TODAY() + timedelta(weeks=43)).isoformat()}, "due_date", "42 weeks"),
        ({"due_date": (TODAY() - timedelta(days=400)).isoformat()}, "due_date", "more than a year ago"),
        ({"due_date": "", "birth_date": (TODAY() + timedelta(days=3)).isoformat()}, "birth_date", "future"),
        ({"postcode": "NOT A CODE"}, "postcode", "UK postcode"),
        ({"phone": "+33 1 23 45 67 89"}, "phone", "UK phone number"),
        ({"phone": "12345"}, "phone", "UK phone number"),
        # Two days ahead: the cases are made when the suite is collected, which may be before midnight.
        ({"date_of_birth": (TODAY() + timedelta(days=2)).isoformat()}, "date_of_birth", "future"),
    ],
)
def test_bad_intake_shows_a_field_error_and_saves_nothing(coordinator_client, service, overrides, field, message):
    response = coordinator_client.post(reverse("referrals:referral-new"), intake(service, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Parent.objects.exists()
    assert not Referral.objects.exists()
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_intake_to_another_organisations_service_is_refused(coordinator_client, service, other_service):
    response = coordinator_client.post(reverse("referrals:referral-new"), intake(other_service))
    assert response.status_code == 200
    assert "Choose a service of your organisation" in " ".join(response.context["form"].errors["service"])
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_duplicate_referral_is_refused_with_a_link(coordinator_client, service):
    coordinator_client.post(reverse("referrals:referral-new"), intake(service))
    existing = Referral.objects.get()
    response = coordinator_client.post(reverse("referrals:referral-new"), intake(service, first_name="MORVEN"))
    assert response.status_code == 200
    assert reverse("referrals:referral-detail", args=[existing.pk]) in response.content.decode()
    assert Referral.objects.count() == 1
    assert Parent.objects.count() == 1
    assert Child.objects.count() == 1


@pytest.mark.django_db
def test_known_parent_referred_to_a_new_service_joins_the_family(coordinator_client, service, organisation):
    groups = ServiceFactory(organisation=organisation, name="Groups", end_child_age_months=24)
    coordinator_client.post(reverse("referrals:referral-new"), intake(service))
    response = coordinator_client.post(reverse("referrals:referral-new"), intake(groups, due_date=""))
    assert response.status_code == 302
    assert Parent.objects.count() == 1
    assert set(Referral.objects.values_list("service__name", flat=True)) == {"Befriending", "Groups"}


@pytest.mark.django_db
def test_a_closed_referral_does_not_block_a_new_one(coordinator_client, organisation, service):
    parent = ParentFactory(organisation=organisation)
    ReferralFactory(organisation=organisation, parent=parent, service=service, status="closed")
    response = coordinator_client.post(
        reverse("referrals:referral-new") + f"?parent={parent.pk}",
        {"service": service.pk, "source": "self", "urgency": "3", "received_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    assert Referral.objects.filter(parent=parent).count() == 2


@pytest.mark.django_db
def test_recording_the_birth_recomputes_the_stored_end(coordinator_client, organisation, service):
    parent = ParentFactory(organisation=organisation)
    child = ChildFactory(parent=parent, due_date=TODAY() - timedelta(days=20))
    from referrals import services

    referral = ReferralFactory(organisation=organisation, parent=parent, service=service)
    services.parent_recompute_eligibility(parent=parent)
    referral.refresh_from_db()
    assert referral.eligibility_estimated is True
    page = coordinator_client.get(reverse("referrals:parent-detail", args=[parent.pk])).content.decode()
    assert "Confirm the birth" in page
    birth = TODAY() - timedelta(days=15)
    response = coordinator_client.post(
        reverse("referrals:child-edit", args=[child.pk]),
        {"due_date": child.due_date.isoformat(), "birth_date": birth.isoformat(), "gestation_weeks_at_birth": 41},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.eligibility_estimated is False
    assert referral.eligibility_end == add_months_rolling_forward(birth, 12) - timedelta(days=1)
    page = coordinator_client.get(reverse("referrals:parent-detail", args=[parent.pk])).content.decode()
    assert "Confirm the birth" not in page


@pytest.mark.django_db
def test_a_baby_loss_opens_a_review_and_closes_nothing(coordinator_client, organisation, service):
    parent = ParentFactory(organisation=organisation)
    child = ChildFactory(parent=parent)
    referral = ReferralFactory(organisation=organisation, parent=parent, service=service, status="active")
    loss = TODAY() - timedelta(days=2)
    response = coordinator_client.post(
        reverse("referrals:child-edit", args=[child.pk]),
        {"due_date": child.due_date.isoformat(), "loss_kind": "miscarriage", "loss_date": loss.isoformat()},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "active"
    assert "bereavement" in referral.eligibility_reason
    page = coordinator_client.get(reverse("referrals:parent-detail", args=[parent.pk])).content.decode()
    assert "coordinator review is open" in page
    assert AuditEvent.objects.filter(summary__startswith="Baby loss recorded").count() == 1
    coordinator_client.post(reverse("referrals:child-review-loss", args=[child.pk]))
    child.refresh_from_db()
    assert child.loss_reviewed_at is not None


@pytest.mark.django_db
def test_a_loss_without_its_kind_is_refused(coordinator_client, organisation):
    child = ChildFactory(parent=ParentFactory(organisation=organisation))
    response = coordinator_client.post(
        reverse("referrals:child-edit", args=[child.pk]),
        {"due_date": child.due_date.isoformat(), "loss_date": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert "kind of loss" in " ".join(response.context["form"].errors["loss_date"])
    child.refresh_from_db()
    assert child.loss_date is None


@pytest.mark.django_db
def test_changing_a_service_policy_recomputes_open_referrals(organisation, service, django_capture_on_commit_callbacks):
    parent = ParentFactory(organisation=organisation)
    ChildFactory(parent=parent, due_date=None, birth_date=TODAY() - timedelta(days=30))
    from referrals import services

    referral = ReferralFactory(organisation=organisation, parent=parent, service=service)
    services.parent_recompute_eligibility(parent=parent)
    with django_capture_on_commit_callbacks(execute=True):
        service.end_child_age_months = 24
        service.save()
        service_saved(service=service, created=False)  # as the admin and the API do
    referral.refresh_from_db()
    assert "turns 2" in referral.eligibility_reason


@pytest.mark.django_db
def test_a_manager_changing_the_policy_through_the_api_moves_the_end_dates(
    organisation, service, manager, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    parent = ParentFactory(organisation=organisation)
    ChildFactory(parent=parent, due_date=None, birth_date=TODAY() - timedelta(days=30))
    from referrals import services

    referral = ReferralFactory(organisation=organisation, parent=parent, service=service)
    services.parent_recompute_eligibility(parent=parent)
    client = APIClient()
    client.force_authenticate(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(f"/api/v1/services/{service.pk}/", {"end_child_age_months": 24}, format="json")
    assert response.status_code == 200, response.content
    referral.refresh_from_db()
    assert "turns 2" in referral.eligibility_reason


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_referral(organisation, service):
    from django.db import IntegrityError, transaction

    parent = ParentFactory(organisation=organisation)
    ReferralFactory(organisation=organisation, parent=parent, service=service, status="waiting")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(organisation=organisation, parent=parent, service=service)
    ReferralFactory(organisation=organisation, parent=parent, service=service, status="withdrawn")
    assert Referral.objects.filter(parent=parent).count() == 2


@pytest.mark.django_db
def test_editing_a_referral(coordinator_client, organisation, service, other_service):
    groups = ServiceFactory(organisation=organisation, name="Groups", end_child_age_months=24)
    parent = ParentFactory(organisation=organisation)
    ChildFactory(parent=parent, due_date=None, birth_date=TODAY() - timedelta(days=10))
    referral = ReferralFactory(organisation=organisation, parent=parent, service=service)
    ReferralFactory(organisation=organisation, parent=parent, service=groups, status="waiting")
    url = reverse("referrals:referral-edit", args=[referral.pk])
    base = {"source": "gp", "urgency": "1", "received_on": TODAY().isoformat()}
    for chosen, message in [(other_service, "Choose a service of your organisation"), (groups, "already has")]:
        response = coordinator_client.post(url, {**base, "service": chosen.pk})
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors["service"])
        referral.refresh_from_db()
        assert (referral.service, referral.urgency) == (service, 3)
    future = coordinator_client.post(url, {**base, "service": service.pk, "received_on": "2999-01-01"})
    assert "future" in " ".join(future.context["form"].errors["received_on"])
    assert coordinator_client.post(url, {**base, "service": service.pk}).status_code == 302
    referral.refresh_from_db()
    assert (referral.source, referral.urgency) == ("gp", 1)
    assert "turns 1" in referral.eligibility_reason
