"""Browser journey of issue 21's referrer directory, on the demo data, each
page checked with axe-core: a coordinator takes a referral from a health
visitor who is not in the directory yet (added from the referral form, no
script needed), sees the referral say who referred, and merges the demo's
duplicate midwife from the directory."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import Referral, Referrer
from tests.e2e.conftest import check_accessibility, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_adds_a_referrer_from_the_form_and_merges_a_duplicate(demo, new_page, live_server):
    page = new_page()
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/referrals/new/")
    page.get_by_label("Service").select_option(label="Befriending")
    page.get_by_label("First name").fill("Isla")
    page.get_by_label("Last name").fill("Directoryfield")
    page.get_by_label("Council area").select_option(label="Scottish Borders")
    page.get_by_label("Due date").fill((timezone.localdate() + dt.timedelta(days=90)).isoformat())
    page.get_by_label("Source").select_option("health_visitor")
    page.get_by_text("Add a referrer to the directory").click()
    page.get_by_label("Referrer's name").fill("Eilidh Brownlee")
    page.get_by_label("Their role").fill("Health visitor")
    page.get_by_label("Their team").select_option(label="Galashiels health visiting team")
    page.get_by_label("The parent agreed the referrer may hear how the referral goes").check()
    page.get_by_role("button", name="Save referral").click()
    expect(page.get_by_text(re.compile(r"Referral #\d+ received\."))).to_be_visible()
    referrer = page.locator("#referral-referrer")
    expect(referrer).to_contain_text("Eilidh Brownlee (Health visitor), Galashiels health visiting team")
    check_accessibility(page, "referrers referral names the referrer")
    assert Referral.objects.get(parent__last_name="Directoryfield").referrer.name == "Eilidh Brownlee"

    # The referrer's link leads to the directory entry, and on to the directory.
    referrer.get_by_role("link", name="Eilidh Brownlee").click()
    expect(page.get_by_role("heading", name="Referrals made (1)")).to_be_visible()
    check_accessibility(page, "referrers referrer page")
    page.get_by_role("link", name="Referrer directory").click()
    expect(page.get_by_role("heading", name="Possible duplicates")).to_be_visible()
    check_accessibility(page, "referrers directory")

    # The demo's "fiona gilmour" is Fiona Gilmour typed again.
    keep = Referrer.objects.get(name="Fiona Gilmour", organisation__slug="tweed-valley")
    made = Referral.objects.filter(referrer__name__iexact="fiona gilmour", organisation__slug="tweed-valley").count()
    page.get_by_role("link", name="Merge the second into the first…").first.click()
    expect(page.get_by_label("Keep this record")).to_have_value(str(keep.pk))
    check_accessibility(page, "referrers merge")
    page.get_by_role("button", name="Merge").click()
    expect(page.get_by_text(re.compile(r"Merged into Fiona Gilmour: \d+ referrals? moved"))).to_be_visible()
    assert not Referrer.objects.filter(name="fiona gilmour").exists()
    assert Referral.objects.filter(referrer=keep).count() == made
