"""Pages: who may see and do what, forms that refuse bad input and write
nothing, the phone register (htmx) and its query count at two sizes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from operations.core.models import Role, ServiceKind
from operations.groups import services
from operations.groups.models import Booking, BookingStatus, Format, Group, GroupSession, HeadCount
from tests.factories import ServiceFactory
from tests.groups.helpers import born, first_session, make_group, parent, rota
from tests.home.queries import HOME_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_service(organisation):
    return ServiceFactory(organisation=organisation, name="Groups", kind=ServiceKind.GROUP, end_child_age_months=24)


def group_form(service, **overrides) -> dict:
    return {
        "name": "Talk it Over",
        "service": service.pk,
        "audience": "mothers",
        "format": "in_person",
        "stage": "postnatal",
        "recurrence": "weekly",
        "weekday": 2,
        "week_of_month": 1,
        "start_time": "10:00",
        "end_time": "12:00",
        "starts_on": "2026-12-01",
        "adult_places": 12,
        "is_active": "on",
        **overrides,
    }


def test_a_coordinator_sets_up_a_group_with_its_sessions(coordinator_client, group_service, organisation):
    adults = rota(organisation)
    response = coordinator_client.post(
        "/groups/new/",
        group_form(group_service, end_time="12:30", creche_on="on", creche_adults=[u.pk for u in adults]),
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Talk it Over")
    assert group.sessions.count() == 12  # Wednesdays from 2 December to 17 February
    assert all(s.creche_on and s.creche_adult_count == 2 for s in group.sessions.all())
    page = coordinator_client.get(f"/groups/{group.pk}/")
    assert b"Talk it Over" in page.content
    # Over 2 hours a day, weekly, no registration number: flagged.
    assert b"Care Inspectorate" in page.content
    organisation.care_inspectorate_number = "CS2026000001"
    organisation.save()
    assert b"Care Inspectorate" not in coordinator_client.get(f"/groups/{group.pk}/").content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "09:00"}, "end_time", "must end after it starts"),
        ({"format": "online"}, "joining_link", "needs a joining link"),
        ({"creche_on": "on"}, "creche_adults", "at least 2 adults"),
        ({"ends_on": "2026-11-01"}, "ends_on", "before the first"),
    ],
)
def test_bad_group_input_is_refused_and_nothing_is_saved(coordinator_client, group_service, overrides, field, message):
    response = coordinator_client.post("/groups/new/", group_form(group_service, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Group.objects.exists()
    assert not GroupSession.objects.exists()


def test_a_session_ending_before_it_starts_is_refused(coordinator_client, organisation):
    session = first_session(make_group(organisation))
    response = coordinator_client.post(
        f"/groups/sessions/{session.pk}/edit/",
        {"starts_at": "2026-11-27T10:00", "ends_at": "2026-11-27T09:00", "adult_places": 5},
    )
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    session.refresh_from_db()
    assert (session.adult_places, session.changed) == (10, False)


def test_a_coordinator_books_with_creche_children_through_the_page(coordinator_client, organisation):
    session = first_session(make_group(organisation, creche_adults=rota(organisation)))
    mum = parent(organisation)
    data = {
        "parent": mum.pk,
        "children-TOTAL_FORMS": 3,
        "children-INITIAL_FORMS": 0,
        "children-0-first_name": "Isla",
        "children-0-date_of_birth": born(1).isoformat(),
    }
    response = coordinator_client.post(f"/groups/sessions/{session.pk}/book/", data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.parent_id, booking.status, booking.children.get().first_name) == (mum.pk, "booked", "Isla")


def test_a_future_date_of_birth_is_refused_on_the_booking_page(coordinator_client, organisation):
    session = first_session(make_group(organisation, creche_adults=rota(organisation)))
    data = {
        "attendee_name": "New Mum",
        "attendee_consent": "on",
        "children-TOTAL_FORMS": 3,
        "children-INITIAL_FORMS": 0,
        "children-0-first_name": "Isla",
        "children-0-date_of_birth": "2027-01-01",
    }
    response = coordinator_client.post(f"/groups/sessions/{session.pk}/book/", data)
    assert response.status_code == 200
    assert "after the session date" in str(response.context["formset"].errors)
    assert not Booking.objects.exists()


def test_children_the_booking_service_refuses_are_shown_above_their_rows(coordinator_client, organisation):
    # Children posted for a session without a crèche pass the form; the
    # service refuses them, the page says why and nothing is written.
    session = first_session(make_group(organisation))
    data = {
        "attendee_name": "New Mum",
        "attendee_consent": "on",
        "children-TOTAL_FORMS": 3,
        "children-INITIAL_FORMS": 0,
        "children-0-first_name": "Isla",
        "children-0-date_of_birth": born(1).isoformat(),
    }
    response = coordinator_client.post(f"/groups/sessions/{session.pk}/book/", data)
    assert response.status_code == 200
    assert response.context["children_errors"] == ["This session has no crèche."]
    assert not Booking.objects.exists()


def test_volunteers_cannot_run_groups_and_see_only_groups_they_facilitate(volunteer_client, volunteer, organisation):
    mine = make_group(organisation, facilitators=[volunteer])
    other = make_group(organisation)
    listing = volunteer_client.get("/groups/")
    assert mine.name.encode() in listing.content
    assert other.name.encode() not in listing.content
    assert volunteer_client.get(f"/groups/{other.pk}/").status_code == 404
    assert volunteer_client.get(f"/groups/sessions/{first_session(other).pk}/register/").status_code == 404
    assert volunteer_client.get("/groups/new/").status_code == 403
    assert volunteer_client.get(f"/groups/sessions/{first_session(mine).pk}/").status_code == 403
    assert volunteer_client.get(f"/groups/sessions/{first_session(mine).pk}/register/").status_code == 200


def test_another_organisation_sees_nothing(other_coordinator_client, organisation):
    group = make_group(organisation)
    session = first_session(group)
    booking = services.booking_create(session_id=session.pk, actor=None, attendee_name="A", attendee_consent=True)
    for url in (
        f"/groups/{group.pk}/",
        f"/groups/{group.pk}/calendar.ics",
        f"/groups/sessions/{session.pk}/",
        f"/groups/sessions/{session.pk}/register/",
    ):
        assert other_coordinator_client.get(url).status_code == 404, url
    assert other_coordinator_client.post(f"/groups/bookings/{booking.pk}/cancel/").status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED
    assert group.name.encode() not in other_coordinator_client.get("/groups/").content


def today_group(organisation, **kwargs):
    return make_group(organisation, weekday=3, start_time=dt.time(18, 0), end_time=dt.time(19, 30), **kwargs)


def test_a_facilitator_ticks_attendance_with_htmx(volunteer_client, volunteer, organisation):
    session = first_session(today_group(organisation, facilitators=[volunteer], creche_adults=rota(organisation)))
    booking = services.booking_create(
        session_id=session.pk,
        actor=None,
        attendee_name="Fiona",
        attendee_consent=True,
        children=[services.CrecheChild(first_name="Rory", date_of_birth=born(2))],
    )
    response = volunteer_client.post(
        f"/groups/bookings/{booking.pk}/attendance/", {"attended": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="booking-{booking.pk}"'.encode() in response.content
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.ATTENDED
    child = booking.children.get()
    volunteer_client.post(f"/groups/creche-children/{child.pk}/present/", {"present": "1"}, HTTP_HX_REQUEST="true")
    child.refresh_from_db()
    assert child.present


def test_a_facilitator_cannot_cancel_bookings(volunteer_client, volunteer, organisation):
    session = first_session(make_group(organisation, facilitators=[volunteer]))
    booking = services.booking_create(session_id=session.pk, actor=None, attendee_name="A", attendee_consent=True)
    assert volunteer_client.post(f"/groups/bookings/{booking.pk}/cancel/").status_code == 403
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


def test_a_walk_in_needs_consent(coordinator_client, organisation):
    session = first_session(today_group(organisation))
    response = coordinator_client.post(f"/groups/sessions/{session.pk}/register/walk-in/", {"attendee_name": "Kim"})
    assert response.status_code == 400
    assert b'id="walk-in-consent-error"' in response.content
    assert b'value="Kim"' in response.content
    assert not Booking.objects.exists()
    response = coordinator_client.post(
        f"/groups/sessions/{session.pk}/register/walk-in/", {"attendee_name": "Kim", "attendee_consent": "on"}
    )
    assert response.status_code == 302
    assert Booking.objects.get().status == BookingStatus.ATTENDED


def test_a_drop_in_head_count(volunteer_client, volunteer, organisation):
    session = first_session(today_group(organisation, format=Format.DROP_IN, facilitators=[volunteer]))
    counts = {"mothers": 6, "fathers": 2, "other_carers": 1, "children": 7, "needed_interpreter": 10}
    response = volunteer_client.post(f"/groups/sessions/{session.pk}/register/head-count/", counts)
    assert response.status_code == 400
    assert not HeadCount.objects.exists()
    counts["needed_interpreter"] = 2
    assert volunteer_client.post(f"/groups/sessions/{session.pk}/register/head-count/", counts).status_code == 302
    assert HeadCount.objects.get(session=session).adults == 9


def fill(session, organisation, count: int) -> None:
    for index in range(count):
        services.booking_create(
            session_id=session.pk,
            actor=None,
            parent=parent(organisation) if index % 2 else None,
            attendee_name=f"Attendee {index}",
            attendee_consent=True,
            children=[services.CrecheChild(first_name=f"C{index}", date_of_birth=born(index % 4, 3))]
            if index < 4
            else [],
        )


def repeat_view(client, url: str, django_assert_num_queries, expected: int) -> None:
    client.get(url)  # warm-up: the first view fills per-process caches
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("who", ["coordinator", "volunteer"])
def test_the_register_query_count_does_not_grow_with_bookings(
    request, organisation, volunteer, who, django_assert_num_queries
):
    client = request.getfixturevalue(f"{who}_client")
    session = first_session(
        today_group(organisation, facilitators=[volunteer], creche_adults=rota(organisation, 3), adult_places=60)
    )
    url = f"/groups/sessions/{session.pk}/register/"
    for bookings in (3, 30):
        fill(session, organisation, bookings)
        # 1 session, 2 user, 3 membership, 4 the session with its group,
        # 5 its bookings, 6 their crèche children, 7 the bell.
        repeat_view(client, url, django_assert_num_queries, 7)


#: The queries of a repeat view of each page, the same at every size.
LIST_QUERIES = {
    # 1 session, 2 user, 3 membership, 4 the groups, 5 group settings (the
    # crèche ratios), 6 the bell.
    "/groups/": 6,
    "/": HOME_QUERIES[Role.COORDINATOR],
    # 1 session, 2 user, 3 membership, 4 count (the pager), 5 the page of
    # sessions; for places and crèche room: 6 booking counts, 7 crèche
    # children's ages, 8 the rotas, 9 courses, 10 the rota's profiles with
    # PVG, 11 their training, 12 group settings.
    "/api/v1/group-sessions/": 12,
    # 1 session, 2 user, 3 membership, 4 count (the pager), 5 the page of
    # bookings, 6 their crèche children.
    "/api/v1/bookings/": 6,
}


@pytest.mark.parametrize("url", LIST_QUERIES)
def test_lists_and_home_query_counts_are_flat(coordinator_client, organisation, url, django_assert_num_queries):
    group = make_group(organisation, creche_adults=rota(organisation))
    fill(first_session(group), organisation, 2)
    repeat_view(coordinator_client, url, django_assert_num_queries, LIST_QUERIES[url])
    for _ in range(3):
        fill(first_session(make_group(organisation, creche_adults=rota(organisation))), organisation, 6)
    repeat_view(coordinator_client, url, django_assert_num_queries, LIST_QUERIES[url])


def test_the_creche_room_left_reads_as_alternatives_sharing_the_same_staff(coordinator_client, organisation):
    session = first_session(make_group(organisation, creche_adults=rota(organisation)))
    page = " ".join(coordinator_client.get(f"/groups/sessions/{session.pk}/").content.decode().split())
    assert "Room for " in page
    assert "more babies under 2, or " in page
    assert "two-year-olds, or " in page
    assert "(each uses the same staff)" in page
    group_page = " ".join(coordinator_client.get(f"/groups/{session.group_id}/").content.decode().split())
    assert "Crèche room left" in group_page
    assert "(each uses the same staff)" in group_page


def test_session_page_query_count_is_flat(coordinator_client, organisation, django_assert_num_queries):
    session = first_session(make_group(organisation, creche_adults=rota(organisation), adult_places=60))
    url = f"/groups/sessions/{session.pk}/"
    for bookings in (3, 25):
        fill(session, organisation, bookings)
        # 1 session, 2 user, 3 membership, 4 the session with its group,
        # 5 its bookings, 6 their crèche children; for places and crèche room:
        # 7 booking counts, 8 crèche children's ages, 9 the rota, 10 courses,
        # 11 the rota's profiles with PVG, 12 their training, 13 group
        # settings; 14 the rota's names, 15 the bell.
        repeat_view(coordinator_client, url, django_assert_num_queries, 15)


def test_each_role_home_page_shows_the_groups_panel(
    organisation, coordinator_client, manager_client, pso_client, volunteer_client, volunteer
):
    make_group(organisation, facilitators=[volunteer])
    assert b"Group sessions this week" in coordinator_client.get("/").content
    assert b"Group sessions this week" in manager_client.get("/").content
    assert b"Groups you help at" in volunteer_client.get("/").content
    assert b"Groups you help at" in pso_client.get("/").content


def test_the_own_panel_lists_the_next_five_sessions_escaped(volunteer_client, volunteer, organisation):
    group = make_group(organisation, facilitators=[volunteer], name="<b>Dads</b> & co")
    upcoming = list(GroupSession.objects.filter(group=group, ends_at__gte=timezone.now()).order_by("starts_at"))
    GroupSession.objects.filter(pk=upcoming[0].pk).update(status="cancelled")
    html = volunteer_client.get("/").content.decode()
    panel = html.split('id="groups-own-heading"')[1].split("</section>")[0]
    assert panel.count("&lt;b&gt;Dads&lt;/b&gt; &amp; co") == min(5, len(upcoming))
    assert "<b>Dads" not in html
    first = date_format(timezone.localtime(upcoming[0].starts_at), "D j M Y, H:i")
    assert f'/groups/sessions/{upcoming[0].pk}/register/">&lt;b&gt;Dads&lt;/b&gt; &amp; co</a> · {first}' in panel
    assert panel.count("Cancelled") == 1


def test_the_register_row_says_why_attendance_cannot_be_marked_yet(coordinator_client, organisation):
    session = first_session(make_group(organisation))  # tomorrow
    booking = services.booking_create(session_id=session.pk, actor=None, attendee_name="A", attendee_consent=True)
    response = coordinator_client.post(
        f"/groups/bookings/{booking.pk}/attendance/", {"attended": "1"}, HTTP_HX_REQUEST="true"
    )
    assert b"from the day of the session" in response.content
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


def test_a_walk_in_with_a_child_for_the_creche(coordinator_client, organisation):
    session = first_session(today_group(organisation, creche_adults=rota(organisation)))
    url = f"/groups/sessions/{session.pk}/register/walk-in/"
    bad = {
        "attendee_name": "Kim",
        "attendee_consent": "on",
        "child_first_name": "Ali",
        "child_date_of_birth": "2027-01-01",
    }
    response = coordinator_client.post(url, bad)
    assert response.status_code == 400
    assert b"after the session date" in response.content
    assert not Booking.objects.exists()
    good = {**bad, "child_date_of_birth": "2025-06-01"}
    assert coordinator_client.post(url, good).status_code == 302
    child = Booking.objects.get().children.get()
    assert (child.first_name, child.present) == ("Ali", True)


def test_the_group_edit_page_keeps_the_first_date(coordinator_client, organisation):
    # A date input takes only ISO dates: in the site's format it showed empty and saving failed.
    group = make_group(organisation)
    page = coordinator_client.get(f"/groups/{group.pk}/edit/").content.decode()
    assert 'name="starts_on" value="2026-11-01"' in page
