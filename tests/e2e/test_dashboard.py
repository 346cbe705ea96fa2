"""The manager dashboard in a real browser, under the real Content-Security-Policy:
the charts are drawn from the page's JSON block by a static script."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.e2e.conftest import check_accessibility, open_from_menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


def test_a_manager_opens_the_dashboard_and_its_charts_are_drawn(demo, browser, new_page, live_server):
    # No bypass_csp here: a refused script or style would leave the charts undrawn.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    sign_in(page, live_server, "manager")
    open_from_menu(page, "Reports", "Dashboard")
    assert page.get_by_role("heading", name="Dashboard", exact=True).is_visible()
    drawn = page.evaluate(
        "() => Array.from(document.querySelectorAll('canvas[data-chart]')).filter(c => window.Chart.getChart(c)).length"
    )
    # 7, concerns by kind, urgency and outcome (issue 20), referrals by channel and referrer type (issue 21),
    # volunteer expenses by month and by service (issue 23)
    assert drawn == 14
    assert "Internal: exact figures — do not publish" in page.locator(".dashboard-mode").inner_text()

    # For publication (issue 22): the demo's small counts are drawn as "<10"
    # hatched bars standing at the threshold, not left as gaps.
    page.get_by_label("For publication (suppressed)").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    assert "For publication: counts from 1 to 9 shown as <10" in page.locator(".dashboard-mode").inner_text()
    small_bars = page.evaluate(
        """() => {
            const chart = window.Chart.getChart(document.querySelector('canvas[data-chart="referrals_by_source"]'));
            const dataset = chart.data.datasets[0];
            return dataset.marks.filter((mark, i) => mark && mark.text === "<10" && dataset.data[i] === 10).length;
        }"""
    )
    assert small_bars > 0
    assert not refused, refused
    context.close()

    # The same page again for axe (which needs its script injected).
    checked = new_page()
    sign_in(checked, live_server, "manager")
    checked.goto(f"{live_server.url}/dashboard/")
    check_accessibility(checked, "manager dashboard")
    checked.goto(f"{live_server.url}/dashboard/summary/")
    check_accessibility(checked, "dashboard summary for funders")
