"""Word back to the referrer: where the parent agreed, the referrer hears at
the moments that matter, by email through the outbox, exactly once per
moment, in the organisation's wording, whatever path moved the referral."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from operations.notifications.models import Channel, Notification
from operations.notifications.services import notification_send
from operations.referrer_updates import receivers
from operations.referrer_updates.forms import ReferrerUpdateSettingsForm
from operations.referrer_updates.models import ReferrerUpdate, ReferrerUpdateSettings
from operations.referrer_updates.services import referrer_update_settings_save, referrer_update_write
from operations.referrer_updates.wording import Event
from referrals import services as referral_services
from referrals.models import Referral
from referrals.workflow import Status
from tests.factories import ProcessingRestrictionFactory, ReferralFactory, ReferralTransitionFactory, ReferrerFactory
from tests.referrer_updates.conftest import make_referral

pytestmark = pytest.mark.django_db


def updates_to(referral: Referral) -> list[Notification]:
    return list(Notification.objects.filter(key__startswith=f"referrer-update:{referral.pk}:").order_by("pk"))


def move(coordinator, referral: Referral, *statuses: str, reason: str = "") -> Referral:
    for status in statuses:
        referral = referral_services.referral_transition(
            actor=coordinator, referral=referral, to_status=status, reason=reason
        )
    return referral


def test_the_referrer_hears_the_referral_was_received_by_email_with_reference_initial_and_link(referral, referrer):
    (message,) = updates_to(referral)
    assert message.channel == Channel.EMAIL
    assert message.recipient_address == "morag.bell@nhs.example"
    assert message.recipient_parent_id is None
    assert message.kind == "referrer_update"
    assert f"#{referral.pk}" in message.subject
    assert "M." in message.body
    assert f"our reference #{referral.pk}" in message.body
    assert "Befriending" in message.body
    assert re.search(r"http://localhost:8000/referral-status/[^/\s]+/", message.body)
    # Her name, phone and the reason for referral never leave the charity.
    for personal in ("Morven", "Journeyfield", "07700", "Low mood"):
        assert personal not in message.body
        assert personal not in message.subject
    (update,) = ReferrerUpdate.objects.filter(referral=referral)
    assert (update.event, update.referrer, update.notification) == (Event.RECEIVED, referrer, message)


def test_the_email_goes_through_the_outbox_to_the_referrers_work_address(referral):
    (message,) = updates_to(referral)
    mail.outbox.clear()
    assert notification_send(notification_id=message.pk) == "sent"
    (email,) = mail.outbox
    assert email.to == ["morag.bell@nhs.example"]
    assert "/referral-status/" in email.body
    message.refresh_from_db()
    assert message.status == "sent"


def test_without_the_parents_agreement_nothing_goes(coordinator, organisation, service, referrer):
    referral = make_referral(
        coordinator=coordinator, organisation=organisation, service=service, referrer=referrer, consent=False
    )
    move(coordinator, referral, Status.CONTACTED, Status.ASSESSED, Status.WAITING)
    assert updates_to(referral) == []
    assert not ReferrerUpdate.objects.exists()


@pytest.mark.parametrize(
    "referrer_kwargs",
    [
        pytest.param(None, id="no referrer from the directory"),
        pytest.param({"email": ""}, id="referrer without a work email"),
        pytest.param({"is_active": False}, id="referrer no longer active"),
    ],
)
def test_nothing_goes_without_a_referrer_with_a_work_email(coordinator, organisation, service, referrer_kwargs):
    referrer = ReferrerFactory(organisation=organisation, **(referrer_kwargs or {}))
    referral = make_referral(coordinator=coordinator, organisation=organisation, service=service, referrer=referrer)
    if referrer_kwargs is None:
        # The service refuses consent without a referrer; a referral can still lose its
        # referrer afterwards (its parent erased, an old record): nothing goes then.
        Referral.objects.filter(pk=referral.pk).update(referrer=None)
        referral.refresh_from_db()
        ReferrerUpdate.objects.filter(referral=referral).delete()
        Notification.objects.filter(key__startswith=f"referrer-update:{referral.pk}:").delete()
    move(coordinator, referral, Status.CONTACTED)
    assert updates_to(referral) == []


def test_an_organisation_that_turned_updates_off_sends_none(coordinator, organisation, service, referrer):
    ReferrerUpdateSettings.objects.filter(organisation=organisation).update(send_updates=False)
    referral = make_referral(coordinator=coordinator, organisation=organisation, service=service, referrer=referrer)
    assert updates_to(referral) == []


def test_each_moment_that_matters_is_told_once_in_order(coordinator, referral):
    referral = move(coordinator, referral, Status.CONTACTED, Status.ASSESSED, Status.WAITING)
    referral = referral_services.referral_follow_match(
        actor=coordinator, referral=referral, to_status=Status.MATCHED, reason="Match confirmed"
    )
    # A match that falls through: back on the waiting list, matched again. Told once.
    referral = move(coordinator, referral, Status.WAITING, reason="Volunteer unwell")
    referral = referral_services.referral_follow_match(
        actor=coordinator, referral=referral, to_status=Status.MATCHED, reason="Match confirmed"
    )
    referral = referral_services.referral_follow_match(
        actor=coordinator, referral=referral, to_status=Status.ACTIVE, reason="First contact logged"
    )
    move(coordinator, referral, Status.ENDING, Status.CLOSED, reason="Support plan completed")
    events = [update.event for update in ReferrerUpdate.objects.filter(referral=referral).order_by("pk")]
    assert events == [
        Event.RECEIVED, Event.CONTACTED, Event.WAITING, Event.SUPPORT_STARTED, Event.SUPPORT_ENDED
    ]  # fmt: skip
    assert len(updates_to(referral)) == 5
    bodies = [message.body for message in updates_to(referral)]
    assert "in touch with the parent" in bodies[1]
    assert "waiting for a volunteer" in bodies[2]
    assert "Support has started" in bodies[3]
    assert "Support from Befriending has ended" in bodies[4]


def test_the_same_move_seen_again_writes_nothing_more(coordinator, referral):
    move(coordinator, referral, Status.CONTACTED)
    # The receiver run again (a retry, a second path reporting the same move) …
    receivers.tell_referrer(None, referral_id=referral.pk, from_status=Status.RECEIVED, to_status=Status.CONTACTED)
    receivers.tell_referrer(None, referral_id=referral.pk, from_status="", to_status=Status.RECEIVED)
    # … or the service called twice.
    assert referrer_update_write(referral_id=referral.pk, event=Event.CONTACTED) is None
    assert len(updates_to(referral)) == 2
    assert ReferrerUpdate.objects.filter(referral=referral).count() == 2


@pytest.mark.parametrize(
    ("status", "category"),
    [
        (Status.NOT_ELIGIBLE, "it is outside what the service can offer"),
        (Status.DECLINED, "support was not taken up"),
        (Status.WITHDRAWN, "the referral was withdrawn"),
    ],
)
def test_a_referral_that_does_not_go_ahead_is_told_as_a_neutral_category_never_the_notes(
    coordinator, referral, status, category
):
    move(coordinator, referral, Status.CONTACTED, status, reason="Partner controlling; said not to contact again")
    closing = updates_to(referral)[-1]
    assert closing.key == f"referrer-update:{referral.pk}:closed"
    assert f"has closed: {category}." in closing.body
    assert "Partner" not in closing.body


def test_waiting_tells_the_typical_wait_of_the_service(coordinator, organisation, service, referral):
    now = timezone.now()
    for weeks in (2, 3, 3, 4, 5):
        earlier = ReferralFactory(organisation=organisation, service=service, status=Status.MATCHED)
        joined = now - dt.timedelta(days=100)
        ReferralTransitionFactory(referral=earlier, from_status=Status.ASSESSED, to_status=Status.WAITING, at=joined)
        matched = joined + dt.timedelta(weeks=weeks)
        ReferralTransitionFactory(referral=earlier, from_status=Status.WAITING, to_status=Status.MATCHED, at=matched)
    move(coordinator, referral, Status.CONTACTED, Status.ASSESSED, Status.WAITING)
    waiting = updates_to(referral)[-1]
    assert "The wait for a volunteer is usually about 3 weeks." in waiting.body


def test_waiting_says_nothing_of_the_wait_with_too_few_recent_matches(coordinator, referral):
    move(coordinator, referral, Status.CONTACTED, Status.ASSESSED, Status.WAITING)
    waiting = updates_to(referral)[-1]
    assert "waiting for a volunteer" in waiting.body
    assert "usually" not in waiting.body


def test_the_wording_the_manager_wrote_is_used(coordinator, manager, organisation, service, referrer):
    row = ReferrerUpdateSettings.objects.get(organisation=organisation)
    form = ReferrerUpdateSettingsForm(
        {
            "send_updates": "on",
            "subject": "Tweed Valley: referral {reference}",
            "contacted": "Good news: we spoke with {initial} about {service} ({reference}). Check: {status_link}",
        },
        instance=row,
    )
    assert form.is_valid(), form.errors
    referrer_update_settings_save(form=form, actor=manager)
    referral = make_referral(coordinator=coordinator, organisation=organisation, service=service, referrer=referrer)
    move(coordinator, referral, Status.CONTACTED)
    received, contacted = updates_to(referral)
    assert contacted.subject == f"Tweed Valley: referral #{referral.pk}"
    assert contacted.body.startswith(f"Good news: we spoke with M. about Befriending (#{referral.pk}). Check: http")
    # The link is where the manager put it, and not twice.
    assert contacted.body.count("/referral-status/") == 1
    # An event left empty keeps the standard wording.
    assert "Thank you for your referral to Befriending" in received.body


def test_wording_with_an_unknown_placeholder_is_refused_and_nothing_saved(organisation):
    row = ReferrerUpdateSettings.objects.get(organisation=organisation)
    form = ReferrerUpdateSettingsForm(
        {"send_updates": "on", "contacted": "We spoke with {parent_name}", "subject": "About {typical_wait}"},
        instance=row,
    )
    assert not form.is_valid()
    assert "“{parent_name}” is not a placeholder of this message" in form.errors["contacted"][0]
    assert "“{typical_wait}” is not a placeholder of this message" in form.errors["subject"][0]
    row.refresh_from_db()
    assert row.contacted == ""


def test_a_wording_broken_outside_the_form_falls_back_and_never_blocks_the_move(
    coordinator, organisation, service, referrer
):
    ReferrerUpdateSettings.objects.filter(organisation=organisation).update(contacted="Broken {oops")
    referral = make_referral(coordinator=coordinator, organisation=organisation, service=service, referrer=referrer)
    referral = move(coordinator, referral, Status.CONTACTED)
    assert referral.status == Status.CONTACTED
    assert "We have been in touch with the parent" in updates_to(referral)[-1].body


def test_a_restricted_record_is_not_told_about(coordinator, referral):
    ProcessingRestrictionFactory(parent=referral.parent)
    referral.parent.processing_restricted = True
    referral.parent.save(update_fields=["processing_restricted"])
    move(coordinator, referral, Status.WITHDRAWN, reason="Asked us to stop")
    assert [message.key.rsplit(":", 1)[1] for message in updates_to(referral)] == ["received"]


def test_a_refused_move_tells_nothing(coordinator, referral):
    with pytest.raises(ValidationError):
        move(coordinator, referral, Status.WAITING)
    assert len(updates_to(referral)) == 1


def test_a_move_on_the_board_tells_the_referrer(coordinator_client, referral):
    response = coordinator_client.post(
        f"/referrals/{referral.pk}/move/", {"to_status": "contacted", "reason": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert [message.key.rsplit(":", 1)[1] for message in updates_to(referral)] == ["received", "contacted"]


def test_a_move_through_the_api_tells_the_referrer(coordinator, referral):
    client = APIClient()
    client.force_authenticate(coordinator)
    response = client.post(f"/api/v1/referrals/{referral.pk}/transition/", {"to_status": "contacted"}, format="json")
    assert response.status_code == 200, response.content
    assert [message.key.rsplit(":", 1)[1] for message in updates_to(referral)] == ["received", "contacted"]
