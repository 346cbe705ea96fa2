from __future__ import annotations

from django.db.models import F, Func, QuerySet, Subquery
from django.http import HttpRequest

from operations.core.models import STAFF_ROLES, Organisation, active_membership
from operations.notifications.inbox import texts_to_deal_with
from operations.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict:
    """The bell's count and, for coordinators and managers, the texts waiting
    in their inbox (None for anyone else). Lazy, so a page that does not
    render them pays nothing; read together, in one query, the first time
    either is shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts: dict[str, int | None] = {}

    def count(name: str) -> int | None:
        if not counts:
            counts.update(_counts(user))
        return counts[name]

    return {
        "unread_notifications": lambda: count("unread"),
        "texts_to_deal_with": lambda: count("texts"),
    }


def _count_of(rows: QuerySet) -> Subquery:
    return Subquery(rows.order_by().values(total=Func(F("pk"), function="COUNT")))


def _counts(user) -> dict[str, int | None]:
    unread = Notification.objects.inbox_of(user).filter(read_at__isnull=True)
    membership = active_membership(user)
    if membership is None or membership.role not in STAFF_ROLES:
        return {"unread": unread.count(), "texts": None}
    return (
        Organisation.objects.filter(pk=membership.organisation_id)
        .annotate(unread=_count_of(unread), texts=_count_of(texts_to_deal_with(user)))
        .values("unread", "texts")
        .get()
    )
