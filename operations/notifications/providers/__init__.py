"""SMS providers behind the outbox's SMS backend interface (``SMS_BACKEND``
= ``twilio`` or ``vonage``), and what their webhooks bring back: delivery
receipts and texts people send to an organisation's number.

Each provider module has a backend class (``send(message) -> message id``,
raising ``TransientSendError`` / ``PermanentSendError`` from the provider's
answer), a signature check for its webhooks, and readers turning a webhook's
fields into a ``Receipt`` or an ``Inbound``. Plain HTTP (urllib): the API's
address is a setting, so tests point it at a fake server on loopback."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse

from operations.notifications.channels import TransientSendError

#: Seconds a provider's API has to answer a send before it counts as a transient failure.
TIMEOUT_SECONDS = 10
#: The most of a provider's answer read (its answers are a few hundred bytes).
MAX_ANSWER_BYTES = 65536


@dataclass(frozen=True)
class Receipt:
    """A delivery receipt: ``delivered`` True or False once the outcome is
    final, None while the message is still on its way (queued, sent…)."""

    provider_message_id: str
    delivered: bool | None
    detail: str = ""
    at: datetime | None = None
    # The outbox key when the provider sends it back (a fallback for a receipt
    # that arrives before the outbox has kept the provider's id).
    reference: str = ""


@dataclass(frozen=True)
class Inbound:
    """A text someone sent to one of our numbers, as the provider described it."""

    provider_message_id: str
    from_number: str
    to_number: str
    body: str
    received_at: datetime


def callback_url(name: str) -> str:
    """The public address of one of our webhooks, as the provider is to call
    it ('' when SMS_PUBLIC_BASE_URL is not set: no callback is asked for)."""
    base = settings.SMS_PUBLIC_BASE_URL
    return f"{base}{reverse(name)}" if base else ""


def post(url: str, *, data: bytes, headers: dict[str, str], provider: str) -> tuple[int, bytes]:
    """POSTs to a provider's API: (status, answer) for any HTTP answer, a
    ``TransientSendError`` when it cannot be reached or does not answer in time."""
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)  # noqa: S310 - an operator's setting
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read(MAX_ANSWER_BYTES)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TransientSendError(f"{provider} could not be reached ({exc.__class__.__name__})") from exc
