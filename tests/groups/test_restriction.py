"""A parent whose processing is restricted (UK GDPR Art. 18) cannot be
booked, and gets no reminder or message about sessions already booked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from operations.groups import services
from operations.groups.models import Booking
from operations.notifications.group_messages import session_reminders_write
from operations.notifications.models import Notification
from operations.notifications.scan import reminders_scan
from referrals.services import parent_restrict
from tests.groups.conftest import NOW
from tests.groups.helpers import first_session, make_group, parent


@pytest.fixture
def session(organisation):
    return first_session(make_group(organisation))  # starts 24 hours from the frozen now


@pytest.fixture
def reachable(organisation):
    return parent(organisation, contact_safety_recorded_at=NOW, phone="07700900123", safe_sms=True)


def restrict(someone, manager) -> None:
    parent_restrict(actor=manager, parent=someone, requested_on=NOW.date(), reason="Asked us to stop for now")


@pytest.mark.django_db
def test_a_restricted_parent_cannot_be_booked(session, reachable, manager):
    restrict(reachable, manager)
    with pytest.raises(ValidationError) as refused:
        services.booking_create(session_id=session.pk, actor=manager, parent=reachable)
    assert "restricted at their request" in refused.value.message_dict["parent"][0]
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_no_reminder_and_no_message_about_a_booking_made_before(session, reachable, manager):
    booking = services.booking_create(session_id=session.pk, actor=manager, parent=reachable)
    restrict(reachable, manager)
    reminders_scan(today=NOW.date())
    services.session_cancel(session=session, actor=manager, note="Hall flooded")
    assert not Notification.objects.filter(about_id=str(booking.pk)).exists()
    # Nor is she listed for coordinators to chase by another route.
    assert not Notification.objects.filter(body__contains=f"#{booking.pk}").exists()


@pytest.mark.django_db
def test_once_lifted_she_is_reminded_again(session, reachable, manager):
    from referrals.services import parent_lift_restriction

    booking = services.booking_create(session_id=session.pk, actor=manager, parent=reachable)
    restrict(reachable, manager)
    parent_lift_restriction(actor=manager, parent=reachable, reason="She asked us to carry on")
    session_reminders_write(now=NOW + dt.timedelta(minutes=1))
    assert Notification.objects.filter(kind="session_reminder", about_id=str(booking.pk)).exists()
