"""May a message to a parent still go? Asked again just before delivery.

A message to a parent is written with the channel her contact-safety record
allowed at the time. It may wait hours before it goes (quiet hours, a retry,
a broker outage), and in that time the record can change: SMS no longer
safe because a partner reads her texts, a new phone number, no naming of the
service, a restriction of processing, an erasure. The sender therefore asks
the same ``contact_permissions`` again, with the parent's row locked, and
sends only what is still safe (domain.md, contact safety).
"""

from __future__ import annotations

from dataclasses import dataclass

from operations.core.dates import short_date
from operations.notifications.models import Channel
from referrals.contact import contact_permissions
from referrals.models import Parent

CHANNEL_NAMES = {Channel.SMS: "Text message", Channel.EMAIL: "Email"}


@dataclass(frozen=True)
class Verdict:
    """Whether to send, to which address now, and otherwise why not. The
    reason is shown to coordinators and kept on the row: it never holds
    anything personal."""

    allowed: bool
    address: str = ""
    reason: str = ""
    # Someone should reach the parent another way (not after an erasure or a
    # restriction: then nobody contacts them at all).
    tell_coordinators: bool = False


def verdict_for(*, channel: str, names_service: bool, parent: Parent) -> Verdict:
    if parent.erased_at is not None:
        return Verdict(allowed=False, reason="The parent's record was erased.")
    if parent.processing_restricted:
        return Verdict(allowed=False, reason="Processing of the parent's record is restricted.")
    permissions = contact_permissions(parent)
    name = CHANNEL_NAMES.get(channel, channel)
    if channel == Channel.SMS and permissions.sms_stopped_on is not None:
        return Verdict(
            allowed=False,
            reason=f"The parent texted STOP on {short_date(permissions.sms_stopped_on)}.",
            tell_coordinators=True,
        )
    if channel not in (Channel.SMS, Channel.EMAIL) or not permissions.allows(channel):
        return Verdict(allowed=False, reason=f"{name} is no longer recorded as safe.", tell_coordinators=True)
    if names_service and not permissions.may_name_service:
        return Verdict(
            allowed=False, reason="Messages may no longer name the service or group.", tell_coordinators=True
        )
    # Always the address on the record now: an old number may be someone else's.
    return Verdict(allowed=True, address=parent.phone if channel == Channel.SMS else parent.email)
