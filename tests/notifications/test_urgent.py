"""A concern in a contact log reaches the coordinators at once: the outbox
rows are written in the same transaction as the concern and handed to a
worker when it commits — and vanish with it if it rolls back."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from operations.notifications.models import Channel, Notification
from tests.factories import AssessmentFactory, SafetyAlertFactory
from volunteers.matching import services
from volunteers.safeguarding.models import Concern

pytestmark = pytest.mark.django_db


def raise_alert(alert) -> None:
    """As the outcome measures' service does when an answer opens an alert."""
    from operations.outcomes.models import SafetyAlert
    from operations.outcomes.signals import safety_alert_raised

    safety_alert_raised.send(sender=SafetyAlert, alert=alert)


def log_concern(volunteer, match):
    return services.contact_log_create(
        actor=volunteer,
        match=match,
        data={
            "contact_date": timezone.localdate(),
            "duration_minutes": 30,
            "mode": "phone",
            "has_concern": True,
            "note": "She said she feels unsafe at home.",
        },
    )


def test_a_concern_notifies_every_coordinator_at_once_without_its_words(
    coordinator, manager, volunteer, match, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        log_concern(volunteer, match)
    rows = Notification.objects.filter(kind="concern_raised")
    assert set(rows.values_list("recipient_user_id", "channel")) == {
        (coordinator.pk, Channel.IN_APP),
        (coordinator.pk, Channel.EMAIL),
    }
    assert callbacks, "the rows are handed to a worker on commit, not left to the beat"
    for row in rows:
        assert "unsafe" not in row.body  # the concern's words stay in the record, not in messages


def test_no_notification_survives_a_rolled_back_concern(coordinator, volunteer, match):
    def failing_request():
        with transaction.atomic():
            log_concern(volunteer, match)
            raise RuntimeError("the request failed after the concern was written")

    with pytest.raises(RuntimeError):
        failing_request()
    assert not Concern.objects.exists()
    assert not Notification.objects.filter(kind="concern_raised").exists()


# --- Safety alerts from assessments ------------------------------------------------


def safety_alert(organisation, service):
    from tests.factories import ReferralFactory

    referral = ReferralFactory(organisation=organisation, service=service, status="active")
    assessment = AssessmentFactory(
        organisation=organisation,
        parent=referral.parent,
        referral=referral,
        measure="epds",
        timepoint="baseline",
        taken_on=timezone.localdate(),
        responses=[0] * 9 + [2],
        item_scores=[0] * 9 + [2],
        total=2,
        scoring_version="test",
    )
    return SafetyAlertFactory(
        organisation=organisation, assessment=assessment, parent=referral.parent, item_number=10, item_score=2
    )


def test_a_safety_alert_reaches_every_coordinator_at_once_with_only_a_record_number_and_a_link(
    organisation, service, coordinator, manager, other_coordinator, django_capture_on_commit_callbacks
):

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        alert = safety_alert(organisation, service)
        raise_alert(alert)
    rows = Notification.objects.filter(kind="safety_alert")
    assert set(rows.values_list("recipient_user_id", "channel")) == {
        (coordinator.pk, Channel.IN_APP),
        (coordinator.pk, Channel.EMAIL),
    }
    assert callbacks, "the rows are handed to a worker on commit, not left to the beat"
    parent = alert.parent
    for row in rows:
        assert str(parent.pk) in row.body
        assert row.link == f"/referrals/parents/{parent.pk}/"
        text = row.subject + row.body
        for personal in (parent.first_name, parent.last_name, "EPDS", "epds", "self-harm", "item"):
            assert personal not in text


def test_raising_the_same_alert_twice_notifies_once(organisation, service, coordinator):

    alert = safety_alert(organisation, service)
    raise_alert(alert)
    raise_alert(alert)
    assert Notification.objects.filter(kind="safety_alert").count() == 2  # one coordinator, two channels


def test_no_notification_survives_a_rolled_back_safety_alert(organisation, service, coordinator):
    from operations.outcomes.models import SafetyAlert

    def failing_assessment():
        with transaction.atomic():
            raise_alert(safety_alert(organisation, service))
            raise RuntimeError("the assessment failed to save after the alert")

    with pytest.raises(RuntimeError):
        failing_assessment()
    assert not SafetyAlert.objects.exists()
    assert not Notification.objects.filter(kind="safety_alert").exists()


def test_a_safety_alert_is_sent_even_where_reminders_are_turned_off(organisation, service, coordinator):
    from operations.notifications.reminder_settings import SWITCHES, reminder_settings_for

    settings = reminder_settings_for(organisation.pk)
    settings.turned_off = list(SWITCHES)
    settings.save()
    raise_alert(safety_alert(organisation, service))
    assert Notification.objects.filter(kind="safety_alert").exists()


def test_saving_an_assessment_with_an_alert_item_notifies_the_coordinators_in_the_same_transaction(
    organisation, service, coordinator, manager, django_capture_on_commit_callbacks
):
    """The whole path: the assessment service raises the alert, the
    notifications layer writes the rows — both commit together."""
    from operations.outcomes.models import SafetyAlert
    from operations.outcomes.services import assessment_create
    from tests.outcomes.helpers import assessable_referral

    referral = assessable_referral(organisation=organisation, service=service)
    with django_capture_on_commit_callbacks() as callbacks:
        assessment_create(
            actor=manager,
            organisation=organisation,
            parent=referral.parent,
            referral=referral,
            measure="epds",
            timepoint="baseline",
            taken_on=timezone.localdate(),
            # Item 10 is reverse scored: the first option scores 3.
            responses=[0, 0, 3, 0, 3, 3, 3, 3, 3, 0],
        )
    alert = SafetyAlert.objects.get()
    assert alert.item_number == 10
    rows = Notification.objects.filter(kind="safety_alert", recipient_user=coordinator)
    assert set(rows.values_list("channel", flat=True)) == {Channel.IN_APP, Channel.EMAIL}
    assert callbacks
