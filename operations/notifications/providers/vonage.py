"""Vonage's SMS API (formerly Nexmo), the UK provider: POST /sms/json,
signed with the account's signature secret (or the API secret when none is
set), a ``callback`` for the delivery receipt, and signed webhooks for
receipts and inbound texts (Vonage turns signed webhooks on for the account).

The signature (Vonage's "Signing messages"): every field but ``sig``, sorted
by name, as ``&name=value`` with any ``&`` or ``=`` in a value replaced by
``_``; then either MD5 of that followed by the secret ("md5hash", Vonage's
default), or an HMAC of it keyed with the secret (md5, sha1, sha256, sha512);
hex. A send carries a ``timestamp`` field, so it is signed afresh each time.

The SMS API takes no idempotency key. It carries our outbox key as
``client-ref`` and sends it back in the receipt."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from operations.notifications.channels import Outgoing, PermanentSendError, TransientSendError
from operations.notifications.providers import Inbound, Receipt, callback_url, international, post

NAME = "vonage"

HMACS = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}
#: client-ref is at most 100 characters at Vonage; a longer key is not sent.
CLIENT_REF_LENGTH = 100

#: The SMS API's answer statuses that retrying later may fix (throttled, internal error, out of credit).
TRANSIENT_STATUSES = {"1", "5", "9"}
#: Why Vonage refused a message, in words (the SMS API's answer statuses).
REFUSALS = {
    "2": "the message was missing a required part",
    "3": "invalid number",
    "4": "Vonage refused our account details",
    "6": "the number cannot be reached (no network takes it)",
    "7": "the number is blocked",
    "8": "our Vonage account is barred",
    "12": "the message is too long",
    "14": "Vonage refused our signature",
    "15": "our sender is not allowed",
    "29": "a trial account can text its own registered numbers only",
    "33": "the number has been deactivated",
}
#: Why a message Vonage accepted was not delivered (the err-code of its delivery receipt).
DELIVERY_ERRORS = {
    "1": "the mobile network did not say why",
    "2": "the phone is switched off or out of reach",
    "3": "number not in service",
    "4": "the recipient has barred texts",
    "5": "the number moved network and could not be reached",
    "6": "filtered by the mobile network as spam",
    "7": "the phone was busy",
    "8": "a mobile network error",
    "9": "invalid number",
    "10": "the message was refused as invalid",
    "11": "the number cannot be reached (no route)",
    "12": "the phone is out of reach",
    "13": "the recipient's age settings blocked it",
    "14": "the mobile network blocked the number",
    "15": "the recipient's prepaid credit ran out",
    "16": "the mobile network's quota was exceeded",
    "50": "filtered by the mobile network",
    "51": "filtered by the mobile network (the sender)",
    "52": "filtered by the mobile network (the content)",
    "53": "the recipient has not consented",
    "54": "a regulation of the destination country",
    "99": "the mobile network did not say why",
}
#: Receipt statuses that end the story; accepted, buffered and unknown are on the way.
FINAL = {"delivered": True, "failed": False, "rejected": False, "expired": False}


def signature(params: dict[str, str], *, secret: str, method: str) -> str:
    """Vonage's signature of ``params`` (``sig`` itself left out), lower-case hex."""
    text = "".join(
        f"&{name}={str(value).replace('&', '_').replace('=', '_')}"
        for name, value in sorted(params.items())
        if name != "sig"
    )
    if method == "md5hash":
        return hashlib.md5((text + secret).encode()).hexdigest()  # noqa: S324 - Vonage's own scheme
    return hmac.new(secret.encode(), text.encode(), HMACS[method]).hexdigest()


class VonageSms:
    """Sends through Vonage's SMS API; returns the message id (of the first
    part, when a long text goes in several)."""

    def send(self, message: Outgoing) -> str:
        fields = {
            "api_key": settings.VONAGE_API_KEY,
            "from": (message.sender or settings.SMS_SENDER).lstrip("+"),
            "to": international(message.to).lstrip("+"),
            "text": message.body,
        }
        if not message.body.isascii():
            fields["type"] = "unicode"
        if len(message.key) <= CLIENT_REF_LENGTH:
            fields["client-ref"] = message.key
        if callback := callback_url("sms:vonage-status"):
            fields["callback"] = callback
        if settings.VONAGE_SIGNATURE_SECRET:
            fields["timestamp"] = str(int(time.time()))
            fields["sig"] = signature(
                fields, secret=settings.VONAGE_SIGNATURE_SECRET, method=settings.VONAGE_SIGNATURE_METHOD
            )
        else:
            fields["api_secret"] = settings.VONAGE_API_SECRET
        status, answer = post(
            f"{settings.VONAGE_API_URL}/sms/json",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
            provider="Vonage",
        )
        if status == 429 or status >= 500:
            raise TransientSendError(f"Vonage is busy or unavailable ({status})")
        if status >= 400:
            raise PermanentSendError(f"Vonage refused the message ({status})")
        parts = _parts(answer)
        if not parts:
            raise TransientSendError("Vonage gave an answer that could not be read")
        refused = next((part for part in parts if str(part.get("status", "")) != "0"), None)
        if refused is not None:
            code = str(refused.get("status", ""))
            if code in TRANSIENT_STATUSES:
                raise TransientSendError(f"Vonage is busy or cannot send now (status {code})")
            raise PermanentSendError(REFUSALS.get(code, f"Vonage refused the message (status {code})"))
        return str(parts[0].get("message-id", ""))


def _parts(answer: bytes) -> list[dict]:
    try:
        body = json.loads(answer or b"{}")
    except ValueError:
        return []
    messages = body.get("messages") if isinstance(body, dict) else None
    return [part for part in messages if isinstance(part, dict)] if isinstance(messages, list) else []


def fields_of(request: HttpRequest) -> dict[str, str]:
    """A webhook's fields: Vonage posts them as a form or, when the
    dashboard says POST-JSON, as a JSON object."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        if not isinstance(body, dict):
            return {}
        return {str(name): str(value) for name, value in body.items() if not isinstance(value, dict | list)}
    return {name: request.POST.get(name, "") for name in request.POST}


def is_signed(fields: dict[str, str]) -> bool:
    """Whether the fields carry a valid signature made with our signature secret."""
    given = fields.get("sig", "").lower()
    if not given or not settings.VONAGE_SIGNATURE_SECRET:
        return False
    expected = signature(fields, secret=settings.VONAGE_SIGNATURE_SECRET, method=settings.VONAGE_SIGNATURE_METHOD)
    return hmac.compare_digest(expected.encode(), given.encode())


def _when(text: str) -> datetime:
    """Vonage's "message-timestamp" (UTC, "2028-02-14 10:02:00"), or now."""
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return timezone.now()


def _handset_time(scts: str) -> datetime | None:
    """The network's time of delivery in a receipt ("scts", UTC, YYMMDDHHMM)."""
    try:
        return datetime.strptime(scts, "%y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None


def receipt(fields: dict[str, str]) -> Receipt | None:
    """The delivery receipt in a webhook's fields (None without a message id)."""
    message_id = fields.get("messageId", "")
    if not message_id:
        return None
    delivered = FINAL.get(fields.get("status", ""))
    detail = ""
    if delivered is False:
        detail = DELIVERY_ERRORS.get(fields.get("err-code", ""), "the mobile network did not say why")
    return Receipt(
        provider_message_id=message_id[:100],
        delivered=delivered,
        detail=detail,
        at=_handset_time(fields.get("scts", "")) or _when(fields.get("message-timestamp", "")),
        reference=fields.get("client-ref", "")[:200],
    )


def inbound(fields: dict[str, str]) -> Inbound | None:
    """The text in an inbound webhook's fields (None without a message id).
    A long text comes in parts, each its own message: each is kept."""
    message_id = fields.get("messageId", "")
    if not message_id:
        return None
    return Inbound(
        provider_message_id=message_id[:100],
        from_number=fields.get("msisdn", ""),
        to_number=fields.get("to", ""),
        body=fields.get("text", ""),
        received_at=_when(fields.get("message-timestamp", "")),
    )
