"""The dashboard's referrals by how they came in and by referrer type: the
same period, service, suppression and mode as the other referral tables,
one total shared by all four, on the page, in the downloads and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from referrals.models import Channel
from tests.dashboard.helpers import PERIOD, PUBLISHED, TO, referral
from tests.dashboard.test_figures import by_key, figures
from tests.downloads.conftest import csv_rows
from tests.factories import ReferrerFactory, ReferringOrganisationFactory

pytestmark = pytest.mark.django_db


def _referred_by(organisation, service, referrer=None, *, channel=Channel.STAFF, **fields):
    made = referral(organisation, service, **fields)
    made.referrer, made.channel = referrer, channel
    made.save(update_fields=["referrer", "channel"])
    return made


@pytest.fixture
def referrers(organisation):
    def person(kind: str):
        team = ReferringOrganisationFactory(organisation=organisation, kind=kind)
        return ReferrerFactory(organisation=organisation, referring_organisation=team)

    return {"midwife": person("midwifery"), "gp": person("gp_practice")}


def test_referrals_are_counted_by_how_they_came_in_and_by_the_kind_of_referring_team(
    manager_client, organisation, service, referrers
):
    for _ in range(12):
        _referred_by(organisation, service, referrers["midwife"])
    for _ in range(15):
        _referred_by(organisation, service, referrers["gp"], channel=Channel.PROFESSIONAL_ONLINE)
    for _ in range(20):
        _referred_by(organisation, service, channel=Channel.SELF_ONLINE, source="self")
    teamless = ReferrerFactory(organisation=organisation, referring_organisation=None)
    for _ in range(11):
        _referred_by(organisation, service, teamless)
    _referred_by(organisation, service, referrers["gp"], received_on=TO + dt.timedelta(days=1))  # outside the period

    body = figures(manager_client, mode="internal")
    channels = body["tables"]["referrals_by_channel"]
    assert by_key(channels) == {"staff": 23, "self_online": 20, "professional_online": 15, "partner_api": 0}
    assert [row["label"] for row in channels["rows"]][:2] == ["Typed by staff", "Online self-referral form"]
    kinds = body["tables"]["referrals_by_referrer_kind"]
    assert by_key(kinds)["midwifery"] == 12
    assert by_key(kinds)["gp_practice"] == 15
    assert by_key(kinds)["health_visiting"] == 0
    # Self-referrals, and a referrer without a team: nothing says what kind of team referred.
    assert by_key(kinds)["not_recorded"] == 31
    assert kinds["rows"][-1]["label"] == "Not recorded"
    assert channels["totals"] == kinds["totals"] == body["tables"]["referrals_by_source"]["totals"] == [58]


def test_small_counts_are_suppressed_and_one_hidden_total_is_hidden_in_all_four_tables(
    manager_client, organisation, service, referrers
):
    _referred_by(organisation, service, channel=Channel.SELF_ONLINE, source="self")
    for _ in range(10):
        _referred_by(organisation, service, referrers["gp"])

    body = figures(manager_client)  # for publication, the API's default
    channels = body["tables"]["referrals_by_channel"]
    assert by_key(channels)["self_online"] == "<10"
    # 11 - 10 would give the 1 away: the total goes, in every table that shows it.
    for key in ("referrals_by_channel", "referrals_by_referrer_kind", "referrals_by_source", "referrals_by_month"):
        assert body["tables"][key]["totals"] == ["suppressed"], key
    assert 11 not in by_key(body["tables"]["referrals_by_referrer_kind"]).values()
    assert body["headline"]["referrals"] == "suppressed"


def test_the_page_shows_both_tables_with_charts(manager_client, organisation, service, referrers):
    for _ in range(12):
        _referred_by(organisation, service, referrers["midwife"], channel=Channel.PROFESSIONAL_ONLINE)
    page = manager_client.get(reverse("dashboard:index"), PERIOD).content.decode()
    assert '<canvas data-chart="referrals_by_channel"' in page
    assert '<canvas data-chart="referrals_by_referrer_kind"' in page
    row = page.split("Online professional referral form</th>", 1)[1].split("</tr>", 1)[0]
    assert ">12<" in row
    row = page.split("Midwifery team</th>", 1)[1].split("</tr>", 1)[0]
    assert ">12<" in row
    summary = manager_client.get(reverse("dashboard:summary"), PUBLISHED).content.decode()
    assert "Referrals by how they came in" in summary
    assert "Referrals by referrer type" in summary


@pytest.mark.parametrize(
    ("table", "heading", "first_row"),
    [
        ("referrals_by_channel", "Came in by", "Typed by staff"),
        ("referrals_by_referrer_kind", "Referrer type", "Health visiting team"),
    ],
)
def test_each_table_downloads_with_the_dashboards_suppression(
    manager_client, organisation, service, referrers, table, heading, first_row
):
    for _ in range(3):
        _referred_by(organisation, service, referrers["midwife"])
    rows = csv_rows(manager_client.get(reverse("dashboard:index"), {**PERIOD, "table": table, "download": "csv"}))
    assert rows[0] == [heading, "Referrals"]
    assert rows[1][0] == first_row
    assert ["Total", "<10"] in rows  # a download without a mode is for publication
    assert "3" not in {cell for row in rows for cell in row}
