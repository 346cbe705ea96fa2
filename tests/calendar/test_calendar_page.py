"""The calendar page (/calendar/): each kind of entry on its day in the
month, week and day views; filters; who sees what; bad addresses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from operations.core.models import Role
from tests.factories import (
    GroupFactory,
    GroupSessionFactory,
    MatchFactory,
    ParentFactory,
    ReferralFactory,
    ServiceFactory,
    SupervisionSessionFactory,
    VisitFactory,
    VolunteerProfileFactory,
    member,
)
from volunteers.matching.models import MatchRole, MatchStatus

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2028, 2, 14)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def match_for(profile, *, service, preferred_name="Yas", first_name="Yasmin", **fields):
    parent = ParentFactory(organisation=profile.organisation, first_name=first_name, preferred_name=preferred_name)
    referral = ReferralFactory(organisation=profile.organisation, parent=parent, service=service)
    return MatchFactory(referral=referral, volunteer=profile, **fields)


def session_of(group, day: dt.date, hour: int = 10, **fields):
    return GroupSessionFactory(
        group=group, occurrence=day, starts_at=at(day, hour), ends_at=at(day, hour + 1, 30), **fields
    )


@pytest.fixture
def world(organisation, service, volunteer, pso):
    """The volunteer persona's visit, group session, supervision and a birth
    companion's window, all in February 2028."""
    profile = VolunteerProfileFactory(organisation=organisation, user=volunteer)
    match = match_for(profile, service=service)
    visit = VisitFactory(match=match, planned_for=MONDAY, at_time=dt.time(10, 30), place="Café Nero")
    group_service = ServiceFactory(organisation=organisation, name="Groups", kind="group")
    group = GroupFactory(
        organisation=organisation, service=group_service, name="Bumps and Babies", facilitators=[volunteer]
    )
    session = session_of(group, dt.date(2028, 2, 16), hour=13)
    supervision = SupervisionSessionFactory(
        organisation=organisation, supervisor=pso, held_on=dt.date(2028, 2, 17), volunteers=[profile]
    )
    companion = VolunteerProfileFactory(organisation=organisation)
    birth = match_for(
        companion,
        service=service,
        preferred_name="Kat",
        first_name="Katherine",
        role=MatchRole.BIRTH_COMPANION,
        due_date=dt.date(2028, 2, 20),
        on_call_from=dt.date(2028, 1, 30),
        on_call_to=dt.date(2028, 3, 5),
    )
    return {
        "profile": profile,
        "match": match,
        "visit": visit,
        "group": group,
        "session": session,
        "supervision": supervision,
        "companion": companion,
        "birth": birth,
    }


def day_entries(response, day: dt.date) -> list:
    (found,) = [d for d in response.context["days"] if d.date == day]
    return found.entries


def titles(response, day: dt.date) -> list[str]:
    return [entry.title for entry in day_entries(response, day)]


@pytest.mark.parametrize("view", ["month", "week", "day"])
def test_each_kind_of_entry_is_on_its_day(coordinator_client, world, view):
    def page(day):
        response = coordinator_client.get("/calendar/", {"view": view, "date": day.isoformat()})
        assert response.status_code == 200
        return response

    response = page(MONDAY)
    visit = day_entries(response, MONDAY)
    assert [e.title for e in visit if e.kind == "visit"] == ["Visit: Yas"]
    (entry,) = [e for e in visit if e.kind == "visit"]
    assert entry.starts == dt.time(10, 30)
    assert entry.url == f"/matching/matches/{world['match'].pk}/"
    assert "Café Nero" in entry.detail
    assert "On call: Kat" in titles(response, MONDAY)

    wednesday = dt.date(2028, 2, 16)
    response = page(wednesday)
    (session,) = [e for e in day_entries(response, wednesday) if e.kind == "session"]
    assert (session.title, session.starts, session.ends) == ("Bumps and Babies", dt.time(13), dt.time(14, 30))
    assert session.url == f"/groups/sessions/{world['session'].pk}/"

    thursday = dt.date(2028, 2, 17)
    response = page(thursday)
    (supervision,) = [e for e in day_entries(response, thursday) if e.kind == "supervision"]
    assert supervision.title == f"Supervision: {world['profile'].user}"
    assert supervision.url == f"/volunteers/supervision/{world['supervision'].pk}/"

    sunday = dt.date(2028, 2, 20)
    response = page(sunday)
    assert "Due date: Kat" in titles(response, sunday)
    assert "On call: Kat" not in titles(response, sunday)
    assert response.content.decode().count("Visit: Yas") == (0 if view == "day" else 2)  # the grid and the phone list


def test_the_month_grid_shows_the_neighbouring_days_and_a_list_for_phones(coordinator_client, world):
    response = coordinator_client.get("/calendar/", {"view": "month", "date": "2028-02-01"})
    html = response.content.decode()
    assert "February 2028" in html
    # The grid (wide screens) and the list of days (phones) both carry the visit.
    assert html.count("Visit: Yas") == 2
    assert "Mon 14 Feb 2028" in html
    # 31 Jan is in the grid's first week, with its on-call day.
    assert "On call: Kat" in titles(response, dt.date(2028, 1, 31))


def test_supervision_due_falls_one_interval_after_the_last_session(coordinator_client, world):
    # 17 Feb 2028 + 6 weeks (the default interval).
    response = coordinator_client.get("/calendar/", {"view": "day", "date": "2028-03-30"})
    (due,) = [e for e in day_entries(response, dt.date(2028, 3, 30)) if e.kind == "supervision_due"]
    assert due.title == f"Supervision due: {world['profile'].user}"
    assert due.url == f"/volunteers/{world['profile'].pk}/"


def test_a_cancelled_visit_is_not_shown(coordinator_client, world):
    VisitFactory(match=world["match"], planned_for=dt.date(2028, 2, 15), cancelled=True)
    response = coordinator_client.get("/calendar/", {"view": "week", "date": "2028-02-15"})
    assert [e for e in day_entries(response, dt.date(2028, 2, 15)) if e.kind == "visit"] == []


def test_a_cancelled_session_is_marked(coordinator_client, world):
    world["session"].status = "cancelled"
    world["session"].save()
    response = coordinator_client.get("/calendar/", {"view": "day", "date": "2028-02-16"})
    (session,) = [e for e in day_entries(response, dt.date(2028, 2, 16)) if e.kind == "session"]
    assert session.cancelled
    assert "Cancelled" in response.content.decode()


def test_an_ended_birth_companion_match_has_no_window(coordinator_client, world):
    birth = world["birth"]
    birth.status, birth.ended_on, birth.ending_type = MatchStatus.ENDED, MONDAY, "planned"
    birth.save()
    response = coordinator_client.get("/calendar/", {"view": "week", "date": MONDAY.isoformat()})
    assert not any("Kat" in title for day in response.context["days"] for title in [e.title for e in day.entries])


class TestFilters:
    def test_by_service(self, coordinator_client, organisation, world):
        other = ServiceFactory(organisation=organisation, name="Birth companions")
        elsewhere = match_for(world["companion"], service=other, preferred_name="Mo")
        VisitFactory(match=elsewhere, planned_for=MONDAY)
        response = coordinator_client.get(
            "/calendar/", {"view": "day", "date": MONDAY.isoformat(), "service": world["match"].referral.service_id}
        )
        assert response.status_code == 200
        assert "Visit: Yas" in titles(response, MONDAY)
        assert "Visit: Mo" not in titles(response, MONDAY)
        # Supervision belongs to no service: a service filter leaves it out.
        response = coordinator_client.get(
            "/calendar/", {"view": "day", "date": "2028-02-17", "service": world["match"].referral.service_id}
        )
        assert titles(response, dt.date(2028, 2, 17)) == ["On call: Kat"]

    def test_by_volunteer(self, coordinator_client, world):
        other = match_for(world["companion"], service=world["match"].referral.service, preferred_name="Mo")
        VisitFactory(match=other, planned_for=MONDAY)
        response = coordinator_client.get(
            "/calendar/", {"view": "week", "date": MONDAY.isoformat(), "volunteer": world["profile"].pk}
        )
        week = {e.title for day in response.context["days"] for e in day.entries}
        assert week == {"Visit: Yas", "Bumps and Babies", f"Supervision: {world['profile'].user}"}
        # The filter is carried to the next week and the day views.
        assert f"volunteer={world['profile'].pk}" in response.context["links"]["next"]
        assert f"volunteer={world['profile'].pk}" in response.context["days"][0].url

    def test_by_group(self, coordinator_client, organisation, world):
        other = GroupFactory(organisation=organisation, name="Dads Walk")
        session_of(other, dt.date(2028, 2, 16), hour=9)
        response = coordinator_client.get(
            "/calendar/", {"view": "week", "date": MONDAY.isoformat(), "group": world["group"].pk}
        )
        week = {e.title for day in response.context["days"] for e in day.entries}
        assert week == {"Bumps and Babies"}


class TestWhoSeesWhat:
    def test_a_volunteer_sees_only_their_own(self, volunteer_client, organisation, world, pso):
        # Another volunteer's visit, group and supervision in the same week.
        stranger = VolunteerProfileFactory(organisation=organisation)
        VisitFactory(
            match=match_for(stranger, service=world["match"].referral.service, preferred_name="Mo"), planned_for=MONDAY
        )
        session_of(GroupFactory(organisation=organisation, name="Dads Walk"), dt.date(2028, 2, 16), hour=9)
        SupervisionSessionFactory(organisation=organisation, held_on=dt.date(2028, 2, 17), volunteers=[stranger])
        response = volunteer_client.get("/calendar/", {"view": "week", "date": MONDAY.isoformat()})
        assert response.status_code == 200
        week = {e.title for day in response.context["days"] for e in day.entries}
        assert week == {"Visit: Yas", "Bumps and Babies", f"Supervision with {pso}"}
        html = response.content.decode()
        assert "Visit: Mo" not in html
        assert "Kat" not in html
        assert "Dads Walk" not in html
        # Their session links to its register: the session page is staff's.
        (session,) = day_entries(response, dt.date(2028, 2, 16))
        assert session.url == f"/groups/sessions/{world['session'].pk}/register/"
        # No one else to choose.
        assert "volunteer" not in response.context["form"].fields

    def test_a_volunteer_opens_on_the_week(self, volunteer_client, world):
        response = volunteer_client.get("/calendar/")
        assert response.context["period"].view == "week"

    def test_another_organisation_sees_none_of_it(self, other_coordinator_client, world):
        for view in ("month", "week", "day"):
            response = other_coordinator_client.get("/calendar/", {"view": view, "date": MONDAY.isoformat()})
            assert response.status_code == 200
            assert all(not day.entries for day in response.context["days"])
            assert "Yas" not in response.content.decode()

    def test_another_organisations_volunteer_is_a_field_error(self, coordinator_client, other_organisation, world):
        theirs = VolunteerProfileFactory(organisation=other_organisation)
        response = coordinator_client.get(
            "/calendar/", {"view": "week", "date": MONDAY.isoformat(), "volunteer": theirs.pk}
        )
        assert response.status_code == 400
        assert "That person is not one you can see" in response.content.decode()
        # The rest of the address still applies: that week, everyone's.
        assert "Visit: Yas" in titles(response, MONDAY)

    def test_a_pso_sees_the_supervision_they_gave_and_their_supervisees_due_dates(self, world, pso, client):
        from tests.factories import SupervisorPairingFactory

        SupervisorPairingFactory(volunteer=world["profile"], supervisor=pso)
        client.force_login(pso)
        response = client.get("/calendar/", {"view": "month", "date": "2028-02-01"})
        assert f"Supervision: {world['profile'].user}" in titles(response, dt.date(2028, 2, 17))
        response = client.get("/calendar/", {"view": "day", "date": "2028-03-30"})
        assert f"Supervision due: {world['profile'].user}" in titles(response, dt.date(2028, 3, 30))
        # Not her family: the visit is not hers to see.
        assert "Yas" not in client.get("/calendar/", {"view": "day", "date": MONDAY.isoformat()}).content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"month": "13"}, "The month in that address could not be read"),
        ({"month": "2028-13"}, "The month in that address could not be read"),
        ({"date": "garbage"}, "Enter a date like 14/02/2028"),
        ({"date": "2028-02-30"}, "Enter a date like 14/02/2028"),
        ({"view": "fortnight"}, "Choose a month, week or day view."),
        ({"date": "0001-01-01", "view": "month"}, "The calendar runs from 1900 to 2200"),
        ({"date": "9999-12-31", "view": "day"}, "The calendar runs from 1900 to 2200"),
        ({"service": "abc"}, "That service is not one of yours"),
        ({"group": "99999999"}, "That group is not one you can see"),
        ({"volunteer": "99999999999999999999999"}, "That person is not one you can see"),
        ({"service": "-1"}, "That service is not one of yours"),
    ],
)
def test_a_bad_address_shows_the_current_period_with_a_message(coordinator_client, query, message):
    response = coordinator_client.get("/calendar/", query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["period"].anchor == timezone.localdate()


def test_a_month_address_opens_that_month(coordinator_client, world):
    response = coordinator_client.get("/calendar/", {"month": "2028-02"})
    assert response.status_code == 200
    assert response.context["period"].view == "month"
    assert "Visit: Yas" in titles(response, MONDAY)


def test_the_calendar_link_is_in_every_members_navigation(client, organisation):
    for role in (Role.VOLUNTEER, Role.PSO, Role.COORDINATOR, Role.MANAGER):
        client.force_login(member(username=f"nav-{role}", organisation=organisation, role=role))
        assert 'href="/calendar/">Calendar</a>' in client.get("/").content.decode()


def test_signed_out_is_sent_to_sign_in(client):
    response = client.get("/calendar/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["coordinator_client", "volunteer_client"])
def test_every_entry_opens_its_record(request, persona, world, pso):
    from tests.factories import SupervisorPairingFactory

    SupervisorPairingFactory(volunteer=world["profile"], supervisor=pso)
    client = request.getfixturevalue(persona)
    urls = set()
    for anchor in ("2028-02-01", "2028-03-01"):
        response = client.get("/calendar/", {"view": "month", "date": anchor})
        urls |= {entry.url for day in response.context["days"] for entry in day.entries}
    # The visit's and the on-call window's match, the session, the supervision, the due date's profile.
    assert len(urls) == (5 if persona == "coordinator_client" else 4)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_an_overdue_supervision_says_so(coordinator_client, organisation):
    profile = VolunteerProfileFactory(organisation=organisation)
    SupervisionSessionFactory(organisation=organisation, held_on=dt.date(2020, 1, 2), volunteers=[profile])
    response = coordinator_client.get("/calendar/", {"view": "day", "date": "2020-02-13"})
    assert titles(response, dt.date(2020, 2, 13)) == [f"Supervision overdue: {profile.user}"]


def test_an_empty_period_says_so(coordinator_client, world):
    response = coordinator_client.get("/calendar/", {"view": "month", "date": "2031-05-01"})
    assert "Nothing planned this month." in response.content.decode()
    response = coordinator_client.get(
        "/calendar/",
        {
            "view": "week",
            "date": "2028-02-14",
            "group": world["group"].pk,
            "service": world["match"].referral.service_id,
        },
    )
    assert "Nothing planned this week with these filters." in response.content.decode()


def test_switching_view_from_the_month_of_today_opens_today(coordinator_client):
    today = timezone.localdate()
    response = coordinator_client.get("/calendar/", {"view": "month", "date": today.replace(day=1).isoformat()})
    views = dict(response.context["links"]["views"])
    assert f"date={today.isoformat()}" in views["day"]
