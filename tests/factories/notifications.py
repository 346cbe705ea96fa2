"""Factories of the notifications app (the reminders outbox)."""

from __future__ import annotations

import factory
from django.utils import timezone

from operations.notifications.models import (
    Channel,
    InboundText,
    MessageTemplate,
    Notification,
    NotificationPreference,
    ReminderSettings,
    SmsOptOut,
    Status,
)
from tests.factories.core import OrganisationFactory, UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """An in-app reminder due now, waiting to be sent, to a member."""

    class Meta:
        model = Notification

    organisation = factory.SubFactory(OrganisationFactory)
    recipient_user = factory.SubFactory(UserFactory, active_organisation=factory.SelfAttribute("..organisation"))
    kind = "test"
    channel = Channel.IN_APP
    subject = "A reminder"
    body = "Something is due."
    due_at = factory.LazyFunction(timezone.now)
    key = factory.Sequence(lambda n: f"test-{n}")
    status = Status.PENDING


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


class ReminderSettingsFactory(factory.django.DjangoModelFactory):
    """The organisation's settings row (made with the organisation: this finds it)."""

    class Meta:
        model = ReminderSettings
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class InboundTextFactory(factory.django.DjangoModelFactory):
    """A text received on the organisation's number (a test provider's id)."""

    class Meta:
        model = InboundText

    organisation = factory.SubFactory(OrganisationFactory)
    provider = "twilio"
    provider_message_id = factory.Sequence(lambda n: f"SM{n:032d}")
    from_number = factory.Sequence(lambda n: f"+4477009{n % 100000:05d}")
    to_number = "+447700900001"
    body = "YES"
    received_at = factory.LazyFunction(timezone.now)


class MessageTemplateFactory(factory.django.DjangoModelFactory):
    """An organisation's session reminder in Polish."""

    class Meta:
        model = MessageTemplate

    organisation = factory.SubFactory(OrganisationFactory)
    purpose = "session_reminder"
    language = "Polish"
    body = "Przypomnienie: spotkanie {when}."


class SmsOptOutFactory(factory.django.DjangoModelFactory):
    """A number that texted STOP."""

    class Meta:
        model = SmsOptOut

    number = factory.Sequence(lambda n: f"+4477009{n % 100000:05d}")
    stopped_at = factory.LazyFunction(timezone.now)
