"""STOP stops every text to the number at once, through every path that
sends one, however the record is edited after; START, or a coordinator's
record of new consent, lifts it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from operations.core.audit import AuditEvent
from operations.notifications.models import Channel, Notification, SmsOptOut, Status, TextHandling
from operations.notifications.optout import sms_stopped
from operations.notifications.services import notification_retry, notification_send, notification_write
from referrals import services as referral_services
from referrals.contact import contact_permissions
from referrals.models import Parent
from tests.factories import VisitFactory
from tests.notifications.conftest import sent_sms
from tests.notifications.helpers_texts import (
    FRIDAY,
    THURSDAY,
    book,
    fridays_session,
    remind,
    safe_parent,
    send_due,
    text_in,
    textable,
    visit_reminder,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("thursday")]

NUMBER = "+447700900123"


@pytest.fixture
def parent(numbered):
    return safe_parent(numbered, email="rhona@example.org", safe_email=True)


def texts_to(sms_file, number="07700900123") -> list[str]:
    return [sms["body"] for sms in sent_sms(sms_file) if sms["to"] in (number, NUMBER)]


def stop(capture, body="STOP"):
    return text_in(capture, body=body)


def test_stop_is_recorded_on_her_record_at_once_with_the_date(parent, sms_file, django_capture_on_commit_callbacks):
    inbound = stop(django_capture_on_commit_callbacks, body="Stop.")
    parent.refresh_from_db()
    assert parent.sms_stopped_at == THURSDAY
    assert sms_stopped("07700 900123")
    assert inbound.handling == TextHandling.ACTED
    assert inbound.outcome == "Texts stopped for this number: nothing more is sent to it by text."
    permissions = contact_permissions(parent)
    assert not permissions.allows("sms")
    assert permissions.allows("email")
    assert "Texts stopped by the parent on 3 Dec 2026." in referral_services_summary(parent)
    # No answer to a STOP: nothing more goes to that number.
    assert texts_to(sms_file) == []
    assert AuditEvent.objects.filter(summary="Texts stopped by the parent (she texted STOP)").count() == 1


def referral_services_summary(parent) -> str:
    from referrals.contact import safe_contact_summary

    return safe_contact_summary(contact_permissions(parent))


def test_ticking_sms_is_safe_again_does_not_lift_it(parent, coordinator, django_capture_on_commit_callbacks):
    form_copy = Parent.objects.get(pk=parent.pk)  # read before the STOP, saved after
    stop(django_capture_on_commit_callbacks)
    referral_services.parent_record_contact_safety(actor=coordinator, parent=form_copy, data={"safe_sms": True})
    referral_services.parent_update(actor=coordinator, parent=Parent.objects.get(pk=parent.pk), data={"town": "Hawick"})
    parent.refresh_from_db()
    assert parent.safe_sms
    assert parent.sms_stopped_at == THURSDAY
    assert not contact_permissions(parent).allows("sms")


def test_a_session_reminder_after_stop_goes_by_email_not_text(parent, sms_file, django_capture_on_commit_callbacks):
    book(fridays_session(parent.organisation), parent)
    stop(django_capture_on_commit_callbacks)
    remind()
    reminder = Notification.objects.get(kind="session_reminder", recipient_parent=parent)
    assert reminder.channel == Channel.EMAIL
    assert texts_to(sms_file) == []


def test_a_pending_text_is_withheld_at_once_with_the_reason(parent, coordinator, django_capture_on_commit_callbacks):
    waiting, _ = notification_write(
        key="later-1",
        kind="session_reminder",
        channel=Channel.SMS,
        organisation=parent.organisation,
        subject="A reminder",
        body="A reminder of your appointment.",
        recipient_address=parent.phone,
        recipient_parent=parent,
        due_at=THURSDAY.replace(hour=18),
    )
    stop(django_capture_on_commit_callbacks)
    waiting.refresh_from_db()
    assert waiting.status == Status.CANCELLED
    assert waiting.cancelled_reason == "The parent texted STOP on 3 Dec 2026."
    # The coordinators are asked to reach her another way.
    assert Notification.objects.filter(kind="message_withheld", recipient_user=coordinator).exists()


def test_a_visit_reminder_after_stop_is_withheld(match, numbered, sms_file, django_capture_on_commit_callbacks):
    parent = textable(match.parent)
    stop(django_capture_on_commit_callbacks)
    reminder = visit_reminder(VisitFactory(match=match, organisation=numbered, planned_for=FRIDAY), parent)
    reminder.refresh_from_db()
    assert reminder.status == Status.CANCELLED
    assert texts_to(sms_file) == []


def test_a_group_message_after_stop_is_not_a_text(parent, sms_file, django_capture_on_commit_callbacks):
    session = fridays_session(parent.organisation, adult_places=1)
    first = book(session, safe_parent(parent.organisation, phone="07700900456"))
    book(session, parent)  # waiting
    stop(django_capture_on_commit_callbacks)
    from operations.groups import services as groups

    groups.booking_cancel(booking=first, actor=None)
    send_due()
    offered = Notification.objects.get(kind="booking_place_offered", recipient_parent=parent)
    assert offered.channel == Channel.EMAIL
    assert texts_to(sms_file) == []


def test_a_text_to_a_stopped_number_from_any_path_is_withheld_when_it_would_leave(
    numbered, sms_file, django_capture_on_commit_callbacks
):
    """The on-call phone for concerns, a volunteer: whatever wrote the text, the number decides."""
    stop(django_capture_on_commit_callbacks)
    on_call, _ = notification_write(
        key="concern-raised:1:on-call:sms",
        kind="concern_raised",
        channel=Channel.SMS,
        organisation=numbered,
        subject="Concern #1: it needs a response today",
        body="Concern #1 — it needs a response today.",
        recipient_address="07700 900 123",
    )
    assert notification_send(notification_id=on_call.pk) == Status.CANCELLED
    on_call.refresh_from_db()
    assert on_call.cancelled_reason.startswith("The number texted STOP on 3 Dec 2026")
    assert sent_sms(sms_file) == []


def test_a_retried_text_to_a_stopped_number_is_withheld(parent, sms_file, django_capture_on_commit_callbacks):
    failed = Notification.objects.create(
        key="failed-1",
        kind="session_reminder",
        channel=Channel.SMS,
        organisation=parent.organisation,
        subject="A reminder",
        body="A reminder.",
        recipient_address=parent.phone,
        recipient_parent=parent,
        due_at=THURSDAY,
        status=Status.FAILED,
    )
    stop(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        notification_retry(notification=failed)
    send_due()
    failed.refresh_from_db()
    assert failed.status == Status.CANCELLED
    assert texts_to(sms_file) == []


def test_a_volunteers_stop_holds_for_her_number(numbered, volunteer, sms_file, django_capture_on_commit_callbacks):
    from tests.volunteers.helpers import make_profile

    make_profile(organisation=numbered, user=volunteer, today=FRIDAY, phone="07700 900321")
    text_in(django_capture_on_commit_callbacks, body="STOPALL", sender="+447700900321")
    assert sms_stopped("07700900321")
    row, _ = notification_write(
        key="to-volunteer",
        kind="text_from_staff",
        channel=Channel.SMS,
        organisation=numbered,
        subject="Visit",
        body="Can you call me?",
        recipient_address="07700900321",
        recipient_user=volunteer,
    )
    assert notification_send(notification_id=row.pk) == Status.CANCELLED


def test_start_lifts_it_and_answers(parent, sms_file, django_capture_on_commit_callbacks):
    stop(django_capture_on_commit_callbacks)
    inbound = text_in(django_capture_on_commit_callbacks, body="start")
    parent.refresh_from_db()
    assert parent.sms_stopped_at is None
    assert not sms_stopped(NUMBER)
    assert contact_permissions(parent).allows("sms")
    assert inbound.outcome == "Texts started again for this number."
    assert texts_to(sms_file) == ["Texts are on again. Text STOP at any time to stop them."]


def test_a_coordinator_records_new_consent_on_her_page(
    parent, coordinator, coordinator_client, django_capture_on_commit_callbacks
):
    stop(django_capture_on_commit_callbacks)
    page = coordinator_client.get(reverse("referrals:parent-detail", args=[parent.pk])).content.decode()
    assert "Texts stopped by the parent on 3 Dec 2026" in page
    assert "She has agreed to texts again" in page

    response = coordinator_client.post(reverse("messages:texts-again", args=[parent.pk]))

    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.sms_stopped_at is None
    assert not SmsOptOut.objects.exists()
    assert AuditEvent.objects.filter(
        summary="Texts agreed again: a coordinator recorded the parent's new consent", actor_id=coordinator.pk
    ).exists()


def test_a_volunteer_cannot_record_consent(parent, volunteer_client, django_capture_on_commit_callbacks):
    stop(django_capture_on_commit_callbacks)
    assert volunteer_client.post(reverse("messages:texts-again", args=[parent.pk])).status_code == 403
    parent.refresh_from_db()
    assert parent.sms_stopped_at is not None
    assert SmsOptOut.objects.count() == 1
