"""Session reminders 24 hours before, to parents on safe channels only."""

from __future__ import annotations

import datetime as dt

import pytest

from operations.groups import services
from operations.notifications.group_messages import session_reminders_write
from operations.notifications.models import Channel, Notification
from operations.notifications.scan import reminders_scan
from tests.groups.conftest import NOW
from tests.groups.helpers import first_session, make_group, parent


@pytest.fixture
def session(organisation):
    # Friday 27 November 2026 at 10:00: 24 hours after the frozen "now".
    return first_session(make_group(organisation))


def book(session, **parent_fields):
    recorded = parent(session.organisation, contact_safety_recorded_at=NOW, **parent_fields)
    return services.booking_create(session_id=session.pk, actor=None, parent=recorded)


@pytest.mark.django_db
def test_a_booked_parent_is_reminded_once_on_their_safe_channel(session):
    booking = book(session, phone="07700900123", safe_sms=True, may_name_service=True)
    reminders_scan(today=NOW.date())
    reminders_scan(today=NOW.date())
    rows = Notification.objects.filter(kind="session_reminder")
    assert rows.count() == 1
    row = rows.get()
    assert (row.channel, row.recipient_address, row.about_id) == (Channel.SMS, "07700900123", str(booking.pk))
    assert session.group.name in row.body


@pytest.mark.django_db
def test_neutral_wording_when_the_service_may_not_be_named(session):
    book(session, email="someone@example.org", safe_email=True, may_name_service=False)
    session_reminders_write(now=NOW)
    row = Notification.objects.get(kind="session_reminder")
    assert row.channel == Channel.EMAIL
    assert session.group.name not in row.subject + row.body


@pytest.mark.django_db
def test_a_parent_with_no_safe_channel_gets_nothing_and_the_coordinators_are_asked_to_remind_them(session, coordinator):
    booking = book(session, phone="07700900123", email="someone@example.org", safe_sms=False, safe_email=False)
    session_reminders_write(now=NOW)
    session_reminders_write(now=NOW)
    assert not Notification.objects.filter(kind="session_reminder", recipient_user__isnull=True).exists()
    note = Notification.objects.get(kind="session_reminder", recipient_user=coordinator)
    assert note.channel == Channel.IN_APP
    assert f"#{booking.pk}" in note.body
    assert "please tell them yourself" in note.body
    assert booking.parent.first_name not in note.body


@pytest.mark.django_db
def test_sessions_further_off_or_cancelled_bookings_get_no_reminder(session):
    booking = book(session, phone="07700900123", safe_sms=True)
    services.booking_cancel(booking=booking, actor=None)
    session_reminders_write(now=NOW)
    session_reminders_write(now=NOW - dt.timedelta(days=2))
    assert not Notification.objects.filter(kind="session_reminder").exists()


@pytest.mark.django_db
def test_each_organisation_sets_how_long_before_a_session_parents_are_reminded_or_turns_it_off(session):
    from operations.notifications.reminder_settings import reminder_settings_for

    book(session, phone="07700900123", safe_sms=True)
    settings = reminder_settings_for(session.organisation_id)
    settings.turned_off = ["session_reminders"]
    settings.save()
    reminders_scan(today=NOW.date())
    assert not Notification.objects.filter(kind="session_reminder").exists()

    settings.turned_off = []
    settings.session_hours_before = 12  # the session is 24 hours off
    settings.save()
    reminders_scan(today=NOW.date())
    assert not Notification.objects.filter(kind="session_reminder").exists()

    settings.session_hours_before = 48
    settings.save()
    reminders_scan(today=NOW.date())
    assert Notification.objects.filter(kind="session_reminder").count() == 1
