"""A manager opens coverage by council area from the dashboard, in a real
browser under the real Content-Security-Policy: the hex map is drawn with
every area, its colours follow the choice of measure, and the page passes axe."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS, check_accessibility, open_from_menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_reads_coverage_on_the_hex_map(demo, browser, new_page, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    sign_in(page, live_server, "manager")
    open_from_menu(page, "Reports", "Dashboard")
    page.get_by_role("link", name="Coverage by council area").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Coverage by council area").is_visible()
    assert page.locator("svg.hexes polygon").count() == 32
    # The demo organisation works in the Scottish Borders: outlined, with its births entered (a rate shown).
    borders = page.locator("svg.hexes g", has=page.locator("title", has_text="Scottish Borders"))
    assert "(one of your areas)" in borders.locator("title").text_content()
    assert page.locator("table").get_by_text("per 1,000").count() > 0
    # The map is as wide as its column, not squeezed or spilling.
    width = page.locator("svg.hexes").bounding_box()["width"]
    assert 300 < width <= 480

    page.get_by_label("Map shows", exact=True).select_option(label="Waiting today per 1,000 births")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    assert "Waiting today per 1,000 births" in page.locator("figcaption").inner_text()
    assert not refused, refused
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "coverage-map.png"), full_page=True)
    context.close()

    checked = new_page()
    sign_in(checked, live_server, "manager")
    checked.goto(f"{live_server.url}/coverage/?mode=publication")
    check_accessibility(checked, "coverage map for publication")
    checked.goto(f"{live_server.url}/coverage/births/")
    check_accessibility(checked, "births by council area")
