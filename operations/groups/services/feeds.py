"""Writes for private calendar feeds."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import User
from operations.groups.models import (
    CalendarFeed,
    new_calendar_token,
)


def calendar_feed_for(*, user: User, organisation_id: int) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user, organisation_id=organisation_id)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User, organisation_id: int) -> tuple[CalendarFeed, bool]:
    """The person's private address, made now (True) or replaced by a new
    token (False): every subscription to the old address stops working."""
    feed, created = CalendarFeed.objects.get_or_create(user=user, organisation_id=organisation_id)
    if not created:
        feed.token = new_calendar_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    summary = "Private calendar address made" if created else "Private calendar address reset"
    audit_log(action=AuditAction.CHANGE, actor=user, obj=feed, summary=summary)
    return feed, created
