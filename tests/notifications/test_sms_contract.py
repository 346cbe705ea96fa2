"""The two-way SMS contract: numbers in E.164, a received text kept once and
announced once, filed with the organisation whose number it was sent to, and
the organisation's own number set by a manager and used as the sender."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from operations.core.audit import AuditEvent
from operations.core.retention import rules
from operations.notifications.inbound import receive_text, text_received
from operations.notifications.models import InboundText, ReminderSettings
from operations.notifications.numbers import normalise_number
from operations.notifications.reminder_settings import reminder_settings_create
from tests.factories import InboundTextFactory
from tests.notifications.test_reminder_settings import form_data

RECEIVED = dt.datetime(2028, 2, 14, 10, 2, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("0044 7700-900123", "+447700900123"),
        ("447700900123", "+447700900123"),  # as Vonage sends it
        ("+447700900123", "+447700900123"),
        ("+1 415 555 0100", "+14155550100"),
        ("01896 123456", ""),  # a landline cannot get a text
        ("077009001234", ""),
        ("PeerSupport", ""),
        ("", ""),
    ],
)
def test_numbers_are_kept_in_e164_and_what_is_not_a_mobile_is_blank(written, kept):
    assert normalise_number(written) == kept


def set_sms_number(organisation, number: str) -> None:
    row = reminder_settings_create(organisation_id=organisation.pk)
    row.sms_number = number
    row.save()


@pytest.mark.django_db(transaction=True)
def test_a_text_is_kept_once_and_announced_once_even_when_the_provider_retries(organisation):
    set_sms_number(organisation, "+447700900001")
    heard = []

    def receiver(sender, inbound, **kwargs):
        heard.append(inbound.pk)

    text_received.connect(receiver)
    try:
        arguments = {
            "provider": "twilio",
            "provider_message_id": "SM123",
            "from_number": "07700 900555",
            "to_number": "447700900001",
            "body": "YES",
            "received_at": RECEIVED,
        }
        first, created = receive_text(**arguments)
        again, created_again = receive_text(**arguments)
    finally:
        text_received.disconnect(receiver)

    assert created
    assert not created_again
    assert again.pk == first.pk
    assert InboundText.objects.count() == 1
    assert heard == [first.pk]
    assert first.organisation_id == organisation.pk
    assert (first.from_number, first.to_number) == ("+447700900555", "+447700900001")


@pytest.mark.django_db
def test_a_text_to_a_number_no_organisation_uses_is_kept_without_one(organisation):
    inbound, created = receive_text(
        provider="vonage",
        provider_message_id="0A000000123",
        from_number="447700900555",
        to_number="447700900999",
        body="Hello",
        received_at=RECEIVED,
    )
    assert created
    assert inbound.organisation_id is None


@pytest.mark.django_db
def test_received_texts_are_seen_by_the_organisations_staff_only(
    organisation, other_organisation, coordinator, manager, volunteer, pso, other_coordinator
):
    ours = InboundTextFactory(organisation=organisation)
    InboundTextFactory(organisation=other_organisation)
    InboundTextFactory(organisation=None)
    assert list(InboundText.objects.visible_to(coordinator)) == [ours]
    assert list(InboundText.objects.visible_to(manager)) == [ours]
    assert not InboundText.objects.visible_to(volunteer).exists()
    assert not InboundText.objects.visible_to(pso).exists()
    assert ours not in InboundText.objects.visible_to(other_coordinator)


@pytest.mark.django_db
def test_a_manager_sets_the_organisations_number_kept_in_e164_and_audited(manager_client, organisation):
    response = manager_client.post(reverse("notifications:settings"), form_data(sms_number="07700 900001"))
    assert response.status_code == 302
    assert ReminderSettings.objects.get(organisation=organisation).sms_number == "+447700900001"
    assert AuditEvent.objects.filter(summary__contains="Text messages come from").exists()


@pytest.mark.django_db
def test_a_landline_or_another_organisations_number_is_refused_and_nothing_saved(
    manager_client, organisation, other_organisation
):
    set_sms_number(other_organisation, "+447700900001")
    url = reverse("notifications:settings")

    response = manager_client.post(url, form_data(sms_number="01896 123456"))
    assert response.status_code == 200
    assert "Enter a mobile number" in response.content.decode()

    response = manager_client.post(url, form_data(sms_number="+44 7700 900001"))
    assert response.status_code == 200
    assert "Another organisation already uses this number" in response.content.decode()
    assert ReminderSettings.objects.get(organisation=organisation).sms_number == ""


@pytest.mark.django_db
def test_texts_received_are_kept_for_their_own_retention_period(organisation, other_organisation):
    rule = rules()["texts_received"]
    cutoff = dt.datetime(2027, 2, 14, tzinfo=dt.UTC)
    old = InboundTextFactory(organisation=organisation, received_at=cutoff - dt.timedelta(days=1))
    nobodys = InboundTextFactory(organisation=None, received_at=cutoff - dt.timedelta(days=1))
    InboundTextFactory(organisation=organisation, received_at=cutoff + dt.timedelta(days=1))
    InboundTextFactory(organisation=other_organisation, received_at=cutoff - dt.timedelta(days=1))
    assert set(rule.due(organisation.pk, cutoff)) == {old, nobodys}
    assert rule.apply(rule.due(organisation.pk, cutoff)) == 2
    assert InboundText.objects.count() == 2


@pytest.mark.django_db
def test_a_number_typed_with_spaces_and_brackets_is_taken(manager_client, organisation):
    response = manager_client.post(reverse("notifications:settings"), form_data(sms_number="+44 (0) 7700 900 001"))
    assert response.status_code == 302
    assert ReminderSettings.objects.get(organisation=organisation).sms_number == "+447700900001"
