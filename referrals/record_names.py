"""Referrals, parents and children named in words on the audit log
(operations.core.record_names)."""

from __future__ import annotations

from operations.core.links import record_url
from operations.core.record_names import Namer
from referrals.models import Child, Parent, Referral

NAMES = {
    "referrals.Referral": Namer(
        records=lambda user: Referral.objects.visible_to(user).select_related("parent"),
        words=lambda referral: f"Referral of {referral.parent.display_name}",
        url=lambda referral: record_url("referrals:referral-detail", referral.pk),
    ),
    "referrals.Parent": Namer(
        records=lambda user: Parent.objects.visible_to(user),
        words=lambda parent: f"Record of {parent.display_name}",
        url=lambda parent: record_url("referrals:parent-detail", parent.pk),
    ),
    "referrals.Child": Namer(
        records=lambda user: Child.objects.visible_to(user).select_related("parent"),
        words=lambda child: f"Child of {child.parent.display_name}",
        url=lambda child: record_url("referrals:parent-detail", child.parent_id),
    ),
}
