"""The dashboard's volunteer expenses (issue 23): approved and paid claims
spent in the period, in pounds by month, service and kind (mileage, or
out-of-pocket by category), for funders; the organisation's own only."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from operations.dashboard.expenses import expense_totals
from operations.dashboard.period import Filters
from tests.dashboard.helpers import FROM, PERIOD, TO, approved_expense, referral, supported
from tests.factories import ServiceFactory
from volunteers.expenses.models import ClaimStatus, Kind, PaymentBatch

pytestmark = pytest.mark.django_db


def test_totals_by_month_service_and_kind(manager, organisation, service, other_organisation, other_service) -> None:
    groups = ServiceFactory(organisation=organisation, name="Peer groups", end_child_age_months=12)
    befriending = supported(referral(organisation, service))
    group_work = supported(referral(organisation, groups))
    approved_expense(befriending, spent_on=dt.date(2026, 2, 3))  # £4.50 mileage
    approved_expense(befriending, spent_on=dt.date(2026, 2, 9), kind=Kind.OUT_OF_POCKET, pence=320)
    paid = approved_expense(group_work, spent_on=dt.date(2026, 3, 1), kind=Kind.OUT_OF_POCKET, pence=1250)
    batch = PaymentBatch.objects.create(organisation=organisation, paid_on=dt.date(2026, 3, 5))
    paid.status, paid.paid_on, paid.batch = ClaimStatus.PAID, batch.paid_on, batch
    paid.save()
    # Not counted: waiting for a decision, spent before the period, another organisation's.
    waiting = approved_expense(befriending, spent_on=dt.date(2026, 2, 10))
    waiting.status = ClaimStatus.SUBMITTED
    waiting.save()
    approved_expense(befriending, spent_on=dt.date(2025, 12, 31))
    approved_expense(supported(referral(other_organisation, other_service)), spent_on=dt.date(2026, 2, 3))

    totals = expense_totals(manager, Filters(date_from=FROM, date_to=TO, service=None))
    by_month = {row.label: (row.mileage, row.costs) for row in totals.by_month}
    assert by_month["Feb 2026"] == ("£4.50", "£3.20")
    assert by_month["Mar 2026"] == ("£0.00", "£12.50")
    assert by_month["Jan 2026"] == ("£0.00", "£0.00")
    assert len(by_month) == 6
    assert {row.label: row.total for row in totals.by_service} == {"Befriending": "£7.70", "Peer groups": "£12.50"}
    assert totals.categories == [("Parking", "£15.70")]
    assert totals.total.total == "£20.20"

    only_groups = expense_totals(manager, Filters(date_from=FROM, date_to=TO, service=groups))
    assert only_groups.total.total == "£12.50"


def test_the_page_shows_the_totals_and_draws_them(manager_client, organisation, service) -> None:
    approved_expense(supported(referral(organisation, service)), spent_on=dt.date(2026, 2, 3))
    page = manager_client.get(reverse("dashboard:index"), PERIOD)
    assert page.status_code == 200
    assert "Volunteer expenses" in page.text
    assert "£4.50" in page.text
    charts = json.loads(re.search(r'id="dashboard-charts"[^>]*>(.*?)</script>', page.text, re.S).group(1))
    by_month = next(chart for chart in charts if chart["key"] == "expenses_by_month")
    assert by_month["series"][0]["values"][1] == 4.5
    assert 'data-chart="expenses_by_month"' in page.text
