from __future__ import annotations

from django.http import HttpRequest

from operations.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict:
    """The bell's count; lazy, so a page that does not render it pays nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: Notification.objects.inbox_of(user).filter(read_at__isnull=True).count()}
