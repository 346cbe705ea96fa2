"""The parents' messages and the two-way texts together (issue 26): the real
day-before visit reminder answered YES by text confirms the visit, and a
STOP stops the coordinator's "Send a text" before anything is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from operations.notifications.models import Notification
from operations.notifications.scan import reminders_scan
from operations.notifications.staff_texts import staff_text_send
from tests.factories import VisitFactory
from tests.notifications.helpers_texts import FRIDAY, send_due, text_in, textable

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("thursday")]


def test_a_yes_to_the_real_visit_reminder_confirms_the_visit_once(
    match, numbered, sms_file, django_capture_on_commit_callbacks
):
    textable(match.parent)
    visit = VisitFactory(match=match, organisation=numbered, planned_for=FRIDAY, at_time=dt.time(14, 30))
    reminders_scan(today=FRIDAY - dt.timedelta(days=1))
    send_due()
    reminder = Notification.objects.get(kind="parent_visit_reminder")
    assert "Reply YES to confirm" in reminder.body

    text_in(django_capture_on_commit_callbacks, body="yes", message_id="SMyes1")
    text_in(django_capture_on_commit_callbacks, body="yes", message_id="SMyes1")  # the provider retries
    visit.refresh_from_db()
    assert visit.confirmed_at is not None
    assert Notification.objects.filter(kind="text_reply").count() == 1


def test_after_stop_a_coordinator_cannot_text_her_and_nothing_is_written(
    match, numbered, coordinator, sms_file, django_capture_on_commit_callbacks
):
    parent = textable(match.parent)
    text_in(django_capture_on_commit_callbacks, body="STOP")
    parent.refresh_from_db()
    before = Notification.objects.count()
    with pytest.raises(ValidationError, match="She texted STOP"):
        staff_text_send(actor=coordinator, body="Are you free on Friday?", parent=parent)
    assert Notification.objects.count() == before
