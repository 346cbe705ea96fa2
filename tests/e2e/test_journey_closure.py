"""Browser journey of issue 24's closing a service, on the demo data, each
page checked with axe-core: Tweed Valley's manager plans the closure of the
demo service with the fewest open referrals, is refused while families are
undecided, decides a planned ending for each, completes the closure and
reads the report; the public online form then says the service has closed.
Screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q
from playwright.sync_api import expect

from operations.closures.models import ClosureStatus, ServiceClosure
from operations.core.models import Service
from referrals.online.models import OnlineReferralSettings
from referrals.workflow import OPEN_STATUSES
from tests.e2e.conftest import check_accessibility, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_closes_a_demo_service(demo, new_page, live_server):
    service = (
        Service.objects.filter(organisation__slug="tweed-valley", is_active=True)
        .annotate(open=Count("referrals", filter=Q(referrals__status__in=OPEN_STATUSES)))
        .filter(open__gte=1)
        .order_by("open", "pk")
        .first()
    )
    page = new_page()
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/closures/")
    check_accessibility(page, "closure list")
    page.get_by_label("Service that is closing").select_option(label=service.name)
    page.get_by_label("Last day of the service").fill("2099-03-31")
    page.get_by_label("Message for families and referrers who look for the service").fill(
        "Ask your health visitor about Home-Start in your area."
    )
    page.get_by_role("button", name="Plan the closure").click()
    expect(page.get_by_text(f"Closure of {service.name} planned")).to_be_visible()
    check_accessibility(page, "closure planned undecided")

    # Refused while anything is undecided: nothing changes.
    page.get_by_role("button", name="Complete the closure").click()
    expect(page.get_by_text("still", exact=False).first).to_be_visible()
    expect(page.get_by_text("Nothing was changed.")).to_be_visible()
    check_accessibility(page, "closure refused")
    assert ServiceClosure.objects.get().status == ClosureStatus.PLANNED

    while page.locator("section.card").count():
        card = page.locator("section.card").first
        card.get_by_label("What happens").select_option(label="Planned ending before the last day")
        card.get_by_role("button", name="Record the decision").click()
        expect(page.get_by_text("Decision recorded")).to_be_visible()
    expect(page.get_by_text("Every open referral has a decision.")).to_be_visible()
    check_accessibility(page, "closure all decided")

    page.get_by_role("button", name="Complete the closure").click()
    expect(page.get_by_role("heading", name=f"Closure report: {service.name}")).to_be_visible()
    expect(page.get_by_role("row", name="Support ended as planned")).to_be_visible()
    check_accessibility(page, "closure report")
    service.refresh_from_db()
    assert not service.is_active

    settings = OnlineReferralSettings.objects.get(organisation__slug="tweed-valley")
    settings.self_form_open = True
    settings.save(update_fields=["self_form_open"])
    public = new_page()
    public.goto(f"{live_server.url}/refer/tweed-valley/")
    expect(public.get_by_text(f"{service.name} has closed")).to_be_visible()
    check_accessibility(public, "online form closed service")
