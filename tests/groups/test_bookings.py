"""The booking service: places, the waiting list by adult places and crèche
staffing, promotion that fits ages, the offer notification, and bad input
that writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.groups import services
from operations.groups.models import Booking, BookingChild, BookingStatus, Format
from operations.groups.services import CrecheChild
from operations.notifications.models import Channel, Notification
from tests.groups.helpers import born, first_session, make_group, parent, rota

pytestmark = pytest.mark.django_db


def book(session, who=None, *, children=(), **kwargs) -> Booking:
    if who is None:
        kwargs.setdefault("attendee_name", "Test Attendee")
        kwargs.setdefault("attendee_consent", True)
    return services.booking_create(
        session_id=session.pk,
        actor=None,
        parent=who,
        children=[CrecheChild(first_name=f"Child{i}", date_of_birth=d) for i, d in enumerate(children)],
        **kwargs,
    )


@pytest.fixture
def creche_session(organisation):
    group = make_group(organisation, creche_adults=rota(organisation), adult_places=10)
    return first_session(group)


def test_a_booking_takes_a_place_with_its_creche_children(organisation, creche_session):
    mum = parent(organisation)
    booking = book(creche_session, mum, children=[born(1), born(3)], transport_needed=False)
    assert booking.status == BookingStatus.BOOKED
    assert sorted(BookingChild.objects.filter(booking=booking).values_list("first_name", flat=True)) == [
        "Child0",
        "Child1",
    ]
    event = AuditEvent.objects.get(object_id=str(booking.pk), object_type="groups.Booking")
    assert mum.first_name not in event.summary


def test_the_eleventh_adult_goes_to_the_waiting_list(organisation, creche_session):
    for _ in range(10):
        assert book(creche_session).status == BookingStatus.BOOKED
    waiting = book(creche_session)
    assert waiting.status == BookingStatus.WAITING
    assert waiting.waiting_since is not None


def test_a_booking_that_would_need_a_third_creche_adult_waits(organisation, creche_session):
    # Two adults take 6 babies.
    for _ in range(3):
        book(creche_session, children=[born(0, 6), born(1)])
    assert book(creche_session, children=[born(0, 9)]).status == BookingStatus.WAITING
    # An adult with no children still has a place.
    assert book(creche_session).status == BookingStatus.BOOKED


def test_cancelling_offers_the_place_to_the_first_waiting_booking(organisation, creche_session):
    holders = [book(creche_session) for _ in range(10)]
    first, second = book(creche_session), book(creche_session)
    promoted = services.booking_cancel(booking=holders[0], actor=None)
    assert [b.pk for b in promoted] == [first.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (BookingStatus.BOOKED, BookingStatus.WAITING)


def test_a_freed_baby_place_goes_to_a_waiting_baby_not_an_older_child_waiting_longer(organisation):
    group = make_group(organisation, creche_adults=rota(organisation), adult_places=10)
    session = first_session(group)
    # Two crèche adults. 5 babies and a three-year-old: 5/3 + 1/8 = 1.79.
    babies = [book(session, children=[born(0, 8)]) for _ in range(5)]
    book(session, children=[born(3, 2)])
    # One more baby would need 2.13 adults: it waits. A three-year-old (1.92) fits.
    waiting_baby = book(session, children=[born(0, 4)])
    assert waiting_baby.status == BookingStatus.WAITING
    fits_now = book(session, children=[born(4)])
    assert fits_now.status == BookingStatus.BOOKED  # the three-year-old skips the baby: it fits
    waiting_three = book(session, children=[born(3, 6)])
    assert waiting_three.status == BookingStatus.WAITING  # 2.04 > 2
    # A baby leaves: 4/3 + 2/8 = 1.58. The waiting baby (first in line) fits: 1.92.
    promoted = services.booking_cancel(booking=babies[0], actor=None)
    assert [b.pk for b in promoted] == [waiting_baby.pk]
    # Then 5/3 + 2/8 = 1.92: the waiting three-year-old (2.04) still waits.
    waiting_three.refresh_from_db()
    assert waiting_three.status == BookingStatus.WAITING


def test_a_freed_older_child_place_skips_a_waiting_baby_for_a_waiting_three_year_old(organisation):
    group = make_group(organisation, creche_adults=rota(organisation), adult_places=10)
    session = first_session(group)
    [book(session, children=[born(0, 8)]) for _ in range(5)]
    olders = [book(session, children=[born(3, 2)]) for _ in range(2)]  # 5/3 + 2/8 = 1.92
    waiting_baby = book(session, children=[born(0, 3)])  # 2.25: waits
    waiting_three = book(session, children=[born(5)])  # 2.04: waits
    assert (waiting_baby.status, waiting_three.status) == (BookingStatus.WAITING, BookingStatus.WAITING)
    # A three-year-old leaves: 5/3 + 1/8 = 1.79. The baby first in line would need 2.13: skipped.
    promoted = services.booking_cancel(booking=olders[0], actor=None)
    assert [b.pk for b in promoted] == [waiting_three.pk]
    waiting_baby.refresh_from_db()
    assert waiting_baby.status == BookingStatus.WAITING


def test_more_room_on_a_session_promotes_the_waiting_list(organisation, creche_session):
    adults = list(creche_session.creche_adults.all())
    [book(creche_session) for _ in range(10)]
    waiting = book(creche_session)
    services.session_update(
        session=creche_session,
        actor=None,
        starts_at=creche_session.starts_at,
        ends_at=creche_session.ends_at,
        adult_places=11,
        creche_on=True,
        creche_adults=adults,
    )
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.BOOKED


def test_the_offer_goes_by_sms_when_safe_with_neutral_wording(organisation, creche_session):
    [book(creche_session) for _ in range(9)]
    holder = book(creche_session)
    mum = parent(
        organisation,
        phone="07700 900123",
        safe_sms=True,
        may_name_service=False,
        contact_safety_recorded_at=timezone.now(),
    )
    waiting = book(creche_session, mum)
    services.booking_cancel(booking=holder, actor=None)
    offer = Notification.objects.get(key=f"booking-offered-{waiting.pk}")
    assert offer.channel == Channel.SMS
    assert offer.recipient_address == "07700 900123"
    assert creche_session.group.name not in offer.body + offer.subject


def test_the_offer_names_the_group_when_the_parent_allows_it(organisation, creche_session):
    [book(creche_session) for _ in range(9)]
    holder = book(creche_session)
    mum = parent(
        organisation,
        email="mum@example.org",
        safe_email=True,
        may_name_service=True,
        contact_safety_recorded_at=timezone.now(),
    )
    waiting = book(creche_session, mum)
    services.booking_cancel(booking=holder, actor=None)
    offer = Notification.objects.get(key=f"booking-offered-{waiting.pk}")
    assert offer.channel == Channel.EMAIL
    assert creche_session.group.name in offer.body


def test_with_no_safe_channel_the_coordinators_are_told_in_the_app(organisation, coordinator, creche_session):
    [book(creche_session) for _ in range(9)]
    holder = book(creche_session)
    mum = parent(organisation, phone="07700 900123")  # nothing recorded as safe
    waiting = book(creche_session, mum)
    services.booking_cancel(booking=holder, actor=None)
    offers = Notification.objects.filter(key__startswith=f"booking-offered-{waiting.pk}")
    assert [(n.channel, n.recipient_user_id) for n in offers] == [(Channel.IN_APP, coordinator.pk)]
    assert mum.first_name not in offers[0].body


def test_a_walk_in_is_attended_at_once_and_refused_when_full(organisation):
    group = make_group(organisation, adult_places=1, start_time=dt.time(18, 0), end_time=dt.time(19, 0), weekday=3)
    session = first_session(group)
    assert session.date == dt.date(2026, 11, 26)
    walk_in = book(session, walk_in=True)
    assert walk_in.status == BookingStatus.ATTENDED
    with pytest.raises(ValidationError) as refused:
        book(session, walk_in=True)
    assert "No adult place" in str(refused.value)
    assert Booking.objects.count() == 1


def bad(session, **kwargs) -> dict:
    before = (Booking.objects.count(), BookingChild.objects.count())
    with pytest.raises(ValidationError) as caught:
        book(session, **kwargs)
    assert (Booking.objects.count(), BookingChild.objects.count()) == before
    return caught.value.message_dict


def test_a_child_born_after_the_session_is_refused(creche_session):
    errors = bad(creche_session, children=[dt.date(2026, 11, 28)])
    assert "after the session date" in errors["children"][0]


def test_a_child_aged_twelve_or_over_is_refused(creche_session):
    errors = bad(creche_session, children=[dt.date(2014, 11, 27)])
    assert "under 12" in errors["children"][0]


def test_a_cancelled_session_takes_no_bookings(creche_session):
    services.session_cancel(session=creche_session, actor=None)
    assert "cancelled" in bad(creche_session)["session"][0]


def test_a_past_session_takes_no_bookings(organisation):
    group = make_group(organisation, weekday=3, start_time=dt.time(9, 0), end_time=dt.time(9, 45))
    session = first_session(group)
    assert session.ends_at < timezone.now()
    assert "already started" in bad(session)["session"][0]


def test_children_need_a_creche(organisation):
    session = first_session(make_group(organisation))
    assert "no crèche" in bad(session, children=[born(1)])["children"][0]


def test_a_new_attendee_needs_a_name_and_consent(creche_session):
    errors = bad(creche_session, attendee_name="", attendee_consent=False)
    assert set(errors) == {"attendee_name", "attendee_consent"}


def test_a_drop_in_session_takes_head_counts_not_bookings(organisation):
    session = first_session(make_group(organisation, format=Format.DROP_IN))
    assert "head counts" in bad(session)["session"][0]


def test_a_parent_is_booked_once_per_session(organisation, creche_session):
    mum = parent(organisation)
    book(creche_session, mum)
    with pytest.raises(ValidationError):
        book(creche_session, mum)
    assert Booking.objects.filter(parent=mum).count() == 1


def test_another_organisations_parent_cannot_be_booked(other_organisation, creche_session):
    stranger = parent(other_organisation)
    with pytest.raises(ValidationError) as caught:
        book(creche_session, stranger)
    assert "parent" in caught.value.message_dict
    assert not Booking.objects.exists()


def test_transport_only_where_offered(organisation):
    session = first_session(make_group(organisation))
    assert "transport" in bad(session, transport_needed=True)["transport_needed"][0]


def test_attendance_is_marked_from_the_day_of_the_session(organisation):
    group = make_group(organisation, weekday=3, start_time=dt.time(18, 0), end_time=dt.time(19, 0))
    today_session = first_session(group)
    booking = book(today_session)
    services.booking_mark_attendance(booking=booking, attended=True, actor=None)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.ATTENDED
    later = group.sessions.order_by("starts_at")[1]
    future = book(later)
    with pytest.raises(ValidationError):
        services.booking_mark_attendance(booking=future, attended=True, actor=None)
    assert Booking.objects.get(pk=future.pk).status == BookingStatus.BOOKED


def test_a_cancelled_booking_cannot_be_cancelled_again(creche_session):
    booking = book(creche_session)
    services.booking_cancel(booking=booking, actor=None)
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, actor=None)


def test_cancelling_a_session_tells_those_booked_and_waiting(organisation, coordinator):
    session = first_session(make_group(organisation, adult_places=1))
    safe = parent(organisation, phone="07700 900124", safe_sms=True, contact_safety_recorded_at=timezone.now())
    unsafe = parent(organisation, phone="07700 900125")
    booked = book(session, safe)
    waiting = book(session, unsafe)
    assert waiting.status == BookingStatus.WAITING
    services.session_cancel(session=session, actor=None)
    sms = Notification.objects.get(key=f"session-cancelled-{session.pk}-booking-{booked.pk}")
    assert (sms.channel, sms.recipient_address, sms.subject) == (Channel.SMS, "07700 900124", "Cancelled")
    in_app = Notification.objects.get(key=f"session-cancelled-{session.pk}-coordinator-{coordinator.pk}")
    assert f"#{waiting.pk}" in in_app.body
    assert unsafe.first_name not in in_app.body


def test_moving_a_session_tells_those_booked_once_per_move(organisation):
    session = first_session(make_group(organisation))
    mum = parent(organisation, email="m@example.org", safe_email=True, contact_safety_recorded_at=timezone.now())
    book(session, mum)

    def move(hours: int) -> None:
        services.session_update(
            session=session,
            actor=None,
            starts_at=session.starts_at + dt.timedelta(hours=hours),
            ends_at=session.ends_at + dt.timedelta(hours=hours),
            adult_places=session.adult_places,
            creche_on=False,
        )

    move(2)
    move(2)  # the same time again: nothing new to say
    move(3)
    assert Notification.objects.filter(kind="session_moved").count() == 2
