"""Who may see the dashboard, what they see of other organisations (nothing),
and its query count, which must not grow with the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from operations.dashboard.cache import forget_all
from tests.dashboard.helpers import (
    PERIOD,
    PUBLISHED,
    approved_expense,
    before_and_after,
    concern,
    consenting_referral,
    group_session_with,
    referral,
    supported,
)
from tests.factories import member
from tests.volunteers.helpers import make_profile

pytestmark = pytest.mark.django_db

# A view counted afresh (not the figures kept from the last view): 1 session,
# 2 user, 3 membership, then the figures: 4 referrals received with their
# parent, 5 parents supported (a count), 6 contacts (count and minutes),
# 7 referrals' waits (received and started), 8 volunteer settings,
# 9 volunteers with supervision and PVG, 10 group sessions by month (head
# counts), 11 group attendance by month, 12 concerns raised (kind, urgency,
# outcome and time to acknowledge, issue 20), 13 assessments before and after,
# 14 expenses by month, service and kind (issue 23);
# the pages end with 15 the bell and 16 the services (the filter form).
# Filtered by a service, the chosen service is read after the membership.
FIGURES = 11
PAGE_QUERIES = 3 + FIGURES + 2
API_QUERIES = 3 + FIGURES
# The figures kept from the last view: 1 session, 2 user, 3 membership,
# 4 the bell, 5 the services (the filter form).
KEPT_QUERIES = 5


@pytest.mark.parametrize("persona", ["coordinator_client", "pso_client", "volunteer_client"])
def test_only_managers_see_the_dashboard(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("dashboard:index")).status_code == 403
    assert client.get(reverse("dashboard:summary")).status_code == 403
    assert client.get(reverse("api-dashboard")).status_code == 403


def test_the_manager_finds_it_in_the_navigation_and_on_the_home_page(manager_client, coordinator_client):
    home = manager_client.get(reverse("home")).content.decode()
    assert home.count(f'href="{reverse("dashboard:index")}"') >= 2  # the top bar and the home panel
    assert reverse("dashboard:summary") in home
    assert reverse("dashboard:index") not in coordinator_client.get(reverse("home")).content.decode()


def test_a_manager_counts_only_their_own_organisation(manager_client, organisation, service, other_service):
    other = other_service.organisation
    other_manager = member(username="manager-elsewhere", organisation=other, role="manager")
    for _ in range(12):
        referral(other, other_service, source="gp")
        supported(referral(other, other_service))
    referral(organisation, service, source="gp")

    body = manager_client.get(reverse("api-dashboard"), PERIOD).json()
    assert body["headline"]["referrals"] == "<10"
    assert body["headline"]["parents_supported"] == 0
    assert body["headline"]["contacts"] == 0

    manager_client.force_login(other_manager)
    assert manager_client.get(reverse("api-dashboard"), PERIOD).json()["headline"]["referrals"] == 24


def test_the_page_carries_its_chart_data_and_a_table_for_every_chart(manager_client, organisation, service):
    for _ in range(12):
        referral(organisation, service, source="gp")
    page = manager_client.get(reverse("dashboard:index"), PERIOD).content.decode()
    assert '<script id="dashboard-charts" type="application/json">' in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    charts = page.count("<canvas data-chart=")
    # 9 (referrals by month, source, channel and referrer type …), the three concern tables
    # and expenses by month and by service (issue 23).
    assert charts == 14
    assert page.count("<caption>") >= charts
    assert '<th scope="col">Source</th>' in page

    summary = manager_client.get(reverse("dashboard:summary"), PERIOD).content.decode()
    assert "<canvas" not in summary
    assert "dashboard/dashboard.css" in summary  # the print stylesheet
    assert "Referrals received by source" in summary


def _fill(organisation, service, *, copies: int) -> None:
    """Some of everything the dashboard reads, ``copies`` times over."""
    today = dt.date.today()  # noqa: DTZ011 - volunteer checks are about today
    for index in range(copies):
        made = consenting_referral(
            organisation, service, received_on=dt.date(2026, 2, 1 + index % 27), started_on=dt.date(2026, 3, 1)
        )
        match = supported(made)
        concern(match, acknowledged_after=dt.timedelta(minutes=20 + index), outcome="advice" if index % 2 else "")
        before_and_after(made, measure="epds", baseline=18, latest=10)
        approved_expense(match, spent_on=dt.date(2026, 3, 1 + index % 27))
        make_profile(organisation=organisation, today=today)
        group_session_with(
            organisation, service, day=dt.date(2026, 3, 2) + dt.timedelta(days=index), attended=[made.parent]
        )


#: On PostgreSQL the figures are counted in a transaction of their own, planned
#: for the dates asked (operations/core/plans.py): a savepoint, SET LOCAL
#: plan_cache_mode, and its release.
PLANNING = 3 if connection.vendor == "postgresql" else 0


def fresh_view(client, url: str, params: dict, django_assert_num_queries, expected: int) -> None:
    client.get(url, params)  # warm-up: the first view fills per-process caches
    forget_all()  # counted afresh, not the figures kept from the last view
    with django_assert_num_queries(expected + PLANNING):
        assert client.get(url, params).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [("dashboard:index", PAGE_QUERIES), ("dashboard:summary", PAGE_QUERIES), ("api-dashboard", API_QUERIES)],
)
def test_the_query_count_does_not_grow_with_the_data(
    manager_client, organisation, service, url_name, expected, django_assert_num_queries
):
    url = reverse(url_name)
    params = {**PERIOD, "service": service.pk}
    for copies in (2, 12):
        _fill(organisation, service, copies=copies)
        # One more than named above: the chosen service (the filter).
        fresh_view(manager_client, url, params, django_assert_num_queries, expected + 1)


def test_figures_are_kept_a_few_minutes_and_say_when_they_were_counted(
    manager_client, organisation, service, django_assert_num_queries
):
    url = reverse("dashboard:index")
    _fill(organisation, service, copies=2)
    fresh_view(manager_client, url, PERIOD, django_assert_num_queries, PAGE_QUERIES)
    with django_assert_num_queries(KEPT_QUERIES):
        kept = manager_client.get(url, PERIOD).content.decode()
    assert "counted at" in kept
    shown = _referrals_shown(manager_client, PERIOD)
    for _ in range(12):
        referral(organisation, service)
    # Within the time the figures are kept, the page shows them as counted then.
    assert _referrals_shown(manager_client, PERIOD) == shown
    forget_all()
    assert _referrals_shown(manager_client, PERIOD) != shown


def _referrals_shown(client, params: dict) -> str:
    page = client.get(reverse("dashboard:index"), params).content.decode()
    return page.split("Referrals received</dt>", 1)[1].split("</dd>", 1)[0].rsplit(">", 1)[1]


def test_kept_figures_answer_only_the_same_organisation_and_filters(
    manager_client, organisation, service, other_service
):
    other = other_service.organisation
    other_manager = member(username="manager-elsewhere", organisation=other, role="manager")
    for _ in range(24):
        referral(other, other_service)
    referral(organisation, service)
    assert _referrals_shown(manager_client, PUBLISHED) == "&lt;10"
    assert _referrals_shown(manager_client, {**PUBLISHED, "service": service.pk}) == "&lt;10"

    manager_client.force_login(other_manager)
    assert _referrals_shown(manager_client, PUBLISHED) == "24"
    assert _referrals_shown(manager_client, {**PUBLISHED, "service": other_service.pk}) == "24"


def test_with_the_cache_off_every_view_counts_afresh(
    manager_client, organisation, service, settings, django_assert_num_queries
):
    settings.DASHBOARD_CACHE_SECONDS = 0
    url = reverse("dashboard:index")
    _fill(organisation, service, copies=2)
    fresh_view(manager_client, url, PERIOD, django_assert_num_queries, PAGE_QUERIES)
    with django_assert_num_queries(PAGE_QUERIES + PLANNING):
        manager_client.get(url, PERIOD)


def test_the_filters_show_the_default_period(manager_client):
    form = manager_client.get(reverse("dashboard:index")).context["form"]
    assert form["date_to"].value() == timezone.localdate().isoformat()
    assert form["date_from"].value().endswith("-01")
