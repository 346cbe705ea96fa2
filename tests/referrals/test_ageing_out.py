"""The waiting list flags parents at risk of ageing out (their eligibility
ends before the typical wait for their service is over) and ranks them up
within their urgency; every list of a parent's referrals says "Eligible
from" while the eligibility has not started. Query counts stay flat."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from referrals import selectors
from referrals.models import Referral
from tests.factories import ReferralFactory, ServiceFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(date(2026, 12, 7), tick=False):
        yield


def started(organisation, service, *, waited: int, started_days_ago: int) -> Referral:
    """A referral whose support started ``started_days_ago`` after a wait of ``waited`` days."""
    start = TODAY - timedelta(days=started_days_ago)
    return ReferralFactory(
        organisation=organisation,
        service=service,
        status="active",
        received_on=start - timedelta(days=waited),
        support_started_on=start,
    )


def waiting(organisation, service, *, urgency=3, end_in=None, waited=5, start_in=None) -> Referral:
    return ReferralFactory(
        organisation=organisation,
        service=service,
        status="waiting",
        urgency=urgency,
        received_on=TODAY - timedelta(days=waited),
        eligibility_start=None if start_in is None else TODAY + timedelta(days=start_in),
        eligibility_end=None if end_in is None else TODAY + timedelta(days=end_in),
    )


def test_typical_wait_is_the_median_of_the_last_twelve_months_per_service(
    coordinator, organisation, other_organisation, service, other_service
) -> None:
    for waited in (14, 63, 70):
        started(organisation, service, waited=waited, started_days_ago=30)
    started(organisation, service, waited=400, started_days_ago=400)  # over a year ago
    started(other_organisation, other_service, waited=5, started_days_ago=3)  # not ours
    ReferralFactory(organisation=organisation, service=service, status="waiting")  # not started
    assert selectors.typical_waits(coordinator, today=TODAY) == {service.pk: 63}


def test_the_waiting_list_flags_and_ranks_up_parents_ageing_out(coordinator_client, organisation, service) -> None:
    for waited in (14, 63, 70):
        started(organisation, service, waited=waited, started_days_ago=30)
    no_history = ServiceFactory(organisation=organisation, name="Groups")
    urgent = waiting(organisation, service, urgency=1, end_in=200)
    ending_no_history = waiting(organisation, no_history, end_in=20)
    ageing_out = waiting(organisation, service, end_in=30)
    plenty_of_time = waiting(organisation, service, end_in=100)
    past_end = waiting(organisation, service, end_in=-3)
    response = coordinator_client.get(reverse("referrals:waiting-list"))
    assert [row.pk for row in response.context["rows"]] == [
        urgent.pk,
        ageing_out.pk,  # ranked up within routine
        past_end.pk,
        ending_no_history.pk,  # no history, no flag
        plenty_of_time.pk,
    ]
    rows = {row.pk: row for row in response.context["rows"]}
    assert rows[ageing_out.pk].ageing_out == "eligibility ends 6 Jan 2027; typical wait 9 weeks"
    assert [pk for pk, row in rows.items() if row.ageing_out] == [ageing_out.pk]
    page = response.content.decode()
    assert page.count("At risk of ageing out</span>") == 1
    assert "eligibility ends 6 Jan 2027; typical wait 9 weeks" in page


def test_a_short_typical_wait_reads_in_days(coordinator_client, organisation, service) -> None:
    started(organisation, service, waited=10, started_days_ago=5)
    waiting(organisation, service, end_in=4)
    page = coordinator_client.get(reverse("referrals:waiting-list")).content.decode()
    assert "typical wait 10 days" in page


def test_not_yet_eligible_reads_eligible_from_on_every_page(coordinator_client, organisation, service) -> None:
    early = waiting(organisation, service, start_in=28, end_in=300)
    eligible = waiting(organisation, service, start_in=0, end_in=200)
    text = "Eligible from 4 Jan 2027"
    waiting_list = coordinator_client.get(reverse("referrals:waiting-list")).content.decode()
    assert waiting_list.count(text) == 1
    for url in [
        reverse("referrals:referral-detail", args=[early.pk]),
        reverse("referrals:parent-detail", args=[early.parent_id]),
    ]:
        assert text in coordinator_client.get(url).content.decode(), url
    for url in [
        reverse("referrals:referral-detail", args=[eligible.pk]),
        reverse("referrals:parent-detail", args=[eligible.parent_id]),
    ]:
        assert "Eligible from" not in coordinator_client.get(url).content.decode(), url


def test_the_waiting_list_query_count_does_not_grow_with_history_or_rows(
    coordinator_client, organisation, service, django_assert_num_queries
) -> None:
    url = reverse("referrals:waiting-list")

    def grow(first: int, count: int) -> None:
        for index in range(first, first + count):
            other = ServiceFactory(organisation=organisation, name=f"Service {index}")
            started(organisation, other, waited=20 + index, started_days_ago=10)
            waiting(organisation, other, end_in=5 + index, start_in=index % 3)
            waiting(organisation, service, end_in=50 + index)

    for first, count in ((0, 2), (2, 20)):
        grow(first, count)
        coordinator_client.get(url)  # warm-up: the first view fills per-process caches
        # 1 session, 2 user, 3 membership, 4 the waits of referrals already
        # started (the "usual wait" of each service), 5 count of waiting
        # referrals (the pager), 6 the page of waiting referrals, 7 the bell.
        with django_assert_num_queries(7):
            assert coordinator_client.get(url).status_code == 200
