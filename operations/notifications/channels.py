"""How a notification leaves the system. Each channel raises
``TransientSendError`` for failures worth retrying (a provider down, a
timeout) and ``PermanentSendError`` for those that are not (a bad address).

Every send carries the outbox key as an idempotency key (the email's
Message-ID, the SMS provider's Idempotency-Key header), so a retry after a
worker died between sending and recording cannot deliver twice where the
provider honours it."""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class TransientSendError(Exception):
    """Worth retrying later."""


class PermanentSendError(Exception):
    """Retrying will not help (bad address, rejected by the provider)."""


@dataclass(frozen=True)
class Outgoing:
    key: str
    to: str
    subject: str
    body: str
    # Who an SMS comes from (the organisation's number or the default sender).
    sender: str = ""


def send_email(message: Outgoing) -> None:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].rstrip(">") or "localhost"
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.to],
        headers={"Message-ID": f"<{message.key}@{domain}>"},
    )
    try:
        email.send(fail_silently=False)
    except (smtplib.SMTPRecipientsRefused, AnymailRecipientsRefused) as exc:
        raise PermanentSendError("recipient refused") from exc
    except AnymailAPIError as exc:
        # A provider that could not be reached (no status), is busy or is down is worth retrying.
        if exc.status_code is None or exc.status_code == 429 or exc.status_code >= 500:
            raise TransientSendError(f"email provider unavailable ({exc.status_code or 'no answer'})") from exc
        raise PermanentSendError(f"email provider refused the message ({exc.status_code})") from exc
    except AnymailError as exc:
        raise PermanentSendError(exc.__class__.__name__) from exc
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise TransientSendError(exc.__class__.__name__) from exc


class ConsoleSms:
    """Development: prints the SMS to the worker's console."""

    def send(self, message: Outgoing) -> None:
        print(f"SMS to {message.to} [{message.key}]\n{message.body}\n", flush=True)  # noqa: T201


class FileSms:
    """Development and tests: appends one JSON line per SMS to SMS_FILE_PATH.
    Like a provider honouring idempotency keys, it delivers a key once."""

    def send(self, message: Outgoing) -> None:
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and f'"key": "{message.key}"' in path.read_text():
            return
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"key": message.key, "to": message.to, "body": message.body}) + "\n")


class HttpSms:
    """A generic HTTP SMS provider: POSTs JSON {to, from, body} with a bearer
    token and the outbox key as Idempotency-Key. 5xx and 429 are transient."""

    def send(self, message: Outgoing) -> None:
        payload = json.dumps(
            {"to": message.to, "from": message.sender or settings.SMS_SENDER, "body": message.body}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is an operator's setting
            settings.SMS_HTTP_URL,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}",
                "Idempotency-Key": message.key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 429 or exc.code >= 500:
                raise TransientSendError(f"provider answered {exc.code}") from exc
            raise PermanentSendError(f"provider refused the message ({exc.code})") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TransientSendError(exc.__class__.__name__) from exc


#: SMS_BACKEND's names; the providers by path (they import this module).
SMS_BACKENDS = {
    "console": ConsoleSms,
    "file": FileSms,
    "http": HttpSms,
    "twilio": "operations.notifications.providers.twilio.TwilioSms",
    "vonage": "operations.notifications.providers.vonage.VonageSms",
}


def sms_backend():
    name = settings.SMS_BACKEND
    backend = SMS_BACKENDS.get(name, name)
    if isinstance(backend, str):
        backend = import_string(backend)
    return backend()


def send_sms(message: Outgoing) -> str | None:
    """Sends one SMS; returns the provider's message id when it gives one."""
    return sms_backend().send(message)
