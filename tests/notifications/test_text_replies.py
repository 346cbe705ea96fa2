"""Replies that act: a YES or NO texted back to a session reminder or a
parent's visit reminder confirms or cancels, once, whatever the provider
retries; the sender is matched to the person; anything else waits in the
coordinators' inbox."""

from __future__ import annotations

import datetime as dt

import pytest

from operations.groups.models import Booking, BookingStatus
from operations.notifications.answers import Answer, answer_of
from operations.notifications.models import InboundText, Notification, Status, TextHandling
from operations.notifications.replies import text_handle
from tests.factories import VisitFactory
from tests.notifications.conftest import sent_sms
from tests.notifications.helpers_texts import (
    FRIDAY,
    THURSDAY,
    book,
    fridays_session,
    remind,
    safe_parent,
    text_in,
    textable,
    visit_reminder,
)
from tests.volunteers.helpers import make_profile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("thursday")]


@pytest.mark.parametrize(
    ("body", "answer"),
    [
        ("YES", Answer.YES),
        (" y ", Answer.YES),
        ("Yes please!", Answer.YES),
        ("yes.", Answer.YES),
        ("No", Answer.NO),
        ("n", Answer.NO),
        ("NO THANKS", Answer.NO),
        ("Stop", Answer.STOP),
        ("STOPALL", Answer.STOP),
        ("unsubscribe", Answer.STOP),
        ("Cancel", Answer.STOP),
        ("end", Answer.STOP),
        ("QUIT", Answer.STOP),
        ("start", Answer.START),
        ("UNSTOP", Answer.START),
        ("yes but can we make it 11", None),
        ("Is the group on tomorrow?", None),
        ("", None),
    ],
)
def test_the_answers_a_text_gives(body, answer):
    assert answer_of(body) == answer


def test_yes_confirms_the_booking_exactly_once_when_the_provider_retries(
    numbered, sms_file, django_capture_on_commit_callbacks
):
    parent = safe_parent(numbered)
    booking = book(fridays_session(numbered), parent)
    remind()

    first = text_in(django_capture_on_commit_callbacks, body="Yes please!", message_id="SM-1")
    retried = text_in(django_capture_on_commit_callbacks, body="Yes please!", message_id="SM-1")
    # The receiver run again (a second worker, a replayed signal) does nothing more.
    assert text_handle(inbound_id=first.pk) is None

    booking.refresh_from_db()
    assert booking.confirmed_at == THURSDAY
    assert retried.pk == first.pk
    assert InboundText.objects.count() == 1
    assert first.parent_id == parent.pk
    assert first.handling == TextHandling.ACTED
    assert first.outcome.startswith("Place confirmed for ")
    replies = Notification.objects.filter(kind="text_reply")
    assert replies.count() == 1
    # Neutral words: her record does not let messages name the service.
    texts = [sms["body"] for sms in sent_sms(sms_file)]
    assert texts[-1] == "Thank you: your appointment on Fri 4 Dec 2026 at 10:00 is confirmed."
    assert all("Tea and Tots" not in text for text in texts)


def test_the_answer_names_the_group_only_where_her_record_allows(
    numbered, sms_file, django_capture_on_commit_callbacks
):
    parent = safe_parent(numbered, may_name_service=True)
    session = fridays_session(numbered, name="Tea and Tots Galashiels")
    book(session, parent)
    remind()
    text_in(django_capture_on_commit_callbacks, body="yes")
    assert sent_sms(sms_file)[-1]["body"] == (
        "Thank you: your place at Tea and Tots Galashiels on Fri 4 Dec 2026 at 10:00 is confirmed."
    )


def test_no_cancels_the_booking_and_offers_the_place_to_the_waiting_list(
    numbered, sms_file, django_capture_on_commit_callbacks
):
    session = fridays_session(numbered, adult_places=1)
    parent = safe_parent(numbered)
    waiting_parent = safe_parent(numbered, phone="07700900456")
    booking = book(session, parent)
    waiting = book(session, waiting_parent)
    assert waiting.status == BookingStatus.WAITING
    remind()

    inbound = text_in(django_capture_on_commit_callbacks, body="NO.")

    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert waiting.status == BookingStatus.BOOKED
    assert "The place was offered to the waiting list." in inbound.outcome
    assert Notification.objects.filter(kind="booking_place_offered", recipient_parent=waiting_parent).exists()
    assert sent_sms(sms_file)[-1]["body"] == (
        "Thank you for letting us know: your appointment on Fri 4 Dec 2026 at 10:00 is cancelled."
    )
    # Texted again: nothing more is cancelled, it waits for a person.
    again = text_in(django_capture_on_commit_callbacks, body="no")
    assert again.handling == TextHandling.NEW
    assert "already cancelled" in again.outcome
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 1


def test_an_answer_with_no_recent_reminder_waits_for_a_person(numbered, django_capture_on_commit_callbacks):
    parent = safe_parent(numbered)
    booking = book(fridays_session(numbered), parent)
    # No reminder was sent to her in the last days.
    inbound = text_in(django_capture_on_commit_callbacks, body="YES")
    booking.refresh_from_db()
    assert booking.confirmed_at is None
    assert inbound.handling == TextHandling.NEW
    assert inbound.parent_id == parent.pk
    assert not Notification.objects.filter(kind="text_reply").exists()


def test_anything_else_goes_to_the_inbox_matched_to_her(numbered, django_capture_on_commit_callbacks):
    parent = safe_parent(numbered)
    book(fridays_session(numbered), parent)
    remind()
    inbound = text_in(django_capture_on_commit_callbacks, body="yes but can we make it 11?")
    assert (inbound.parent_id, inbound.handling, inbound.outcome) == (parent.pk, TextHandling.NEW, "")
    assert Booking.objects.get(parent=parent).confirmed_at is None


def test_an_unknown_number_lands_unmatched_and_gets_no_answer(numbered, sms_file, django_capture_on_commit_callbacks):
    inbound = text_in(django_capture_on_commit_callbacks, body="Hi, is this the baby group?", sender="07700900999")
    assert inbound.organisation_id == numbered.pk
    assert (inbound.parent_id, inbound.volunteer_id, inbound.candidates) == (None, None, [])
    assert inbound.handling == TextHandling.NEW
    assert sent_sms(sms_file) == []


def test_several_people_with_the_number_keep_the_candidates(numbered, django_capture_on_commit_callbacks):
    one = safe_parent(numbered, phone="07700900123")
    other = safe_parent(numbered, phone="07700900123")
    inbound = text_in(django_capture_on_commit_callbacks, body="Hello")
    assert inbound.parent_id is None
    assert inbound.candidates == [f"parent:{one.pk}", f"parent:{other.pk}"]


def test_the_reminder_answered_says_whose_it_was_when_a_number_is_shared(
    numbered, sms_file, django_capture_on_commit_callbacks
):
    reminded = safe_parent(numbered, phone="07700900123")
    safe_parent(numbered, phone="07700900123")
    booking = book(fridays_session(numbered), reminded)
    remind()
    inbound = text_in(django_capture_on_commit_callbacks, body="Y")
    booking.refresh_from_db()
    assert booking.confirmed_at is not None
    assert (inbound.parent_id, inbound.candidates) == (reminded.pk, [])


def test_a_volunteers_number_is_matched_to_her_profile(numbered, volunteer, django_capture_on_commit_callbacks):
    profile = make_profile(organisation=numbered, user=volunteer, today=FRIDAY, phone="07700 900 321")
    inbound = text_in(django_capture_on_commit_callbacks, body="Running 10 min late", sender="+447700900321")
    assert inbound.volunteer_id == profile.pk
    assert inbound.parent_id is None


def test_a_number_of_another_organisation_is_not_matched(
    numbered, other_organisation, django_capture_on_commit_callbacks
):
    safe_parent(other_organisation)
    inbound = text_in(django_capture_on_commit_callbacks, body="Hello")
    assert inbound.parent_id is None


def test_a_text_to_the_shared_sender_belongs_to_the_organisation_that_last_texted_her(
    organisation, sms_file, django_capture_on_commit_callbacks
):
    parent = safe_parent(organisation)
    booking = book(fridays_session(organisation), parent)
    remind()
    inbound = text_in(django_capture_on_commit_callbacks, body="YES", to="+447700900999")
    booking.refresh_from_db()
    assert inbound.organisation_id == organisation.pk
    assert booking.confirmed_at is not None


def test_yes_to_a_visit_reminder_confirms_the_visit(match, numbered, sms_file, django_capture_on_commit_callbacks):
    parent = textable(match.parent)
    visit = VisitFactory(match=match, organisation=numbered, planned_for=FRIDAY, at_time=dt.time(14, 0))
    visit_reminder(visit, parent)
    inbound = text_in(django_capture_on_commit_callbacks, body="yes")
    visit.refresh_from_db()
    assert visit.confirmed_at == THURSDAY
    assert inbound.outcome == "Visit confirmed for Fri 4 Dec 2026 at 14:00."
    assert sent_sms(sms_file)[-1]["body"] == "Thank you: your appointment on Fri 4 Dec 2026 at 14:00 is confirmed."


def test_no_to_a_visit_reminder_asks_the_volunteer_to_plan_again(
    match, numbered, volunteer, sms_file, django_capture_on_commit_callbacks
):
    parent = textable(match.parent)
    visit = VisitFactory(match=match, organisation=numbered, planned_for=FRIDAY)
    visit_reminder(visit, parent)
    text_in(django_capture_on_commit_callbacks, body="No")
    text_in(django_capture_on_commit_callbacks, body="No", message_id="SM-again")
    asked = Notification.objects.filter(kind="visit_replan", recipient_user=volunteer)
    assert asked.count() == 1
    note = asked.first()
    assert note.status == Status.SENT
    assert note.body == (
        "The family answered NO to the reminder of the visit on Fri 4 Dec 2026: please agree another time with them."
    )
    visit.refresh_from_db()
    assert visit.confirmed_at is None
    assert not visit.cancelled
