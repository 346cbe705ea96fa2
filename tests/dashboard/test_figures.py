"""The dashboard's figures, as a manager reads them on the page and a partner
system through the API: suppression, filters, waiting time, outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.dashboard.helpers import (
    PERIOD,
    PUBLISHED,
    before_and_after,
    consenting_referral,
    group_session_with,
    referral,
    supported,
)
from tests.factories import ServiceFactory, council_area
from tests.volunteers.helpers import make_profile

pytestmark = pytest.mark.django_db


def figures(client, **params) -> dict:
    response = client.get(reverse("api-dashboard"), {**PERIOD, **params})
    assert response.status_code == 200, response.content
    return response.json()


def by_key(table: dict) -> dict:
    return {row["key"]: row["values"][0] for row in table["rows"]}


# --- Suppression --------------------------------------------------------------


def test_a_figure_of_seven_shows_under_ten_and_the_cell_that_would_reveal_it_is_hidden(
    manager_client, organisation, service
):
    for _ in range(7):
        referral(organisation, service, source="self")
    for _ in range(25):
        referral(organisation, service, source="health_visitor")
    for _ in range(40):
        referral(organisation, service, source="gp")

    sources = figures(manager_client)["tables"]["referrals_by_source"]
    assert by_key(sources)["self"] == "<10"
    assert by_key(sources)["health_visitor"] == "suppressed"  # 72 - 40 would otherwise give the 7
    assert by_key(sources)["gp"] == 40
    assert by_key(sources)["midwife"] == 0
    assert sources["totals"] == [72]

    page = manager_client.get(reverse("dashboard:index"), PUBLISHED).content.decode()
    row = page.split("Self-referral</th>", 1)[1].split("</tr>", 1)[0]
    assert "&lt;10" in row
    assert ">7<" not in row
    row = page.split("Health visitor</th>", 1)[1].split("</tr>", 1)[0]
    assert "suppressed" in row
    assert "25" not in row


def test_a_total_that_would_reveal_a_small_count_is_hidden_everywhere_it_appears(manager_client, organisation, service):
    referral(organisation, service, source="self")
    for _ in range(10):
        referral(organisation, service, source="gp")

    body = figures(manager_client)
    sources = body["tables"]["referrals_by_source"]
    # 1 + 10: hiding the 10 would still leave 11 - 10 = 1, so the total goes.
    assert by_key(sources)["self"] == "<10"
    assert sources["totals"] == ["suppressed"]
    # The same total in the monthly table and the headline: hidden there too.
    assert body["tables"]["referrals_by_month"]["totals"] == ["suppressed"]
    assert by_key(body["tables"]["referrals_by_month"])["2026-02"] == "suppressed"  # all 11 came in February
    assert body["headline"]["referrals"] == "suppressed"
    for key in ("referrals_by_source", "referrals_by_month"):
        assert 11 not in body["tables"][key]["totals"]

    page = manager_client.get(reverse("dashboard:summary"), PERIOD).content.decode()
    referrals_section = page.split('id="referrals-heading"', 1)[1].split("</section>", 1)[0]
    assert ">11<" not in referrals_section
    assert 'Referrals received</dt><dd class="col-sm-6 col-lg-3">suppressed<' in page


def test_the_threshold_is_the_setting(manager_client, organisation, service, settings):
    settings.DISCLOSURE_SUPPRESS_BELOW = 5
    for _ in range(7):
        referral(organisation, service, source="self")
    body = figures(manager_client)
    assert body["threshold"] == 5
    assert by_key(body["tables"]["referrals_by_source"])["self"] == 7


# --- Filters ------------------------------------------------------------------


def test_only_the_period_and_the_chosen_service_are_counted(manager_client, organisation, service, other_service):
    second = ServiceFactory(organisation=organisation, name="Groups")
    for _ in range(12):
        referral(organisation, service, received_on=dt.date(2026, 3, 3))
    for _ in range(11):
        referral(organisation, second, received_on=dt.date(2026, 4, 4))
    referral(organisation, service, received_on=dt.date(2025, 12, 31))  # before the period
    referral(organisation, service, received_on=dt.date(2026, 7, 1))  # after it
    for _ in range(15):
        referral(other_service.organisation, other_service, received_on=dt.date(2026, 3, 3))  # another charity

    everything = figures(manager_client)
    assert everything["headline"]["referrals"] == 23
    months = by_key(everything["tables"]["referrals_by_month"])
    assert list(months) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert months["2026-03"] == 12
    assert months["2026-04"] == 11

    one = figures(manager_client, service=service.pk)
    assert one["headline"]["referrals"] == 12
    assert one["period"]["service"] == service.pk


def test_without_dates_the_last_twelve_months_are_shown(manager_client, organisation, service):
    response = manager_client.get(reverse("api-dashboard"))
    months = [row["key"] for row in response.json()["tables"]["referrals_by_month"]["rows"]]
    assert len(months) == 12
    assert response.json()["period"]["date_to"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-06-01", "date_to": "2026-01-01"}, "date_to"),
        ({"date_from": "not-a-date"}, "date_from"),
        ({"date_from": "1990-01-01", "date_to": "2026-01-01"}, "date_to"),
        ({"service": "0"}, "service"),
    ],
    ids=["end before start", "not a date", "over ten years", "no such service"],
)
def test_bad_filters_are_field_errors(manager_client, params, field):
    response = manager_client.get(reverse("api-dashboard"), params)
    assert response.status_code == 400
    assert field in response.json()

    page = manager_client.get(reverse("dashboard:index"), params)
    assert page.status_code == 200
    assert page.context["board"] is None
    assert field in page.context["form"].errors


def test_a_service_of_another_organisation_is_refused(manager_client, other_service):
    response = manager_client.get(reverse("api-dashboard"), {"service": other_service.pk})
    assert response.status_code == 400
    assert response.json() == {"service": ["Choose a service of your organisation."]}

    page = manager_client.get(reverse("dashboard:index"), {"service": other_service.pk})
    assert "service" in page.context["form"].errors
    assert page.context["board"] is None


# --- Waiting time ---------------------------------------------------------------


def test_waiting_time_median_and_90th_percentile(manager_client, organisation, service):
    # Ten referrals waiting 5, 10, … 50 days, support starting in the period.
    for index in range(1, 11):
        started = dt.date(2026, 4, 1)
        referral(organisation, service, received_on=started - dt.timedelta(days=5 * index), started_on=started)
    # Not counted: support started after the period.
    referral(organisation, service, received_on=dt.date(2026, 1, 1), started_on=dt.date(2026, 8, 1))

    waiting = figures(manager_client)["waiting"]
    assert waiting["referrals"] == 10
    assert waiting["median_days"] == "27.5"  # between 25 and 30
    assert waiting["p90_days"] == "45.5"  # 45 + 0.1 × 5, as percentile_cont interpolates


def test_waiting_time_of_too_few_referrals_is_not_shown(manager_client, organisation, service):
    for _ in range(4):
        referral(organisation, service, received_on=dt.date(2026, 2, 1), started_on=dt.date(2026, 3, 1))
    waiting = figures(manager_client)["waiting"]
    assert waiting == {"referrals": "<10", "median_days": None, "p90_days": None}


# --- Support, volunteers and groups ---------------------------------------------


def test_parents_supported_active_matches_and_contact_hours(manager_client, organisation, service):
    for _ in range(12):
        supported(referral(organisation, service), minutes=90)
    headline = figures(manager_client)
    assert headline["headline"]["parents_supported"] == 12
    assert headline["headline"]["active_matches"] == 12
    assert headline["headline"]["contacts"] == 12
    assert headline["contact_hours"] == "18.0"


def test_contact_hours_of_a_few_contacts_are_not_shown(manager_client, organisation, service):
    supported(referral(organisation, service))
    body = figures(manager_client)
    assert body["headline"]["contacts"] == "<10"
    assert body["contact_hours"] is None


def test_volunteer_checks_count_active_people_today(manager_client, organisation):
    today = timezone.localdate()
    for _ in range(11):
        make_profile(organisation=organisation, today=today)
    for _ in range(2):
        make_profile(organisation=organisation, today=today, pvg=False)
    make_profile(organisation=organisation, today=today, status="paused", pvg=False)  # not active: not counted

    pvg = figures(manager_client)["tables"]["pvg"]
    # 13 - 11 would give the 2 without a PVG: the 11 is hidden as well.
    assert by_key(pvg) == {"valid": "suppressed", "renewing": 0, "expired": "<10"}
    assert pvg["totals"] == [13]


def test_group_attendance_and_creche_use_by_month(manager_client, organisation, service):
    parents = [referral(organisation, service).parent for _ in range(8)]
    group_session_with(
        organisation, service, day=dt.date(2026, 3, 6), attended=parents, children_present=4, drop_in_adults=5
    )
    group_session_with(organisation, service, day=dt.date(2026, 8, 6), attended=parents)  # after the period

    groups = figures(manager_client)["tables"]["groups"]
    march = next(row for row in groups["rows"] if row["key"] == "2026-03")
    assert groups["columns"] == ["Sessions held", "Adults attending", "Crèche children"]
    assert march["values"] == ["<10", 13, "<10"]  # 8 booked and 5 drop-in adults
    assert groups["totals"] == ["<10", 13, "<10"]


def test_reach_counts_fathers_young_parents_and_needs(manager_client, organisation, service):
    for _ in range(10):
        referral(organisation, service, role="father")
    for _ in range(3):
        referral(
            organisation,
            service,
            date_of_birth=dt.date(2007, 6, 1),  # 18 when referred in February 2026
            needs_agreed=True,
            refugee_or_asylum_seeking=True,
            council_area=council_area("S12000026"),
        )
    body = figures(manager_client)
    reach = body["reach"]
    assert reach["parents_reached"] == 13
    assert reach["fathers"] == 10
    assert reach["young_parents"] == "<10"
    assert reach["refugee_or_asylum_seeking"] == "<10"
    assert reach["interpreter_needed"] == 0

    areas = body["tables"]["council_areas"]
    assert areas["columns"][:3] == ["Parents", "Fathers", "Young parents (under 20)"]
    rows = {row["key"]: row["values"] for row in areas["rows"]}
    # Parents: 3 in the Borders and 10 not recorded, 13 in all: the 10 goes with the 3.
    assert rows["Scottish Borders"][:3] == ["<10", 0, "<10"]
    # Young parents total 3: under a small total every cell shows "<10", zeros too.
    assert rows["Not recorded"][:3] == ["suppressed", 10, "<10"]
    assert areas["totals"][:3] == [13, 10, "<10"]


# --- Outcomes -----------------------------------------------------------------


def test_outcomes_compare_baseline_with_the_latest_assessment(manager_client, organisation, service):
    # EPDS, lower is better, reliable change 4: twelve improve by 6, ten by 1.
    for _ in range(12):
        before_and_after(consenting_referral(organisation, service), measure="epds", baseline=18, latest=12)
    for _ in range(10):
        before_and_after(consenting_referral(organisation, service), measure="epds", baseline=14, latest=13)
    # WEMWBS, higher is better, reliable change 3: ten improve by 5; the review in between is not the latest.
    for _ in range(10):
        before_and_after(
            consenting_referral(organisation, service), measure="wemwbs", baseline=40, review=60, latest=45
        )
    # GAD-7: too few people to say anything.
    for _ in range(3):
        before_and_after(consenting_referral(organisation, service), measure="gad7", baseline=15, latest=5)
    # Not counted: consent withdrawn; consent never given.
    withdrawn = consenting_referral(organisation, service)
    before_and_after(withdrawn, measure="epds", baseline=30, latest=0)
    withdrawn.parent.evaluation_consent_withdrawn_on = dt.date(2026, 6, 1)
    withdrawn.parent.save()
    before_and_after(referral(organisation, service), measure="epds", baseline=30, latest=0)

    outcomes = {row["measure"]: row for row in figures(manager_client)["outcomes"]}
    assert outcomes["epds"]["people"] == 22
    assert Decimal(outcomes["epds"]["mean_change"]) == Decimal("3.7")  # (12 × 6 + 10 × 1) / 22
    assert outcomes["epds"]["reliably_improved"] == 12
    assert outcomes["epds"]["share_reliably_improved"] == 55
    assert outcomes["wemwbs"]["people"] == 10
    assert Decimal(outcomes["wemwbs"]["mean_change"]) == Decimal("5.0")
    assert outcomes["wemwbs"]["reliably_improved"] == 10
    assert outcomes["wemwbs"]["share_reliably_improved"] == 100
    assert outcomes["gad7"] | {} == {
        **outcomes["gad7"],
        "people": "<10",
        "mean_change": None,
        "reliably_improved": None,
        "share_reliably_improved": None,
    }

    page = manager_client.get(reverse("dashboard:index"), PUBLISHED).content.decode()
    gad7_row = page.split("GAD-7 <span", 1)[1].split("</tr>", 1)[0]
    assert "not enough people to show" in gad7_row


def test_a_small_number_not_improved_hides_the_share(manager_client, organisation, service):
    for _ in range(12):
        before_and_after(consenting_referral(organisation, service), measure="phq9", baseline=20, latest=10)
    for _ in range(2):
        before_and_after(consenting_referral(organisation, service), measure="phq9", baseline=20, latest=19)
    phq9 = next(row for row in figures(manager_client)["outcomes"] if row["measure"] == "phq9")
    assert phq9["people"] == 14
    assert phq9["reliably_improved"] == "suppressed"  # 14 - 12 would give the 2 who did not
    assert phq9["share_reliably_improved"] is None
