"""Browser journey of issue 24 (federations): the demo federation's officer
signs in, lands on the roll-up of the two members that share (suppressed,
per member and together), opens the coverage map, tries a parent's page and
the API and is refused; the manager of the member that does not share
switches sharing on, and the roll-up then names it. Each page is checked
with axe-core; screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from operations.core.audit import AuditEvent
from referrals.models import Parent
from tests.e2e.conftest import check_accessibility, open_from_menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NETWORK = "Scottish Perinatal Peer Support Network"


def test_the_officer_reads_the_roll_up_and_a_manager_switches_sharing_on(demo, new_page, live_server) -> None:
    officer = new_page()
    sign_in(officer, live_server, "federation")
    # Home is the roll-up; the bar holds only the federation's pages.
    expect(officer.get_by_role("heading", name=f"{NETWORK}: roll-up")).to_be_visible()
    nav = officer.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Roll-up")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Coverage")).to_be_visible()
    expect(nav.get_by_role("button", name="Referrals")).to_have_count(0)
    expect(officer.get_by_role("search")).to_have_count(0)
    expect(officer.get_by_text("Figures of the 2 of 3 members that share them")).to_be_visible()
    members = officer.locator("table", has=officer.locator("caption", has_text="Each sharing member"))
    expect(members.get_by_role("rowheader", name="Tweed Valley Perinatal Support")).to_be_visible()
    expect(members.get_by_role("rowheader", name="Family Start East Lothian")).to_be_visible()
    expect(officer.get_by_text("Capital Perinatal Peer Network")).to_have_count(0)
    expect(officer.locator(".dashboard-mode")).to_contain_text("For publication")
    expect(officer.get_by_role("heading", name="Concerns and safeguarding")).to_have_count(0)
    check_accessibility(officer, "federation-01-roll-up")

    nav.get_by_role("link", name="Coverage").click()
    officer.wait_for_load_state("networkidle")
    expect(officer.get_by_role("heading", name=f"{NETWORK}: coverage by council area")).to_be_visible()
    assert officer.locator("svg.hexes polygon").count() == 32
    borders = officer.locator("svg.hexes g", has=officer.locator("title", has_text="Scottish Borders"))
    assert "(a sharing member's area)" in borders.locator("title").text_content()
    check_accessibility(officer, "federation-02-coverage")

    # A parent's page and the API: refused, whatever the id.
    parent = Parent.objects.filter(organisation__slug="tweed-valley").first()
    response = officer.goto(f"{live_server.url}/referrals/parents/{parent.pk}/")
    assert response.status == 403
    expect(officer.get_by_text(parent.first_name)).to_have_count(0)
    assert officer.goto(f"{live_server.url}/api/v1/referrals/").status == 403
    assert officer.goto(f"{live_server.url}/dashboard/").status == 403
    officer.screenshot(path=str(_artifact("federation-03-refused")), full_page=True)

    # Capital's manager switches sharing on, from the Admin menu.
    manager = new_page()
    sign_in(manager, live_server, "manager3")
    open_from_menu(manager, "Admin", "Federation sharing")
    expect(manager.get_by_role("heading", name="Sharing figures with the federation")).to_be_visible()
    expect(manager.get_by_text("Any record: no parent, child, referral")).to_be_visible()
    check_accessibility(manager, "federation-04-sharing")
    manager.get_by_label("Share", exact=True).check()
    manager.get_by_role("button", name="Save").click()
    expect(manager.get_by_text(f"figures are now shared with {NETWORK}")).to_be_visible()
    assert AuditEvent.objects.filter(
        organisation__slug="capital-peer-network", summary=f"Sharing of figures with {NETWORK} switched on"
    ).exists()

    officer.goto(f"{live_server.url}/federation/")
    expect(officer.get_by_text("Figures of the 3 of 3 members that share them")).to_be_visible()
    expect(members.get_by_role("rowheader", name="Capital Perinatal Peer Network")).to_be_visible()
    check_accessibility(officer, "federation-05-roll-up-three-members")


def _artifact(name: str):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"
