"""No overbooking under concurrency: real threads, each with its own
database connection, book the last places at the same moment. The session
row lock in ``booking_create`` lets exactly as many through as fit; the rest
go to the waiting list. PostgreSQL only (SQLite serialises every writer)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from operations.core.models import Role
from operations.groups import services
from operations.groups.models import Booking, BookingStatus
from tests.factories import member
from tests.groups.helpers import first_session, make_group, rota

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 12


def race(work, count: int = THREADS) -> list:
    barrier = threading.Barrier(count)
    results: list = []
    errors: list = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results.append(work(index))
        except Exception as exc:  # noqa: BLE001 - reported below, never swallowed
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def future_group(organisation, **kwargs):
    # Far enough ahead that the real clock never makes it a past session.
    return make_group(organisation, starts_on=timezone.localdate() + dt.timedelta(days=7), **kwargs)


def test_twelve_bookings_for_three_adult_places_never_overbook(organisation):
    session = first_session(future_group(organisation, adult_places=3))

    def book(index: int) -> str:
        booking = services.booking_create(
            session_id=session.pk, actor=None, attendee_name=f"Racer {index}", attendee_consent=True
        )
        return booking.status

    statuses = Counter(race(book))
    assert statuses == {BookingStatus.BOOKED: 3, BookingStatus.WAITING: THREADS - 3}
    assert Booking.objects.filter(session=session, status=BookingStatus.BOOKED).count() == 3


def test_concurrent_babies_never_exceed_the_creche_staffing(organisation):
    # Two rostered adults take 6 babies, whatever the adult places.
    session = first_session(future_group(organisation, adult_places=50, creche_adults=rota(organisation)))
    baby = session.date - dt.timedelta(days=200)

    def book(index: int) -> str:
        booking = services.booking_create(
            session_id=session.pk,
            actor=None,
            attendee_name=f"Racer {index}",
            attendee_consent=True,
            children=[services.CrecheChild(first_name="Baby", date_of_birth=baby)],
        )
        return booking.status

    statuses = Counter(race(book))
    assert statuses == {BookingStatus.BOOKED: 6, BookingStatus.WAITING: THREADS - 6}


def test_two_coordinators_through_the_api_and_a_cancellation_race_keep_the_count(organisation):
    session = first_session(future_group(organisation, adult_places=4))
    coordinators = [
        member(username=f"racing-coordinator-{i}", organisation=organisation, role=Role.COORDINATOR) for i in range(2)
    ]
    holders = [
        services.booking_create(session_id=session.pk, actor=None, attendee_name=f"Holder {i}", attendee_consent=True)
        for i in range(4)
    ]

    def work(index: int) -> int:
        if index < 2:
            # Two cancellations free two places while ten bookings arrive.
            services.booking_cancel(booking=holders[index], actor=None)
            return 0
        client = APIClient()
        client.force_authenticate(coordinators[index % 2])
        response = client.post(
            "/api/v1/bookings/",
            {"session": session.pk, "attendee_name": f"Api {index}", "attendee_consent": True},
            format="json",
        )
        return response.status_code

    codes = race(work)
    assert sorted(codes) == [0, 0] + [201] * (THREADS - 2)
    assert Booking.objects.filter(session=session, status=BookingStatus.BOOKED).count() == 4
    assert Booking.objects.filter(session=session, status=BookingStatus.CANCELLED).count() == 2
