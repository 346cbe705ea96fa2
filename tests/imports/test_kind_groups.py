"""The groups kind: groups with their session pattern, through the groups services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from operations.core.models import ServiceKind
from operations.groups.models import Group, GroupSession
from operations.imports.kinds import KINDS
from tests.factories import BookingFactory, ServiceFactory
from tests.groups.helpers import rota
from tests.imports.kind_runs import check, context_for, problems, run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thursday_26_november_2026():
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def groups_service(organisation):
    return ServiceFactory(
        organisation=organisation, name="Peer support groups", kind=ServiceKind.GROUP, end_child_age_months=24
    )


@pytest.fixture
def creche_rota(organisation):
    people = rota(organisation, size=2)
    for number, person in enumerate(people, start=1):
        person.email = f"creche{number}@example.org"
        person.save()
    return people


def row(**overrides) -> dict:
    return {
        "External ID": "G-1",
        "Name": "Bumps and Babies",
        "Service": "Peer support groups",
        "Weekday": "Tuesday",
        "Start time": "10am",
        "Length (minutes)": "90",
        "First date": "01/12/2026",
        "Venue": "Burgh Hall",
        "Council area": "Scottish Borders",
        "Adult places": "10",
    } | overrides


def test_a_group_comes_in_with_its_sessions_for_the_weeks_ahead(organisation, manager, groups_service):
    (applied,) = run("groups", [row()], context_for(organisation, manager))

    group = applied.record
    assert (group.weekday, group.start_time, group.end_time) == (1, dt.time(10), dt.time(11, 30))
    sessions = GroupSession.objects.filter(group=group).order_by("starts_at")
    assert sessions.exists()
    assert timezone.localtime(sessions.first().starts_at).date() == dt.date(2026, 12, 1)
    assert sessions.first().adult_places == 10


def test_a_creche_with_its_rota_by_email(organisation, manager, groups_service, creche_rota):
    (applied,) = run(
        "groups",
        [row(**{"Crèche": "Yes", "Crèche places": "6", "Crèche rota": "creche1@example.org; creche2@example.org"})],
        context_for(organisation, manager),
    )

    assert applied.record.creche_on
    assert set(applied.record.creche_adults.all()) == set(creche_rota)


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"Service": "Knitting"}, "not one of your services"),
        ({"Weekday": "Funday"}, "not one of the choices"),
        ({"Start time": "25:00"}, "not a time of day"),
        ({"Length (minutes)": ""}, "neither the length nor the end time"),
        ({"Crèche": "Yes"}, "at least 2 adults"),
        ({"Format": "Online"}, "joining link"),
        ({"Last date": "01/11/2026"}, "before the first"),
        ({"Facilitators": "V-404"}, "No volunteer found"),
    ],
)
def test_each_refusal_is_a_problem_and_nothing_is_written(organisation, manager, groups_service, overrides, words):
    (checked,) = check("groups", [row(**overrides)], context_for(organisation, manager, dry_run=True))

    assert any(words in text for text in problems(checked)), problems(checked)
    assert not Group.objects.exists()


def test_a_group_name_already_used_or_twice_in_the_file_is_a_problem(organisation, manager, groups_service):
    run("groups", [row()], context_for(organisation, manager))
    (checked,) = check("groups", [row(**{"External ID": "G-9"})], context_for(organisation, manager, dry_run=True))
    assert "already has a group with this name" in problems(checked)[0]

    first, second = check(
        "groups",
        [row(Name="Dads"), row(**{"External ID": "G-2", "Name": "dads"})],
        context_for(organisation, manager, dry_run=True),
    )
    assert first.ok
    assert "also on line 2" in problems(second)[0]


def test_again_unchanged_then_a_new_time_moves_the_sessions(organisation, manager, groups_service):
    context = context_for(organisation, manager)
    run("groups", [row()], context)
    (again,) = run("groups", [row()], context_for(organisation, manager, remembered=context))
    assert again.action == "unchanged"

    (changed,) = run("groups", [row(**{"Start time": "13:30"})], context_for(organisation, manager, remembered=context))

    assert changed.action == "updated"
    first = GroupSession.objects.filter(group=changed.record).order_by("starts_at").first()
    assert timezone.localtime(first.starts_at).time() == dt.time(13, 30)


def test_undo_removes_an_untouched_group_and_a_booked_one_is_kept(organisation, manager, groups_service):
    (applied,) = run("groups", [row()], context_for(organisation, manager))
    kind = KINDS["groups"]
    assert kind.untouched(applied.record, timezone.now())

    BookingFactory(session=GroupSession.objects.filter(group=applied.record).first())
    assert not kind.untouched(applied.record, timezone.now())

    (other,) = run("groups", [row(**{"External ID": "G-2", "Name": "Dads"})], context_for(organisation, manager))
    kind.undo(other.record)
    assert not Group.objects.filter(name="Dads").exists()
    assert not GroupSession.objects.filter(group_id=other.record.pk).exists()
