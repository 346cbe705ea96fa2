"""Browser journey of issue 26 (texts received): a Tweed Valley coordinator
sees "Texts 2" in the top bar, opens the inbox, finds a text from a parent
linked to her record and one from an unknown number, finds the parent who
changed phone by name and links the text to her, then marks it done.
Each page is checked with axe-core; screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from operations.core.models import Organisation
from operations.notifications.inbound import receive_text
from operations.notifications.models import InboundText, TextHandling
from operations.notifications.reminder_settings import reminder_settings_create
from referrals.models import Parent
from tests.e2e.conftest import check_accessibility, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

OURS = "+447700900001"


def received(sid: str, sender: str, body: str) -> InboundText:
    inbound, _ = receive_text(
        provider="twilio",
        provider_message_id=sid,
        from_number=sender,
        to_number=OURS,
        body=body,
        received_at=timezone.now(),
    )
    return InboundText.objects.get(pk=inbound.pk)


def test_a_coordinator_reads_the_texts_and_links_an_unknown_number(demo, new_page, live_server) -> None:
    tweed = Organisation.objects.get(slug="tweed-valley")
    settings_row = reminder_settings_create(organisation_id=tweed.pk)
    settings_row.sms_number = OURS
    settings_row.save()
    parents = Parent.objects.filter(organisation=tweed, erased_at__isnull=True).order_by("pk")
    known, moved = parents[0], parents[1]
    Parent.objects.filter(pk=known.pk).update(phone="07700900511")
    Parent.objects.filter(organisation=tweed, phone="07700900522").update(phone="")

    from_known = received("SM-e2e-1", "+447700900511", "Can we make Thursday 2pm instead?")
    unknown = received("SM-e2e-2", "+447700900522", f"Hi it's {moved.first_name}, this is my new phone")
    assert from_known.parent_id == known.pk
    assert unknown.parent_id is None

    page = new_page()
    sign_in(page, live_server, "coordinator")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Texts 2 to deal with")).to_be_visible()
    nav.get_by_role("link", name="Texts 2 to deal with").click()
    expect(page.get_by_role("heading", name="Texts received")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    # Newest first: the unknown number, then her text linked to her record.
    expect(rows.nth(0)).to_contain_text("Unknown number")
    expect(rows.nth(1).get_by_role("link", name=known.display_name)).to_be_visible()
    check_accessibility(page, "messages-01-inbox")

    rows.nth(0).get_by_role("link", name="Link to a person").click()
    expect(page.get_by_role("heading", name="Who sent this text?")).to_be_visible()
    page.get_by_label("Search by name, postcode or phone").fill(f"{moved.first_name} {moved.last_name}")
    page.get_by_role("button", name="Find", exact=True).click()
    check_accessibility(page, "messages-02-find-the-person")
    page.get_by_role("button", name=f"Link to {moved.display_name}").click()

    expect(page.get_by_text("The text is linked to their record.")).to_be_visible()
    linked = page.locator("tbody tr").filter(has_text="this is my new phone")
    expect(linked.get_by_role("link", name=moved.display_name)).to_be_visible()
    check_accessibility(page, "messages-03-linked")
    linked.get_by_role("button", name="Mark done").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(nav.get_by_role("link", name="Texts 1 to deal with")).to_be_visible()

    unknown.refresh_from_db()
    assert (unknown.parent_id, unknown.handling) == (moved.pk, TextHandling.DONE)

    # Her record shows the text she sent.
    page.get_by_role("link", name="Texts 1 to deal with").click()
    page.get_by_label("Show", exact=True).select_option(label="All texts")
    page.get_by_role("button", name="Show", exact=True).click()
    page.locator("tbody tr").filter(has_text="this is my new phone").get_by_role(
        "link", name=moved.display_name
    ).click()
    expect(page.get_by_role("heading", name="Texts received")).to_be_visible()
    expect(page.get_by_text("this is my new phone").first).to_be_visible()
    check_accessibility(page, "messages-04-her-record")
