"""One timeline per parent: everything about her on her page, newest first,
from every app (referrals, matching, safeguarding, groups, outcomes, the
outbox), filtered by kind, a page at a time, in the same number of queries
however long her history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from operations.core.dates import short_date
from operations.core.timeline import kinds, timeline_page
from operations.notifications.models import Channel, Status
from referrals import services as referral_services
from referrals.models import Parent
from tests.factories import (
    AssessmentFactory,
    BookingFactory,
    ChildFactory,
    ConcernEventFactory,
    ConcernFactory,
    ContactLogFactory,
    InboundTextFactory,
    MatchFactory,
    MatchReviewFactory,
    NotificationFactory,
    ReferralTransitionFactory,
    SafetyAlertFactory,
    VisitFactory,
)
from tests.groups.helpers import first_session, make_group
from tests.referrals.test_erasure_everywhere import NEEDLES, parent_everywhere  # noqa: F401 (a fixture)
from volunteers.matching.timeline import notes_readable

#: Sixty days ago: every moment of the history below is a day after it.
DAY0 = timezone.localdate() - dt.timedelta(days=60)


def moment(days: int, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(DAY0 + dt.timedelta(days=days), dt.time(hour, minute)))


def day(days: int) -> dt.date:
    return DAY0 + dt.timedelta(days=days)


def add_history(match, *, start: int = 0, organisation) -> None:
    """One of everything, at known moments from ``start`` days after DAY0."""
    parent, referral = match.parent, match.referral
    ReferralTransitionFactory(
        referral=referral, from_status="", to_status="received", at=moment(start, 9), reason="From the midwife"
    )
    ReferralTransitionFactory(
        referral=referral, from_status="received", to_status="waiting", at=moment(start + 1, 10), reason=""
    )
    VisitFactory(organisation=organisation, match=match, planned_for=day(start + 6), at_time=dt.time(11), place="Café")
    ContactLogFactory(
        organisation=organisation,
        match=match,
        contact_date=day(start + 7),
        note="Talked about sleep",
        topics=["feeding"],
    )
    concern = ConcernFactory(
        organisation=organisation,
        match=match,
        kind="domestic_abuse",
        urgency="today",
        details="Raised voices on the phone",
        raised_at=moment(start + 8, 14, 5),
    )
    ConcernEventFactory(concern=concern, kind="raised", at=moment(start + 8, 14, 5))
    ConcernEventFactory(
        concern=concern, kind="closed", at=moment(start + 9, 12), outcome="health", note="Phoned the GP"
    )
    session = first_session(make_group(organisation))
    type(session).objects.filter(pk=session.pk).update(starts_at=moment(start + 11, 10), ends_at=moment(start + 11, 12))
    BookingFactory(
        organisation=organisation,
        session=session,
        parent=parent,
        attendee_name="",
        status="attended",
        created_at=moment(start + 10, 9),
    )
    assessment = AssessmentFactory(
        organisation=organisation, parent=parent, referral=referral, taken_on=day(start + 12), score_total=12
    )
    SafetyAlertFactory(
        organisation=organisation,
        parent=parent,
        assessment=assessment,
        raised_at=moment(start + 12, 15),
        actioned_at=moment(start + 13, 9),
        action_taken="Called her back the same day",
    )
    NotificationFactory(
        organisation=organisation,
        recipient_user=None,
        recipient_parent=parent,
        recipient_address="07700900123",
        channel=Channel.SMS,
        status=Status.SENT,
        subject="A reminder",
        due_at=moment(start + 14, 8),
        sent_at=moment(start + 14, 8),
    )
    InboundTextFactory(
        organisation=organisation,
        parent=parent,
        body="Yes",
        outcome="Place confirmed.",
        received_at=moment(start + 14, 9),
    )
    MatchReviewFactory(match=match, held_on=day(start + 15), notes="Settling in", going_well=True)


@pytest.fixture
def history(organisation, service):
    match = MatchFactory(
        referral__organisation=organisation,
        referral__service=service,
        referral__parent__lawful_basis_article9="not_for_profit",
        confirmed_at=moment(3, 10),
        status_changed_at=moment(3, 10),
        introduced_on=day(4),
        started_on=day(5),
        status="ended",
        ended_on=day(16),
        ending_type="planned",
        closing_note="Feeling much stronger",
    )
    ChildFactory(parent=match.parent, due_date=day(2), birth_date=day(2), name="Isla")
    add_history(match, organisation=organisation)
    return match


#: The history above, newest first: (kind, the start of its label).
EXPECTED = [
    ("match", "Match with"),  # ended, day 16
    ("match", "Match with"),  # reviewed, day 15
    ("text", "Text from her: “Yes”"),  # day 14 09:00
    ("message", "Text message sent"),  # day 14 08:00
    ("alert", "Safety alert actioned"),  # day 13 09:00
    ("alert", "Safety alert: EPDS"),  # day 12 15:00
    ("assessment", "EPDS, baseline"),  # day 12
    ("booking", "Came to"),  # day 11 10:00
    ("booking", "Booked on"),  # day 10 09:00
    ("concern", "Concern (domestic abuse) closed"),  # day 9 12:00
    ("concern", "Concern raised (domestic abuse)"),  # day 8 14:05
    ("contact", "Phone call with"),  # day 7
    ("visit", "Home visit with"),  # day 6 11:00
    ("match", "Support with"),  # started, day 5
    ("match", "Introduced to"),  # day 4
    ("match", "Matched with"),  # day 3 10:00
    ("birth", "Birth"),  # day 2
    ("referral", "Referral for Befriending moved from received to waiting"),  # day 1 10:00
    ("referral", "Referral for Befriending received"),  # day 0 09:00
]


def page_url(parent, query: str = "") -> str:
    return reverse("referrals:parent-detail", args=[parent.pk]) + (f"?{query}" if query else "")


def timeline_text(response) -> str:
    """The visible text of the page's timeline section."""
    html = response.content.decode()
    section = html[html.index('id="timeline"') : html.index("</section>", html.index('id="timeline"'))]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


@pytest.mark.django_db
def test_every_kind_appears_in_date_order_in_plain_words(coordinator_client, history):
    response = coordinator_client.get(page_url(history.parent))

    assert response.status_code == 200
    entries = response.context["timeline"].entries
    assert [(e.kind, e.label[: len(label)]) for e, (_, label) in zip(entries, EXPECTED, strict=True)] == EXPECTED
    assert {e.kind for e in entries} == set(kinds())
    text = timeline_text(response)
    # A moment with its time, a day without one: "14 Feb 2028 14:05", "14 Feb 2028".
    assert f"{short_date(day(8))} 14:05" in text
    assert f"{short_date(day(7))} Contact logs Phone call with" in text
    assert "Concern raised (domestic abuse); urgency: today" in text
    assert "Concern (domestic abuse) closed. Outcome: Referred to GP, midwife or health visitor" in text
    assert re.search(r"Match with [\w ]+ ended: planned ending", text)
    assert "Text message sent: “A reminder”" in text
    # The words written, for a coordinator, who may read them all.
    for note in ("Talked about sleep", "Raised voices on the phone", "Phoned the GP", "Feeling much stronger"):
        assert note in text
    # No code reaches the page.
    assert re.findall(r"\b[a-z]+_[a-z_]+\b|\bsms\b", text) == []


@pytest.mark.django_db
def test_the_filter_shows_only_the_kinds_ticked(coordinator_client, history):
    response = coordinator_client.get(page_url(history.parent, "kind=concern&kind=visit"))

    kinds_shown = [entry.kind for entry in response.context["timeline"].entries]
    assert kinds_shown == ["concern", "concern", "visit"]
    html = response.content.decode()
    assert re.search(r'value="concern"[^>]*checked', html)
    assert not re.search(r'value="contact"[^>]*checked', html)


@pytest.mark.django_db
def test_a_kind_not_offered_is_a_field_error_and_the_whole_timeline_shows(coordinator_client, history):
    response = coordinator_client.get(page_url(history.parent, "kind=secrets"))

    assert response.status_code == 200
    assert "Choose from the kinds listed." in response.content.decode()
    assert len(response.context["timeline"].entries) == len(EXPECTED)


@pytest.mark.django_db
def test_pages_of_fifty_follow_on_without_gaps_or_repeats(coordinator_client, coordinator, history, organisation):
    for number in range(110):
        ContactLogFactory(
            organisation=organisation, match=history, contact_date=day(20) + dt.timedelta(days=number % 30)
        )
    total = len(EXPECTED) + 110
    whole = timeline_page(history.parent, user=coordinator, kinds=kinds(), size=1000)
    assert len(whole.entries) == total

    pages = [coordinator_client.get(page_url(history.parent, f"page={n}")).context["timeline"] for n in (1, 2, 3)]

    assert [len(page.entries) for page in pages] == [50, 50, total - 100]
    assert [entry for page in pages for entry in page.entries] == whole.entries
    assert [(page.has_previous, page.has_next) for page in pages] == [(False, True), (True, True), (True, False)]


@pytest.mark.django_db
def test_page_links_keep_the_filter_and_a_bad_page_number_is_the_first_page(coordinator_client, history, organisation):
    for number in range(60):
        ContactLogFactory(organisation=organisation, match=history, contact_date=day(20 + number % 30))

    response = coordinator_client.get(page_url(history.parent, "kind=contact"))
    assert "?kind=contact&amp;page=2#timeline" in response.content.decode()

    for bad in ("0", "-1", "two", "99999999999999999999"):
        page = coordinator_client.get(page_url(history.parent, f"page={bad}")).context["timeline"]
        assert page.number == 1


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_history(coordinator_client, history, organisation):
    url = page_url(history.parent)
    coordinator_client.get(url)  # warm the per-process caches (content types, settings rows)
    with CaptureQueriesContext(connection) as short:
        assert len(coordinator_client.get(url).context["timeline"].entries) == len(EXPECTED)
    with CaptureQueriesContext(connection) as short_page_2:
        coordinator_client.get(f"{url}?page=2")

    for repeat in range(1, 5):  # four times as much history again, every kind
        add_history(history, start=20 * repeat, organisation=organisation)

    with CaptureQueriesContext(connection) as long:
        assert len(coordinator_client.get(url).context["timeline"].entries) == 50
    with CaptureQueriesContext(connection) as long_page_2:
        assert coordinator_client.get(f"{url}?page=2").context["timeline"].entries
    assert len(long) == len(short)
    assert len(long_page_2) == len(short_page_2)


@pytest.mark.django_db
def test_a_filtered_timeline_reads_only_the_apps_asked(coordinator_client, history):
    everything = CaptureQueriesContext(connection)
    with everything:
        coordinator_client.get(page_url(history.parent))
    with CaptureQueriesContext(connection) as one_kind:
        coordinator_client.get(page_url(history.parent, "kind=message"))
    assert len(one_kind) < len(everything)


@pytest.mark.django_db
def test_concern_notes_only_for_those_who_may_read_them(history, coordinator):
    # The volunteer who raised a concern sees its steps on their own records, never the words written.
    concern_volunteer = history.volunteer.user
    entries = timeline_page(history.parent, user=concern_volunteer, kinds=["concern"]).entries
    assert [entry.label[:15] for entry in entries] == ["Concern (domest", "Concern raised "]
    assert [entry.detail for entry in entries] == ["", ""]

    staff_entries = timeline_page(history.parent, user=coordinator, kinds=["concern"]).entries
    assert [entry.detail for entry in staff_entries] == ["Phoned the GP", "Raised voices on the phone"]


@pytest.mark.django_db
def test_contact_log_notes_are_read_by_staff_and_the_family_s_own_volunteer(history, coordinator, pso, volunteer):
    organisation_id = history.organisation_id
    own = history.volunteer.user
    assert notes_readable(coordinator, organisation_id=organisation_id, volunteer_user_id=own.pk)
    assert notes_readable(own, organisation_id=organisation_id, volunteer_user_id=own.pk)
    assert not notes_readable(pso, organisation_id=organisation_id, volunteer_user_id=own.pk)
    assert not notes_readable(volunteer, organisation_id=organisation_id, volunteer_user_id=own.pk)


@pytest.mark.django_db
def test_only_the_organisation_s_staff_open_the_page(history, volunteer_client, pso_client, other_coordinator_client):
    url = page_url(history.parent)
    assert volunteer_client.get(url).status_code == 403
    assert pso_client.get(url).status_code == 403
    assert other_coordinator_client.get(url).status_code == 404


@pytest.mark.django_db
def test_after_erasure_the_timeline_holds_no_word_about_her(parent_everywhere, manager, manager_client):  # noqa: F811
    before = timeline_text(manager_client.get(page_url(parent_everywhere)))
    assert NEEDLES["contact-log note"] in before  # the words were there
    assert NEEDLES["concern"] in before

    referral_services.parent_erase(actor=manager, parent=parent_everywhere)

    response = manager_client.get(page_url(Parent.objects.get(pk=parent_everywhere.pk)))
    assert response.status_code == 200
    assert response.context["timeline"].entries  # the anonymous facts stay
    page = response.content.decode().lower()
    assert {label: needle for label, needle in NEEDLES.items() if needle.lower() in page} == {}
