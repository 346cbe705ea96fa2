"""Panels this app adds to lower layers' pages (found by
``operations.core.page_panels``): the public online referral forms
(referrals/online/) say which services have closed, with the manager's
message saying where to turn instead."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from operations.closures.models import ClosureStatus, ServiceClosure
from operations.core.page_panels import PagePanel

#: How long a closed service is still mentioned on the online forms.
MENTIONED_FOR = dt.timedelta(days=365)


def _closed(user, organisation) -> dict:
    # Public: service names and the manager's message only, which name no one.
    closures = ServiceClosure.objects.filter(
        organisation=organisation,
        status=ClosureStatus.COMPLETED,
        completed_at__gte=timezone.now() - MENTIONED_FOR,
    ).select_related("service")
    return {"closures": list(closures.order_by("service__name"))}


PANELS = {
    "online-referral-form": [PagePanel(template="closures/_online_closed.html", context=_closed)],
}
