"""Browser journey of issue 21, word back to the referrer: a referral whose
parent agreed that her health visitor may hear how it goes; the coordinator
moves it to "contacted" on the triage board; a real Celery worker sends the
health visitor the update (the console email backend prints it); the link
in the email opens the referral's state in words, without signing in; and
the referral's page shows the coordinator what was told and that it went.
Each page is checked with axe-core."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from operations.celery import app as celery_app
from operations.core.models import Organisation, Service, ServiceKind, User
from referrals import services as referral_services
from tests.e2e.conftest import check_accessibility, reload_until_visible, sign_in
from tests.e2e.test_journeys_core import move_on_board
from tests.factories import ReferrerFactory, ReferringOrganisationFactory
from tests.worker import RealWorker, point_publisher_at, publisher_settings

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def printing_worker(live_server, tmp_path) -> Iterator[tuple[RealWorker, Path]]:
    """A real worker (as ``live_worker``) whose console, where the console
    email backend prints every email it sends, goes to a file."""
    worker = RealWorker(tmp_path)
    output = tmp_path / "worker-console.txt"
    saved = publisher_settings(celery_app)
    point_publisher_at(
        celery_app,
        broker_url=worker.broker_url,
        transport_options=worker.broker_transport_options(),
        routes={"*": {"queue": worker.queue}},
    )
    worker.start(output=output)
    try:
        yield worker, output
    finally:
        worker.stop()
        point_publisher_at(celery_app, **saved)


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
