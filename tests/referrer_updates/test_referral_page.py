"""On a referral's page coordinators see what the referrer was told and
when, and can send them a note (audited, through the outbox, once); the
wording is the managers' to edit."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from operations.core.audit import AuditEvent
from operations.core.gdpr import erase_everywhere, subject_access_report
from operations.notifications.models import Notification
from operations.notifications.services import notification_send
from operations.referrer_updates.models import ReferrerUpdate, ReferrerUpdateSettings
from referrals import services as referral_services
from referrals.workflow import Status
from tests.referrer_updates.conftest import make_referral

pytestmark = pytest.mark.django_db

NOTE = "We have offered Tuesday mornings; please remind her if you see her at the clinic."


def page(client, referral) -> str:
    response = client.get(f"/referrals/{referral.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_referral_page_shows_what_the_referrer_was_told_and_whether_it_went(
    coordinator, coordinator_client, referral
):
    referral_services.referral_transition(actor=coordinator, referral=referral, to_status=Status.CONTACTED)
    received = Notification.objects.get(key=f"referrer-update:{referral.pk}:received")
    notification_send(notification_id=received.pk)
    html = page(coordinator_client, referral)
    assert "Word back to the referrer" in html
    assert "Updates go by email to Morag Bell" in html
    assert "morag.bell@nhs.example" in html
    assert "Referral received" in html
    assert "Parent contacted" in html
    assert "Sent" in html
    assert "Waiting to be sent" in html
    assert "Send the note to the referrer" in html


def test_without_agreement_the_page_says_why_and_offers_no_note(
    coordinator, coordinator_client, organisation, service, referrer
):
    referral = make_referral(
        coordinator=coordinator, organisation=organisation, service=service, referrer=referrer, consent=False
    )
    html = page(coordinator_client, referral)
    assert "No updates go to the referrer. The parent has not agreed" in html
    assert "Send the note to the referrer" not in html


def test_a_coordinator_sends_a_note_once_and_it_is_audited_without_its_text(coordinator, coordinator_client, referral):
    key = uuid.uuid4().hex
    for _ in range(2):  # a double click
        response = coordinator_client.post(f"/referrals/{referral.pk}/referrer-note/", {"text": NOTE, "key": key})
        assert response.status_code == 302
    (note,) = Notification.objects.filter(kind="referrer_note")
    assert note.recipient_address == "morag.bell@nhs.example"
    assert NOTE in note.body
    assert f"our reference #{referral.pk}" in note.body
    assert "/referral-status/" in note.body
    assert "Morven" not in note.body
    update = ReferrerUpdate.objects.get(event="note")
    assert (update.note, update.sent_by, update.notification) == (NOTE, coordinator, note)
    (audit,) = AuditEvent.objects.filter(summary="Note sent to the referrer")
    assert (audit.object_type, audit.object_id, audit.actor_id) == (
        "referrals.Referral",
        str(referral.pk),
        coordinator.pk,
    )
    assert NOTE not in "".join(AuditEvent.objects.values_list("summary", flat=True))
    assert NOTE in page(coordinator_client, referral)


def test_a_note_without_the_parents_agreement_is_refused_and_nothing_is_written(
    coordinator, coordinator_client, organisation, service, referrer
):
    referral = make_referral(
        coordinator=coordinator, organisation=organisation, service=service, referrer=referrer, consent=False
    )
    response = coordinator_client.post(
        f"/referrals/{referral.pk}/referrer-note/", {"text": NOTE, "key": uuid.uuid4().hex}
    )
    assert response.status_code == 400
    assert "The parent has not agreed that the referrer may hear how the referral goes. No note can be sent." in (
        response.content.decode()
    )
    assert not Notification.objects.filter(kind="referrer_note").exists()
    assert not ReferrerUpdate.objects.filter(event="note").exists()
    assert not AuditEvent.objects.filter(summary="Note sent to the referrer").exists()


def test_an_empty_note_is_refused_with_the_text_kept(coordinator_client, referral):
    response = coordinator_client.post(
        f"/referrals/{referral.pk}/referrer-note/", {"text": "  ", "key": uuid.uuid4().hex}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Notification.objects.filter(kind="referrer_note").exists()


def test_volunteers_and_other_organisations_cannot_send_notes(volunteer_client, other_coordinator_client, referral):
    data = {"text": NOTE, "key": uuid.uuid4().hex}
    assert volunteer_client.post(f"/referrals/{referral.pk}/referrer-note/", data).status_code == 403
    assert other_coordinator_client.post(f"/referrals/{referral.pk}/referrer-note/", data).status_code == 404
    assert not Notification.objects.filter(kind="referrer_note").exists()


def test_the_referral_page_reads_the_updates_in_a_fixed_number_of_queries(coordinator, coordinator_client, referral):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(coordinator_client, referral)
        return len(captured)

    few = queries()
    for _ in range(6):
        coordinator_client.post(f"/referrals/{referral.pk}/referrer-note/", {"text": NOTE, "key": uuid.uuid4().hex})
    assert ReferrerUpdate.objects.count() == 7
    assert queries() == few


def test_a_manager_edits_the_wording_and_the_change_is_audited(manager_client, organisation):
    response = manager_client.get("/referrer-updates/settings/")
    assert response.status_code == 200
    assert "{typical_wait}" in response.content.decode()
    response = manager_client.post(
        "/referrer-updates/settings/",
        {"send_updates": "on", "subject": "", "received": "Thanks! Reference {reference}."},
    )
    assert response.status_code == 302
    row = ReferrerUpdateSettings.objects.get(organisation=organisation)
    assert row.received == "Thanks! Reference {reference}."
    assert AuditEvent.objects.filter(summary="Referrer update wording: changed received").exists()


def test_a_wording_with_a_wrong_placeholder_is_refused_on_the_page(manager_client, organisation):
    response = manager_client.post("/referrer-updates/settings/", {"send_updates": "on", "waiting": "About {reason}"})
    assert response.status_code == 200
    assert "“{reason}” is not a placeholder of this message" in response.content.decode()
    assert ReferrerUpdateSettings.objects.get(organisation=organisation).waiting == ""


def test_only_managers_edit_the_wording(coordinator_client):
    assert coordinator_client.get("/referrer-updates/settings/").status_code == 403


def test_subject_access_lists_what_the_referrer_was_told_and_erasure_removes_notes_and_wording(
    coordinator, coordinator_client, referral
):
    coordinator_client.post(f"/referrals/{referral.pk}/referrer-note/", {"text": NOTE, "key": uuid.uuid4().hex})
    sections = {section.title: section for section in subject_access_report(referral.parent)}
    rows = sections["Updates to the person who referred"].rows
    assert [row["What the referrer was told"] for row in rows] == ["Referral received", "Note from a coordinator"]
    assert rows[1]["Note"] == NOTE
    erase_everywhere(referral.parent)
    assert ReferrerUpdate.objects.filter(referral=referral).count() == 2
    assert not ReferrerUpdate.objects.exclude(note="").exists()
    messages = Notification.objects.filter(kind__in=["referrer_update", "referrer_note"])
    assert {(m.subject, m.body, m.status) for m in messages} == {("(erased)", "", "cancelled")}
