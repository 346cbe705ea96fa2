"""Who is on the other end of a request: the one answer that the audit log
and the sign-in lockout both use.

Each trusted proxy appends the address it received the request from to
X-Forwarded-For, so with N trusted proxies the client is the N-th entry
from the right. Anything further left was sent by the client and may be
invented afresh on every request; trusting it would let anyone escape the
lockout or write a false address into the audit log."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR with no trusted proxy
    (``TRUSTED_PROXY_COUNT`` = 0), else the X-Forwarded-For entry the
    outermost trusted proxy added. A header with fewer entries than trusted
    proxies, or an entry that is not an address, falls back to REMOTE_ADDR."""
    if request is None:
        return None
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted:
        return remote
    return _valid(hops[-trusted]) or remote
