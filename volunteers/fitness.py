"""Pure rules for volunteers and PSOs: the availability grid, PVG renewal,
next-supervision dates and "fit to match". No database here: callers pass
plain values, so each rule is tested table-driven with fixed dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from operations.core.dates import short_date
from operations.core.months import add_months_clamped

WEEKDAYS = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
]
PARTS_OF_DAY = [("am", "Morning"), ("pm", "Afternoon"), ("eve", "Evening")]
#: Every valid availability cell, e.g. "mon_am".
AVAILABILITY_CELLS = [f"{day}_{part}" for day, _ in WEEKDAYS for part, _ in PARTS_OF_DAY]
AVAILABILITY_CHOICES = [
    (f"{day}_{part}", f"{day_label} {part_label.lower()}")
    for day, day_label in WEEKDAYS
    for part, part_label in PARTS_OF_DAY
]

#: A volunteer may pause herself for at most this long: a longer break is a
#: change of status (paused, or left) that her coordinator makes with her,
#: so that nobody drops out of matching for years by a mistyped year.
LONGEST_BREAK_DAYS = 365

#: A PVG or training expiring within this many months is "due soon" (the
#: compliance report's horizon, and what a volunteer is told on her page).
RENEW_SOON_MONTHS = 3

#: PVG membership lasts five years for members joining on or after this date.
PVG_FIVE_YEAR_RULE_FROM = dt.date(2026, 4, 1)
PVG_MEMBERSHIP_YEARS = 5


def invalid_availability_cells(cells: Iterable[str]) -> list[str]:
    """The cells that are not on the weekday × part-of-day grid."""
    valid = set(AVAILABILITY_CELLS)
    return [cell for cell in cells if cell not in valid]


def availability_grid(cells: Iterable[str]) -> list[tuple[str, list[tuple[str, bool]]]]:
    """The week as a profile shows it: one row per weekday, each with
    (part of day, available) for morning, afternoon and evening, so nobody
    has to read codes such as "sat_am". Unknown cells are ignored."""
    chosen = set(cells)
    return [
        (day_label, [(part_label, f"{day}_{part}" in chosen) for part, part_label in PARTS_OF_DAY])
        for day, day_label in WEEKDAYS
    ]


def pvg_default_renewal_due(issued_on: dt.date) -> dt.date | None:
    """Five years for memberships from 1 April 2026; older records have no
    rule to guess from, so their renewal date must be entered."""
    if issued_on >= PVG_FIVE_YEAR_RULE_FROM:
        return add_months_clamped(issued_on, 12 * PVG_MEMBERSHIP_YEARS)
    return None


def training_counts_on(today: dt.date, completed_on: dt.date, expires_on: dt.date | None) -> bool:
    """A training record counts towards fitness from its completion until its
    expiry date (inclusive), or for good when it does not expire."""
    return completed_on <= today and (expires_on is None or expires_on >= today)


def next_supervision_due(
    *, last_supervised_on: dt.date | None, active_since: dt.date | None, interval_weeks: int
) -> dt.date | None:
    """The last session (one-to-one or group) plus the interval; a volunteer
    never supervised is due one interval after becoming active."""
    base = last_supervised_on or active_since
    if base is None:
        return None
    return base + dt.timedelta(weeks=interval_weeks)


def on_break(*, today: dt.date, unavailable_until: dt.date | None) -> bool:
    """A volunteer who paused herself "until 3 Mar" is out of matching on
    every day before 3 Mar and back in on 3 Mar itself: the date she gives
    is the day she is back, said so on her page."""
    return unavailable_until is not None and today < unavailable_until


def break_refusal(*, today: dt.date, until: dt.date) -> str:
    """Why a break "until ``until``" cannot be taken ("" when it can): the
    day she is back must be after today and at most a year ahead."""
    if until <= today:
        return "Choose the day you will be back: a day after today."
    latest = today + dt.timedelta(days=LONGEST_BREAK_DAYS)
    if until > latest:
        return (
            f"A break can last a year at most (back by {short_date(latest)}). "
            "For a longer break, ask your coordinator to change your status."
        )
    return ""


def expiry_words(expires_on: dt.date | None, *, today: dt.date, verb: str = "expires") -> str:
    """A check's expiry in words: "expires 3 Mar 2027" (or ``verb`` such as
    "renewal due"), with ", renew soon" within ``RENEW_SOON_MONTHS``;
    "expired on 3 Mar 2026"; "does not expire". A check is valid up to and
    including its date."""
    if expires_on is None:
        return "does not expire"
    if expires_on < today:
        return f"expired on {short_date(expires_on)}"
    if expires_on <= add_months_clamped(today, RENEW_SOON_MONTHS):
        return f"{verb} {short_date(expires_on)}, renew soon"
    return f"{verb} {short_date(expires_on)}"


class Reason:
    ON_BREAK = "on_break"
    STATUS_NOT_ACTIVE = "status_not_active"
    CORE_TRAINING_INCOMPLETE = "core_training_incomplete"
    PVG_MISSING = "pvg_missing"
    PVG_EXPIRED = "pvg_expired"
    SUPERVISION_OVERDUE = "supervision_overdue"
    CASELOAD_FULL = "caseload_full"
    PVG_NOT_FOR_CHILDREN = "pvg_not_for_children"
    NO_VOLUNTEER_RECORD = "no_volunteer_record"


REASON_LABELS = {
    Reason.STATUS_NOT_ACTIVE: "Status is not active",
    Reason.CORE_TRAINING_INCOMPLETE: "Core training incomplete",
    Reason.PVG_MISSING: "PVG record missing",
    Reason.PVG_EXPIRED: "PVG expired",
    Reason.SUPERVISION_OVERDUE: "Supervision overdue",
    Reason.CASELOAD_FULL: "Caseload full",
    Reason.PVG_NOT_FOR_CHILDREN: "PVG does not cover work with children",
    Reason.NO_VOLUNTEER_RECORD: "No volunteer record",
    Reason.ON_BREAK: "On a break",
}


@dataclass(frozen=True)
class FitnessReason:
    code: str
    message: str


def fitness_reasons(
    *,
    today: dt.date,
    status: str,
    required_course_ids: Iterable[int],
    valid_course_ids: Iterable[int],
    has_pvg: bool,
    pvg_renewal_due: dt.date | None,
    last_supervised_on: dt.date | None,
    active_since: dt.date | None,
    supervision_interval_weeks: int,
    supervision_grace_weeks: int,
    caseload: int,
    max_caseload: int,
    unavailable_until: dt.date | None = None,
) -> list[FitnessReason]:
    """Every reason a person may not be matched now; empty means fit.

    ``valid_course_ids`` are courses completed on or before today and not
    expired. A PVG is valid up to and including its renewal date. Her own
    break (``on_break``) keeps her out until the day she is back: the
    matching pages, proposals and confirming a match all read this rule."""
    reasons: list[FitnessReason] = []
    if on_break(today=today, unavailable_until=unavailable_until):
        reasons.append(
            FitnessReason(Reason.ON_BREAK, f"On a break: back in matching on {short_date(unavailable_until)}")
        )
    if status != "active":
        reasons.append(FitnessReason(Reason.STATUS_NOT_ACTIVE, REASON_LABELS[Reason.STATUS_NOT_ACTIVE]))
    missing = set(required_course_ids) - set(valid_course_ids)
    if missing:
        reasons.append(
            FitnessReason(
                Reason.CORE_TRAINING_INCOMPLETE,
                f"Core training incomplete ({len(missing)} required course{'s' if len(missing) != 1 else ''})",
            )
        )
    if not has_pvg:
        reasons.append(FitnessReason(Reason.PVG_MISSING, REASON_LABELS[Reason.PVG_MISSING]))
    elif pvg_renewal_due is not None and pvg_renewal_due < today:
        reasons.append(FitnessReason(Reason.PVG_EXPIRED, f"PVG expired on {short_date(pvg_renewal_due)}"))
    due = next_supervision_due(
        last_supervised_on=last_supervised_on, active_since=active_since, interval_weeks=supervision_interval_weeks
    )
    if due is None:
        if status == "active":
            reasons.append(FitnessReason(Reason.SUPERVISION_OVERDUE, "No supervision recorded"))
    elif today > due + dt.timedelta(weeks=supervision_grace_weeks):
        reasons.append(FitnessReason(Reason.SUPERVISION_OVERDUE, f"Supervision overdue (was due {short_date(due)})"))
    if caseload >= max_caseload:
        reasons.append(FitnessReason(Reason.CASELOAD_FULL, f"Caseload full ({caseload} of {max_caseload})"))
    return reasons


#: PVG schemes that cover regulated work with children (a crèche).
PVG_SCHEMES_FOR_CHILDREN = frozenset({"children", "both"})


def creche_fitness_reasons(
    *,
    today: dt.date,
    status: str,
    required_course_ids: Iterable[int],
    valid_course_ids: Iterable[int],
    has_pvg: bool,
    pvg_renewal_due: dt.date | None,
    pvg_scheme: str,
) -> list[FitnessReason]:
    """Every reason a person may not look after children in a crèche now;
    empty means fit. The same status, PVG and training rules as
    ``fitness_reasons``, without the ones about matching (supervision,
    caseload), and the PVG must cover children: a protected-adults
    membership does not. Core training is where the safeguarding course
    lives, so "core training current" is "safeguarding training current"."""
    reasons = fitness_reasons(
        today=today,
        status=status,
        required_course_ids=required_course_ids,
        valid_course_ids=valid_course_ids,
        has_pvg=has_pvg,
        pvg_renewal_due=pvg_renewal_due,
        last_supervised_on=today,
        active_since=today,
        supervision_interval_weeks=1,
        supervision_grace_weeks=0,
        caseload=0,
        max_caseload=1,
    )
    if has_pvg and pvg_scheme not in PVG_SCHEMES_FOR_CHILDREN:
        reasons.append(FitnessReason(Reason.PVG_NOT_FOR_CHILDREN, REASON_LABELS[Reason.PVG_NOT_FOR_CHILDREN]))
    return reasons
