"""The calendar's queries do not grow with its entries: one query per kind
of entry, plain rows with the names joined in."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.calendar.test_calendar_page import match_for, session_of
from tests.factories import (
    GroupFactory,
    SupervisionSessionFactory,
    VisitFactory,
    VolunteerProfileFactory,
)
from volunteers.matching.models import MatchRole

pytestmark = pytest.mark.django_db

FEBRUARY = {"view": "month", "date": "2028-02-01"}
WEEK = {"view": "week", "date": "2028-02-14"}

# Every page of a signed-in person starts with 1 the session, 2 the user and
# 3 the membership, and ends with the notification bell. Between them, a
# coordinator's month: 4 visits, 5 birth companions' windows, 6 the
# volunteer settings and 7 the active volunteers with their last supervision
# (due dates), 8 supervision sessions with who came, 9 group sessions, and
# the filter's choices: 10 services, 11 groups, 12 volunteers; 13 the bell.
COORDINATOR_MONTH = 13
# A volunteer has no one to choose: no 12.
VOLUNTEER_WEEK = 12


def fill(organisation, service, volunteer, pso, *, people: int) -> None:
    """``people`` volunteers, each with two visits, a birth companion's
    window, a group they run with two sessions and a supervision, all in
    February 2028; the volunteer persona is one of them."""
    for number in range(people):
        profile = (
            VolunteerProfileFactory(organisation=organisation, user=volunteer)
            if number == 0
            else VolunteerProfileFactory(organisation=organisation)
        )
        match = match_for(profile, service=service, preferred_name=f"Family {number}")
        VisitFactory(match=match, planned_for=dt.date(2028, 2, 14), at_time=dt.time(10))
        VisitFactory(match=match, planned_for=dt.date(2028, 2, 15))
        match_for(
            profile,
            service=service,
            preferred_name=f"Birth {number}",
            role=MatchRole.BIRTH_COMPANION,
            due_date=dt.date(2028, 2, 20),
            on_call_from=dt.date(2028, 1, 30),
            on_call_to=dt.date(2028, 3, 5),
        )
        group = GroupFactory(organisation=organisation, name=f"Group {number}", facilitators=[profile.user])
        session_of(group, dt.date(2028, 2, 16))
        session_of(group, dt.date(2028, 2, 23))
        SupervisionSessionFactory(
            organisation=organisation, supervisor=pso, held_on=dt.date(2028, 2, 17), volunteers=[profile]
        )


@pytest.mark.parametrize("people", [1, 8])
def test_a_coordinators_month(
    coordinator_client, organisation, service, volunteer, pso, people, django_assert_num_queries
):
    fill(organisation, service, volunteer, pso, people=people)
    coordinator_client.get("/calendar/", FEBRUARY)  # the session and caches warm
    with django_assert_num_queries(COORDINATOR_MONTH):
        response = coordinator_client.get("/calendar/", FEBRUARY)
    assert response.status_code == 200
    assert response.context["count"] >= people * 30


@pytest.mark.parametrize("people", [1, 8])
def test_a_volunteers_week(volunteer_client, organisation, service, volunteer, pso, people, django_assert_num_queries):
    fill(organisation, service, volunteer, pso, people=people)
    volunteer_client.get("/calendar/", WEEK)
    with django_assert_num_queries(VOLUNTEER_WEEK):
        response = volunteer_client.get("/calendar/", WEEK)
    assert response.status_code == 200
    titles = {entry.title for day in response.context["days"] for entry in day.entries}
    assert "Visit: Family 0" in titles
    assert "Visit: Family 1" not in titles
