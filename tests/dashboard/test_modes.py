"""Exact figures for managers, suppressed ones for publication (issue 22):
each door's default, the line that says which figures these are, the chart
data marking what it hides, and kept figures never crossing modes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from operations.core.disclosure import SECONDARY, SHOWN, SMALL
from operations.dashboard.modes import INVALID, Mode
from tests.dashboard.helpers import PERIOD, before_and_after, consenting_referral, referral, supported

pytestmark = pytest.mark.django_db

INTERNAL_LINE = "Internal: exact figures — do not publish"
PUBLICATION_LINE = "For publication: counts from 1 to 9 shown as &lt;10"


@pytest.fixture
def seven_self_referrals(organisation, service):
    """7 self-referrals, 25 from health visitors and 40 from GPs: for
    publication the 7 is "<10" and the 25 is suppressed (72 - 40 - 7)."""
    for _ in range(7):
        referral(organisation, service, source="self")
    for _ in range(25):
        referral(organisation, service, source="health_visitor")
    for _ in range(40):
        referral(organisation, service, source="gp")


def _page(client, url_name: str, **params) -> str:
    response = client.get(reverse(url_name), {**PERIOD, **params})
    assert response.status_code == 200
    return response.content.decode()


def _row(page: str, heading: str) -> str:
    return page.split(f"{heading}</th>", 1)[1].split("</tr>", 1)[0]


def _charts(page: str) -> dict:
    block = page.split('<script id="dashboard-charts" type="application/json">', 1)[1].split("</script>", 1)[0]
    return {chart["key"]: chart for chart in json.loads(block)}


def _api(client, **params) -> dict:
    response = client.get(reverse("api-dashboard"), {**PERIOD, **params})
    assert response.status_code == 200, response.content
    return response.json()


# --- The page -------------------------------------------------------------------


def test_the_page_shows_exact_figures_by_default_and_says_so(manager_client, seven_self_referrals):
    response = manager_client.get(reverse("dashboard:index"), PERIOD)
    page = response.content.decode()
    assert INTERNAL_LINE in page
    assert PUBLICATION_LINE not in page
    assert ">7<" in _row(page, "Self-referral")
    assert ">25<" in _row(page, "Health visitor")
    assert "&lt;10" not in page.split('id="referrals-heading"', 1)[1].split("</section>", 1)[0]
    # The choice is on the filter form, internal ticked.
    assert 'value="internal" id="id_mode_0" checked' in page.replace("  ", " ")
    assert response.context["mode"] is Mode.INTERNAL


def test_the_page_in_publication_mode_suppresses_as_before(manager_client, seven_self_referrals):
    page = _page(manager_client, "dashboard:index", mode="publication")
    assert PUBLICATION_LINE in page
    assert INTERNAL_LINE not in page
    assert "&lt;10" in _row(page, "Self-referral")
    assert "suppressed" in _row(page, "Health visitor")
    assert ">7<" not in _row(page, "Self-referral")
    assert "25" not in _row(page, "Health visitor")


def test_the_line_follows_the_threshold_setting(manager_client, settings):
    settings.DISCLOSURE_SUPPRESS_BELOW = 5
    page = _page(manager_client, "dashboard:summary")
    assert "For publication: counts from 1 to 4 shown as &lt;5" in page


def test_the_links_between_page_and_summary_leave_the_mode_behind(manager_client, service):
    page = _page(manager_client, "dashboard:index", mode="internal", service=service.pk)
    link = page.split("Printable summary for funders", 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    assert f"service={service.pk}" in link
    assert "mode=" not in link  # the summary starts suppressed, whatever the page showed
    summary = _page(manager_client, "dashboard:summary", mode="internal")
    back = summary.split("Back to the dashboard", 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    assert "mode=" not in back


# --- The printable summary ------------------------------------------------------


def test_the_summary_is_suppressed_by_default_and_says_so(manager_client, seven_self_referrals):
    response = manager_client.get(reverse("dashboard:summary"), PERIOD)
    page = response.content.decode()
    assert response.context["mode"] is Mode.PUBLICATION
    assert PUBLICATION_LINE in page
    assert "&lt;10" in _row(page, "Self-referral")
    assert ">7<" not in _row(page, "Self-referral")
    # The line prints with the figures (the filters do not).
    line = page.split(PUBLICATION_LINE, 1)[0].rsplit("<p", 1)[1]
    assert "d-print-none" not in line


def test_the_summary_shows_exact_figures_when_chosen_and_says_not_to_publish_them(manager_client, seven_self_referrals):
    page = _page(manager_client, "dashboard:summary", mode="internal")
    assert INTERNAL_LINE in page
    assert ">7<" in _row(page, "Self-referral")
    line = page.split(INTERNAL_LINE, 1)[0].rsplit("<p", 1)[1]
    assert "d-print-none" not in line


@pytest.mark.parametrize("url_name", ["dashboard:index", "dashboard:summary"])
def test_an_unknown_mode_is_a_field_error_not_a_guess(manager_client, seven_self_referrals, url_name):
    response = manager_client.get(reverse(url_name), {**PERIOD, "mode": "exact"})
    assert response.status_code == 200
    assert response.context["board"] is None
    assert response.context["form"].errors["mode"] == [INVALID]
    page = response.content.decode()
    assert ">7<" not in page
    assert INTERNAL_LINE not in page


# --- The API --------------------------------------------------------------------


def test_the_api_is_suppressed_by_default_and_says_so(manager_client, seven_self_referrals):
    body = _api(manager_client)
    assert body["mode"] == "publication"
    assert body["mode_notice"] == "For publication: counts from 1 to 9 shown as <10"
    sources = {row["key"]: row["values"][0] for row in body["tables"]["referrals_by_source"]["rows"]}
    assert sources["self"] == "<10"
    assert sources["health_visitor"] == "suppressed"


def test_the_api_gives_exact_figures_when_asked(manager_client, organisation, service, seven_self_referrals):
    # A handful of everything that publication would hide or leave out.
    for _ in range(3):
        made = consenting_referral(
            organisation, service, received_on=dt.date(2026, 2, 1), started_on=dt.date(2026, 3, 1)
        )
        supported(made, minutes=90)
        before_and_after(made, measure="gad7", baseline=15, latest=5)
    body = _api(manager_client, mode="internal")
    assert body["mode"] == "internal"
    assert body["mode_notice"] == "Internal: exact figures — do not publish"
    sources = {row["key"]: row["values"][0] for row in body["tables"]["referrals_by_source"]["rows"]}
    assert (sources["self"], sources["health_visitor"], sources["gp"], sources["midwife"]) == (7, 25, 40, 3)
    assert body["headline"]["referrals"] == 75
    assert body["headline"]["contacts"] == 3
    assert body["contact_hours"] == "4.5"
    assert body["waiting"] == {"referrals": 3, "median_days": "28.0", "p90_days": "28.0"}
    gad7 = next(row for row in body["outcomes"] if row["measure"] == "gad7")
    assert (gad7["people"], gad7["reliably_improved"], gad7["share_reliably_improved"]) == (3, 3, 100)

    published = _api(manager_client, mode="publication")
    assert published["headline"]["contacts"] == "<10"
    assert published["contact_hours"] is None


@pytest.mark.parametrize("value", ["exact", ""])
def test_the_api_refuses_an_unknown_or_empty_mode(manager_client, value):
    response = manager_client.get(reverse("api-dashboard"), {"mode": value})
    assert response.status_code == 400
    assert list(response.json()) == ["mode"]


@pytest.mark.parametrize("persona", ["coordinator_client", "pso_client", "volunteer_client"])
def test_exact_figures_are_for_managers_only(request, persona):
    client = request.getfixturevalue(persona)
    for url_name in ("dashboard:index", "dashboard:summary", "api-dashboard"):
        assert client.get(reverse(url_name), {"mode": "internal"}).status_code == 403


# --- The charts ------------------------------------------------------------------


def test_the_chart_data_marks_every_hidden_value(manager_client, organisation, service, seven_self_referrals):
    for _ in range(3):
        made = consenting_referral(organisation, service, source="gp")
        before_and_after(made, measure="gad7", baseline=15, latest=5)
    charts = _charts(_page(manager_client, "dashboard:index", mode="publication"))

    sources = charts["referrals_by_source"]
    series = sources["series"][0]
    by_label = dict(zip(sources["labels"], zip(series["values"], series["marks"], strict=True), strict=True))
    # "<10": a hatched bar up to the threshold, labelled.
    assert by_label["Self-referral"] == (None, {"text": "<10", "up_to": 10})
    # "suppressed": at least the threshold by an unknown amount, a label with no bar.
    assert by_label["Health visitor"] == (None, {"text": "suppressed", "up_to": None})
    assert by_label["GP"] == (43, None)
    assert by_label["Midwife"] == (0, None)  # a true zero is plotted as one
    # A measure with too few people is named, not an empty slot.
    outcomes = charts["outcomes"]
    gad7 = outcomes["labels"].index("GAD-7")
    assert outcomes["series"][0]["values"][gad7] is None
    assert outcomes["series"][0]["marks"][gad7] == {"text": "<10 people", "up_to": None}
    # No hidden value goes without a mark, in any chart.
    for chart in charts.values():
        for one in chart["series"]:
            assert len(one["marks"]) == len(one["values"]) == len(chart["labels"])


def test_internal_chart_data_is_exact_and_unmarked(manager_client, seven_self_referrals):
    charts = _charts(_page(manager_client, "dashboard:index"))
    sources = charts["referrals_by_source"]
    values = dict(zip(sources["labels"], sources["series"][0]["values"], strict=True))
    assert (values["Self-referral"], values["Health visitor"], values["GP"]) == (7, 25, 40)
    for chart in charts.values():
        for one in chart["series"]:
            if chart["key"] != "outcomes":  # no one assessed: nothing to plot there either way
                assert not any(one["marks"]), chart["key"]


# --- Kept figures ----------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["dashboard:index", "dashboard:summary"])
def test_kept_figures_never_cross_modes(manager_client, seven_self_referrals, settings, url_name):
    settings.DASHBOARD_CACHE_SECONDS = 300
    internal = _page(manager_client, url_name, mode="internal")
    assert ">7<" in _row(internal, "Self-referral")
    # Straight after the exact figures were kept: the suppressed ones, counted for publication.
    published = _page(manager_client, url_name, mode="publication")
    assert PUBLICATION_LINE in published
    assert INTERNAL_LINE not in published
    assert ">7<" not in _row(published, "Self-referral")
    assert "&lt;10" in _row(published, "Self-referral")
    # And back: each mode's kept figures answer only that mode.
    again = _page(manager_client, url_name, mode="internal")
    assert ">7<" in _row(again, "Self-referral")


def test_a_mode_keeps_its_figures(manager_client, organisation, service, seven_self_referrals, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    _page(manager_client, "dashboard:index", mode="publication")
    _page(manager_client, "dashboard:index")  # internal, kept under its own key
    for _ in range(5):
        referral(organisation, service, source="self")
    # Both modes answer from what they kept: neither was overwritten by the other.
    assert "&lt;10" in _row(_page(manager_client, "dashboard:index", mode="publication"), "Self-referral")
    assert ">7<" in _row(_page(manager_client, "dashboard:index"), "Self-referral")


# --- The rules behind the modes ------------------------------------------------


def test_internal_mode_shows_every_count_and_publication_applies_the_rules():
    internal = Mode.INTERNAL.protect_line([7, 25, 40], hide_total=True)
    assert [cell.status for cell in internal.cells] == [SHOWN, SHOWN, SHOWN]
    assert (internal.total.status, internal.total.display) == (SHOWN, "72")
    assert Mode.INTERNAL.protect(3).display == "3"

    published = Mode.PUBLICATION.protect_line([7, 25, 40])
    assert [cell.status for cell in published.cells] == [SMALL, SECONDARY, SHOWN]
    assert Mode.PUBLICATION.protect(3).display == "<10"
    with pytest.raises(ValueError, match="cannot be negative"):
        Mode.INTERNAL.protect(-1)
