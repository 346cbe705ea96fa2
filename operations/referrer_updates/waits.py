"""How long a service's parents wait for a volunteer: from joining the
waiting list to being matched, over the matches of the last 12 months.
(The waiting list's own "typical wait" measures received to support
started, for coordinators; a referrer asks how long the waiting list is.)"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.utils import timezone

from operations.referrer_updates import wording
from referrals.models import ReferralTransition
from referrals.workflow import Status

WINDOW_DAYS = 365


def typical_wait_days(*, service_id: int, now: datetime | None = None) -> int | None:
    """The median days from waiting to matched of the service's matches in
    the last 12 months; None with too few to say (``wording.TYPICAL_WAIT_MIN_MATCHES``).
    Two queries, whatever the number of referrals."""
    now = now or timezone.now()
    matched = list(
        ReferralTransition.objects.filter(
            referral__service_id=service_id,
            from_status=Status.WAITING,
            to_status=Status.MATCHED,
            at__gt=now - timedelta(days=WINDOW_DAYS),
            at__lte=now,
        ).values_list("referral_id", "at")
    )
    if len(matched) < wording.TYPICAL_WAIT_MIN_MATCHES:
        return None
    joined: dict[int, list[datetime]] = defaultdict(list)
    for referral_id, at in ReferralTransition.objects.filter(
        referral_id__in={referral_id for referral_id, _ in matched}, to_status=Status.WAITING
    ).values_list("referral_id", "at"):
        joined[referral_id].append(at)
    waits = []
    for referral_id, matched_at in matched:
        # A match that fell through sends the referral back: the wait ending now began at the last joining.
        began = [at for at in joined[referral_id] if at <= matched_at]
        if began:
            waits.append((matched_at - max(began)).days)
    return wording.typical_wait_days(waits)
