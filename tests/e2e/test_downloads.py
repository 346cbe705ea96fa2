"""A coordinator downloads a list with its filters and prints it, in a real
browser: the file is the list on the screen, and the printed page is the
list alone (no navigation, filters or buttons)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.e2e.conftest import ARTIFACTS, check_accessibility, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


def test_a_coordinator_downloads_the_filtered_volunteer_list_and_prints_it(demo, new_page, live_server):
    page = new_page()
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/volunteers/?status=active")
    rows_on_screen = page.locator("#volunteer-table tbody tr").count()
    names_on_screen = page.locator("#volunteer-table tbody tr td:first-child").all_inner_texts()
    check_accessibility(page, "volunteer list with downloads")

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download CSV").click()
    download = waiting.value
    assert download.suggested_filename.startswith("volunteers-")
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))  # noqa: PTH123, SIM115
    assert rows[0][:3] == ["Name", "Kind", "Status"]
    assert {row[2] for row in rows[1:]} == {"Active"}
    # A page of 25 at most on the screen; the file holds every row the filter finds.
    assert len(rows) - 1 >= rows_on_screen
    assert set(names_on_screen) <= {row[0] for row in rows[1:]}

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download Excel").click()
    assert waiting.value.suggested_filename.endswith(".xlsx")

    page.emulate_media(media="print")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "volunteer-list-print.png"), full_page=True)
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("link", name="Download CSV").is_visible()
    assert not page.get_by_role("button", name="Filter").is_visible()
    assert page.locator("#volunteer-table table").is_visible()
    # The table uses the page's whole width.
    table_width = page.locator("#volunteer-table table").evaluate("t => t.getBoundingClientRect().width")
    assert table_width > 0.95 * page.evaluate("() => document.documentElement.clientWidth")
