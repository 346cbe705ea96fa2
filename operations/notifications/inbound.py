"""Text messages people send to an organisation's number.

Every provider's inbound webhook, once it has checked the provider's
signature, calls ``receive_text``: it keeps the text once per provider
message id and, for a new one, sends ``text_received`` after the commit.
What the text means (a reply to a reminder, STOP, a question) is decided by
the receivers of that signal, not here."""

from __future__ import annotations

from datetime import datetime

import django.dispatch
from django.db import IntegrityError, transaction

from operations.notifications.models import InboundText, ReminderSettings
from operations.notifications.numbers import normalise_number

#: Sent once per new text, after it is committed: ``sender=InboundText, inbound=row``.
text_received = django.dispatch.Signal()


def organisation_id_for_number(number: str) -> int | None:
    """The organisation whose SMS number this is (None when none is)."""
    number = normalise_number(number)
    if not number:
        return None
    return ReminderSettings.objects.filter(sms_number=number).values_list("organisation_id", flat=True).first()


def receive_text(
    *,
    provider: str,
    provider_message_id: str,
    from_number: str,
    to_number: str,
    body: str,
    received_at: datetime,
) -> tuple[InboundText, bool]:
    """Keeps one received text; returns (row, created). A provider retrying
    its webhook gets the row already kept, created=False, and nothing else
    happens. Numbers are kept in E.164 (as the provider gave them when they
    are not a number, an alphanumeric sender for instance)."""
    kept = InboundText.objects.filter(provider=provider, provider_message_id=provider_message_id).first()
    if kept is not None:
        return kept, False
    sender = normalise_number(from_number) or from_number[:20]
    recipient = normalise_number(to_number) or to_number[:20]
    try:
        with transaction.atomic():
            inbound = InboundText.objects.create(
                organisation_id=organisation_id_for_number(recipient),
                provider=provider,
                provider_message_id=provider_message_id,
                from_number=sender,
                to_number=recipient,
                body=body,
                received_at=received_at,
            )
    except IntegrityError:
        # The same webhook, delivered twice at once: the other request kept it.
        return InboundText.objects.get(provider=provider, provider_message_id=provider_message_id), False
    transaction.on_commit(lambda: text_received.send(sender=InboundText, inbound=inbound))
    return inbound, True
