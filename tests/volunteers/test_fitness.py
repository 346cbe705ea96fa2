"""Fit to match, next supervision and PVG renewal: pure rules, fixed dates."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from operations.core.months import add_months_clamped
from volunteers.fitness import (
    Reason,
    fitness_reasons,
    invalid_availability_cells,
    next_supervision_due,
    pvg_default_renewal_due,
)

TODAY = dt.date(2026, 11, 26)

FIT = {
    "today": TODAY,
    "status": "active",
    "required_course_ids": {1, 2, 3},
    "valid_course_ids": {1, 2, 3},
    "has_pvg": True,
    "pvg_renewal_due": dt.date(2030, 1, 1),
    "last_supervised_on": TODAY - dt.timedelta(weeks=3),
    "active_since": dt.date(2025, 1, 1),
    "supervision_interval_weeks": 6,
    "supervision_grace_weeks": 2,
    "caseload": 0,
    "max_caseload": 2,
}

# Each failing condition, as the change to a fit person's values.
FAILURES = {
    Reason.STATUS_NOT_ACTIVE: {"status": "paused"},
    Reason.CORE_TRAINING_INCOMPLETE: {"valid_course_ids": {1, 2}},
    Reason.PVG_MISSING: {"has_pvg": False, "pvg_renewal_due": None},
    Reason.PVG_EXPIRED: {"pvg_renewal_due": TODAY - dt.timedelta(days=1)},
    Reason.SUPERVISION_OVERDUE: {"last_supervised_on": TODAY - dt.timedelta(weeks=8, days=1)},
    Reason.CASELOAD_FULL: {"caseload": 2},
}


def codes(**changes) -> list[str]:
    return [reason.code for reason in fitness_reasons(**{**FIT, **changes})]


def test_a_person_with_everything_in_order_is_fit():
    assert codes() == []


@pytest.mark.parametrize("reason", list(FAILURES))
def test_each_reason_alone(reason):
    assert codes(**FAILURES[reason]) == [reason]


# PVG missing and PVG expired cannot both hold; every other combination can.
COMBINABLE = [r for r in FAILURES if r != Reason.PVG_EXPIRED]


@pytest.mark.parametrize(
    "combination",
    [combo for size in (2, 3, 5) for combo in itertools.combinations(COMBINABLE, size)],
)
def test_combinations_list_every_failing_reason(combination):
    changes = {}
    for reason in combination:
        changes.update(FAILURES[reason])
    assert set(codes(**changes)) == set(combination)


def test_expired_pvg_combines_with_the_others():
    changes = {k: v for r, c in FAILURES.items() if r != Reason.PVG_MISSING for k, v in c.items()}
    assert set(codes(**changes)) == set(FAILURES) - {Reason.PVG_MISSING}


@pytest.mark.parametrize(
    ("renewal_due", "expired"),
    [(TODAY, False), (TODAY - dt.timedelta(days=1), True), (None, False)],
)
def test_pvg_is_valid_through_its_renewal_date_and_older_records_without_one_do_not_expire(renewal_due, expired):
    assert (Reason.PVG_EXPIRED in codes(pvg_renewal_due=renewal_due)) is expired


@pytest.mark.parametrize(
    ("weeks_ago", "days_extra", "overdue"),
    [
        (6, 0, False),  # due today
        (8, 0, False),  # last day of the 2-week grace period
        (8, 1, True),  # one day past the grace period
    ],
)
def test_supervision_grace_period(weeks_ago, days_extra, overdue):
    last = TODAY - dt.timedelta(weeks=weeks_ago, days=days_extra)
    assert (Reason.SUPERVISION_OVERDUE in codes(last_supervised_on=last)) is overdue


def test_grace_period_is_a_setting():
    last = TODAY - dt.timedelta(weeks=7)
    assert Reason.SUPERVISION_OVERDUE in codes(last_supervised_on=last, supervision_grace_weeks=0)
    assert Reason.SUPERVISION_OVERDUE not in codes(last_supervised_on=last, supervision_grace_weeks=1)


def test_never_supervised_counts_from_becoming_active():
    assert codes(last_supervised_on=None, active_since=TODAY - dt.timedelta(weeks=7)) == []
    assert codes(last_supervised_on=None, active_since=TODAY - dt.timedelta(weeks=9)) == [Reason.SUPERVISION_OVERDUE]
    assert Reason.SUPERVISION_OVERDUE in codes(last_supervised_on=None, active_since=None)


def test_caseload_full_at_and_above_the_maximum_and_a_zero_maximum_means_no_new_matches():
    assert Reason.CASELOAD_FULL not in codes(caseload=1, max_caseload=2)
    assert Reason.CASELOAD_FULL in codes(caseload=3, max_caseload=2)
    assert Reason.CASELOAD_FULL in codes(caseload=0, max_caseload=0)


def test_next_supervision_follows_the_interval():
    assert next_supervision_due(
        last_supervised_on=dt.date(2026, 10, 1), active_since=None, interval_weeks=6
    ) == dt.date(2026, 11, 12)
    assert next_supervision_due(last_supervised_on=None, active_since=dt.date(2026, 1, 1), interval_weeks=4) == (
        dt.date(2026, 1, 29)
    )
    assert next_supervision_due(last_supervised_on=None, active_since=None, interval_weeks=6) is None


@pytest.mark.parametrize(
    ("issued", "due"),
    [
        (dt.date(2026, 4, 1), dt.date(2031, 4, 1)),
        (dt.date(2028, 2, 29), dt.date(2033, 2, 28)),
        (dt.date(2026, 3, 31), None),  # older records: stored, never guessed
    ],
)
def test_pvg_five_year_renewal_from_april_2026(issued, due):
    assert pvg_default_renewal_due(issued) == due


def test_add_months_clamps_to_the_month_end():
    assert add_months_clamped(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months_clamped(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_availability_outside_the_grid():
    assert invalid_availability_cells(["mon_am", "sun_eve"]) == []
    assert invalid_availability_cells(["mon_am", "mon_night", "funday_am"]) == ["mon_night", "funday_am"]
