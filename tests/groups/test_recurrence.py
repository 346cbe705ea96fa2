"""Recurrence rules (pure) and session generation: idempotent, and a single
session can be moved or cancelled without touching the others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from operations.groups import recurrence, services
from operations.groups.models import GroupSession, Recurrence, SessionStatus
from operations.groups.tasks import generate_group_sessions
from tests.groups.conftest import TODAY
from tests.groups.helpers import first_session, make_group, rota


def dates(**kwargs) -> list[dt.date]:
    return list(recurrence.occurrences(**kwargs))


def test_weekly_from_the_first_matching_weekday():
    found = dates(
        rule="weekly",
        weekday=4,
        starts_on=dt.date(2026, 11, 26),
        ends_on=None,
        window_start=dt.date(2026, 11, 26),
        window_end=dt.date(2026, 12, 18),
    )
    assert found == [dt.date(2026, 11, 27), dt.date(2026, 12, 4), dt.date(2026, 12, 11), dt.date(2026, 12, 18)]


def test_fortnightly_keeps_its_rhythm_whatever_the_window():
    kwargs = {"rule": "fortnightly", "weekday": 1, "starts_on": dt.date(2026, 1, 6), "ends_on": None}
    assert dates(**kwargs, window_start=dt.date(2026, 1, 1), window_end=dt.date(2026, 2, 5)) == [
        dt.date(2026, 1, 6),
        dt.date(2026, 1, 20),
        dt.date(2026, 2, 3),
    ]
    # A window opening on an off week skips to the next meeting.
    assert dates(**kwargs, window_start=dt.date(2026, 1, 12), window_end=dt.date(2026, 1, 31)) == [dt.date(2026, 1, 20)]


@pytest.mark.parametrize(
    ("week", "expected"),
    [
        (1, [dt.date(2026, 12, 1), dt.date(2027, 1, 5), dt.date(2027, 2, 2)]),
        (3, [dt.date(2026, 12, 15), dt.date(2027, 1, 19), dt.date(2027, 2, 16)]),
        (recurrence.LAST, [dt.date(2026, 12, 29), dt.date(2027, 1, 26), dt.date(2027, 2, 23)]),
    ],
)
def test_monthly_on_a_weekday(week, expected):
    found = dates(
        rule="monthly",
        weekday=1,
        week_of_month=week,
        starts_on=dt.date(2026, 11, 26),
        ends_on=None,
        window_start=dt.date(2026, 11, 26),
        window_end=dt.date(2027, 2, 28),
    )
    assert found == expected


def test_the_group_end_date_stops_the_run():
    found = dates(
        rule="weekly",
        weekday=4,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 5),
        window_start=dt.date(2026, 11, 26),
        window_end=dt.date(2027, 3, 1),
    )
    assert found == [dt.date(2026, 11, 27), dt.date(2026, 12, 4)]


@pytest.mark.django_db
def test_creating_a_group_generates_twelve_weeks_of_sessions(organisation):
    group = make_group(organisation)
    sessions = list(group.sessions.order_by("starts_at"))
    assert len(sessions) == 12
    assert sessions[0].occurrence == dt.date(2026, 11, 27)
    assert timezone.localtime(sessions[0].starts_at).time() == dt.time(10, 0)
    assert all(s.adult_places == 10 and s.organisation_id == organisation.pk for s in sessions)


@pytest.mark.django_db
def test_generating_again_creates_nothing_twice(organisation):
    group = make_group(organisation)
    assert services.sessions_generate(group=group) == 0
    assert generate_group_sessions() == 0
    assert group.sessions.count() == 12
    # A week later the horizon moves on by one session.
    assert services.sessions_generate(group=group, today=TODAY + dt.timedelta(days=7)) == 1


@pytest.mark.django_db
def test_a_moved_session_stays_moved_and_is_not_duplicated(organisation):
    adults = rota(organisation)
    group = make_group(organisation, creche_adults=adults)
    session = first_session(group)
    moved_start = session.starts_at + dt.timedelta(days=1, hours=3)
    services.session_update(
        session=session,
        actor=None,
        starts_at=moved_start,
        ends_at=moved_start + dt.timedelta(hours=2),
        adult_places=6,
        creche_on=True,
        creche_adults=adults,
        note="Hall booked for a funeral",
    )
    services.sessions_generate(group=group)
    services.group_update(
        group=group,
        actor=None,
        data={"name": group.name, "adult_places": 14, "start_time": dt.time(9, 30), "end_time": dt.time(11, 0)},
        creche_adults=adults,
    )
    session.refresh_from_db()
    assert (session.starts_at, session.adult_places, session.changed) == (moved_start, 6, True)
    others = group.sessions.exclude(pk=session.pk)
    assert others.count() == 11
    assert all(s.adult_places == 14 for s in others)
    assert all(timezone.localtime(s.starts_at).time() == dt.time(9, 30) for s in others)


@pytest.mark.django_db
def test_cancelling_one_session_leaves_the_others(organisation):
    group = make_group(organisation)
    session = first_session(group)
    services.session_cancel(session=session, actor=None, note="Storm")
    services.sessions_generate(group=group)
    assert GroupSession.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    assert group.sessions.filter(status=SessionStatus.SCHEDULED).count() == 11


@pytest.mark.django_db
def test_monthly_group_generates_within_the_horizon(organisation):
    # The last Tuesday of November has passed; 12 weeks ahead ends on 18 February.
    group = make_group(organisation, recurrence=Recurrence.MONTHLY, weekday=1, week_of_month=recurrence.LAST)
    assert [s.occurrence for s in group.sessions.order_by("starts_at")] == [
        dt.date(2026, 12, 29),
        dt.date(2027, 1, 26),
    ]


@pytest.mark.django_db
def test_a_new_weekday_replaces_empty_sessions_and_keeps_booked_ones(organisation):
    group = make_group(organisation)  # Fridays
    booked = first_session(group)
    services.booking_create(session_id=booked.pk, actor=None, attendee_name="A", attendee_consent=True)
    data = {name: getattr(group, name) for name in services.GROUP_FIELDS}
    services.group_update(group=group, actor=None, data={**data, "weekday": 2})  # Wednesdays
    fridays = group.sessions.filter(occurrence__week_day=6)  # Django: Sunday=1 … Friday=6
    assert list(fridays.values_list("pk", flat=True)) == [booked.pk]
    booked.refresh_from_db()
    assert booked.changed
    assert "old schedule" in booked.note
    wednesdays = group.sessions.filter(occurrence__week_day=4)
    assert wednesdays.count() == 12


@pytest.mark.django_db
def test_a_group_that_stops_running_loses_its_empty_future_sessions(organisation):
    group = make_group(organisation)
    data = {name: getattr(group, name) for name in services.GROUP_FIELDS}
    services.group_update(group=group, actor=None, data={**data, "is_active": False})
    assert not group.sessions.exists()
