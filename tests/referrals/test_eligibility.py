"""Table-driven tests of the pure eligibility module (no database)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from operations.core.dates import short_date
from operations.core.months import add_months_rolling_forward
from referrals.eligibility import ChildFacts, Facts, Policy, birth_needs_confirming, compute

D = date.fromisoformat
UNTIL_ONE = Policy(end_child_age_months=12)
UNTIL_TWO = Policy(end_child_age_months=24)
UNDER_FIVE = Policy(end_child_age_months=60)
RECEIVED = D("2026-01-05")


def born(day: str, due: str | None = None) -> ChildFacts:
    return ChildFacts(birth_date=D(day), due_date=D(due) if due else None)


def expected(due: str) -> ChildFacts:
    return ChildFacts(due_date=D(due))


def lost(due: str, loss: str, birth: str | None = None) -> ChildFacts:
    return ChildFacts(due_date=D(due), loss_date=D(loss), birth_date=D(birth) if birth else None)


@pytest.mark.parametrize(
    ("start", "months", "result"),
    [
        ("2026-05-03", 12, "2027-05-03"),
        ("2024-02-29", 12, "2025-03-01"),  # s.6: a leap-day child turns 1 on 1 March
        ("2024-02-29", 48, "2028-02-29"),  # ...and on 29 February in a leap year
        ("2024-02-29", 24, "2026-03-01"),
        ("2026-01-31", 1, "2026-03-01"),  # no 31 February: the next day
        ("2026-08-15", 6, "2027-02-15"),
        ("2026-12-10", 1, "2027-01-10"),
    ],
)
def test_add_months(start, months, result):
    assert add_months_rolling_forward(D(start), months) == D(result)


CASES = [
    # id, policy, children, support started, end, estimated, reason contains
    (
        "turns 1 after birth",
        UNTIL_ONE,
        (born("2026-05-03"),),
        None,
        "2027-05-02",
        False,
        "until 2 May 2027, the day before the youngest child turns 1",
    ),
    (
        "turns 1 before birth is estimated",
        UNTIL_ONE,
        (expected("2026-05-03"),),
        None,
        "2027-05-02",
        True,
        "(estimated from the due date)",
    ),
    (
        "turns 2",
        UNTIL_TWO,
        (born("2026-05-03"),),
        None,
        "2028-05-02",
        False,
        "until 2028-05-02, the day before the youngest child turns 2",
    ),
    (
        "turns 5",
        UNDER_FIVE,
        (born("2026-05-03"),),
        None,
        "2031-05-02",
        False,
        "until 2031-05-02, the day before the youngest child turns 5",
    ),
    (
        "born 29 February, common year",
        UNTIL_ONE,
        (born("2024-02-29"),),
        None,
        "2025-02-28",
        False,
        "until 2025-02-28, the day before the youngest child turns 1",
    ),
    (
        "born 29 February, leap year",
        Policy(end_child_age_months=48),
        (born("2024-02-29"),),
        None,
        "2028-02-28",
        False,
        "until 2028-02-28, the day before the youngest child turns 4",
    ),
    ("born 29 February, turns 2", UNTIL_TWO, (born("2024-02-29"),), None, "2026-02-28", False, "until 2026-02-28,"),
    ("due 29 February, estimated", UNTIL_ONE, (expected("2028-02-29"),), None, "2029-02-28", True, "until 2029-02-28,"),
    (
        "born before the due date counts from the birth",
        UNTIL_ONE,
        (born("2026-04-20", due="2026-06-01"),),
        None,
        "2027-04-19",
        False,
        "until 2027-04-19,",
    ),
    (
        "born after the due date counts from the birth",
        UNTIL_ONE,
        (born("2026-06-12", due="2026-06-01"),),
        None,
        "2027-06-11",
        False,
        "until 2027-06-11,",
    ),
    (
        "youngest child: an under-five and an expected baby",
        UNDER_FIVE,
        (born("2022-06-01"), expected("2026-09-01")),
        None,
        "2031-08-31",
        True,
        "until 2031-08-31, the day before the youngest child turns 5",
    ),
    (
        "youngest child: two born",
        UNTIL_TWO,
        (born("2023-01-10"), born("2025-07-04")),
        None,
        "2027-07-03",
        False,
        "until 2027-07-03,",
    ),
    (
        "fixed length from the start of support",
        Policy(end_support_months=6),
        (born("2026-01-01"),),
        D("2026-01-31"),
        "2026-07-30",
        False,
        "for 6 months of support from support started on 31 Jan 2026",
    ),
    (
        "fixed length not started is estimated from the referral",
        Policy(end_support_months=6),
        (born("2025-10-01"),),
        None,
        "2026-07-04",
        True,
        "as support has not started yet",
    ),
    (
        "whichever first: length of support",
        Policy(end_child_age_months=12, end_support_months=6),
        (born("2026-03-01"),),
        D("2026-05-01"),
        "2026-10-31",
        False,
        "whichever comes first",
    ),
    (
        "whichever first: the child's age",
        Policy(end_child_age_months=12, end_support_months=24),
        (born("2026-03-01"),),
        D("2026-05-01"),
        "2027-02-28",
        False,
        "until 2027-02-28, the day before the youngest child turns 1, whichever comes first",
    ),
    (
        "bereavement continuation after a miscarriage",
        UNTIL_ONE,
        (lost("2026-08-01", "2026-03-10"),),
        None,
        "2027-03-09",
        False,
        "12 months of bereavement support after the loss on 10 Mar 2026",
    ),
    (
        "no bereavement continuation: ends at the loss, for review",
        Policy(end_child_age_months=12, bereavement_months=None),
        (lost("2026-08-01", "2026-03-10"),),
        None,
        "2026-03-10",
        False,
        "a coordinator reviews",
    ),
    (
        "bereavement never shortens support for an older child",
        UNDER_FIVE,
        (born("2023-01-01"), lost("2026-09-01", "2026-03-01")),
        None,
        "2027-12-31",
        False,
        "turns 5",
    ),
    (
        "bereavement extends past an older child's end",
        UNTIL_ONE,
        (born("2024-01-10"), lost("2026-05-01", "2026-02-01")),
        None,
        "2027-01-31",
        False,
        "bereavement",
    ),
    (
        "stillbirth with a bereavement policy of 6 months",
        Policy(end_child_age_months=12, bereavement_months=6),
        (lost("2026-04-01", "2026-03-28", birth="2026-03-28"),),
        None,
        "2026-09-27",
        False,
        "6 months",
    ),
]


@pytest.mark.parametrize(
    ("policy", "children", "started", "end", "estimated", "reason"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_end_dates(policy, children, started, end, estimated, reason):
    result = compute(policy, Facts(received_on=RECEIVED, children=children, support_started_on=started))
    assert result.end == D(end)
    assert result.estimated is estimated
    # The cases write dates as ISO for legibility; a reason says them as people read them.
    assert re.sub(r"\d{4}-\d{2}-\d{2}", lambda m: short_date(D(m[0])), reason) in result.reason
    # Whatever the rule, a reason that says "until" names the last day itself:
    # the board shows the reason, other pages the end date, and they agree.
    if "until " in result.reason:
        assert f"until {short_date(result.end)}" in result.reason


@pytest.mark.parametrize(
    ("policy", "child", "start"),
    [
        (
            Policy(start_rule="gestation_week", start_gestation_weeks=32, end_child_age_months=12),
            expected("2026-09-01"),
            "2026-07-07",
        ),
        # Born at 30 weeks, before the starting week: eligible from the birth.
        (
            Policy(start_rule="gestation_week", start_gestation_weeks=32, end_child_age_months=12),
            born("2026-07-01", due="2026-09-01"),
            "2026-07-01",
        ),
        (
            Policy(start_rule="gestation_week", start_gestation_weeks=28, end_child_age_months=3),
            expected("2026-09-01"),
            "2026-06-09",
        ),
        (UNTIL_ONE, expected("2026-09-01"), "2025-11-25"),  # any time in pregnancy
        # A pregnancy lost at 20 weeks, before the 28th: bereavement support from the loss.
        (
            Policy(
                start_rule="gestation_week", start_gestation_weeks=28, end_child_age_months=3, bereavement_months=12
            ),
            lost("2026-09-01", "2026-04-14"),
            "2026-04-14",
        ),
    ],
)
def test_start_dates(policy, child, start):
    assert compute(policy, Facts(received_on=RECEIVED, children=(child,))).start == D(start)


def test_no_pregnancy_or_child_gives_no_end_yet():
    result = compute(UNTIL_ONE, Facts(received_on=RECEIVED))
    assert result.end is None
    assert result.estimated is True
    assert "record a due date" in result.reason


def test_recording_the_birth_turns_an_estimate_into_a_confirmed_date():
    before = compute(UNTIL_ONE, Facts(received_on=RECEIVED, children=(expected("2026-06-01"),)))
    after = compute(UNTIL_ONE, Facts(received_on=RECEIVED, children=(born("2026-06-09", due="2026-06-01"),)))
    assert (before.end, before.estimated) == (D("2027-05-31"), True)
    assert (after.end, after.estimated) == (D("2027-06-08"), False)


@pytest.mark.parametrize(
    ("child", "today", "prompt"),
    [
        (expected("2026-06-01"), "2026-06-15", False),  # exactly two weeks: not yet
        (expected("2026-06-01"), "2026-06-16", True),
        (born("2026-06-10", due="2026-06-01"), "2026-07-01", False),
        (lost("2026-06-01", "2026-03-01"), "2026-07-01", False),
        (expected("2026-09-01"), "2026-07-01", False),
    ],
)
def test_confirm_the_birth_prompt(child, today, prompt):
    assert birth_needs_confirming(child, D(today)) is prompt


def test_a_loss_with_no_other_dates_has_no_start():
    result = compute(UNTIL_ONE, Facts(received_on=RECEIVED, children=(ChildFacts(loss_date=D("2026-03-01")),)))
    assert result.start is None
    assert result.end == D("2027-02-28")
