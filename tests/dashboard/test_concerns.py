"""The dashboard's concerns (issue 20): those raised in the period by kind,
urgency and outcome, and the time from raising one to its acknowledgement,
under the same small-number rules as every other figure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from operations.dashboard.figures import minutes_in_words
from tests.dashboard.helpers import PERIOD, PUBLISHED, RAISED_AT, concern, referral, supported
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(organisation, service):
    return supported(referral(organisation, service))


def _rows(body: dict, key: str) -> dict:
    table = body["tables"][key]
    return {row["key"]: row["values"][0] for row in table["rows"]} | {"total": table["totals"][0]}


def _dashboard(client, **params) -> dict:
    response = client.get(reverse("api-dashboard"), {**PERIOD, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_concerns_are_counted_by_kind_urgency_and_outcome_with_the_time_to_acknowledge(manager_client, match):
    for index in range(30):
        concern(
            match,
            kind="mental_health" if index % 2 else "domestic_abuse",
            urgency=("danger_now", "today", "this_week")[index % 3],
            # 10 closed with advice after 30 minutes, 10 referred to social work after 3 hours, 10 still new.
            acknowledged_after=None if index >= 20 else dt.timedelta(minutes=30 if index < 10 else 180),
            outcome="" if index >= 20 else ("advice" if index < 10 else "social_work"),
        )
    body = _dashboard(manager_client)
    assert _rows(body, "concerns_by_kind") == {
        "mental_health": 15,
        "baby_welfare": 0,
        "domestic_abuse": 15,
        "practical_crisis": 0,
        "other": 0,
        "total": 30,
    }
    assert _rows(body, "concerns_by_urgency") == {"danger_now": 10, "today": 10, "this_week": 10, "total": 30}
    outcomes = _rows(body, "concerns_by_outcome")
    assert (outcomes["advice"], outcomes["social_work"], outcomes["open"], outcomes["total"]) == (10, 10, 10, 30)
    assert outcomes["police"] == 0
    # Half within 30 minutes, half after 3 hours: the median lies between them.
    assert body["concerns_acknowledged"] == {"concerns": 20, "median_minutes": "105.0", "p90_minutes": "180.0"}

    page = manager_client.get(reverse("dashboard:index"), PERIOD).content.decode()
    assert "Concerns and safeguarding" in page
    assert "median 1\xa0hour 45\xa0minutes, 90% within 3\xa0hours (20 acknowledged)" in page
    assert "Referred to social work" in page  # labels, never the codes
    assert "social_work" not in page


def test_a_few_concerns_show_as_under_ten_and_no_time_to_acknowledge(manager_client, match):
    for _ in range(3):
        concern(match, acknowledged_after=dt.timedelta(minutes=12))
    body = _dashboard(manager_client)
    for key in ("concerns_by_kind", "concerns_by_urgency", "concerns_by_outcome"):
        assert set(_rows(body, key).values()) == {"<10"}, key
    assert body["concerns_acknowledged"] == {"concerns": "<10", "median_minutes": None, "p90_minutes": None}
    page = manager_client.get(reverse("dashboard:index"), PUBLISHED).content.decode()
    assert "not enough concerns to show (&lt;10 acknowledged)" in page
    assert "12\xa0minutes" not in page


def test_a_small_count_cannot_be_worked_out_from_the_total(manager_client, match):
    concern(match, urgency="danger_now")
    for _ in range(11):
        concern(match, urgency="today")
    urgency = _rows(_dashboard(manager_client), "concerns_by_urgency")
    # 12 less 11 would give the one "danger now" away: the 11 are hidden too.
    assert urgency == {"danger_now": "<10", "today": "suppressed", "this_week": 0, "total": 12}


def test_only_the_period_the_organisation_and_the_service_asked_about_count(
    manager_client, organisation, service, other_service, match
):
    for _ in range(10):
        concern(match, acknowledged_after=dt.timedelta(minutes=5))
    concern(match, raised_at=dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC))  # before the period
    elsewhere = supported(referral(other_service.organisation, other_service))
    for _ in range(5):
        concern(elsewhere)
    # Opened from supervision: owned, so acknowledged, at once; it says nothing of the response time.
    concern(match, source="supervision", acknowledged_after=dt.timedelta(0))
    body = _dashboard(manager_client)
    assert _rows(body, "concerns_by_kind")["total"] == 11
    assert body["concerns_acknowledged"]["concerns"] == 10
    assert body["concerns_acknowledged"]["median_minutes"] == "5.0"

    doulas = ServiceFactory(organisation=organisation, name="Doulas")
    other_family = supported(referral(organisation, doulas))
    for _ in range(4):
        concern(other_family)
    assert _rows(_dashboard(manager_client), "concerns_by_kind")["total"] == 15
    assert _rows(_dashboard(manager_client, service=service.pk), "concerns_by_kind")["total"] == 11
    assert _rows(_dashboard(manager_client, service=doulas.pk), "concerns_by_kind")["total"] == "<10"


def test_the_raised_at_boundaries_are_the_local_days_of_the_period(manager_client, match):
    # 23:30 on 30 June in London is 22:30 UTC: in the period.
    for _ in range(10):
        concern(match, raised_at=dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC))
    # 00:30 on 1 July in London: after it.
    concern(match, raised_at=dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC))
    assert _rows(_dashboard(manager_client), "concerns_by_kind")["total"] == 10


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0.4, "under a minute"),
        (1, "1\xa0minute"),
        (45.4, "45\xa0minutes"),
        (60, "1\xa0hour"),
        (105, "1\xa0hour 45\xa0minutes"),
        (23 * 60 + 59.6, "1\xa0day"),
        (26 * 60 + 20, "1\xa0day 2\xa0hours"),
        (2 * 24 * 60 + 4 * 60 + 7, "2\xa0days 4\xa0hours"),
    ],
)
def test_times_read_as_people_say_them(minutes, words):
    assert minutes_in_words(minutes) == words


def test_the_printable_summary_has_the_concerns_too(manager_client, match):
    assert RAISED_AT.date() >= dt.date.fromisoformat(PERIOD["date_from"])
    concern(match)
    summary = manager_client.get(reverse("dashboard:summary"), PERIOD).content.decode()
    assert "Concerns raised by outcome" in summary
