"""The triage board and the candidates page give the same end of eligibility
for the same referral.

They used to disagree by a day: the board shows the stored reason, which
named the child's birthday ("until the youngest child turns 1 on 8 Dec
2026"), the candidates page the stored end date, the day before ("eligible
until 7 Dec 2026"). An end of today looked, on the board, like one more day.
Now the reason names the last day itself (referrals.eligibility)."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from operations.core.dates import short_date
from operations.core.months import add_months_rolling_forward
from referrals.models import Referral
from referrals.services import parent_recompute_eligibility
from tests.factories import ChildFactory
from tests.matching.helpers import waiting_referral

pytestmark = pytest.mark.django_db

A_DATE = r"(\d{1,2} [A-Z][a-z]{2} \d{4})"


def _born_for_an_end_on(end: dt.date) -> dt.date:
    """A birth date whose first birthday is the day after ``end``."""
    return add_months_rolling_forward(end + dt.timedelta(days=1), -12)


def _referral_ending_on(end: dt.date, *, organisation, service) -> Referral:
    referral = waiting_referral(organisation=organisation, service=service, due_in_days=None)
    ChildFactory(parent=referral.parent, due_date=None, birth_date=_born_for_an_end_on(end))
    parent_recompute_eligibility(parent=referral.parent)
    referral.refresh_from_db()
    return referral


def _board_end(client, referral: Referral) -> tuple[str, bool]:
    """The date the referral's card names in its eligibility line, and whether it shows it as ended."""
    page = client.get(reverse("referrals:board")).content.decode()
    card = re.search(rf'aria-label="Referral {referral.pk}">(.*?)</article>', page, re.DOTALL)[1]
    line = re.search(r'<span class="([^"]*)">Eligible ([^<]*)</span>', card)
    return re.search(A_DATE, line[2])[1], "text-danger" in line[1]


def _candidates_end(client, referral: Referral) -> tuple[str, bool]:
    """The date the candidates page gives as the end, and whether it says the referral is outside it."""
    page = client.get(reverse("matching:candidates", args=[referral.pk])).content.decode()
    return re.search(rf"eligible until {A_DATE}", page)[1], "Outside eligibility today" in page


# The eligibility ends at the end of a local day: just after midnight in a
# British summer (23:30 UTC is 00:30 the next day in London) and at noon in
# winter, when the two clocks agree.
MOMENTS = [
    pytest.param(dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC), id="winter noon"),
    pytest.param(dt.datetime(2026, 6, 7, 23, 30, tzinfo=dt.UTC), id="summer, 00:30 in London"),
]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("days_left", [0, 1, 40], ids=["ends today", "ends tomorrow", "ends in 40 days"])
def test_the_board_and_the_candidates_page_give_the_same_end(
    coordinator_client, organisation, service, moment, days_left
):
    with time_machine.travel(moment, tick=False):
        today = timezone.localdate()
        referral = _referral_ending_on(today + dt.timedelta(days=days_left), organisation=organisation, service=service)
        assert referral.eligibility_end == today + dt.timedelta(days=days_left)

        board_date, board_says_ended = _board_end(coordinator_client, referral)
        candidates_date, candidates_says_outside = _candidates_end(coordinator_client, referral)

    assert board_date == candidates_date == short_date(referral.eligibility_end)
    # The last day is still a day of support on both pages.
    assert not board_says_ended
    assert not candidates_says_outside


def test_the_day_after_the_end_both_pages_say_it_has_ended(coordinator_client, organisation, service):
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC), tick=False):
        referral = _referral_ending_on(dt.date(2026, 12, 6), organisation=organisation, service=service)
        board_date, board_says_ended = _board_end(coordinator_client, referral)
        candidates_date, candidates_says_outside = _candidates_end(coordinator_client, referral)
    assert board_date == candidates_date == "6 Dec 2026"
    assert board_says_ended
    assert candidates_says_outside


def test_reasons_stored_before_the_fix_are_rewritten_to_name_the_last_day(organisation, service):
    referral = _referral_ending_on(dt.date(2027, 2, 13), organisation=organisation, service=service)
    old = "until the youngest child turns 1 on 14 Feb 2027 (estimated from the due date), whichever comes first"
    Referral.objects.filter(pk=referral.pk).update(eligibility_reason=old)
    migration = importlib.import_module("referrals.migrations.0011_eligibility_reasons_name_the_last_day")

    migration.rewrite_reasons(apps, None)

    referral.refresh_from_db()
    assert referral.eligibility_reason == (
        "until 13 Feb 2027, the day before the youngest child turns 1 (estimated from the due date), "
        "whichever comes first"
    )
