"""Browser journey of issue 23 (expenses): a volunteer on a 360×740 phone
claims mileage for a visit and a parking cost with a photo of the receipt,
and sees both as Submitted; her coordinator, at a desk, sees the receipt,
approves both, makes a payment batch, downloads its file for the finance
system and marks it paid; the volunteer then reads "Paid".
Each page is checked with axe-core; screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, open_from_menu, sign_in
from volunteers.expenses.models import ClaimStatus, ExpenseClaim, PaymentBatch

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def claimant(demo):
    """The Tweed Valley volunteer the demo's claims belong to: she has families and contacts."""
    return (
        ExpenseClaim.objects.filter(organisation__slug="tweed-valley")
        .select_related("volunteer__user")
        .first()
        .volunteer.user
    )


@pytest.fixture
def receipt_photo(tmp_path):
    path = tmp_path / "IMG_2041.jpg"
    Image.new("RGB", (600, 800), (235, 230, 220)).save(path, "JPEG")
    return path


def test_a_volunteer_claims_on_her_phone_and_her_coordinator_pays(
    claimant, receipt_photo, new_page, live_server
) -> None:
    phone = new_page(width=360, height=740)
    sign_in(phone, live_server, claimant.username)
    phone.get_by_role("link", name="Claim expenses").click()
    expect(phone.get_by_role("heading", name="Claim expenses")).to_be_visible()

    # Mileage: the cost fields are hidden once "Mileage" is ticked (CSS only).
    phone.get_by_label("Mileage").check()
    expect(phone.get_by_label("Amount (£)")).to_be_hidden()
    phone.get_by_label("What is this for?").select_option(index=1)
    phone.get_by_label("Miles").fill("9.5")
    phone.get_by_label("From (optional)").fill("Home")
    phone.get_by_label("To (optional)").fill("Denholm")
    check_accessibility(phone, "expenses-01-volunteer-mileage")
    phone.get_by_role("button", name="Send the claim").click()
    expect(phone.get_by_text("for £4.28 sent to your coordinator")).to_be_visible()

    # A parking cost with the photo of its ticket.
    phone.get_by_role("link", name="Claim expenses").click()
    phone.get_by_label("Out-of-pocket cost").check()
    expect(phone.get_by_label("Miles")).to_be_hidden()
    phone.get_by_label("What is this for?").select_option(index=1)
    phone.get_by_label("What was it for?").select_option(label="Parking")
    phone.get_by_label("Amount (£)").fill("3.20")
    phone.get_by_label("Photo of the receipt").set_input_files(str(receipt_photo))
    check_accessibility(phone, "expenses-02-volunteer-cost")
    phone.get_by_role("button", name="Send the claim").click()
    expect(phone.get_by_text("for £3.20 sent to your coordinator")).to_be_visible()
    check_accessibility(phone, "expenses-03-volunteer-my-expenses")
    mine = phone.locator(".claim-list")
    expect(mine.get_by_text("9.5 miles (Home to Denholm)")).to_be_visible()
    expect(mine.locator("li").filter(has_text="£3.20")).to_contain_text("Parking")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, "the page scrolls sideways on a phone"
    new = ExpenseClaim.objects.filter(volunteer__user=claimant, status=ClaimStatus.SUBMITTED).order_by("-pk")[:2]
    cost, mileage = list(new)
    assert (cost.amount_pence, mileage.amount_pence) == (320, 428)

    # The coordinator, at a desk.
    desk = new_page()
    sign_in(desk, live_server, "coordinator")
    open_from_menu(desk, "People", "Expenses")
    expect(desk.get_by_role("heading", name="Expenses", exact=True)).to_be_visible()
    check_accessibility(desk, "expenses-04-coordinator-worklist")
    desk.get_by_role("link", name=f"#{cost.pk}", exact=True).first.click()
    receipt = desk.get_by_role("img", name=f"Photo of the receipt for claim {cost.pk}")
    expect(receipt).to_be_visible()
    assert receipt.evaluate("image => image.naturalWidth") == 600
    check_accessibility(desk, "expenses-05-coordinator-claim")
    desk.get_by_role("button", name="Approve").click()
    expect(desk.get_by_text(f"Claim #{cost.pk} approved.")).to_be_visible()
    desk.get_by_role("link", name=f"#{mileage.pk}", exact=True).first.click()
    desk.get_by_role("button", name="Approve").click()

    desk.get_by_role("button", name="Make a payment batch").click()
    batch = PaymentBatch.objects.get(paid_on__isnull=True)
    expect(desk.get_by_role("heading", name=f"Payment batch #{batch.pk}")).to_be_visible()
    check_accessibility(desk, "expenses-06-coordinator-batch")
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Download for the finance system (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Name", "Payee reference", "Claims", "Total (GBP)", "Claim numbers", "For"]
    theirs = next(row for row in rows if row[0] == claimant.get_full_name())
    assert {str(cost.pk), str(mileage.pk)} <= set(theirs[4].split("; "))
    assert rows[-1][0] == "Total"
    assert rows[-1][3] == f"{batch.total_pence / 100:.2f}"

    desk.get_by_label("Paid on").fill(timezone.localdate().isoformat())
    desk.get_by_role("button", name="Mark paid").click()
    expect(desk.get_by_text("marked paid. Each volunteer has been told.")).to_be_visible()
    check_accessibility(desk, "expenses-07-coordinator-paid")

    phone.reload()
    expect(phone.locator(".claim-list li").filter(has_text="9.5 miles").get_by_text("Paid", exact=True)).to_be_visible()
    expect(phone.locator(".claim-list li").filter(has_text=re.compile(r"£3\.20"))).to_contain_text("Paid")
    check_accessibility(phone, "expenses-08-volunteer-paid")
