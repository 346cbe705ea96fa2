"""Eligibility start and end dates: pure date arithmetic, no database.

The rules are in ../shared/docs/domain.md ("Eligibility and end dates"):

- support may start at any point in pregnancy, or from a given week of
  gestation;
- it ends the day before the youngest child reaches an age, after a fixed
  length of support, or whichever of the two comes first;
- a child born on 29 February reaches an age on 1 March in a year that is not
  a leap year (Age of Legal Capacity (Scotland) Act 1991, s.6);
- before the birth the end is estimated from the due date;
- after a baby loss, a policy may continue support for a bereavement period;
  a loss never shortens support.

Callers pass plain values (``Policy``, ``Facts``) and get an ``Eligibility``
back; the referrals service layer stores it on the referral.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from operations.core.dates import short_date
from operations.core.months import add_months_rolling_forward

FULL_TERM_WEEKS = 40
#: A due date this many days past with no birth recorded asks the coordinator to confirm the birth.
CONFIRM_BIRTH_AFTER_DAYS = 14


@dataclass(frozen=True)
class Policy:
    """The eligibility fields of ``operations.core.models.Service``."""

    start_rule: str = "pregnancy"  # "pregnancy" or "gestation_week"
    start_gestation_weeks: int | None = None
    end_child_age_months: int | None = None
    end_support_months: int | None = None
    bereavement_months: int | None = 12


@dataclass(frozen=True)
class ChildFacts:
    due_date: date | None = None
    birth_date: date | None = None
    loss_date: date | None = None

    @property
    def is_lost(self) -> bool:
        return self.loss_date is not None

    @property
    def anchor(self) -> date | None:
        """The date a child's age counts from: the birth, or the due date before it."""
        return self.birth_date or self.due_date


@dataclass(frozen=True)
class Facts:
    received_on: date
    children: tuple[ChildFacts, ...] = field(default_factory=tuple)
    support_started_on: date | None = None


@dataclass(frozen=True)
class Eligibility:
    start: date | None
    end: date | None
    estimated: bool
    reason: str


def describe_age(months: int) -> str:
    if months % 12 == 0:
        return f"turns {months // 12}"
    return f"reaches {months} months"


def birth_needs_confirming(child: ChildFacts, today: date) -> bool:
    """The due date is more than two weeks past and neither a birth nor a loss is recorded."""
    return (
        child.due_date is not None
        and child.birth_date is None
        and child.loss_date is None
        and (today - child.due_date).days > CONFIRM_BIRTH_AFTER_DAYS
    )


@dataclass(frozen=True)
class _End:
    day: date
    estimated: bool
    reason: str


def _youngest_live_child(children: tuple[ChildFacts, ...]) -> ChildFacts | None:
    live = [child for child in children if not child.is_lost and child.anchor is not None]
    return max(live, key=lambda child: child.anchor) if live else None


def _start(policy: Policy, children: tuple[ChildFacts, ...]) -> date | None:
    """When support may start: from the start of the pregnancy, or from the given week."""
    current = _youngest_live_child(children) or _latest(children)
    if current is None:
        return None
    start = _start_for(policy, current)
    if current.is_lost and start is not None:
        # A pregnancy lost before the starting week: bereavement support may start from the loss.
        return min(start, current.loss_date)
    return start


def _start_for(policy: Policy, current: ChildFacts) -> date | None:
    if current.due_date is not None:
        weeks_before_due = (
            FULL_TERM_WEEKS - policy.start_gestation_weeks
            if policy.start_rule == "gestation_week" and policy.start_gestation_weeks is not None
            else FULL_TERM_WEEKS
        )
        start = current.due_date - timedelta(weeks=weeks_before_due)
        if current.birth_date is not None:
            # A baby born before the starting week makes the parent eligible from the birth.
            return min(start, current.birth_date)
        return start
    if current.birth_date is None:
        return None
    if policy.start_rule == "gestation_week":
        return current.birth_date
    return current.birth_date - timedelta(weeks=FULL_TERM_WEEKS)


def _latest(children: tuple[ChildFacts, ...]) -> ChildFacts | None:
    known = [child for child in children if child.anchor is not None or child.loss_date is not None]
    return max(known, key=lambda child: child.anchor or child.loss_date) if known else None


def _child_age_end(policy: Policy, children: tuple[ChildFacts, ...]) -> _End | None:
    if policy.end_child_age_months is None:
        return None
    youngest = _youngest_live_child(children)
    if youngest is None:
        return None
    birthday = add_months_rolling_forward(youngest.anchor, policy.end_child_age_months)
    last_day = birthday - timedelta(days=1)
    estimated = youngest.birth_date is None
    # The reason names the last day of support, as every other end and every
    # page does ("eligible until 13 Feb 2028"): naming the birthday here made
    # the board (which shows the reason) say a day later than the candidates
    # page (which shows the end date) for the same referral.
    age = describe_age(policy.end_child_age_months)
    reason = f"until {short_date(last_day)}, the day before the youngest child {age}"
    if estimated:
        reason += " (estimated from the due date)"
    return _End(last_day, estimated, reason)


def _support_length_end(policy: Policy, facts: Facts, start: date | None) -> _End | None:
    if policy.end_support_months is None:
        return None
    if facts.support_started_on is not None:
        began, estimated = facts.support_started_on, False
        since = f"support started on {short_date(began)}"
    else:
        # Not started yet: count from the referral, or from when support may start if later.
        began = max(facts.received_on, start) if start is not None else facts.received_on
        estimated = True
        since = f"{short_date(began)}, as support has not started yet"
    end = add_months_rolling_forward(began, policy.end_support_months) - timedelta(days=1)
    months = policy.end_support_months
    reason = f"for {months} month{'s' if months != 1 else ''} of support from {since}, until {short_date(end)}"
    return _End(end, estimated, reason)


def _bereavement_end(policy: Policy, children: tuple[ChildFacts, ...]) -> _End | None:
    losses = [child.loss_date for child in children if child.loss_date is not None]
    if not losses:
        return None
    loss = max(losses)
    if not policy.bereavement_months:
        return _End(
            loss,
            False,
            f"after the loss on {short_date(loss)} this service has no bereavement continuation; "
            "a coordinator reviews the support",
        )
    end = add_months_rolling_forward(loss, policy.bereavement_months) - timedelta(days=1)
    return _End(
        end,
        False,
        f"for {policy.bereavement_months} months of bereavement support after the loss on {short_date(loss)}, "
        f"until {short_date(end)}",
    )


def compute(policy: Policy, facts: Facts) -> Eligibility:
    """The eligibility of one family for one service."""
    start = _start(policy, facts.children)
    candidates = [
        end
        for end in (_child_age_end(policy, facts.children), _support_length_end(policy, facts, start))
        if end is not None
    ]
    chosen: _End | None = None
    if candidates:
        chosen = min(candidates, key=lambda end: end.day)
        if len(candidates) == 2:
            other = max(candidates, key=lambda end: end.day)
            if other.day != chosen.day:
                chosen = _End(chosen.day, chosen.estimated, f"{chosen.reason}, whichever comes first")

    bereavement = _bereavement_end(policy, facts.children)
    # A loss never shortens support: the continuation counts only when it ends later.
    if bereavement is not None and (chosen is None or bereavement.day > chosen.day):
        chosen = bereavement

    if chosen is None:
        return Eligibility(
            start=start,
            end=None,
            estimated=True,
            reason="no end date yet: record a due date or a birth",
        )
    return Eligibility(
        start=start,
        end=chosen.day,
        estimated=chosen.estimated,
        reason=chosen.reason,
    )


def outside_eligibility(start: date | None, end: date | None, today: date) -> str:
    """Why support cannot start on ``today`` ("not eligible until 4 Jan 2027",
    "eligibility ended on 14 Feb 2026"), or "" within the eligibility.

    Confirming a match outside it needs a coordinator's reason; an unknown
    start or end does not hold a match back (the dates come from the due
    date or birth, which may not be recorded yet)."""
    if start is not None and today < start:
        return f"not eligible until {short_date(start)}"
    if end is not None and today > end:
        return f"eligibility ended on {short_date(end)}"
    return ""
