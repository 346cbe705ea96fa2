"""The top bar in a real browser (issue 22): one row at 1280 px for every
role, the current section marked, keyboard focus plainly visible in the bar
and its menus, the folded bar on a phone, the links still there without
JavaScript; and on the triage board, focus stays with a moved card while a
live region says where it went."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from referrals.models import Referral
from referrals.workflow import Status
from tests.e2e.conftest import check_accessibility, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

#: Per role: a page of one section, the bar's entry marking it, and the link
#: to the page (inside that entry's menu when it is a menu).
MARKED = {
    "volunteer": ("/groups/", "My groups", None),
    "pso": ("/volunteers/", "Supervision", "Supervisees"),
    "coordinator": ("/referrals/waiting/", "Referrals", "Waiting list"),
    "manager": ("/dashboard/", "Reports", "Dashboard"),
}


def assert_focus_plain_to_see(page: Page) -> None:
    """The focused element has a ring (outline or box shadow) and the bar's
    yellow fill (waiting out Bootstrap's short colour transition)."""
    page.wait_for_function("() => getComputedStyle(document.activeElement).backgroundColor === 'rgb(255, 221, 0)'")
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.boxShadow]; }"
    )
    assert style[0] != "none" or style[1] != "none", style


def focused_in_nav(page: Page) -> dict:
    return page.evaluate(
        """() => {
        const el = document.activeElement;
        return {inNav: !!el.closest('nav[aria-label="Main"]'), classes: el.className, text: el.textContent.trim()};
    }"""
    )


def tab_to(page: Page, wanted: str, *, limit: int = 30) -> None:
    """Presses Tab until the element whose text starts with ``wanted`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_in_nav(page)["text"].startswith(wanted):
            return
    raise AssertionError(f"Tab never reached {wanted!r}")


@pytest.mark.parametrize("username", ["volunteer", "pso", "coordinator", "manager"])
def test_the_bar_fits_one_row_marks_the_section_and_shows_keyboard_focus(demo, new_page, live_server, username):
    page = new_page(width=1280, height=800)
    sign_in(page, live_server, username)
    nav = page.get_by_role("navigation", name="Main")

    # One row: the bar is one line high, its first and last entries and the search side by side.
    assert nav.bounding_box()["height"] < 80
    entries = nav.locator("#main-nav > ul > li")
    first, last = entries.first.bounding_box(), entries.last.bounding_box()
    search = nav.get_by_role("search").bounding_box()
    assert abs(first["y"] - last["y"]) < 2
    assert abs((first["y"] + first["height"] / 2) - (search["y"] + search["height"] / 2)) < 8

    path, marked, link = MARKED[username]
    page.goto(f"{live_server.url}{path}")
    if link is None:
        expect(nav.get_by_role("link", name=marked, exact=True)).to_have_attribute("aria-current", "page")
    else:
        toggle = nav.get_by_role("button", name=marked, exact=True)
        expect(toggle).to_have_attribute("aria-current", "true")
        # No other entry of the bar is marked.
        expect(nav.locator(".nav-link[aria-current]")).to_have_count(1)
        toggle.click()
        expect(nav.get_by_role("link", name=link, exact=True)).to_have_attribute("aria-current", "page")
        page.keyboard.press("Escape")

    # Keyboard focus on a link of the bar, and on a link inside a menu, is plain to see.
    page.locator("body").click(position={"x": 5, "y": 300})
    page.get_by_role("link", name="Peer support").focus()
    tab_to(page, "Home")
    assert_focus_plain_to_see(page)
    if link is not None:
        tab_to(page, marked)
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        focused = focused_in_nav(page)
        assert "dropdown-item" in focused["classes"], focused
        assert_focus_plain_to_see(page)
        check_accessibility(page, f"{username} top bar with a menu open")


def test_on_a_phone_the_folded_bar_opens_its_menus_and_the_search_stays_outside(demo, new_page, live_server):
    page = new_page(width=360, height=740)
    sign_in(page, live_server, "coordinator")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("searchbox", name="Search")).to_be_visible()
    expect(nav.get_by_role("button", name="Referrals", exact=True)).to_be_hidden()

    nav.get_by_role("button", name="Show navigation").click()
    nav.get_by_role("button", name="Referrals", exact=True).click()
    nav.get_by_role("link", name="Waiting list", exact=True).click()
    expect(page.get_by_role("heading", name="Waiting list", exact=True)).to_be_visible()
    expect(nav.get_by_role("searchbox", name="Search")).to_be_visible()
    nav.get_by_role("button", name="Show navigation").click()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bcollapse show\b"))  # unfolded, not unfolding
    expect(nav.get_by_role("button", name="Referrals", exact=True)).to_have_attribute("aria-current", "true")
    check_accessibility(page, "coordinator top bar open on a phone")


def test_without_javascript_every_link_of_the_bar_is_still_there(demo, browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server, "manager")
        nav = page.get_by_role("navigation", name="Main")
        for name in ("Triage board", "Compliance", "Calendar", "Notification log", "Retention", "Account"):
            expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
        nav.get_by_role("link", name="Retention", exact=True).click()
        expect(page).to_have_url(re.compile(r"/retention/$"))
    finally:
        context.close()


def test_after_a_move_on_the_board_focus_stays_on_the_card_and_the_move_is_announced(demo, new_page, live_server):
    page = new_page()
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/referrals/")
    received = page.locator("#column-received").locator("xpath=ancestor::section[1]")
    card = received.get_by_role("article").first
    referral = Referral.objects.get(pk=int(card.get_attribute("aria-label").removeprefix("Referral ")))

    # By keyboard: choose the state, type a reason, press Enter on Move.
    card.get_by_label("Move to").select_option(Status.CONTACTED)
    card.get_by_label("Reason").fill("Rang her")
    card.get_by_role("button", name="Move").focus()
    page.keyboard.press("Enter")

    announcement = page.locator("#board-announcement")
    expect(announcement).to_have_text(f"Referral #{referral.pk} moved to Contacted.")
    moved = (
        page.locator("#column-contacted")
        .locator("xpath=ancestor::section[1]")
        .get_by_role("article", name=f"Referral {referral.pk}")
    )
    expect(moved).to_be_visible()
    assert moved.evaluate("card => card.contains(document.activeElement)")
    assert Referral.objects.get(pk=referral.pk).status == Status.CONTACTED
    check_accessibility(page, "triage board after a keyboard move")

    # Moved off the board (closed states are not on it): focus goes to the column it left.
    moved.get_by_label("Move to").select_option(label="Withdrawn")
    moved.get_by_label("Reason").fill("Moved away")
    moved.get_by_role("button", name="Move").click()
    expect(announcement).to_have_text(f"Referral #{referral.pk} moved to Withdrawn. The board no longer shows it.")
    assert page.evaluate("() => document.activeElement.id") == "column-contacted"
