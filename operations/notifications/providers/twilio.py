"""Twilio's Programmable Messaging: the REST API's Messages resource to send
(basic auth with the account SID and auth token, a StatusCallback for the
delivery receipt), and its webhooks signed with X-Twilio-Signature.

Twilio's Messages API takes no idempotency key: a retry after a worker died
between Twilio's answer and the outbox recording it could send twice (the
outbox's claim makes that window small)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from operations.notifications.channels import Outgoing, PermanentSendError, TransientSendError
from operations.notifications.providers import Inbound, Receipt, callback_url, post

NAME = "twilio"

#: Twilio's REST error codes that retrying later may fix.
TRANSIENT_CODES = {20429, 20500, 20503}
#: Why Twilio refused a message, in words (REST API error codes).
REFUSALS = {
    21610: "the recipient has unsubscribed: they texted STOP to our number",
    21211: "invalid number",
    21614: "not a mobile number",
    21612: "the number cannot be reached from our account",
    21408: "the number's country is not enabled on our Twilio account",
    21606: "our sender number cannot send texts",
    21212: "our sender number is not valid",
    21608: "a trial account can text verified numbers only",
    21617: "the message is too long",
    20003: "Twilio refused our account details",
}
#: Why a message Twilio accepted was not delivered (the ErrorCode of its status callback).
DELIVERY_ERRORS = {
    "21610": "the recipient texted STOP to our number",
    "30001": "the provider's queue was full",
    "30002": "our Twilio account is suspended",
    "30003": "the phone is switched off or out of reach",
    "30004": "the number has blocked our messages",
    "30005": "number not in service",
    "30006": "a landline, or a network that cannot take texts",
    "30007": "filtered by the mobile network as spam",
    "30008": "the mobile network did not say why",
    "30009": "part of the message went missing",
    "30010": "the message cost more than our limit",
}
#: Twilio's message statuses that end the story; the others (queued, sending, sent…) are on the way.
FINAL = {"delivered": True, "undelivered": False, "failed": False}


class TwilioSms:
    """Sends through Twilio's Messages resource; returns the message SID."""

    def send(self, message: Outgoing) -> str:
        account = settings.TWILIO_ACCOUNT_SID
        url = f"{settings.TWILIO_API_URL}/2010-04-01/Accounts/{urllib.parse.quote(account)}/Messages.json"
        fields = {"To": message.to, "From": message.sender or settings.SMS_SENDER, "Body": message.body}
        if status_callback := callback_url("sms:twilio-status"):
            # The outbox key rides along, so a receipt faster than the outbox still finds its row.
            fields["StatusCallback"] = f"{status_callback}?{urllib.parse.urlencode({'ref': message.key})}"
        credentials = base64.b64encode(f"{account}:{settings.TWILIO_AUTH_TOKEN}".encode()).decode()
        status, answer = post(
            url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "Authorization": f"Basic {credentials}",
            },
            provider="Twilio",
        )
        body = _json(answer)
        if 200 <= status < 300 and body.get("sid"):
            return str(body["sid"])
        code = body.get("code")
        if status == 429 or status >= 500 or code in TRANSIENT_CODES:
            raise TransientSendError(f"Twilio is busy or unavailable ({status})")
        if code in REFUSALS:
            raise PermanentSendError(REFUSALS[code])
        raise PermanentSendError(f"Twilio refused the message ({status})")


def _json(answer: bytes) -> dict:
    try:
        body = json.loads(answer or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def signature(url: str, params: Iterable[tuple[str, str]], auth_token: str) -> str:
    """Twilio's signature of a webhook: HMAC-SHA1, keyed with the auth token,
    of the full URL followed by every POST field's name and value, sorted by
    name; base64."""
    data = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def public_url(request: HttpRequest) -> str:
    """The URL Twilio called, as it saw it: through a proxy the request's own
    host and scheme differ, so SMS_PUBLIC_BASE_URL stands in for them."""
    if settings.SMS_PUBLIC_BASE_URL:
        return settings.SMS_PUBLIC_BASE_URL + request.get_full_path()
    return request.build_absolute_uri()


def is_signed(request: HttpRequest) -> bool:
    """Whether the request carries Twilio's valid signature."""
    given = request.headers.get("X-Twilio-Signature", "")
    if not given or not settings.TWILIO_AUTH_TOKEN:
        return False
    params = [(name, value) for name, values in request.POST.lists() for value in values]
    expected = signature(public_url(request), params, settings.TWILIO_AUTH_TOKEN)
    return hmac.compare_digest(expected.encode(), given.encode())


def receipt(request: HttpRequest) -> Receipt | None:
    """The delivery receipt a status callback carries (None without a message SID)."""
    sid = request.POST.get("MessageSid", "")
    if not sid:
        return None
    status = request.POST.get("MessageStatus", "")
    delivered = FINAL.get(status)
    detail = ""
    if delivered is False:
        detail = DELIVERY_ERRORS.get(request.POST.get("ErrorCode", ""), "the mobile network did not say why")
    return Receipt(
        provider_message_id=sid[:100],
        delivered=delivered,
        detail=detail,
        at=timezone.now(),
        reference=request.GET.get("ref", "")[:200],
    )


def inbound(request: HttpRequest) -> Inbound | None:
    """The text an inbound webhook carries (None without a message SID)."""
    sid = request.POST.get("MessageSid", "")
    if not sid:
        return None
    return Inbound(
        provider_message_id=sid[:100],
        from_number=request.POST.get("From", ""),
        to_number=request.POST.get("To", ""),
        body=request.POST.get("Body", ""),
        received_at=timezone.now(),
    )
