"""API: sessions with places left, bookings (create, cancel, attendance),
scoped by organisation and role; bad input is a 400 that writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from operations.groups import services
from operations.groups.models import Booking, BookingChild, BookingStatus
from tests.groups.helpers import born, first_session, make_group, parent, rota

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def session(organisation):
    return first_session(make_group(organisation, creche_adults=rota(organisation), adult_places=2))


def test_sessions_show_places_left_by_age_band(coordinator, session):
    services.booking_create(
        session_id=session.pk,
        actor=None,
        attendee_name="A",
        attendee_consent=True,
        children=[services.CrecheChild(first_name="B", date_of_birth=born(0, 6))] * 3,
    )
    response = api(coordinator).get(f"/api/v1/group-sessions/?group={session.group_id}")
    assert response.status_code == 200
    row = next(r for r in response.json()["results"] if r["id"] == session.pk)
    assert row["places_left"] == {
        "adults": 1,
        "creche": {"under_2": 3, "two_to_3": 5, "three_plus": 8},
        "waiting": 0,
        "creche_adults_fit": 2,
        "creche_adults_needed": 2,
    }
    assert api(coordinator).get(f"/api/v1/group-sessions/{session.pk}/").json()["places_left"]["adults"] == 1


def test_booking_create_cancel_and_promotion(coordinator, organisation, session):
    client = api(coordinator)
    mum = parent(organisation)
    first = client.post(
        "/api/v1/bookings/",
        {"session": session.pk, "parent": mum.pk, "children": [{"first_name": "Ava", "date_of_birth": str(born(1))}]},
        format="json",
    )
    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "booked"
    client.post("/api/v1/bookings/", {"session": session.pk, "attendee_name": "B", "attendee_consent": True})
    third = client.post("/api/v1/bookings/", {"session": session.pk, "attendee_name": "C", "attendee_consent": True})
    assert third.json()["status"] == "waiting"
    cancelled = client.post(f"/api/v1/bookings/{first.json()['id']}/cancel/")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert Booking.objects.get(pk=third.json()["id"]).status == BookingStatus.BOOKED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"attendee_name": "", "attendee_consent": True}, "attendee_name"),
        ({"attendee_name": "X", "attendee_consent": False}, "attendee_consent"),
        (
            {
                "attendee_name": "X",
                "attendee_consent": True,
                "children": [{"first_name": "Z", "date_of_birth": "2030-01-01"}],
            },
            "children",
        ),
        (
            {
                "attendee_name": "X",
                "attendee_consent": True,
                "children": [{"first_name": "Z", "date_of_birth": "2010-01-01"}],
            },
            "children",
        ),
        (
            {
                "attendee_name": "X",
                "attendee_consent": True,
                "children": [{"first_name": "Z", "date_of_birth": "not a date"}],
            },
            "children",
        ),
    ],
)
def test_bad_bookings_are_a_400_and_write_nothing(coordinator, session, body, field):
    response = api(coordinator).post("/api/v1/bookings/", {"session": session.pk, **body}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Booking.objects.exists()
    assert not BookingChild.objects.exists()


def test_a_cancelled_session_is_a_400(coordinator, session):
    services.session_cancel(session=session, actor=None)
    response = api(coordinator).post(
        "/api/v1/bookings/", {"session": session.pk, "attendee_name": "X", "attendee_consent": True}
    )
    assert response.status_code == 400
    assert "cancelled" in response.json()["session"][0]


def test_another_organisation_gets_404s_and_cannot_book(other_coordinator, session, organisation):
    booking = services.booking_create(session_id=session.pk, actor=None, attendee_name="A", attendee_consent=True)
    client = api(other_coordinator)
    assert client.get(f"/api/v1/groups/{session.group_id}/").status_code == 404
    assert client.get(f"/api/v1/group-sessions/{session.pk}/").status_code == 404
    assert client.get(f"/api/v1/bookings/{booking.pk}/").status_code == 404
    assert client.post(f"/api/v1/bookings/{booking.pk}/cancel/").status_code == 404
    response = client.post("/api/v1/bookings/", {"session": session.pk, "attendee_name": "X", "attendee_consent": True})
    assert response.status_code == 400
    assert Booking.objects.count() == 1
    assert client.get("/api/v1/groups/").json()["results"] == []


def test_a_facilitator_reads_the_register_without_contact_details_and_marks_attendance(volunteer, organisation):
    group = make_group(
        organisation, facilitators=[volunteer], weekday=3, start_time=dt.time(18, 0), end_time=dt.time(19, 0)
    )
    session = first_session(group)
    booking = services.booking_create(
        session_id=session.pk, actor=None, attendee_name="Fiona", attendee_phone="07700900999", attendee_consent=True
    )
    client = api(volunteer)
    row = client.get(f"/api/v1/bookings/{booking.pk}/").json()
    assert row["name"] == "Fiona"
    assert "attendee_phone" not in row
    assert "parent" not in row
    assert client.post(f"/api/v1/bookings/{booking.pk}/attendance/", {"attended": True}).status_code == 200
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.ATTENDED
    assert client.post(f"/api/v1/bookings/{booking.pk}/cancel/").status_code == 403
    assert (
        client.post(
            "/api/v1/bookings/", {"session": session.pk, "attendee_name": "X", "attendee_consent": True}
        ).status_code
        == 403
    )


def test_a_volunteer_who_does_not_facilitate_sees_no_bookings(volunteer_client, volunteer, session):
    services.booking_create(session_id=session.pk, actor=None, attendee_name="A", attendee_consent=True)
    client = api(volunteer)
    assert client.get("/api/v1/bookings/").json()["results"] == []
    assert client.get("/api/v1/group-sessions/").json()["results"] == []


def group_body(service, **overrides) -> dict:
    return {
        "name": "Online Circle",
        "service": service.pk,
        "format": "online",
        "joining_link": "https://meet.example.org/circle",
        "recurrence": "fortnightly",
        "weekday": 1,
        "start_time": "19:30",
        "end_time": "20:30",
        "starts_on": "2026-12-01",
        "adult_places": 10,
        **overrides,
    }


def test_a_coordinator_creates_and_changes_a_group_through_the_api(coordinator, volunteer, service):
    client = api(coordinator)
    response = client.post("/api/v1/groups/", group_body(service, facilitators=[volunteer.pk]), format="json")
    assert response.status_code == 201, response.json()
    group_id = response.json()["id"]
    assert response.json()["facilitators"] == [volunteer.pk]
    sessions = client.get(f"/api/v1/group-sessions/?group={group_id}").json()["results"]
    assert len(sessions) == 6  # fortnightly for 12 weeks
    changed = client.patch(f"/api/v1/groups/{group_id}/", {"adult_places": 12}, format="json")
    assert changed.status_code == 200, changed.json()
    assert {s["adult_places"] for s in client.get(f"/api/v1/group-sessions/?group={group_id}").json()["results"]} == {
        12
    }
    assert changed.json()["facilitators"] == [volunteer.pk]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"joining_link": ""}, "joining_link"),
        ({"end_time": "19:00"}, "end_time"),
        ({"format": "in_person", "creche_on": True}, "creche_adults"),
        ({"weekday": 9}, "weekday"),
    ],
)
def test_bad_groups_are_a_400_and_write_nothing(coordinator, service, overrides, field):
    from operations.groups.models import Group, GroupSession

    response = api(coordinator).post("/api/v1/groups/", group_body(service, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Group.objects.exists()
    assert not GroupSession.objects.exists()


def test_people_and_services_of_another_organisation_are_refused(
    coordinator, other_coordinator, service, other_service
):
    from operations.groups.models import Group

    client = api(coordinator)
    assert client.post("/api/v1/groups/", group_body(other_service), format="json").status_code == 400
    response = client.post("/api/v1/groups/", group_body(service, facilitators=[other_coordinator.pk]), format="json")
    assert response.status_code == 400
    assert "facilitators" in response.json()
    assert not Group.objects.exists()


def test_volunteers_cannot_create_groups_or_cancel_sessions(volunteer, organisation, service):
    group = make_group(organisation, facilitators=[volunteer])
    client = api(volunteer)
    assert client.post("/api/v1/groups/", group_body(service), format="json").status_code == 403
    session = first_session(group)
    assert client.post(f"/api/v1/group-sessions/{session.pk}/cancel/").status_code == 403


def test_a_coordinator_cancels_one_session_through_the_api(coordinator, organisation):
    group = make_group(organisation)
    session = first_session(group)
    response = api(coordinator).post(f"/api/v1/group-sessions/{session.pk}/cancel/", {"note": "Snow"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert group.sessions.filter(status="scheduled").count() == 11
    again = api(coordinator).post(f"/api/v1/group-sessions/{session.pk}/cancel/")
    assert again.status_code == 400
