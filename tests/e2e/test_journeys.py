"""End-to-end journeys in a real browser. Run with `make e2e`."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import check_accessibility, open_from_menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_signs_in_and_reaches_their_home_page(demo, new_page, live_server):
    page = new_page()
    page.goto(f"{live_server.url}/")
    check_accessibility(page, "sign in page")
    sign_in(page, live_server, "coordinator")
    assert page.get_by_role("heading", name="Hello, Morag").is_visible()
    check_accessibility(page, "coordinator home")
    open_from_menu(page, "Admin", "Services")
    assert page.get_by_role("heading", name="Services").is_visible()
    check_accessibility(page, "services list")


def test_a_volunteer_home_page_works_on_a_phone(demo, new_page, live_server):
    page = new_page(width=360, height=740)
    sign_in(page, live_server, "volunteer")
    assert page.get_by_role("heading", name="Hello, Kirsty").is_visible()
    # On a phone the navigation folds behind a labelled toggle.
    page.get_by_role("button", name="Show navigation").click()
    assert page.get_by_role("link", name="Home").is_visible()
    check_accessibility(page, "volunteer home on a phone")
