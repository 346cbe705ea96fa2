"""Browser journeys of issue 21, word back to the referrer: a referral whose
parent agreed that her health visitor may hear how it goes (made by a
coordinator, or sent by the health visitor on the public professional form); the coordinator
moves it to "contacted" on the triage board; a real Celery worker sends the
health visitor the update (the console email backend prints it); the link
in the email opens the referral's state in words, without signing in; and
the referral's page shows the coordinator what was told and that it went.
Each page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from operations.celery import app as celery_app
from operations.core.models import Organisation, Service, ServiceKind, User
from referrals import services as referral_services
from referrals.models import Channel, Referral
from tests.e2e.conftest import check_accessibility, reload_until_visible, sign_in
from tests.e2e.test_journeys_core import move_on_board
from tests.factories import ReferrerFactory, ReferringOrganisationFactory
from tests.worker import RealWorker, publishing_to

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def printing_worker(live_server, tmp_path) -> Iterator[tuple[RealWorker, Path]]:
    """A real worker (as ``live_worker``) whose console, where the console
    email backend prints every email it sends, goes to a file."""
    worker = RealWorker(tmp_path)
    output = tmp_path / "worker-console.txt"
    with publishing_to(celery_app, worker):
        worker.start(output=output)
        try:
            yield worker, output
        finally:
            worker.stop()


def printed_email(output: Path, saying: str, *, timeout: float = 60.0) -> str:
    """The first email the worker printed that says ``saying`` (the console
    backend ends each email with a line of 79 dashes)."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = output.read_text(errors="replace") if output.exists() else ""
        for message in text.split("-" * 79):
            if "Subject: " in message and saying in message:
                return message
        time.sleep(0.5)
    raise AssertionError(f"no email saying {saying!r} printed by the worker:\n{text[-3000:]}")


def printed_emails_to(output: Path, address: str) -> list[str]:
    text = output.read_text(errors="replace") if output.exists() else ""
    return [message for message in text.split("-" * 79) if f"To: {address}" in message]


def test_the_referrer_hears_the_referral_was_contacted_and_opens_its_state(
    demo, settings, new_page, live_server, printing_worker
):
    _, output = printing_worker
    # Links in emails point at the site; here, the live server.
    settings.SITE_URL = live_server.url
    organisation = Organisation.objects.get(slug="tweed-valley")
    service = Service.objects.filter(organisation=organisation, kind=ServiceKind.BEFRIENDING).order_by("pk").first()
    team = ReferringOrganisationFactory(organisation=organisation, name="Galashiels Health Visiting (journey)")
    health_visitor = ReferrerFactory(
        organisation=organisation, referring_organisation=team, name="Morag Bell", email="morag.bell@nhs.example"
    )
    referral = referral_services.referral_create(
        actor=User.objects.get(username="coordinator"),
        organisation=organisation,
        service=service,
        parent_data={"first_name": "Isla", "last_name": "Wordbackton", "phone": "07700 900456"},
        referral_data={"source": "health_visitor", "referrer": health_visitor, "referrer_updates_consent": True},
        safety_data={"safe_phone": True},
    )
    reference = f"#{referral.pk}"

    coordinator = new_page()
    sign_in(coordinator, live_server, "coordinator")
    coordinator.goto(f"{live_server.url}/referrals/")
    move_on_board(coordinator, referral.pk, "received", "contacted")
    check_accessibility(coordinator, "journey referrer updates board after the move")

    # The worker sends the update: to the health visitor, with the reference,
    # her initial and the private link; never the parent's name.
    email = printed_email(output, "We have been in touch with the parent")
    assert f"Subject: Update on referral {reference} (I.) to {organisation.name}" in email
    assert "To: morag.bell@nhs.example" in email
    assert f"We have been in touch with the parent you referred to {service.name} (our reference {reference}, I.)" in (
        email
    )
    assert "Isla" not in email
    assert "Wordbackton" not in email
    link = re.search(rf"{re.escape(live_server.url)}/referral-status/\S+/", email).group(0)

    # The health visitor opens the link on her phone, without an account.
    phone = new_page(width=360, height=740)
    phone.goto(link)
    expect(phone.get_by_role("heading", name=f"Referral {reference} to {organisation.name}")).to_be_visible()
    expect(phone.get_by_text("The charity is in touch with the parent")).to_be_visible()
    expect(phone.get_by_text(service.name)).to_be_visible()
    expect(phone.get_by_text("Isla")).to_have_count(0)
    check_accessibility(phone, "journey referrer updates status page on a phone")
    # A link altered by one character opens nothing.
    phone.goto(link[:-4] + "xyz/")
    expect(phone.get_by_role("heading", name="This link does not work")).to_be_visible()

    # The coordinator sees on the referral what the referrer was told, and that it went.
    coordinator.goto(f"{live_server.url}/referrals/{referral.pk}/")
    panel = coordinator.get_by_role("region", name="Word back to the referrer")
    expect(panel).to_contain_text("Updates go by email to Morag Bell")
    contacted = panel.get_by_role("row").filter(has_text="Parent contacted")
    reload_until_visible(coordinator, contacted.filter(has_text="Sent"))
    check_accessibility(coordinator, "journey referrer updates referral page")


def fill_professional_referral(page: Page, *, born: dt.date) -> None:
    """A health visitor refers a family whose parent agreed to updates, and
    ticks the lived experience the parent would like her volunteer to share."""
    page.get_by_label("Your name").fill("Morag Bell")
    page.get_by_label("Your role").fill("Health visitor")
    page.get_by_label("Your team or practice").fill("Galashiels Health Visiting (form journey)")
    page.get_by_label("Kind of team").select_option(label="Health visiting team")
    page.get_by_label("Your work email").fill("morag.bell@nhs.example")
    page.get_by_label("Befriending").check()
    page.get_by_label("Parent's first name").fill("Isla")
    page.get_by_label("Parent's last name").fill("Formwordback")
    page.get_by_label("Parent's date of birth").fill("1994-03-09")
    page.get_by_label("the baby's date of birth").fill(born.isoformat())
    page.get_by_label("Council area she lives in").select_option(label="Scottish Borders")
    page.get_by_label("Her town or village").fill("Selkirk")
    page.get_by_label("Her phone number").fill("07700 900789")
    page.get_by_label("Text message", exact=True).check()
    page.get_by_label("Baby loss").check()
    page.get_by_label("The parent agreed to be referred").check()
    page.get_by_label("may contact her").check()
    page.get_by_label("The parent agreed that we may tell you how the referral goes").check()


def test_a_health_visitor_refers_online_and_hears_how_it_goes(demo, settings, new_page, live_server, printing_worker):
    _, output = printing_worker
    settings.SITE_URL = live_server.url
    organisation = Organisation.objects.get(slug="tweed-valley")

    form = new_page(width=360, height=740)
    form.goto(f"{live_server.url}/refer/tweed-valley/professional/")
    expect(form.get_by_role("heading", name=f"Refer a family to {organisation.name}")).to_be_visible()
    asked = form.get_by_role("group", name="Would she like a volunteer who has been through something similar?")
    expect(asked).to_be_visible()
    fill_professional_referral(form, born=timezone.localdate() - dt.timedelta(days=30))
    form.get_by_role("button", name="Check", exact=True).click()
    form.get_by_role("status").get_by_role("button", name="Send").click()
    expect(form.get_by_role("heading", name="Thank you: your form has been sent")).to_be_visible()
    check_accessibility(form, "journey referrer updates professional form sent")
    referral = Referral.objects.get(parent__last_name="Formwordback")
    assert (referral.channel, referral.referrer_updates_consent) == (Channel.PROFESSIONAL_ONLINE, True)
    assert [e.name for e in referral.matching_needs.lived_experience.all()] == ["Baby loss"]
    reference = f"#{referral.pk}"

    # Word back replaces the acknowledgement: one email, the "received" update with the link.
    received = printed_email(output, "We have received it")
    assert "To: morag.bell@nhs.example" in received
    assert "/referral-status/" in received

    coordinator = new_page()
    sign_in(coordinator, live_server, "coordinator")
    coordinator.goto(f"{live_server.url}/referrals/")
    move_on_board(coordinator, referral.pk, "received", "contacted")

    email = printed_email(output, "We have been in touch with the parent")
    assert f"Subject: Update on referral {reference} (I.) to {organisation.name}" in email
    assert "To: morag.bell@nhs.example" in email
    assert "Formwordback" not in email
    to_her = printed_emails_to(output, "morag.bell@nhs.example")
    assert len(to_her) == 2, to_her  # received and contacted; no separate acknowledgement
    assert not any("Referral received by" in message for message in to_her)
    link = re.search(rf"{re.escape(live_server.url)}/referral-status/\S+/", email).group(0)

    phone = new_page(width=360, height=740)
    phone.goto(link)
    expect(phone.get_by_role("heading", name=f"Referral {reference} to {organisation.name}")).to_be_visible()
    expect(phone.get_by_text("The charity is in touch with the parent")).to_be_visible()
    expect(phone.get_by_text("Formwordback")).to_have_count(0)
    check_accessibility(phone, "journey referrer updates status page from the online form")
