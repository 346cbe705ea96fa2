"""The pre-check's words, from a service's policy and the dates typed: pure, no database."""

from __future__ import annotations

from datetime import date

import pytest

from referrals.eligibility import Policy
from referrals.online.precheck import PROFESSIONAL, precheck

TODAY = date(2027, 5, 10)
UNTIL_ONE = Policy(end_child_age_months=12)


def check(policy: Policy = UNTIL_ONE, *, due: date | None = None, born: date | None = None, **kwargs):
    return precheck(
        organisation_name="Tweed Valley", policy=policy, due_date=due, birth_date=born, today=TODAY, **kwargs
    )


def test_a_born_baby_is_supported_until_the_day_before_the_first_birthday():
    result = check(born=date(2027, 5, 4))
    assert result.can_support
    assert result.sentence == "Tweed Valley can support you until your baby turns one (until 3 May 2028)."


def test_a_pregnancy_is_counted_from_the_due_date_and_says_so():
    result = check(due=date(2027, 9, 1))
    assert result.sentence == (
        "Tweed Valley can support you until your baby turns one (until about 31 Aug 2028, counted from the due date)."
    )


def test_past_the_end_says_why_and_when_it_ended():
    result = check(born=date(2026, 3, 1))
    assert not result.can_support
    assert result.sentence == (
        "Tweed Valley supports families until your baby turns one, so it cannot start support now: "
        "that ended on 28 Feb 2027."
    )


def test_a_length_of_support_that_ends_first_is_the_one_named():
    result = check(Policy(end_child_age_months=60, end_support_months=12), born=date(2027, 1, 10))
    assert result.sentence == "Tweed Valley can support you for up to 12 months of support (until 9 May 2028)."


def test_a_service_starting_at_a_later_week_says_from_when():
    result = check(
        Policy(start_rule="gestation_week", start_gestation_weeks=32, end_child_age_months=24), due=date(2027, 9, 1)
    )
    assert result.can_support
    assert result.sentence.startswith("Tweed Valley can support you from 7 Jul 2027 (week 32 of the pregnancy)")
    assert "until your baby turns two" in result.sentence


@pytest.mark.parametrize(("months", "words"), [(24, "turns two"), (18, "is 18 months old")])
def test_ages_in_plain_words(months, words):
    assert words in check(Policy(end_child_age_months=months), born=date(2027, 1, 1)).sentence


def test_the_professional_form_speaks_of_the_family():
    result = check(born=date(2027, 5, 4), voice=PROFESSIONAL)
    assert result.sentence == "Tweed Valley can support the family until the baby turns one (until 3 May 2028)."
