"""The SMS providers' webhooks: delivery receipts and texts sent to an
organisation's number (/sms/<provider>/status/ and /sms/<provider>/inbound/).

Public by design (the provider calls them), so each is CSRF-exempt, POST
only, size-limited, rate-limited per address, and believed only with the
provider's valid signature: anything else gets 403 and a log line that
names the route, never the body or a number. A provider retrying a webhook
changes nothing the second time and gets the same answer. No auto-reply is
given here: answers to texts go out through the outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from operations.core.limits import count_in_window
from operations.core.network import client_ip
from operations.notifications.inbound import receive_text
from operations.notifications.providers import Inbound, Receipt, twilio, vonage
from operations.notifications.services import notification_record_receipt

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600
#: Twilio's answer to an inbound text: TwiML that says nothing back.
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _refusal(request: HttpRequest, route: str) -> HttpResponse | None:
    """The answer to a request that is too large or one too many (None when it may go on)."""
    length = request.META.get("CONTENT_LENGTH") or ""
    if (int(length) if length.isdigit() else 0) > settings.SMS_WEBHOOK_MAX_BYTES:
        logger.warning("sms webhook %s refused: body too large", route)
        return HttpResponse("Too large.", status=413, content_type="text/plain")
    posts = count_in_window(f"sms-webhook:{client_ip(request) or 'unknown'}", window_seconds=WINDOW_SECONDS)
    if posts > settings.SMS_WEBHOOK_LIMIT_PER_ADDRESS:
        logger.warning("sms webhook %s refused: too many posts from one address", route)
        return HttpResponse("Too many requests.", status=429, content_type="text/plain")
    return None


def _forged(route: str) -> HttpResponse:
    # Only the route: a forged request's body and numbers are not ours to keep.
    logger.warning("sms webhook %s refused: signature missing or wrong", route)
    return HttpResponse("Forbidden.", status=403, content_type="text/plain")


def _record(receipt: Receipt | None) -> None:
    if receipt is not None and receipt.delivered is not None:
        notification_record_receipt(
            provider_message_id=receipt.provider_message_id,
            delivered=receipt.delivered,
            detail=receipt.detail,
            at=receipt.at,
            reference=receipt.reference,
        )


def _receive(provider: str, text: Inbound | None) -> None:
    if text is not None:
        receive_text(
            provider=provider,
            provider_message_id=text.provider_message_id,
            from_number=text.from_number,
            to_number=text.to_number,
            body=text.body,
            received_at=text.received_at,
        )


def _webhook(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    return login_not_required(csrf_exempt(never_cache(require_POST(view))))


@_webhook
def twilio_status(request: HttpRequest) -> HttpResponse:
    if refused := _refusal(request, "twilio-status"):
        return refused
    if not twilio.is_signed(request):
        return _forged("twilio-status")
    _record(twilio.receipt(request))
    return HttpResponse(status=204)


@_webhook
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    if refused := _refusal(request, "twilio-inbound"):
        return refused
    if not twilio.is_signed(request):
        return _forged("twilio-inbound")
    _receive(twilio.NAME, twilio.inbound(request))
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@_webhook
def vonage_status(request: HttpRequest) -> HttpResponse:
    if refused := _refusal(request, "vonage-status"):
        return refused
    fields = vonage.fields_of(request)
    if not vonage.is_signed(fields):
        return _forged("vonage-status")
    _record(vonage.receipt(fields))
    return HttpResponse(status=204)


@_webhook
def vonage_inbound(request: HttpRequest) -> HttpResponse:
    if refused := _refusal(request, "vonage-inbound"):
        return refused
    fields = vonage.fields_of(request)
    if not vonage.is_signed(fields):
        return _forged("vonage-inbound")
    _receive(vonage.NAME, vonage.inbound(fields))
    return HttpResponse(status=204)
