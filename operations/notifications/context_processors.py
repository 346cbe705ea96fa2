from __future__ import annotations

from django.http import HttpRequest

from operations.core.models import STAFF_ROLES, active_membership
from operations.notifications.inbox import to_deal_with_count
from operations.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict:
    """The bell's count, and for coordinators and managers the texts waiting
    in their inbox; lazy, so a page that does not render them pays nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def texts_to_deal_with() -> int | None:
        membership = active_membership(user)
        if membership is None or membership.role not in STAFF_ROLES:
            return None
        return to_deal_with_count(user)

    return {
        "unread_notifications": lambda: Notification.objects.inbox_of(user).filter(read_at__isnull=True).count(),
        "texts_to_deal_with": texts_to_deal_with,
    }
