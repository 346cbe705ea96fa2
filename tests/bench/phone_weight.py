"""The volunteer's pages on a slow rural network (issue 23): Chromium with
network emulation (400 kbit/s both ways, 400 ms round trip) against gunicorn
serving the benchmark database with production settings (whitenoise's
compressed, cache-busted static files). One journey — sign-in page, home,
the contact-log form, the contact saved — on a first visit (empty cache) and
on a return visit (same browser cache, signed in again). The clock runs from
each navigation or button press to the page loaded; filling a form in is
hers, not the system's, and is left out. Reports the bytes
transferred (compressed, as on the wire, headers included) and the elapsed
time against the budget; nothing here fails on it.

The phone app's worker is blocked here: these are the pages' own weights.
What the worker copies for use without signal (the families and their
forms) is fetched in the background once signed in, not while she waits."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from django.conf import settings

from tests.bench.http_load import contact_log_path, gunicorn_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
#: 400 kbit/s in bytes per second, and the round trip in ms (Chrome DevTools' units).
SLOW_NETWORK = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
#: Budgets: the whole first visit, and each page of a return visit.
FIRST_VISIT_KB, FIRST_VISIT_S = 250, 6.0
RETURN_PAGE_KB, RETURN_VISIT_S = 100, 3.0
BENCH_VOLUNTEER = "bench-volunteer"


def volunteer_and_form() -> tuple[str, str] | None:
    """Who walks the journey and her contact-log form: the bench volunteer,
    or, in data that gives her no open match (the tiny size), the volunteer
    of the first open match, given the demo password in this benchmark
    database only (scale users otherwise cannot sign in)."""
    from operations.core.models import User
    from volunteers.matching.models import Match, MatchStatus

    path = contact_log_path()
    if path is not None:
        return BENCH_VOLUNTEER, path
    match = (
        Match.objects.filter(status__in=[MatchStatus.ACTIVE, MatchStatus.INTRODUCED, MatchStatus.ENDING])
        .order_by("status", "pk")
        .first()
    )
    if match is None:
        return None
    user = User.objects.get(volunteer_profiles__pk=match.volunteer_id)
    user.set_password(settings.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user.username, f"/matching/matches/{match.pk}/log/"


class Journey:
    """One walk through the four pages, counting what crosses the wire."""

    def __init__(self, context, base: str, username: str) -> None:
        self.base = base
        self.username = username
        self.page = context.new_page()
        self.page.set_default_timeout(60_000)
        self.cdp = context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
        self.wire_bytes = 0
        self.cdp.on("Network.loadingFinished", self._count)
        self.pages: list[tuple[str, int]] = []
        self.step_seconds: list[tuple[str, float]] = []
        self.requests: list[str] = []
        self.cdp.on("Network.requestWillBeSent", lambda event: self.requests.append(event["request"]["url"]))

    def _count(self, event: dict) -> None:
        self.wire_bytes += int(event.get("encodedDataLength", 0))

    def step(self, name: str, action, fill=None) -> None:
        # Typing is hers, not the system's: the form is filled before the clock starts.
        if fill is not None:
            fill()
        before = self.wire_bytes
        started = time.perf_counter()
        action()
        self.page.wait_for_load_state("load")
        self.step_seconds.append((name, time.perf_counter() - started))
        # Late responses (a deferred script) still belong to this page; not timed.
        self.page.wait_for_load_state("networkidle")
        self.pages.append((name, self.wire_bytes - before))

    def walk(self, log_path: str) -> None:
        page = self.page

        def fill_sign_in() -> None:
            page.get_by_label("Username").fill(self.username)
            page.get_by_label("Password").fill(settings.DEMO_PASSWORD)

        def sign_in() -> None:
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{self.base}/")

        def fill_log() -> None:
            page.get_by_label("How long (minutes)").fill("30")
            page.get_by_role("radio", name="Phone").check()

        self.step("sign-in page", lambda: page.goto(f"{self.base}/accounts/login/"))
        self.step("home", sign_in, fill=fill_sign_in)
        self.step("contact-log form", lambda: page.goto(f"{self.base}{log_path}"))
        self.save(fill_log)

    def save(self, fill_log) -> None:
        """Saved is when the server's answer reaches the phone, which says so
        at once ("Saved: contact log for …", matching/phone.js); the family's
        page it then opens is timed too (``family_page_seconds``)."""
        page = self.page
        fill_log()
        before = self.wire_bytes
        started = time.perf_counter()
        with page.expect_response(lambda answer: answer.request.method == "POST") as answer:
            page.get_by_role("button", name="Save").click()
        assert answer.value.status == 204, answer.value.status
        self.step_seconds.append(("contact saved", time.perf_counter() - started))
        page.wait_for_url("**/matching/matches/*/?logged=1")
        page.wait_for_load_state("load")
        self.family_page_seconds = time.perf_counter() - started
        page.wait_for_load_state("networkidle")
        self.pages.append(("contact saved", self.wire_bytes - before))

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.step_seconds)

    @property
    def seconds_to_family_page(self) -> float:
        """The same journey until the family's page has opened after saving."""
        return self.seconds - self.step_seconds[-1][1] + self.family_page_seconds

    @property
    def total_kb(self) -> float:
        return round(sum(size for _, size in self.pages) / 1024, 1)

    @property
    def heaviest(self) -> tuple[str, float]:
        name, size = max(self.pages, key=lambda pair: pair[1])
        return name, round(size / 1024, 1)


def _row(case: str, seconds: list[float], figure: str, ok: bool) -> dict:
    return {
        "case": case,
        "kind": "browser",
        "median_ms": round(statistics.median(seconds) * 1000),
        "p95_ms": round(max(seconds) * 1000),
        "queries": "—",
        "target": f"{figure}: {'ok' if ok else 'OVER'}",
    }


def phone_weight(repeat: int) -> list[dict]:
    if not Path(CHROMIUM).exists():
        return [{"case": "phone on a slow network", "kind": "browser", "median_ms": "—", "p95_ms": "—",
                 "target": f"skipped: no Chromium at {CHROMIUM}"}]  # fmt: skip
    walker = volunteer_and_form()
    if walker is None:
        return [{"case": "phone on a slow network (skipped: no open match in this size's data)", "kind": "browser",
                 "median_ms": "—", "p95_ms": "—", "target": "—"}]  # fmt: skip
    # Playwright's sync API runs an event loop in this thread; the ORM is done with.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    username, log_path = walker

    firsts: list[Journey] = []
    returns: list[Journey] = []
    with gunicorn_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            for _ in range(max(1, repeat)):
                context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
                first = Journey(context, base, username)
                first.walk(log_path)
                firsts.append(first)
                # The same phone another day: the browser's cache kept, signed out.
                context.clear_cookies()
                again = Journey(context, base, username)
                again.walk(log_path)
                returns.append(again)
                context.close()
        finally:
            browser.close()
    first_kb = max(journey.total_kb for journey in firsts)
    first_s = [journey.seconds for journey in firsts]
    heaviest_name, heaviest_kb = max((journey.heaviest for journey in returns), key=lambda pair: pair[1])
    return_s = [journey.seconds for journey in returns]
    pages = ", ".join(f"{name} {round(size / 1024, 1)}" for name, size in returns[-1].pages)
    return [
        _row(
            "phone first visit: sign-in → home → contact-log form → saved (400 kbit/s, 400 ms RTT)",
            first_s,
            f"{first_kb} KB (≤{FIRST_VISIT_KB}), {max(first_s):.1f} s (≤{FIRST_VISIT_S:.0f}; "
            f"family page open at {max(j.seconds_to_family_page for j in firsts):.1f} s)",
            first_kb <= FIRST_VISIT_KB and max(first_s) <= FIRST_VISIT_S,
        ),
        _row(
            "phone return visit, same journey, cache kept (400 kbit/s, 400 ms RTT)",
            return_s,
            f"heaviest page {heaviest_name} {heaviest_kb} KB (≤{RETURN_PAGE_KB}; KB per page: {pages}), "
            f"{max(return_s):.1f} s (≤{RETURN_VISIT_S:.0f}; family page open at "
            f"{max(j.seconds_to_family_page for j in returns):.1f} s)",
            heaviest_kb <= RETURN_PAGE_KB and max(return_s) <= RETURN_VISIT_S,
        ),
    ]
