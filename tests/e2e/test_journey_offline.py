"""Browser journey of issue 23 (works without signal), on a 360×740 phone:
the volunteer signs in (the phone app's worker keeps her families' forms),
opens a family's contact-log form, loses the signal, saves the log ("Saved
on this phone"), reloads the page without signal (the worker serves it),
gets the signal back and the log is sent once ("Sent"); the same request
sent twice more still keeps one log. And when the server refuses what was
queued (the match ended meanwhile), she reads why and her words stay on the
phone until she discards them.
Screenshots of each step go to tests/e2e/artifacts/."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from operations.core.models import User
from tests.e2e.conftest import ARTIFACTS, check_accessibility, sign_in
from volunteers.matching import services
from volunteers.matching.models import ContactLog, Match, MatchStatus

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = "Saved on this phone — will send when you're back online."


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"offline-{name}.png"), full_page=True)


def kept_on_the_phone(page: Page, path: str, *, timeout: float = 30.0) -> None:
    """Waits until the worker has kept ``path`` in the phone's caches."""
    deadline = time.monotonic() + timeout
    while not page.evaluate("async (path) => !!(await caches.match(path))", path):
        assert time.monotonic() < deadline, f"{path} was never kept on the phone"
        page.wait_for_timeout(250)


def her_family() -> tuple[Match, str]:
    match = Match.objects.open().filter(volunteer__user__username="volunteer").order_by("pk").first()
    assert match is not None, "the demo volunteer supports families"
    return match, match.parent.preferred_name or match.parent.first_name


def open_the_log_form_and_lose_the_signal(page: Page, live_server, match: Match) -> str:
    sign_in(page, live_server, "volunteer")
    path = f"/matching/matches/{match.pk}/log/"
    kept_on_the_phone(page, path)
    page.goto(f"{live_server.url}{path}")
    page.context.set_offline(True)
    return path


def fill_the_log(page: Page, note: str) -> None:
    page.get_by_label("How long (minutes)").fill("50")
    page.get_by_role("radio", name="Home visit").check()
    # The note is folded under "More" (with topics and signposting) until opened.
    if not page.get_by_label("Short note").is_visible():
        page.get_by_text("More: topics, signposting, note").click()
    page.get_by_label("Short note").fill(note)
    page.get_by_role("button", name="Save").click()


def test_a_contact_logged_without_signal_is_sent_once_when_the_signal_returns(demo, new_page, live_server):
    match, family = her_family()
    before = ContactLog.objects.filter(match=match).count()
    phone = new_page(width=360, height=740)
    path = open_the_log_form_and_lose_the_signal(phone, live_server, match)

    note = "Walked to the park with the pram; she slept better this week."
    fill_the_log(phone, note)
    expect(phone.get_by_text(SAVED, exact=True)).to_be_visible()
    assert ContactLog.objects.filter(match=match).count() == before
    # The form is ready for the next one; the words wait in the phone's outbox.
    expect(phone.get_by_label("Short note")).to_have_value("")
    check_accessibility(phone, "offline saved on this phone")
    shot(phone, "1-saved-on-this-phone")

    # Reloaded with no signal: the worker serves the page it kept.
    answer = phone.reload()
    assert answer is not None
    assert answer.from_service_worker
    expect(phone.get_by_role("heading", name=f"Log a contact with {family}")).to_be_visible()
    expect(phone.get_by_text("1 contact log is saved on this phone")).to_be_visible()
    shot(phone, "2-reloaded-offline")

    # The signal returns: it is sent, once.
    phone.context.set_offline(False)
    expect(phone.get_by_text(f"Sent: contact log for {family}.")).to_be_visible(timeout=20_000)
    expect(phone.get_by_text("1 contact log is saved on this phone")).to_have_count(0)
    shot(phone, "3-sent")
    logs = ContactLog.objects.filter(match=match)
    assert logs.count() == before + 1
    log = logs.get(note=note)
    assert (log.duration_minutes, log.mode, log.logged_by.username) == (50, "home_visit", "volunteer")

    # The same request sent twice more (a retry after a lost reply): still one log.
    replay = """async ([path, key]) => {
        const page = await (await fetch(path)).text();
        const token = new DOMParser().parseFromString(page, "text/html")
            .querySelector("input[name=csrfmiddlewaretoken]").value;
        const answers = [];
        for (const attempt of [1, 2]) {
            const body = new FormData();
            body.append("csrfmiddlewaretoken", token);
            body.append("client_key", key);
            body.append("contact_date", new Date().toISOString().slice(0, 10));
            body.append("duration_minutes", "50");
            body.append("mode", "home_visit");
            body.append("note", "sent again");
            answers.push((await fetch(path, {method: "POST", body, redirect: "manual"})).type);
        }
        return answers;
    }"""
    assert phone.evaluate(replay, [path, str(log.client_key)]) == ["opaqueredirect", "opaqueredirect"]
    assert ContactLog.objects.filter(match=match).count() == before + 1
    assert not ContactLog.objects.filter(note="sent again").exists()


def test_a_queued_log_the_server_refuses_says_why_and_keeps_the_words(demo, new_page, live_server):
    match, family = her_family()
    before = ContactLog.objects.filter(match=match).count()
    phone = new_page(width=360, height=740)
    open_the_log_form_and_lose_the_signal(phone, live_server, match)
    note = "She asked about the baby group in Galashiels."
    fill_the_log(phone, note)
    expect(phone.get_by_text(SAVED, exact=True)).to_be_visible()

    # Meanwhile, the coordinator ends the match.
    coordinator = User.objects.get(username="coordinator")
    services.match_transition(
        actor=coordinator,
        match=match,
        to_status=MatchStatus.ENDED,
        ending_type="parent_moved",
        closing_note="Moved to Fife.",
    )
    phone.context.set_offline(False)
    refused = phone.get_by_role("region", name=f"Not sent: contact log for {family}")
    expect(refused).to_be_visible(timeout=20_000)
    expect(refused).to_contain_text("This match has ended: contacts can no longer be logged.")
    expect(refused).to_contain_text("call your coordinator")
    expect(phone.get_by_text(SAVED, exact=True)).to_have_count(0)
    expect(refused.get_by_label("What you wrote")).to_have_value(re.compile(re.escape(note)))
    check_accessibility(phone, "offline refused item")
    shot(phone, "4-refused")
    assert ContactLog.objects.filter(match=match).count() == before

    # Still there on the next page, until she discards it.
    phone.reload()
    expect(refused.get_by_label("What you wrote")).to_have_value(re.compile(re.escape(note)))
    phone.once("dialog", lambda dialog: dialog.accept())
    refused.get_by_role("button", name="Discard it from this phone").click()
    expect(refused).to_have_count(0)
    shot(phone, "5-discarded")
    assert ContactLog.objects.filter(match=match).count() == before


def test_signing_out_warns_of_what_is_not_sent_and_then_clears_the_phone(demo, new_page, live_server):
    match, _ = her_family()
    phone = new_page(width=360, height=740)
    open_the_log_form_and_lose_the_signal(phone, live_server, match)
    fill_the_log(phone, "Short call, all well.")
    expect(phone.get_by_text(SAVED, exact=True)).to_be_visible()
    # Held back: the server must not see it before the sign-out.
    phone.route("**/matching/matches/**", lambda route: route.abort("internetdisconnected"))
    phone.context.set_offline(False)

    warnings: list[str] = []

    def answer(dialog) -> None:
        warnings.append(dialog.message)
        dialog.dismiss() if len(warnings) == 1 else dialog.accept()

    def sign_out() -> None:
        button = phone.get_by_role("button", name="Sign out")
        # The menus open with Bootstrap's script, which a busy phone may still be reading: try again.
        for _ in range(5):
            if button.is_visible():
                break
            if not phone.get_by_role("button", name="Kirsty").is_visible():
                phone.get_by_role("button", name="Show navigation").click()
            phone.get_by_role("button", name="Kirsty").click()
            phone.wait_for_timeout(500)
        button.click()

    phone.on("dialog", answer)
    sign_out()
    phone.wait_for_timeout(500)
    assert warnings[0].startswith("1 contact log is not sent yet.")
    # Answered "no": still signed in, still on the form, the log still waiting.
    expect(phone).to_have_url(re.compile(r"/log/$"))
    expect(phone.get_by_text(SAVED, exact=True)).to_be_visible()

    sign_out()
    phone.wait_for_url("**/accounts/login/**")
    assert len(warnings) == 2
    kept = phone.evaluate("async () => (await caches.keys()).length")
    assert kept == 0
