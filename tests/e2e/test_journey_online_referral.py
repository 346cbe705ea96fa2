"""Browser journey of issue 21's online forms, on the demo data (both forms
open): a mother on a 360×740 phone refers herself (the pre-check shown
before she sends), then the coordinator signs in, sees the referral on the
triage board marked online, and moves it to contacted. Every page is
checked with axe-core; the quick exit leaves for a neutral site without
the form staying in the history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from operations.core.dates import short_date
from operations.core.months import add_months_rolling_forward
from referrals.models import Channel, Referral
from referrals.workflow import Status
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_journeys_core import move_on_board

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


def fill_self_referral(page: Page, *, born: dt.date) -> None:
    page.get_by_label("Befriending").check()
    page.get_by_label("First name").fill("Skye")
    page.get_by_label("Last name").fill("Phoneform")
    page.get_by_label("Your date of birth").fill("1995-08-14")
    page.get_by_label("the baby's date of birth").fill(born.isoformat())
    page.get_by_label("Council area you live in").select_option(label="Scottish Borders")
    page.get_by_label("Town or village").fill("Hawick")
    page.get_by_label("Phone number").fill("07700 900456")
    page.get_by_label("Text message", exact=True).check()
    page.get_by_label("When is it safe to contact you, and when not?").fill("Mornings, never at weekends")
    page.get_by_label("I agree that Tweed Valley Perinatal Support may contact me").check()


def test_a_mother_refers_herself_on_her_phone_and_the_coordinator_triages_it(demo, new_page, live_server):
    born = timezone.localdate() - dt.timedelta(days=40)
    until = add_months_rolling_forward(born, 12) - dt.timedelta(days=1)
    page = new_page(**PHONE)
    page.goto(f"{live_server.url}/refer/tweed-valley/")
    expect(page.get_by_role("heading", name="Ask Tweed Valley Perinatal Support for support")).to_be_visible()
    expect(page.get_by_role("link", name="Leave this site quickly")).to_be_visible()
    check_accessibility(page, "online journey self-referral form on a phone")

    fill_self_referral(page, born=born)
    page.get_by_role("button", name="Check", exact=True).click()

    precheck = page.get_by_role("status")
    expect(precheck).to_contain_text(
        f"Tweed Valley Perinatal Support can support you until your baby turns one (until {short_date(until)})."
    )
    # Nothing is sent by checking.
    assert not Referral.objects.filter(parent__last_name="Phoneform").exists()
    check_accessibility(page, "online journey pre-check on a phone")
    # The page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    precheck.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thank you: your form has been sent")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Your reference is R-[2-9A-Z]{8}"))).to_be_visible()
    check_accessibility(page, "online journey sent on a phone")
    referral = Referral.objects.get(parent__last_name="Phoneform")
    assert (referral.status, referral.channel) == (Status.RECEIVED, Channel.SELF_ONLINE)

    # The coordinator finds it on the board, marked online, and moves it on.
    desk = new_page()
    sign_in(desk, live_server, "coordinator")
    desk.goto(f"{live_server.url}/referrals/?status=received")
    card = desk.get_by_role("article", name=f"Referral {referral.pk}")
    expect(card).to_contain_text("Skye Phoneform")
    expect(card.get_by_text("Online", exact=True)).to_be_visible()
    check_accessibility(desk, "online journey board with the online card")
    move_on_board(desk, referral.pk, "received", "contacted")
    referral.refresh_from_db()
    assert referral.status == Status.CONTACTED


def test_the_quick_exit_leaves_for_a_neutral_site_and_the_form_is_not_in_the_history(demo, new_page, live_server):
    page = new_page(**PHONE)
    # The neutral site is answered here: the test never leaves the machine.
    page.route(re.compile(r"https://www\.bbc\.co\.uk/.*"), lambda route: route.fulfill(body="<title>Weather</title>"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/refer/tweed-valley/")
    page.get_by_label("First name").fill("Typed")

    page.get_by_role("link", name="Leave this site quickly").click()
    expect(page).to_have_url(NEUTRAL_SITE)
    page.go_back()
    # location.replace: going back skips the form.
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    page.goto(f"{live_server.url}/refer/tweed-valley/professional/")
    page.keyboard.press("Escape")
    expect(page).to_have_url(NEUTRAL_SITE)
