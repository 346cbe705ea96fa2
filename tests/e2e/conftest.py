"""Browser journeys: Playwright driving Debian's Chromium against the live
server. Every page a journey visits is checked with axe-core (vendored in
tests/e2e/vendor): no violation of serious or critical impact. Screenshots
of each main step go to tests/e2e/artifacts/ (git ignores it)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

# Playwright's sync API runs an event loop in this thread; the test's own
# ORM calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from operations.celery import app as celery_app  # noqa: E402
from tests.worker import RealWorker, publishing_to  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db) -> None:
    """The fictional demo organisations, people and records (`seed_demo`)."""
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


@pytest.fixture
def new_page(browser: Browser, live_server):
    """Opens a page at a viewport (desktop by default); closes it afterwards."""
    contexts = []

    def open_page(*, width: int = 1280, height: int = 900) -> Page:
        # bypass_csp lets the test inject axe-core; the app's own pages never
        # need inline script.
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page: Page, live_server, username: str, password: str | None = None) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def open_from_menu(page: Page, menu: str, link: str) -> None:
    """Opens one of the top bar's menus (templates/components/nav.html) and follows one of its links."""
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name=menu, exact=True).click()
    nav.get_by_role("link", name=link, exact=True).click()
    page.wait_for_load_state("networkidle")


def check_accessibility(page: Page, name: str) -> None:
    """Runs axe-core on the current page and fails on serious or critical
    violations; saves a screenshot named after the step."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}.png"), full_page=True)
    page.add_script_tag(content=AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in serious
    )
    assert not serious, f"accessibility violations on {name} ({page.url}):\n{details}"


@pytest.fixture
def live_worker(live_server, tmp_path) -> Iterator[RealWorker]:
    """A real Celery worker process that receives every task the live server
    publishes (Redis when REDIS_URL is set, the filesystem transport
    otherwise), on a queue of its own so nothing else on the broker reaches it."""
    worker = RealWorker(tmp_path)
    # The live server's requests run in this process and publish with the app's default connection.
    with publishing_to(celery_app, worker):
        worker.start()
        try:
            yield worker
        finally:
            worker.stop()


def reload_until_visible(page: Page, locator, *, timeout: float = 60.0) -> None:
    """For what another process changes (a worker's delivery): a page shows
    it only when loaded again, so reload until the locator is visible."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            expect(locator).to_be_visible(timeout=2_000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.reload()
