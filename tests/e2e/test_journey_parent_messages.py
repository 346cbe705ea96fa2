"""Browser journey of issue 26 (parents' messages): a manager writes a quick
text, previews it and adds its Polish translation; a coordinator opens a
Polish-speaking mother's record, chooses the quick text (it fills the
message in Polish, and the counter says how many texts it takes) and sends
it; the page says it is in the outbox and her timeline shows it. Each page
is checked with axe-core; screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from operations.notifications.models import Notification
from referrals.models import Parent
from tests.e2e.conftest import check_accessibility, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def polish_mother(demo):
    """A Tweed Valley mother who speaks Polish and whose texts are safe."""
    parent = Parent.objects.filter(organisation__slug="tweed-valley", erased_at__isnull=True).first()
    parent.language = "Polish"
    parent.first_name = "Ola"
    parent.preferred_name = ""
    parent.phone = "07700900123"
    parent.safe_sms = True
    parent.contact_through_referrer = False
    parent.processing_restricted = False
    parent.contact_safety_recorded_at = timezone.now()
    parent.save()
    return parent


def test_a_manager_writes_a_quick_text_and_a_coordinator_sends_it_in_polish(
    polish_mother, new_page, live_server, time_machine
) -> None:
    # Midday: outside the quiet hours, so the text goes at once.
    time_machine.move_to(timezone.localtime().replace(hour=12, minute=0), tick=True)
    desk = new_page()
    sign_in(desk, live_server, "manager")
    desk.goto(f"{live_server.url}/notifications/log/")
    desk.get_by_role("link", name="Message templates").click()
    expect(desk.get_by_role("heading", name="Message templates")).to_be_visible()
    check_accessibility(desk, "parent-messages-01-templates")

    desk.get_by_role("link", name="Add a quick text").click()
    desk.get_by_label("Name", exact=True).fill("On my way")
    desk.locator("#id_body").fill("On my way, {first_name}: with you in 10 minutes.")
    desk.get_by_role("button", name="Preview").click()
    expect(desk.get_by_text("On my way, Sam: with you in 10 minutes.")).to_be_visible()
    check_accessibility(desk, "parent-messages-02-preview")
    desk.get_by_role("button", name="Save template").click()
    expect(desk.get_by_text("Template saved")).to_be_visible()

    desk.get_by_role("link", name="Add a translation of On my way").click()
    desk.get_by_label("Language").fill("Polish")
    desk.locator("#id_body").fill("Już jadę, {first_name}: będę za 10 minut.")
    desk.get_by_role("button", name="Save template").click()
    expect(desk.get_by_text("Już jadę, {first_name}: będę za 10 minut.")).to_be_visible()

    coordinator = new_page()
    sign_in(coordinator, live_server, "coordinator")
    coordinator.goto(f"{live_server.url}/referrals/parents/{polish_mother.pk}/")
    coordinator.get_by_role("link", name="Send a text").click()
    expect(coordinator.get_by_role("heading", name="Send a text")).to_be_visible()
    coordinator.get_by_label("Quick text").select_option("On my way")
    expect(coordinator.get_by_label("Message", exact=True)).to_have_value("Już jadę, Ola: będę za 10 minut.")
    expect(coordinator.get_by_text("characters: 1 text message.")).to_be_visible()
    check_accessibility(coordinator, "parent-messages-03-send-a-text")
    coordinator.get_by_role("button", name="Send the text").click()
    expect(coordinator.get_by_text("Your text is in the outbox.")).to_be_visible()
    expect(coordinator.get_by_text("Text message", exact=False).first).to_be_visible()
    check_accessibility(coordinator, "parent-messages-04-record-after")
    row = Notification.objects.get(kind="text_from_staff", recipient_parent=polish_mother)
    assert row.body == "Już jadę, Ola: będę za 10 minut."
