"""Browser journey of issue 24's transfers, on the demo data, each page
checked with axe-core: Tweed Valley's coordinator proposes to transfer a
waiting family to Family Start East Lothian; East Lothian's coordinator
finds it in the Transfers worklist, sees the proposal without the family's
name, and accepts it into their own service; the family is a new referral
in their triage, and Tweed Valley's referral reads "Transferred"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from referrals.models import Referral, Transfer
from referrals.workflow import Status
from tests.e2e.conftest import check_accessibility, open_from_menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_family_is_transferred_between_two_organisations(demo, new_page, live_server):
    referral = (
        Referral.objects.filter(organisation__slug="tweed-valley", status=Status.WAITING)
        .exclude(matches__isnull=False)
        .select_related("parent")
        .order_by("pk")
        .first()
    )
    name = referral.parent.display_name

    sender = new_page()
    sign_in(sender, live_server, "coordinator")
    sender.goto(f"{live_server.url}/referrals/{referral.pk}/")
    sender.get_by_role("link", name="Transfer to another organisation").click()
    check_accessibility(sender, "transfer propose")
    sender.get_by_label("Organisation the family is moving to").select_option(label="Family Start East Lothian")
    sender.get_by_label("Why the family is moving").fill("Moving to Musselburgh next month to be near her sister")
    sender.get_by_label("Summary for the receiving organisation").fill(
        f"{name} has been waiting for a befriender; mornings suit her best."
    )
    # Without the parent's consent nothing is proposed.
    sender.get_by_role("button", name="Propose the transfer").click()
    expect(sender.get_by_text("Record that the parent agreed to the transfer")).to_be_visible()
    assert not Transfer.objects.filter(referral=referral).exists()
    sender.get_by_label("The parent agreed to the transfer and to her record being passed on").check()
    sender.get_by_role("button", name="Propose the transfer").click()
    expect(sender.get_by_text("Transfer proposed to Family Start East Lothian")).to_be_visible()
    check_accessibility(sender, "transfer proposed")

    receiver = new_page()
    sign_in(receiver, live_server, "coordinator2")
    open_from_menu(receiver, "Referrals", "Transfers")
    expect(receiver.get_by_role("heading", name="To decide")).to_be_visible()
    check_accessibility(receiver, "transfer worklist incoming")
    receiver.get_by_role("link", name=f"Transfer #{Transfer.objects.get(referral=referral).pk}").click()
    expect(receiver.locator("#transfer-proposal")).to_contain_text("Moving to Musselburgh")
    # Before accepting: no name, no summary.
    assert name not in receiver.content()
    assert referral.parent.last_name not in receiver.content()
    assert "mornings suit her best" not in receiver.content()
    check_accessibility(receiver, "transfer decision page")
    receiver.get_by_label("Service that will support the family").select_option(label="Home visiting")
    receiver.get_by_role("button", name="Accept the family").click()
    expect(receiver.get_by_text("Transfer accepted: the family is in your triage")).to_be_visible()
    expect(receiver.get_by_role("heading", name="Referral #")).to_be_visible()
    expect(receiver.get_by_role("link", name=name)).to_be_visible()
    check_accessibility(receiver, "transfer accepted new referral")

    transfer = Transfer.objects.get(referral=referral)
    assert transfer.new_referral.organisation.slug == "family-start-east-lothian"
    sender.goto(f"{live_server.url}/referrals/{referral.pk}/")
    expect(sender.get_by_text("Transferred to Family Start East Lothian")).to_be_visible()
    check_accessibility(sender, "transfer sending referral closed")
