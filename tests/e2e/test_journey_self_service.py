"""Issue 23, self-service on a phone: the demo volunteer opens My details
from the top bar, changes her week with big toggles, pauses herself until a
date and reads when she is back; her coordinator sees the break."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from operations.core.dates import short_date
from tests.e2e.conftest import check_accessibility, open_from_menu, sign_in
from volunteers.models import VolunteerProfile


def test_a_volunteer_keeps_her_week_and_pauses_herself_and_her_coordinator_sees_it(demo, new_page, live_server):
    back_on = timezone.localdate() + dt.timedelta(days=45)
    page = new_page(width=360, height=740)
    sign_in(page, live_server, "volunteer")
    page.get_by_role("button", name="Show navigation").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My details").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="My details", level=1).is_visible()
    assert page.get_by_role("heading", name="My checks").is_visible()
    check_accessibility(page, "self-service my details on a phone")

    # Each time of the week is a toggle at least 44 px each way, for a thumb.
    toggle = page.locator("label", has_text="Tuesday Afternoon")
    box = toggle.bounding_box()
    assert box["height"] >= 44
    assert box["width"] >= 44
    was_free = page.get_by_label("Tuesday Afternoon").is_checked()
    toggle.click()
    page.get_by_role("button", name="Save my details").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Your details are saved").is_visible()
    profile = VolunteerProfile.objects.get(user__username="volunteer")
    assert ("tue_pm" in profile.availability) is not was_free

    page.get_by_label("I'm unavailable until").fill(back_on.isoformat())
    page.get_by_label("Reason (optional)").fill("Family wedding abroad")
    page.get_by_role("button", name="Pause me from matching").click()
    page.wait_for_load_state("networkidle")
    status = page.get_by_test_id("break-status")
    assert f"Back in matching on {short_date(back_on)}." in status.inner_text()
    assert page.get_by_role("button", name="End my break now").is_visible()
    check_accessibility(page, "self-service paused on a phone")

    staff = new_page()
    sign_in(staff, live_server, "coordinator")
    open_from_menu(staff, "People", "Compliance")
    breaks = staff.locator("section", has=staff.get_by_role("heading", name="On a break"))
    assert short_date(back_on) in breaks.inner_text()
    assert "Family wedding abroad" in breaks.inner_text()
    breaks.get_by_role("link").first.click()
    staff.wait_for_load_state("networkidle")
    assert f"back in matching on {short_date(back_on)}" in staff.get_by_test_id("break-status").inner_text()
    check_accessibility(staff, "self-service coordinator sees the break")
