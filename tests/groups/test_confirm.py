"""Destructive actions on groups ask first: cancelling a session or a
booking and taking someone off a crèche rota. The GET changes nothing and
says what will happen with the real numbers; the POST does it. A cancelled
booking can be undone for a few minutes, if its place is still free."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.groups import services
from operations.groups.models import Booking, BookingStatus, SessionStatus
from operations.groups.services import CrecheChild
from operations.notifications.models import Notification
from tests.groups.helpers import born, first_session, make_group, parent, rota

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def book(session, who=None, *, children=()):
    return services.booking_create(
        session_id=session.pk,
        actor=None,
        parent=who,
        attendee_name="" if who else "Walk Up",
        attendee_consent=who is None,
        children=[CrecheChild(first_name=f"Child{i}", date_of_birth=d) for i, d in enumerate(children)],
    )


def safe_parent(organisation, phone: str):
    return parent(organisation, phone=phone, safe_sms=True, contact_safety_recorded_at=timezone.now())


@pytest.fixture
def session(organisation):
    return first_session(make_group(organisation, creche_adults=rota(organisation, size=3), adult_places=2))


# --- cancelling a session --------------------------------------------------------


def test_the_session_cancel_page_says_who_will_be_told_and_changes_nothing(coordinator_client, organisation, session):
    book(session, safe_parent(organisation, "07700 900201"))
    book(session, parent(organisation, phone="07700 900202"))  # nothing recorded as safe
    book(session, safe_parent(organisation, "07700 900203"))  # waiting: told too
    url = reverse("groups:session-cancel", args=[session.pk])
    page = coordinator_client.get(url).content.decode()
    assert "2 people booked or waiting will be told on their safe channel." in page
    assert "1 has no safe channel: the coordinators will be asked in the app to tell them." in page
    assert "Yes, cancel the session" in page
    assert f'href="{reverse("groups:session", args=[session.pk])}"' in page  # "Keep it"
    assert "on Fri 27 Nov 2026 at 10:00?" in page  # a date a person reads
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert not Notification.objects.exists()


def test_htmx_gets_the_confirmation_for_the_dialog_without_the_page(coordinator_client, session):
    body = coordinator_client.get(reverse("groups:session-cancel", args=[session.pk]), **HTMX).content.decode()
    assert "<html" not in body
    assert 'id="confirm-question"' in body
    assert "Nobody is booked or waiting, so nobody needs telling." in body


def test_the_session_page_links_to_the_confirmation_and_opens_it_in_the_dialog(coordinator_client, session):
    page = coordinator_client.get(reverse("groups:session", args=[session.pk])).content.decode()
    url = reverse("groups:session-cancel", args=[session.pk])
    assert f'href="{url}" hx-get="{url}" hx-target="#confirm-dialog"' in page
    assert '<dialog id="confirm-dialog"' in page
    assert f'action="{url}"' not in page  # no one-click form any more


def test_posting_the_confirmation_cancels_the_session_and_tells_people(coordinator_client, organisation, session):
    booking = book(session, safe_parent(organisation, "07700 900204"))
    url = reverse("groups:session-cancel", args=[session.pk])
    response = coordinator_client.post(url, {"note": "Venue flooded"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.note) == (SessionStatus.CANCELLED, "Venue flooded")
    assert Notification.objects.filter(key=f"session-cancelled-{session.pk}-booking-{booking.pk}").exists()
    page = coordinator_client.get(reverse("groups:session", args=[session.pk])).content.decode()
    assert "This session is cancelled." in page
    assert "Cancel booking" not in page  # nothing left to cancel
    assert "Room for" not in page  # no crèche room on a cancelled session


def test_a_reason_too_long_comes_back_to_the_confirmation_and_nothing_is_cancelled(coordinator_client, session):
    response = coordinator_client.post(reverse("groups:session-cancel", args=[session.pk]), {"note": "x" * 201})
    assert response.status_code == 400
    assert "Yes, cancel the session" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


# --- cancelling a booking, and undo ------------------------------------------------


def test_the_booking_cancel_page_counts_the_waiting_list_and_changes_nothing(coordinator_client, organisation, session):
    first = book(session, parent(organisation), children=[born(1)])
    book(session)
    book(session)  # waiting
    page = coordinator_client.get(reverse("groups:booking-cancel", args=[first.pk])).content.decode()
    assert "Their place and 1 crèche place will be free." in page
    assert "1 booking is on the waiting list: the first that fits is offered the place" in page
    assert "You can undo this for 2 minutes, unless the place has gone to the waiting list." in page
    first.refresh_from_db()
    assert first.status == BookingStatus.BOOKED


def test_undo_within_two_minutes_restores_the_booking(coordinator_client, session):
    booking = book(session)
    coordinator_client.post(reverse("groups:booking-cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    page = coordinator_client.get(reverse("groups:session", args=[session.pk])).content.decode()
    restore = reverse("groups:booking-restore", args=[booking.pk])
    assert f'action="{restore}"' in page
    assert "Undo" in page
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=100), tick=False):
        coordinator_client.post(restore)
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_at) == (BookingStatus.BOOKED, None)
    assert AuditEvent.objects.filter(summary="Group booking cancellation undone").count() == 1


def test_undo_after_the_window_is_refused_and_nothing_is_written(coordinator_client, session):
    booking = book(session)
    services.booking_cancel(booking=booking, actor=None)
    later = timezone.now() + services.UNDO_WINDOW + dt.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        page = coordinator_client.get(reverse("groups:session", args=[session.pk])).content.decode()
        assert reverse("groups:booking-restore", args=[booking.pk]) not in page  # no longer offered
        response = coordinator_client.post(reverse("groups:booking-restore", args=[booking.pk]), follow=True)
    assert "can be undone for 2 minutes only" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert not AuditEvent.objects.filter(summary="Group booking cancellation undone").exists()


def test_undo_is_refused_when_the_place_has_gone_to_the_waiting_list(session):
    booking = book(session)
    book(session)
    waiting = book(session)
    assert services.booking_cancel(booking=booking, actor=None) == [waiting]
    with pytest.raises(ValidationError, match="The place has gone since: No adult place is left"):
        services.booking_restore(booking=booking, actor=None)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Booking.objects.filter(session=session, status=BookingStatus.BOOKED).count() == 2


def test_undo_of_a_booking_that_is_not_cancelled_is_refused(session):
    booking = book(session)
    with pytest.raises(ValidationError, match="not cancelled"):
        services.booking_restore(booking=booking, actor=None)


# --- taking someone off a crèche rota ---------------------------------------------------


def test_the_rota_page_says_what_the_creche_is_left_with_and_changes_nothing(coordinator_client, organisation, session):
    book(session, children=[born(1), born(1)])
    adult = session.creche_adults.order_by("pk").first()
    url = reverse("groups:rota-remove", args=[session.pk, adult.pk])
    page = coordinator_client.get(url).content.decode()
    assert (
        "The crèche will have 2 adults on the rota, 2 fit to work with children; the 2 children booked need 2 adults."
        in page
    )
    assert session.creche_adults.count() == 3
    coordinator_client.post(url)
    assert list(session.creche_adults.order_by("pk")) == list(session.group.creche_adults.order_by("pk")[1:])


def test_the_last_two_adults_of_a_creche_stay_on_the_rota(coordinator_client, organisation):
    session = first_session(make_group(organisation, creche_adults=rota(organisation), adult_places=2))
    adult = session.creche_adults.order_by("pk").first()
    url = reverse("groups:rota-remove", args=[session.pk, adult.pk])
    assert "A crèche needs at least 2 adults on the rota" in coordinator_client.get(url).content.decode()
    response = coordinator_client.post(url, follow=True)
    assert "A crèche needs at least 2 adults on the rota." in response.content.decode()
    assert session.creche_adults.count() == 2


def test_someone_not_on_the_rota_is_not_found(coordinator_client, coordinator, session):
    assert coordinator_client.get(reverse("groups:rota-remove", args=[session.pk, coordinator.pk])).status_code == 404


def test_undo_is_not_offered_once_the_place_has_gone(coordinator_client, session):
    booking = book(session)
    book(session)
    book(session)  # waiting: it takes the freed place
    coordinator_client.post(reverse("groups:booking-cancel", args=[booking.pk]))
    page = coordinator_client.get(reverse("groups:session", args=[session.pk])).content.decode()
    assert reverse("groups:booking-restore", args=[booking.pk]) not in page
