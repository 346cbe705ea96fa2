"""The eligibility pre-check of the online forms, in plain words: pure, no
database.

It reads only what the person typed (the service's policy, a due date or a
birth date, today) and never anyone's record, so its answer cannot reveal
whether she is already known. The dates come from ``referrals.eligibility``,
the same arithmetic the referral will get once it is on the board.

Only the end of support decides "can" or "cannot": a pregnancy too early
for a service that starts at a later week is told when support can start,
and is welcome to send the form now.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from operations.core.dates import short_date
from referrals import eligibility

#: Years as words, for "until your baby turns one".
_YEARS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


@dataclass(frozen=True)
class Voice:
    """Whom the sentence speaks to: the parent herself, or her referrer."""

    whom: str  # "you" / "the family"
    baby: str  # "your baby" / "the baby"


SELF = Voice(whom="you", baby="your baby")
PROFESSIONAL = Voice(whom="the family", baby="the baby")


@dataclass(frozen=True)
class PreCheck:
    can_support: bool
    #: "Tweed Valley Perinatal Support can support you until your baby turns one (until 3 May 2028)."
    sentence: str


def _age_words(months: int, baby: str) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{baby} turns {_YEARS.get(years, str(years))}"
    return f"{baby} is {months} months old"


def _end_words(policy: eligibility.Policy, facts: eligibility.Facts, voice: Voice) -> tuple[date, str] | None:
    """The end of support and the rule that decides it, in words: the
    earlier of the child's age and the length of support, as the board
    will compute it (bereavement is not asked on the form)."""
    ends: list[tuple[date, str]] = []
    if policy.end_child_age_months is not None:
        only_age = replace(policy, end_support_months=None, bereavement_months=None)
        end = eligibility.compute(only_age, facts).end
        if end is not None:
            ends.append((end, f"until {_age_words(policy.end_child_age_months, voice.baby)}"))
    if policy.end_support_months is not None:
        only_length = replace(policy, end_child_age_months=None, bereavement_months=None)
        end = eligibility.compute(only_length, facts).end
        months = policy.end_support_months
        if end is not None:
            ends.append((end, f"for up to {months} month{'s' if months != 1 else ''} of support"))
    return min(ends, key=lambda pair: pair[0]) if ends else None


def precheck(
    *,
    organisation_name: str,
    policy: eligibility.Policy,
    due_date: date | None,
    birth_date: date | None,
    today: date,
    voice: Voice = SELF,
) -> PreCheck:
    """Whether the service can support the family, and until when, or why not."""
    facts = eligibility.Facts(
        received_on=today, children=(eligibility.ChildFacts(due_date=due_date, birth_date=birth_date),)
    )
    found = _end_words(policy, facts, voice)
    if found is None:
        return PreCheck(True, f"{organisation_name} will look at this with {voice.whom} and say what it can offer.")
    end, rule = found
    estimated = birth_date is None
    if end < today:
        return PreCheck(
            False,
            f"{organisation_name} supports families {rule}, so it cannot start support now: "
            f"that ended on {short_date(end)}.",
        )
    start = eligibility.compute(policy, facts).start
    when = f"until {'about ' if estimated else ''}{short_date(end)}"
    if estimated:
        when += ", counted from the due date"
    sentence = f"{organisation_name} can support {voice.whom} {rule} ({when})."
    if policy.start_rule == "gestation_week" and start is not None and start > today:
        sentence = (
            f"{organisation_name} can support {voice.whom} from {short_date(start)} "
            f"(week {policy.start_gestation_weeks} of the pregnancy) {rule} ({when})."
        )
    return PreCheck(True, sentence)
