"""Browser journey of issue 26 (SMS providers): a manager gives her
organisation its own SMS number on the reminder settings page; a reminder
goes out through Twilio (the fake provider on loopback) from that number;
the fake provider calls the live server back over HTTP with a signed
delivery receipt for it, and one saying another text was not delivered;
the coordinator's notification log says so in words. Each page is checked
with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from operations.core.models import Role
from operations.notifications.models import Channel, Status
from operations.notifications.services import notification_send, notification_write
from tests.e2e.conftest import check_accessibility, sign_in
from tests.factories import OrganisationFactory, member
from tests.notifications.fake_sms_provider import TWILIO_SID, TWILIO_TOKEN, FakeSmsProvider

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_manager_sets_the_number_and_the_coordinator_sees_what_was_delivered(new_page, live_server, settings):
    organisation = OrganisationFactory(name="Tweed Valley Peer Support")
    manager = member(username="sms-manager", organisation=organisation, role=Role.MANAGER)
    coordinator = member(username="sms-coordinator", organisation=organisation, role=Role.COORDINATOR)
    page = new_page()

    sign_in(page, live_server, manager.username)
    page.goto(f"{live_server.url}/notifications/settings/")
    page.get_by_label("Text messages come from").fill("landline 01896 123456")
    page.get_by_role("button", name="Save reminder settings").click()
    expect(page.get_by_text("Enter a mobile number")).to_be_visible()
    check_accessibility(page, "sms-number-refused")
    page.get_by_label("Text messages come from").fill("07700 900001")
    page.get_by_role("button", name="Save reminder settings").click()
    expect(page.get_by_text("Reminder settings saved")).to_be_visible()
    expect(page.get_by_label("Text messages come from")).to_have_value("+447700900001")
    check_accessibility(page, "sms-number-saved")

    with FakeSmsProvider() as provider:
        settings.SMS_BACKEND = "twilio"
        settings.TWILIO_API_URL = provider.url
        settings.TWILIO_ACCOUNT_SID = TWILIO_SID
        settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
        settings.SMS_PUBLIC_BASE_URL = live_server.url
        settings.NOTIFICATION_IGNORE_QUIET_HOURS = True
        for key in ("visit-reminder-1", "visit-reminder-2"):
            notification, _ = notification_write(
                key=key, kind="session_reminder", channel=Channel.SMS, organisation=organisation,
                subject="Session tomorrow", body="Your group is tomorrow at 10:00.", recipient_address="+447700900123",
            )  # fmt: skip
            assert notification_send(notification_id=notification.pk) == Status.SENT
        delivered, lost = provider.sent
        assert delivered.fields["From"] == "+447700900001"
        assert provider.twilio_status(live_server.url, delivered, "delivered")[0] == 204
        assert provider.twilio_status(live_server.url, lost, "undelivered", error_code="30005")[0] == 204

    page = new_page()
    sign_in(page, live_server, coordinator.username)
    page.goto(f"{live_server.url}/notifications/log/")
    expect(page.get_by_text("Not delivered: number not in service")).to_be_visible()
    expect(page.get_by_text("Delivered ", exact=False).first).to_be_visible()
    check_accessibility(page, "sms-log-with-receipts")
