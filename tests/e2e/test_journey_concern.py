"""Browser journey of issue 20: a volunteer on a phone raises a "danger now"
concern, sees the organisation's 999 and on-call instructions before
sending anything, loses the reply on a poor connection (the phone keeps it
and sends it again: kept once), and sees it in "My concerns"; the safeguarding lead's home lists it and
their bell counts it once a real worker has delivered it; the lead opens it
from the bell, acknowledges it and closes it with an outcome, and the
volunteer then reads "Closed: action taken".
Each page is checked with axe-core; screenshots of each step go to
tests/e2e/artifacts/ (or E2E_SHOTS)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from operations.core.models import Organisation, Role
from tests.e2e.conftest import ARTIFACTS, check_accessibility, reload_until_visible, sign_in
from tests.factories import member
from volunteers.matching.models import Match
from volunteers.safeguarding.models import Concern, ConcernEvent, SafeguardingSettings, Urgency

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("E2E_SHOTS", ARTIFACTS))


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def lead(demo):
    """A coordinator of Tweed Valley named its designated safeguarding lead,
    and the organisation's on-call number and words."""
    organisation = Organisation.objects.get(slug="tweed-valley")
    person = member(username="lead", organisation=organisation, role=Role.COORDINATOR)
    person.first_name, person.last_name = "Ruth", "Lowrie"
    person.save()
    config = SafeguardingSettings.objects.get(organisation=organisation)
    config.on_call_phone = "01896 555 010"
    config.on_call_instructions = "When you are safe, ring the on-call coordinator and tell them what happened."
    config.save()
    config.leads.add(person)
    return person


def lose_the_reply(route: Route) -> None:
    """The form reaches the server, but its reply never reaches the phone."""
    if route.request.method == "POST":
        route.fetch()
        route.abort("internetdisconnected")
    else:
        route.continue_()


@pytest.mark.worker
def test_a_volunteer_raises_a_danger_now_concern_on_a_phone_and_the_lead_sees_it(
    lead, new_page, live_server, live_worker
):
    match = Match.objects.open().filter(volunteer__user__username="volunteer").order_by("pk").first()
    assert match is not None, "the demo volunteer supports families"
    family = match.parent.preferred_name or match.parent.first_name
    # The demo's contact logs opened a few concerns already ("Something else").
    before = Concern.objects.count()

    phone = new_page(width=360, height=740)
    sign_in(phone, live_server, "volunteer")
    shot(phone, "1-volunteer-home")
    phone.get_by_role("link", name="Raise a concern").click()
    expect(phone.get_by_role("heading", name="Raise a concern")).to_be_visible()
    # Nothing about 999 until "danger now" is ticked…
    call_999 = phone.get_by_role("link", name="Call 999")
    expect(call_999).to_be_hidden()
    check_accessibility(phone, "journey concern form on a phone")
    shot(phone, "2-form")

    # …and then at once, before anything is sent: no request is made.
    requests: list[str] = []
    phone.on("request", lambda request: requests.append(request.url))
    phone.get_by_role("radio", name="Someone is in danger now").check()
    danger = phone.get_by_role("alert").filter(has_text="If someone is in danger now")
    expect(danger).to_be_visible()
    expect(danger).to_contain_text("call 999 straight away")
    expect(call_999).to_be_visible()
    expect(call_999).to_have_attribute("href", "tel:999")
    on_call = phone.get_by_role("link", name="Call on-call: 01896 555 010")
    expect(on_call).to_be_visible()
    expect(on_call).to_have_attribute("href", "tel:01896555010")
    expect(danger).to_contain_text("ring the on-call coordinator")
    assert requests == []
    assert Concern.objects.count() == before
    check_accessibility(phone, "journey concern danger now instructions")
    shot(phone, "3-danger-now")

    # Sent too soon: each missing answer says what it needs; nothing is kept.
    phone.get_by_role("button", name="Send the concern").click()
    for message in ("Say who the concern is about.", "Say what kind of concern it is.", "Say briefly what you saw"):
        expect(phone.get_by_text(message)).to_be_visible()
    expect(phone.get_by_role("radio", name="Someone is in danger now")).to_be_checked()
    expect(call_999).to_be_visible()
    assert Concern.objects.count() == before
    check_accessibility(phone, "journey concern refused")
    shot(phone, "3b-refused")

    phone.get_by_role("radio", name="The parent").check()
    phone.get_by_role("group", name="Which family?").get_by_role("radio", name=family).check()
    phone.get_by_role("radio", name="Mental health or risk to self").check()
    phone.get_by_label("What did you see or hear?").fill("She said she wants to end it. Partner with her now.")
    shot(phone, "4-filled")

    # A poor connection: the concern arrives, the reply is lost…
    phone.route("**/concerns/new/**", lose_the_reply)
    phone.get_by_role("button", name="Send the concern").click()
    # …so it waits on the phone with its key (issue 23), nothing typed is lost…
    expect(phone.get_by_text("Saved on this phone — will send when you're back online.", exact=True)).to_be_visible()
    assert Concern.objects.count() == before + 1
    phone.unroute("**/concerns/new/**")
    shot(phone, "5-saved-on-this-phone")
    # …and the phone sends it again on the next page: the concern is kept once.
    phone.goto(f"{live_server.url}/concerns/mine/")
    expect(phone.get_by_text(f"Sent: concern for {family}.")).to_be_visible()
    # The server's answer to the resent concern is read on the next page.
    phone.reload()

    expect(phone.get_by_role("heading", name="My concerns")).to_be_visible()
    expect(phone.get_by_text("Sent. Your coordinator and the safeguarding lead have been told.")).to_be_visible()
    expect(phone.get_by_text("If anyone is still in danger, call 999 now.")).to_be_visible()
    mine = phone.get_by_role("listitem").filter(has_text="Mental health or risk to self")
    expect(mine).to_contain_text(family)
    expect(mine).to_contain_text("Waiting to be received")
    check_accessibility(phone, "journey concern my concerns")
    shot(phone, "6-my-concerns")
    assert Concern.objects.count() == before + 1
    concern = Concern.objects.latest("pk")
    assert (concern.urgency, concern.match_id) == (Urgency.DANGER_NOW, match.pk)
    assert ConcernEvent.objects.filter(concern=concern).count() == 1
    # The draft is gone from the phone once sent.
    drafts = phone.evaluate("() => Object.keys(localStorage).filter((key) => key.startsWith('concern-new'))")
    assert drafts == []

    # Each family's page has the button near the top, for next time.
    phone.goto(f"{live_server.url}{match.get_absolute_url()}")
    expect(phone.get_by_role("link", name="Raise a concern")).to_have_attribute(
        "href", f"/concerns/new/?match={match.pk}"
    )
    shot(phone, "6b-family-page")

    desk = new_page()
    sign_in(desk, live_server, "lead")
    panel = desk.get_by_role("region", name=re.compile(r"^Concerns"))
    expect(panel).to_contain_text("Mental health or risk to self")
    expect(panel).to_contain_text("Someone is in danger now")
    check_accessibility(desk, "journey concern lead home")
    shot(desk, "7-lead-home")

    # The bell counts it once the worker has delivered it; opening it reads it
    # and goes to the concern itself.
    bell = desk.get_by_role("link", name=re.compile(r"Notifications \d+ unread"))
    reload_until_visible(desk, bell)
    bell.click()
    item = desk.get_by_role("listitem").filter(has_text=f"Concern #{concern.pk}")
    expect(item).to_contain_text(family)
    shot(desk, "8-lead-bell")
    item.get_by_role("button", name=re.compile("^Open")).click()
    expect(desk).to_have_url(re.compile(rf"/concerns/{concern.pk}/$"))
    desk.get_by_role("button", name="Acknowledge").click()
    expect(desk.get_by_text("Acknowledged").first).to_be_visible()
    close = desk.get_by_role("region", name=re.compile("^Close"))
    close.get_by_role("radio", name="Referred to GP, midwife or health visitor").check()
    close.get_by_label("What was done").fill("Called her GP, who is seeing her this afternoon.")
    check_accessibility(desk, "journey concern lead closing")
    close.get_by_role("button", name=re.compile("^Close")).click()
    expect(desk.get_by_text("Concern closed.", exact=False)).to_be_visible()
    shot(desk, "9-lead-closed")
    concern.refresh_from_db()
    assert (concern.status, concern.outcome) == ("closed", "health")

    # The volunteer sees that it was heard and closed, never the note.
    phone.goto(f"{live_server.url}/concerns/mine/")
    mine = phone.get_by_role("listitem").filter(has_text="Mental health or risk to self")
    expect(mine).to_contain_text("Closed: action taken")
    expect(phone.get_by_text("Called her GP")).to_have_count(0)
    shot(phone, "10-volunteer-sees-closed")
