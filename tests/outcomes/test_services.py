"""assessment_create and safety_alert_close: every refusal writes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.outcomes import services
from operations.outcomes.models import Assessment, Questionnaire, SafetyAlert
from operations.outcomes.signals import safety_alert_raised
from tests.factories import QuestionnaireFactory, ReferralFactory
from tests.outcomes.helpers import assessable_referral

pytestmark = pytest.mark.django_db

EPDS_ITEM_10_ALERT = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2]  # every item 0 except item 10, which scores 1
GAD7_MILD = [1, 1, 1, 1, 1, 1, 0]


@pytest.fixture
def referral(organisation, service):
    return assessable_referral(organisation=organisation, service=service)


@pytest.fixture
def raised():
    """The alerts the service announced (the notifications layer listens too)."""
    seen: list = []

    def receiver(sender, *, alert, **kwargs) -> None:
        seen.append(alert)

    safety_alert_raised.connect(receiver)
    yield seen
    safety_alert_raised.disconnect(receiver)


def create(base, coordinator, **overrides):
    """Creates an assessment for ``base`` (a referral), with ``overrides``."""
    arguments = {
        "actor": coordinator,
        "organisation": base.organisation,
        "parent": base.parent,
        "referral": base,
        "measure": "gad7",
        "timepoint": "baseline",
        "taken_on": timezone.localdate(),
        "responses": GAD7_MILD,
    }
    arguments.update(overrides)
    return services.assessment_create(**arguments)


def test_an_assessment_is_scored_and_stored_with_its_scoring_version(referral, coordinator, raised):
    assessment = create(referral, coordinator)
    assessment.refresh_from_db()
    assert assessment.total == Decimal(6)
    assert assessment.band == "mild"
    assert assessment.item_scores == [1, 1, 1, 1, 1, 1, 0]
    assert assessment.alert_items == []
    assert assessment.scoring_version
    assert assessment.entered_by == coordinator
    assert raised == []
    assert AuditEvent.objects.filter(object_type="outcomes.Assessment", object_id=str(assessment.pk)).exists()


def test_an_alert_item_opens_a_safety_alert_and_raises_it_as_urgent(referral, coordinator, raised):
    assessment = create(referral, coordinator, measure="epds", responses=EPDS_ITEM_10_ALERT)
    alert = SafetyAlert.objects.get()
    assert (alert.assessment, alert.parent, alert.item_number, alert.item_score) == (
        assessment,
        referral.parent,
        10,
        1,
    )
    assert alert.is_open
    assert raised == [alert]
    assert assessment.total == Decimal(1)
    assert assessment.band == "below"  # the alert stands whatever the total


def test_a_failing_urgent_receiver_writes_neither_assessment_nor_alert(referral, coordinator):
    def broken(sender, **kwargs):
        raise RuntimeError("notification outbox unavailable")

    safety_alert_raised.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            create(referral, coordinator, measure="epds", responses=EPDS_ITEM_10_ALERT)
    finally:
        safety_alert_raised.disconnect(broken)
    assert not Assessment.objects.exists()
    assert not SafetyAlert.objects.exists()


def refused(base, coordinator, field: str, **overrides) -> str:
    with pytest.raises(ValidationError) as caught:
        create(base, coordinator, **overrides)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert not Assessment.objects.exists()
    assert not SafetyAlert.objects.exists()
    return " ".join(caught.value.message_dict[field])


def test_refused_without_a_lawful_basis_for_health_data(organisation, service, coordinator):
    referral = ReferralFactory(organisation=organisation, service=service, received_on=timezone.localdate())
    message = refused(referral, coordinator, "parent")
    assert "lawful basis for health data" in message
    assert f"/referrals/parents/{referral.parent_id}/edit/" in message


def test_refused_for_a_referral_of_another_parent(referral, organisation, service, coordinator):
    other = assessable_referral(organisation=organisation, service=service)
    refused(referral, coordinator, "referral", referral=other)


def test_refused_for_a_parent_of_another_organisation(referral, other_organisation, other_service, coordinator):
    stranger = assessable_referral(organisation=other_organisation, service=other_service)
    refused(referral, coordinator, "parent", parent=stranger.parent, referral=stranger)


def test_refused_for_a_future_date(referral, coordinator):
    message = refused(referral, coordinator, "taken_on", taken_on=timezone.localdate() + timedelta(days=1))
    assert "future" in message


def test_refused_before_the_referral_was_received(referral, coordinator):
    message = refused(referral, coordinator, "taken_on", taken_on=referral.received_on - timedelta(days=1))
    assert "before the referral" in message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"responses": [0] * 6}, "responses"),
        ({"responses": [0, 0, 0, 0, 0, 0, 4]}, "responses"),
        ({"responses": [True] * 7}, "responses"),
        ({"responses": "0000000"}, "responses"),
        ({"responses": None}, "responses"),
        ({"measure": "outcomes-star"}, "measure"),
        ({"timepoint": "weekly"}, "timepoint"),
        ({"taken_on": None}, "taken_on"),
        ({"referral": None}, "referral"),
    ],
)
def test_bad_input_is_a_field_error_and_writes_nothing(referral, coordinator, overrides, field):
    refused(referral, coordinator, field, **overrides)


def test_core10_with_two_items_missing_is_refused(referral, coordinator):
    message = refused(referral, coordinator, "responses", measure="core10", responses=[0] * 8 + [None, None])
    assert "at most 1" in message


def make_questionnaire(organisation, *, active: bool = True) -> Questionnaire:
    questionnaire = QuestionnaireFactory(organisation=organisation, name=f"Isolation {active}", active=active)
    questionnaire.items.create(number=1, text="I feel less isolated")
    questionnaire.items.create(number=2, text="I feel alone", reverse_scored=True)
    return questionnaire


def test_an_organisation_questionnaire_is_scored_with_its_reverse_items(referral, organisation, coordinator):
    questionnaire = make_questionnaire(organisation)
    assessment = create(referral, coordinator, measure="custom", questionnaire=questionnaire, responses=[4, 4])
    assert assessment.item_scores == [5, 1]
    assert assessment.total == Decimal(6)


def test_refused_for_an_inactive_or_foreign_questionnaire(referral, organisation, other_organisation, coordinator):
    inactive = make_questionnaire(organisation, active=False)
    assert "no longer" in refused(
        referral, coordinator, "questionnaire", measure="custom", questionnaire=inactive, responses=[0, 0]
    )
    foreign = make_questionnaire(other_organisation)
    refused(referral, coordinator, "questionnaire", measure="custom", questionnaire=foreign, responses=[0, 0])
    refused(referral, coordinator, "questionnaire", measure="custom", questionnaire=None, responses=[0, 0])


def test_refused_while_processing_is_restricted(referral, coordinator):
    referral.parent.processing_restricted = True
    referral.parent.save()
    assert "restricted" in refused(referral, coordinator, "parent")


def test_refused_for_an_erased_parent(referral, coordinator):
    referral.parent.erased_at = timezone.now()
    referral.parent.save()
    assert "erased" in refused(referral, coordinator, "parent")


# --- closing an alert ----------------------------------------------------------------


@pytest.fixture
def alert(referral, coordinator, raised):
    create(referral, coordinator, measure="epds", responses=EPDS_ITEM_10_ALERT)
    return SafetyAlert.objects.get()


def test_an_alert_is_closed_with_the_action_taken(alert, manager):
    services.safety_alert_close(alert=alert, actor=manager, action_taken="  Phoned the GP with the parent.  ")
    alert.refresh_from_db()
    assert not alert.is_open
    assert alert.action_taken == "Phoned the GP with the parent."
    assert alert.actioned_by == manager
    assert AuditEvent.objects.filter(object_type="outcomes.SafetyAlert", action="change").exists()


@pytest.mark.parametrize("action_taken", ["", "   ", None])
def test_an_alert_is_not_closed_without_the_action_taken(alert, manager, action_taken):
    with pytest.raises(ValidationError) as caught:
        services.safety_alert_close(alert=alert, actor=manager, action_taken=action_taken)
    assert "action_taken" in caught.value.message_dict
    alert.refresh_from_db()
    assert alert.is_open


def test_a_closed_alert_is_not_closed_again(alert, manager, coordinator):
    services.safety_alert_close(alert=alert, actor=manager, action_taken="Safety plan agreed.")
    with pytest.raises(ValidationError), transaction.atomic():
        services.safety_alert_close(alert=alert, actor=coordinator, action_taken="Something else")
    alert.refresh_from_db()
    assert alert.action_taken == "Safety plan agreed."
    assert alert.actioned_by == manager


# --- data-subject rights ---------------------------------------------------------------


def test_subject_access_lists_assessments_and_alerts_and_erasure_deletes_them(alert, referral, manager):
    from referrals import services as referral_services

    parent = referral.parent
    sections = {s.title: s.rows for s in referral_services.parent_subject_access(actor=manager, parent=parent)}
    assert [row["Questionnaire kind"] for row in sections["Outcome assessments"]] == ["EPDS"]
    assert [row["Item"] for row in sections["Safety alerts"]] == ["10"]
    referral_services.parent_erase(actor=manager, parent=parent)
    assert not Assessment.objects.filter(parent=parent).exists()
    assert not SafetyAlert.objects.filter(parent=parent).exists()


def test_assessments_of_a_parent_who_withdrew_evaluation_consent_leave_the_evaluation_set(referral, coordinator):
    create(referral, coordinator)
    parent = referral.parent
    parent.evaluation_consent_given_on = timezone.localdate() - timedelta(days=20)
    parent.save()
    assert Assessment.objects.for_evaluation().count() == 1
    parent.evaluation_consent_withdrawn_on = timezone.localdate()
    parent.save()
    assert Assessment.objects.for_evaluation().count() == 0


def test_no_personal_data_in_the_audit_summaries(alert):
    parent = alert.parent
    for summary in AuditEvent.objects.values_list("summary", flat=True):
        assert parent.first_name not in summary
        assert parent.last_name not in summary
