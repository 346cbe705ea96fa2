"""Intake asks for safe contact, consent and the lawful basis; the referral
page lists what is still missing; a referral cannot join the waiting list
until safe contact is recorded; a parent past the service's end date is
refused at intake unless recorded as not eligible or overridden with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.core.dates import short_date
from referrals import services
from referrals.checklist import intake_checklist, missing_before_matching
from referrals.models import Child, Parent, Referral, ReferralTransition
from referrals.workflow import Status
from tests.factories import ChildFactory, ParentFactory, ReferralFactory
from tests.referrals.test_intake import intake

TODAY = timezone.localdate
NOT_RECORDED = "Safe contact is not recorded for this parent"


def assessed(organisation, service, **parent_fields) -> Referral:
    parent = ParentFactory(organisation=organisation, **parent_fields)
    ChildFactory(parent=parent)
    return ReferralFactory(organisation=organisation, service=service, parent=parent, status=Status.ASSESSED)


def counts() -> tuple[int, int, int]:
    return Parent.objects.count(), Referral.objects.count(), Child.objects.count()


# --- intake asks ------------------------------------------------------------------


@pytest.mark.django_db
def test_intake_records_safe_channels_consent_and_lawful_basis(coordinator_client, service):
    body = intake(
        service,
        safe_sms="on",
        may_name_service="on",
        best_contact_times="Weekday mornings",
        contact_consent="on",
        evaluation_consent="no",
        lawful_basis_article6="legitimate_interests",
        lawful_basis_article9="not_for_profit",
    )
    response = coordinator_client.post(reverse("referrals:referral-new"), body)
    assert response.status_code == 302
    referral = Referral.objects.get()
    parent = referral.parent
    assert parent.contact_safety_recorded_at is not None
    assert (parent.safe_sms, parent.contact_through_referrer, parent.best_contact_times) == (
        True,
        False,
        "Weekday mornings",
    )
    assert parent.contact_consent_given_on == TODAY()
    # "No" is an answer: asked, not given.
    assert (parent.evaluation_consent_asked_on, parent.evaluation_consent_given_on) == (TODAY(), None)
    assert missing_before_matching(parent) == []
    page = coordinator_client.get(reverse("referrals:referral-detail", args=[referral.pk]))
    assert "Before matching" in page.text
    assert "missing." not in page.text


@pytest.mark.django_db
def test_none_safe_through_the_referrer_counts_as_recorded(coordinator_client, service):
    response = coordinator_client.post(
        reverse("referrals:referral-new"), intake(service, contact_through_referrer="on", evaluation_consent="yes")
    )
    assert response.status_code == 302
    parent = Parent.objects.get()
    assert parent.contact_safety_recorded_at is not None
    assert parent.contact_through_referrer is True
    assert parent.evaluation_consent_given_on == TODAY()
    detail = coordinator_client.get(reverse("referrals:parent-detail", args=[parent.pk]))
    assert "None is safe: contact through the referrer." in detail.text


@pytest.mark.django_db
def test_a_channel_and_none_safe_together_are_refused_and_nothing_is_saved(coordinator_client, service):
    response = coordinator_client.post(
        reverse("referrals:referral-new"), intake(service, safe_phone="on", contact_through_referrer="on")
    )
    assert response.status_code == 200
    assert "not both" in " ".join(response.context["form"].errors["contact_through_referrer"])
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_the_service_refuses_a_channel_and_none_safe_together(coordinator, organisation, service):
    with pytest.raises(ValidationError) as refused:
        services.referral_create(
            actor=coordinator,
            organisation=organisation,
            service=service,
            parent_data={"first_name": "Ina", "last_name": "Both"},
            referral_data={"source": "self"},
            safety_data={"safe_email": True, "contact_through_referrer": True},
        )
    assert "contact_through_referrer" in refused.value.message_dict
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_the_intake_form_groups_its_questions(coordinator_client):
    page = coordinator_client.get(reverse("referrals:referral-new")).text
    for legend in ("The parent", "Safe contact", "Consent and lawful basis", "The referral"):
        assert f"<legend>{legend}</legend>" in page.replace("\n", "").replace("  ", "")
    assert "None is safe: contact through the referrer" in page
    # The past-the-end choice appears only when it applies.
    assert "Past the service's end date" not in page


@pytest.mark.django_db
def test_an_unanswered_intake_records_nothing_and_the_checklist_says_what_is_missing(coordinator_client, service):
    coordinator_client.post(reverse("referrals:referral-new"), intake(service))
    referral = Referral.objects.get()
    assert referral.parent.contact_safety_recorded_at is None
    page = coordinator_client.get(reverse("referrals:referral-detail", args=[referral.pk])).text
    for label in (
        "Safe contact recorded",
        "Consent to be contacted",
        "Lawful basis for health data recorded",
        "Evaluation consent asked",
    ):
        assert f"{label}: missing." in page
    assert reverse("referrals:parent-contact-safety", args=[referral.parent_id]) in page
    assert reverse("referrals:parent-edit", args=[referral.parent_id]) in page


@pytest.mark.django_db
def test_the_way_back_goes_only_to_a_referral_of_the_same_parent(coordinator_client, organisation, service):
    referral = assessed(organisation, service)
    other = assessed(organisation, service)
    url = reverse("referrals:parent-contact-safety", args=[referral.parent_id])
    response = coordinator_client.post(f"{url}?referral={other.pk}", {"safe_phone": "on"})
    assert response.url == reverse("referrals:parent-detail", args=[referral.parent_id])


def test_the_checklist_reads_the_record_alone():
    parent = Parent(pk=7, lawful_basis_article6="consent")
    assert [item.key for item in intake_checklist(parent) if not item.done] == [
        "safe_contact",
        "contact_consent",
        "lawful_basis",
        "evaluation_consent",
    ]
    parent.lawful_basis_article9 = "explicit_consent"
    parent.contact_safety_recorded_at = timezone.now()
    parent.contact_consent_given_on = TODAY()
    parent.evaluation_consent_asked_on = TODAY()
    assert missing_before_matching(parent) == []


# --- the contact-safety form asks for an answer -----------------------------------


@pytest.mark.django_db
def test_contact_safety_page_needs_an_answer(coordinator_client, organisation):
    parent = ParentFactory(organisation=organisation)
    url = reverse("referrals:parent-contact-safety", args=[parent.pk])
    empty = coordinator_client.post(url, {"best_contact_times": "Mornings"})
    assert empty.status_code == 200
    assert "Tick the channels that are safe" in " ".join(empty.context["form"].non_field_errors())
    parent.refresh_from_db()
    assert parent.contact_safety_recorded_at is None
    assert parent.best_contact_times == ""

    assert coordinator_client.post(url, {"contact_through_referrer": "on"}).status_code == 302
    parent.refresh_from_db()
    assert parent.contact_through_referrer is True
    assert parent.contact_safety_recorded_at is not None


@pytest.mark.django_db
def test_recording_a_safe_channel_clears_none_safe(coordinator, organisation):
    parent = ParentFactory(organisation=organisation)
    services.parent_record_contact_safety(actor=coordinator, parent=parent, data={"contact_through_referrer": True})
    services.parent_record_contact_safety(
        actor=coordinator, parent=parent, data={"safe_sms": True, "contact_through_referrer": False}
    )
    parent.refresh_from_db()
    assert (parent.safe_sms, parent.contact_through_referrer) == (True, False)


# --- no waiting list without safe contact ------------------------------------------


def _unchanged(referral: Referral) -> None:
    referral.refresh_from_db()
    assert referral.status == Status.ASSESSED
    assert not ReferralTransition.objects.filter(referral=referral).exists()
    assert not AuditEvent.objects.filter(action="transition", object_id=str(referral.pk)).exists()


@pytest.mark.django_db
def test_the_service_refuses_the_waiting_list_without_safe_contact(coordinator, organisation, service):
    referral = assessed(organisation, service)
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(actor=coordinator, referral=referral, to_status=Status.WAITING)
    assert NOT_RECORDED in refused.value.message_dict["to_status"][0]
    _unchanged(referral)
    # Leaving the workflow is never blocked.
    services.referral_transition(actor=coordinator, referral=referral, to_status=Status.DECLINED, reason="Moved")


@pytest.mark.django_db
def test_the_page_refuses_with_the_checklist_and_moves_once_recorded(coordinator_client, organisation, service):
    referral = assessed(organisation, service)
    url = reverse("referrals:referral-transition", args=[referral.pk])
    refused = coordinator_client.post(url, {"to_status": "waiting"})
    assert refused.status_code == 400
    assert NOT_RECORDED in " ".join(refused.context["transition_form"].errors["to_status"])
    assert "Safe contact recorded: missing." in refused.text
    _unchanged(referral)

    # The checklist's link leads to the safe-contact form and back to the referral.
    fix = reverse("referrals:parent-contact-safety", args=[referral.parent_id]) + f"?referral={referral.pk}"
    assert fix in refused.text
    saved = coordinator_client.post(fix, {"contact_through_referrer": "on"})
    assert saved.url == reverse("referrals:referral-detail", args=[referral.pk])
    assert coordinator_client.post(url, {"to_status": "waiting"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.WAITING


@pytest.mark.django_db
def test_the_board_refuses_on_the_card(coordinator_client, organisation, service):
    referral = assessed(organisation, service)
    response = coordinator_client.post(
        reverse("referrals:referral-transition", args=[referral.pk]), {"to_status": "waiting"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert NOT_RECORDED in response.text
    _unchanged(referral)


@pytest.mark.django_db
def test_the_api_refuses_with_a_field_error(coordinator_client, organisation, service):
    referral = assessed(organisation, service)
    url = reverse("api-referral-transition", args=[referral.pk])
    response = coordinator_client.post(url, {"to_status": "waiting"}, content_type="application/json")
    assert response.status_code == 400
    assert NOT_RECORDED in response.json()["to_status"][0]
    _unchanged(referral)


@pytest.mark.django_db
def test_a_match_cannot_be_confirmed_for_a_referral_kept_off_the_waiting_list(coordinator, organisation, service):
    from tests.matching.helpers import fit_volunteer
    from volunteers.matching.models import Match
    from volunteers.matching.services import match_confirm

    referral = assessed(organisation, service)
    volunteer = fit_volunteer(organisation=organisation)
    with pytest.raises(ValidationError):
        services.referral_transition(actor=coordinator, referral=referral, to_status=Status.WAITING)
    with pytest.raises(ValidationError) as refused:
        match_confirm(
            actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=volunteer.pk
        )
    assert "not waiting" in " ".join(refused.value.messages)
    assert not Match.objects.exists()


@pytest.mark.django_db
def test_the_api_detail_lists_what_is_missing(coordinator_client, organisation, service):
    referral = assessed(
        organisation, service, lawful_basis_article6="consent", lawful_basis_article9="explicit_consent"
    )
    body = coordinator_client.get(reverse("api-referral-detail", args=[referral.pk])).json()
    assert body["missing_before_matching"] == [
        "Record which channels are safe for the parent, or that none is safe (contact through the referrer).",
        "Record the day the parent agreed to be contacted.",
        "Ask the parent whether they agree to take part in evaluation, and record the answer.",
    ]


@pytest.mark.django_db
def test_the_api_takes_safe_contact_at_intake(coordinator_client, service):
    from tests.referrals.test_api import payload, post

    body = payload(service)
    body["parent_details"] |= {"contact_through_referrer": True, "contact_consent_given_on": TODAY().isoformat()}
    response = post(coordinator_client, body)
    assert response.status_code == 201, response.json()
    parent = Parent.objects.get()
    assert parent.contact_through_referrer is True
    assert parent.contact_safety_recorded_at is not None
    assert response.json()["missing_before_matching"] == [
        "Record the Article 6 basis and the Article 9 condition for health data.",
        "Ask the parent whether they agree to take part in evaluation, and record the answer.",
    ]


# --- past the end at intake -------------------------------------------------------


def past_end(service, **overrides) -> dict:
    """A baby born 14 months ago: a service that ends at the first birthday ended two months ago."""
    born = TODAY() - timedelta(days=430)
    return intake(service, due_date="", birth_date=born.isoformat(), **overrides)


def _end_of(born_days_ago: int = 430):
    from operations.core.months import add_months_rolling_forward

    return add_months_rolling_forward(TODAY() - timedelta(days=born_days_ago), 12) - timedelta(days=1)


@pytest.mark.django_db
def test_the_page_warns_past_the_end_and_saves_nothing(coordinator_client, service):
    response = coordinator_client.post(reverse("referrals:referral-new"), past_end(service))
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["eligibility_override_reason"])
    assert message == (
        f"This parent is past the service's end date (ended {short_date(_end_of())}): not eligible. "
        "Record it as not eligible, or override with a reason."
    )
    assert "<legend>Past the service's end date</legend>" in response.text
    assert "Or accept it anyway" in response.text
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_the_page_overrides_with_a_reason_shown_on_the_referral(coordinator_client, coordinator, service):
    response = coordinator_client.post(
        reverse("referrals:referral-new"),
        past_end(service, eligibility_override_reason="Baby in neonatal care for months; agreed with the manager"),
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == Status.RECEIVED
    assert referral.eligibility_override_reason.startswith("Baby in neonatal care")
    assert referral.eligibility_override_by == coordinator
    assert referral.eligibility_override_at is not None
    event = AuditEvent.objects.get(object_id=str(referral.pk), summary__startswith="Accepted past")
    assert "neonatal" not in event.summary  # the reason stays on the record, not in the log
    page = coordinator_client.get(reverse("referrals:referral-detail", args=[referral.pk])).text
    assert "Accepted past the end date" in page
    assert f"ended {(TODAY() - _end_of()).days} days ago" in page
    assert "days left" not in page.split("Accepted past")[0].split("Eligibility")[-1]
    assert "Baby in neonatal care" in page


@pytest.mark.django_db
def test_the_page_records_it_as_not_eligible(coordinator_client, service):
    response = coordinator_client.post(reverse("referrals:referral-new"), past_end(service, record_not_eligible="on"))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == Status.NOT_ELIGIBLE
    assert referral.eligibility_override_reason == ""
    last = referral.transitions.last()
    assert last.reason == f"Past the service's end date at intake (ended {short_date(_end_of())})."


@pytest.mark.django_db
def test_the_service_refuses_both_choices_at_once(coordinator, organisation, service):
    with pytest.raises(ValidationError) as refused:
        services.referral_create(
            actor=coordinator,
            organisation=organisation,
            service=service,
            parent_data={"first_name": "Ina", "last_name": "Late"},
            child_data={"birth_date": TODAY() - timedelta(days=430)},
            referral_data={"source": "self"},
            eligibility_override_reason="Because",
            record_not_eligible=True,
        )
    assert "not both" in refused.value.message_dict["eligibility_override_reason"][0]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_a_blank_reason_is_no_override(coordinator, organisation, service):
    with pytest.raises(ValidationError) as refused:
        services.referral_create(
            actor=coordinator,
            organisation=organisation,
            service=service,
            parent_data={"first_name": "Ina", "last_name": "Late"},
            child_data={"birth_date": TODAY() - timedelta(days=430)},
            referral_data={"source": "self"},
            eligibility_override_reason="   ",
        )
    assert "past the service's end date" in refused.value.message_dict["eligibility_override_reason"][0]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_the_api_refuses_past_the_end_and_takes_the_override(coordinator_client, service):
    from tests.referrals.test_api import payload, post

    late = {"birth_date": (TODAY() - timedelta(days=430)).isoformat()}
    refused = post(coordinator_client, payload(service, child=late))
    assert refused.status_code == 400
    assert "past the service's end date" in refused.json()["eligibility_override_reason"][0]
    assert counts() == (0, 0, 0)

    accepted = post(coordinator_client, payload(service, child=late, eligibility_override_reason="Manager agreed"))
    assert accepted.status_code == 201
    assert accepted.json()["eligibility_override_reason"] == "Manager agreed"
    assert Referral.objects.get().eligibility_override_reason == "Manager agreed"


@pytest.mark.django_db
def test_the_api_records_not_eligible(coordinator_client, service):
    from tests.referrals.test_api import payload, post

    late = {"birth_date": (TODAY() - timedelta(days=430)).isoformat()}
    response = post(coordinator_client, payload(service, child=late, record_not_eligible=True))
    assert response.status_code == 201
    assert response.json()["status"] == "not_eligible"


# --- existing records ------------------------------------------------------------


@pytest.mark.django_db
def test_the_data_migration_treats_a_safe_channel_as_recorded(organisation):
    from importlib import import_module

    migration = import_module("referrals.migrations.0008_intake_safe_contact_consent_and_eligibility_override")
    ticked = ParentFactory(organisation=organisation, safe_sms=True)
    empty_answer = ParentFactory(organisation=organisation, contact_safety_recorded_at=timezone.now())
    never = ParentFactory(organisation=organisation)
    consented = ParentFactory(organisation=organisation, evaluation_consent_given_on=TODAY() - timedelta(days=3))
    migration.record_existing_answers(apps, None)
    for parent in (ticked, empty_answer, never, consented):
        parent.refresh_from_db()
    assert ticked.contact_safety_recorded_at is not None
    assert not ticked.contact_through_referrer
    assert empty_answer.contact_through_referrer
    assert never.contact_safety_recorded_at is None
    assert consented.evaluation_consent_asked_on == TODAY() - timedelta(days=3)


@pytest.mark.django_db
def test_the_override_reason_is_in_subject_access_and_erased(coordinator, organisation, service):
    from referrals import gdpr

    referral = services.referral_create(
        actor=coordinator,
        organisation=organisation,
        service=service,
        parent_data={"first_name": "Ina", "last_name": "Late"},
        child_data={"birth_date": TODAY() - timedelta(days=430)},
        referral_data={"source": "self"},
        eligibility_override_reason="Her partner left in the spring",
    )
    rows = next(section.rows for section in gdpr.subject_access(referral.parent) if section.title == "Referrals")
    assert rows[0]["Why it was accepted outside the eligibility dates"] == "Her partner left in the spring"
    gdpr.erase(referral.parent)
    referral.refresh_from_db()
    assert referral.eligibility_override_reason == ""
