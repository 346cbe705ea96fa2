"""Browser journeys 1–3 of issue 10, on the demo data, each page checked with
axe-core and each main step saved as a screenshot:

1. a coordinator takes a new referral through triage and confirms a match;
2. a volunteer on a phone, about to log a contact, raises a concern from the
   top of the log, and a real Celery worker delivers the coordinator's in-app
   notification;
3. a parent booked into a session whose crèche is full waits, and gets the
   place when another booking is cancelled.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from operations.core.models import Membership, Organisation, Role, Service, ServiceKind
from operations.groups import services as group_services
from operations.groups.models import Booking, BookingStatus, Format, Recurrence
from operations.notifications.models import Channel, Notification
from referrals.models import Parent, Referral
from referrals.workflow import Status
from tests.e2e.conftest import check_accessibility, open_from_menu, reload_until_visible, sign_in
from volunteers.matching.models import Match
from volunteers.safeguarding.models import Concern, ConcernStatus
from volunteers.selectors import creche_fitness

pytestmark = pytest.mark.django_db(transaction=True)


def show_state(page: Page, status: str) -> None:
    """Filters the board to one state; the board swaps in place and then
    records the filter in the address, so a later step never acts on the
    board that is being replaced."""
    page.get_by_label("Status").select_option(status)
    expect(page).to_have_url(re.compile(rf"[?&]status={status}(&|$)"))


def move_on_board(page: Page, referral_pk: int, source: str, target: str) -> None:
    """Shows one state on the triage board, moves the card to ``target`` and
    sees it leave the column (the board refreshes itself after a move)."""
    show_state(page, source)
    card = (
        page.locator(f"#column-{source}")
        .locator("xpath=ancestor::section[1]")
        .get_by_role("article", name=f"Referral {referral_pk}")
    )
    expect(card).to_be_visible()
    card.get_by_label("Move to").select_option(target)
    card.get_by_role("button", name="Move").click()
    expect(card).to_have_count(0)


def test_a_coordinator_triages_a_new_referral_and_confirms_a_match(demo, new_page, live_server):
    page = new_page()
    sign_in(page, live_server, "coordinator")
    open_from_menu(page, "Referrals", "Triage board")
    expect(page.get_by_role("heading", name="Referral triage")).to_be_visible()
    check_accessibility(page, "journey 1 triage board")

    # A midwife phones in a referral.
    page.get_by_role("link", name="New referral").click()
    check_accessibility(page, "journey 1 new referral form")
    page.get_by_label("Service").select_option(label="Befriending")
    page.get_by_label("First name").fill("Morven")
    page.get_by_label("Last name").fill("Journeyfield")
    page.get_by_label("Council area").select_option(label="Scottish Borders")
    page.get_by_label("Postcode").fill("TD1 1AB")
    page.get_by_label("Due date").fill((timezone.localdate() + dt.timedelta(days=90)).isoformat())
    page.get_by_label("Source").select_option("midwife")
    # Safe contact is asked at intake: without it the referral cannot join the waiting list.
    page.get_by_label("Phone calls are safe").check()
    page.get_by_role("button", name="Save referral").click()
    expect(page.get_by_text(re.compile(r"Referral #\d+ received\."))).to_be_visible()
    referral = Referral.objects.get(parent__last_name="Journeyfield")
    check_accessibility(page, "journey 1 referral received")

    # Triage on the board: received → contacted → assessed → waiting.
    page.goto(f"{live_server.url}/referrals/")
    for source, target in (
        (Status.RECEIVED, Status.CONTACTED),
        (Status.CONTACTED, Status.ASSESSED),
        (Status.ASSESSED, Status.WAITING),
    ):
        move_on_board(page, referral.pk, source, target)
    show_state(page, Status.WAITING)
    waiting_card = page.get_by_role("article", name=f"Referral {referral.pk}")
    expect(waiting_card).to_contain_text("Befriending · Waiting")
    check_accessibility(page, "journey 1 board showing the referral waiting")

    # From the referral to its candidates.
    waiting_card.get_by_role("link", name="Morven Journeyfield").click()
    expect(page.get_by_role("heading", name=f"Referral #{referral.pk}: Befriending")).to_be_visible()
    check_accessibility(page, "journey 1 referral waiting")
    page.get_by_role("link", name="Find a volunteer or PSO").click()
    expect(page.get_by_role("heading", name=f"Candidates for referral #{referral.pk}")).to_be_visible()
    check_accessibility(page, "journey 1 candidates")
    best = (
        page.get_by_role("table", name=re.compile("Volunteers who pass every hard constraint"))
        .get_by_role("row")
        .nth(1)
    )
    volunteer_name = best.get_by_role("cell").first.get_by_role("link").inner_text().strip()
    best.get_by_role("link", name="Match").click()

    # Asked once; the volunteer is told.
    expect(page.get_by_role("heading", name=f"Match Morven with {volunteer_name}?")).to_be_visible()
    expect(page.get_by_text("The volunteer will be told")).to_be_visible()
    check_accessibility(page, "journey 1 confirm the match")
    page.get_by_role("button", name="Confirm").click()

    expect(
        page.get_by_text(f"Match confirmed. {volunteer_name} has been told; the referral is now matched.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Morven")).to_contain_text("Confirmed")
    expect(page.get_by_text(f"{volunteer_name} · referral #{referral.pk}")).to_be_visible()
    check_accessibility(page, "journey 1 match confirmed")

    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    expect(page.get_by_text("Morven Journeyfield · Matched")).to_be_visible()
    check_accessibility(page, "journey 1 referral matched")
    match = Match.objects.get(referral=referral)
    assert str(match.volunteer.user) == volunteer_name
    assert Referral.objects.get(pk=referral.pk).status == Status.MATCHED


@pytest.mark.worker
def test_a_volunteer_raises_a_concern_from_a_phone_and_the_coordinator_is_told(
    demo, new_page, live_server, live_worker
):
    match = Match.objects.open().filter(volunteer__user__username="volunteer").order_by("pk").first()
    assert match is not None, "the demo volunteer supports families"
    family = match.parent.preferred_name or match.parent.first_name

    coordinator = new_page()
    sign_in(coordinator, live_server, "coordinator")
    check_accessibility(coordinator, "journey 2 coordinator home before the concern")
    bell = coordinator.get_by_role("link", name=re.compile(r"Notifications \d+ unread"))
    expect(bell).to_have_count(0)

    phone = new_page(width=360, height=740)
    sign_in(phone, live_server, "volunteer")
    check_accessibility(phone, "journey 2 volunteer home on a phone")
    families = phone.get_by_role("region", name="Your families")
    families.get_by_role("listitem").filter(has_text=family).get_by_role("link", name="Log a contact").click()
    expect(phone.get_by_role("heading", name=f"Log a contact with {family}")).to_be_visible()
    check_accessibility(phone, "journey 2 contact log on a phone")
    # A worry goes first: "Raise a concern" sits at the top of the log.
    phone.get_by_role("link", name="Raise a concern").click()
    expect(phone.get_by_text(f"Family: {family}")).to_be_visible()
    phone.get_by_role("radio", name="This week").check()
    phone.get_by_role("radio", name="The parent").check()
    phone.get_by_role("radio", name="Mental health or risk to self").check()
    phone.get_by_label("What did you see or hear?").fill("Low mood all week; asked about her GP.")
    check_accessibility(phone, "journey 2 concern filled in")
    phone.get_by_role("button", name="Send the concern").click()
    expect(phone.get_by_text("Sent. Your coordinator and the safeguarding lead have been told.")).to_be_visible()
    check_accessibility(phone, "journey 2 concern sent")
    concern = Concern.objects.get(match=match, status=ConcernStatus.NEW, details__startswith="Low mood")

    # The coordinator's home lists the concern at once (it is in the database)…
    coordinator.reload()
    panel = coordinator.get_by_role("region", name=re.compile("^Concerns"))
    expect(panel.get_by_role("link", name="Mental health or risk to self")).to_be_visible()
    # …and the bell counts the notification once the worker has delivered it.
    reload_until_visible(coordinator, bell)
    check_accessibility(coordinator, "journey 2 coordinator home with the concern")
    bell.click()
    item = coordinator.get_by_role("listitem").filter(has_text=f"Concern #{concern.pk}")
    expect(item).to_have_count(1)
    # Staff who may see the concern read who it is about in the app (never in the email).
    expect(item).to_contain_text(family)
    check_accessibility(coordinator, "journey 2 notification centre")
    delivered = Notification.objects.filter(
        key__startswith=f"concern-raised:{concern.pk}:", channel=Channel.IN_APP, recipient_user__username="coordinator"
    ).get()
    assert delivered.status == "sent"


@pytest.fixture
def full_creche_session(demo):
    """A group of Family Start East Lothian whose next session's crèche takes
    one child (the cap), with two fit demo volunteers on the rota."""
    organisation = Organisation.objects.get(slug="family-start-east-lothian")
    service = Service.objects.get(organisation=organisation, kind=ServiceKind.GROUP)
    # Two demo volunteers fit to work with children: the rota takes no one else.
    people = [m.user for m in Membership.objects.filter(organisation=organisation, role=Role.VOLUNTEER).order_by("pk")]
    fitness = creche_fitness(organisation.pk, [person.pk for person in people])
    rota = [person for person in people if not fitness[person.pk]][:2]
    day = timezone.localdate() + dt.timedelta(days=3)
    group = group_services.group_create(
        organisation=organisation,
        actor=None,
        data={
            "service": service,
            "name": "Wee Ones Journey Group",
            "format": Format.IN_PERSON,
            "recurrence": Recurrence.WEEKLY,
            "weekday": day.weekday(),
            "start_time": dt.time(10, 0),
            "end_time": dt.time(11, 30),
            "starts_on": day,
            "adult_places": 10,
            "creche_on": True,
            "creche_child_cap": 1,
            "venue_name": "Haddington Corn Exchange",
        },
        facilitators=[],
        creche_adults=rota,
    )
    return group.sessions.order_by("starts_at").first()


def book(page: Page, parent: Parent, child_name: str, child_born: dt.date, *, step: str) -> None:
    page.get_by_role("link", name="Book a place").click()
    expect(page.get_by_role("heading", name=re.compile("^Book a place"))).to_be_visible()
    page.get_by_label("Known parent").select_option(str(parent.pk))
    page.get_by_label("Child's first name").first.fill(child_name)
    page.get_by_label("Date of birth").first.fill(child_born.isoformat())
    check_accessibility(page, step)
    page.get_by_role("button", name="Book", exact=True).click()


def test_a_parent_waits_for_a_full_creche_and_gets_the_place_when_a_booking_is_cancelled(
    full_creche_session, new_page, live_server
):
    session = full_creche_session
    first, second = Parent.objects.filter(organisation_id=session.organisation_id).order_by("pk")[:2]
    page = new_page()
    sign_in(page, live_server, "coordinator2")
    page.goto(f"{live_server.url}/groups/sessions/{session.pk}/")
    check_accessibility(page, "journey 3 session before any booking")

    book(page, first, "Isla", timezone.localdate() - dt.timedelta(days=200), step="journey 3 first booking")
    expect(page.get_by_text("Booked.", exact=True)).to_be_visible()
    booked = page.get_by_role("table", name=re.compile("^Booked"))
    expect(booked.get_by_role("row").filter(has_text=first.display_name)).to_be_visible()
    check_accessibility(page, "journey 3 first parent booked")

    book(page, second, "Rory", timezone.localdate() - dt.timedelta(days=300), step="journey 3 second booking")
    expect(page.get_by_text("The session is full for this booking: it is on the waiting list.")).to_be_visible()
    waiting = page.get_by_role("table", name=re.compile("^Waiting list"))
    expect(waiting.get_by_role("row").filter(has_text=second.display_name)).to_be_visible()
    check_accessibility(page, "journey 3 second parent on the waiting list")

    booked.get_by_role("link", name=f"Cancel booking of {first.display_name}").click()
    # It asks first, in a dialog on the page (htmx), saying what will happen.
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("1 booking is on the waiting list")
    dialog.get_by_role("button", name="Yes, cancel the booking").click()
    expect(page.get_by_text("The booking is cancelled. 1 waiting booking(s) now have a place")).to_be_visible()
    promoted = booked.get_by_role("row").filter(has_text=second.display_name)
    expect(promoted).to_contain_text("Booked")
    expect(promoted).to_contain_text(re.compile(r"Rory \(\d+\smonths"))  # the child's age on the day
    expect(page.get_by_role("heading", name="Waiting list, first in line first (0)")).to_be_visible()
    check_accessibility(page, "journey 3 waiting parent promoted")
    assert Booking.objects.get(session=session, parent=second).status == BookingStatus.BOOKED
    assert Booking.objects.get(session=session, parent=first).status == BookingStatus.CANCELLED
    # "were told": the offer is in the outbox (to the parent on a safe channel, or to the coordinators).
    assert Notification.objects.filter(kind="booking_place_offered").exists()
