"""What the partner API holds about a parent: that her referral came from a
partner system, under the partner's key (which may be the partner's own
record number), and a fingerprint of the request. Erasure removes both."""

from __future__ import annotations

from operations.core.gdpr import Section, readable
from referrals.partners.models import PartnerReferral

HOLDS = [PartnerReferral]

#: A partner's referral is made only through referrals.services.referral_create,
#: which refuses a restricted record (see referrals.gdpr).
RESTRICTION_REFUSES: tuple[str, ...] = ()
RESTRICTION_REFUSES_NOTHING = (
    "A partner's referral is made only through referral_create, which refuses a restricted record."
)
RESTRICTION_ALLOWS: dict[str, str] = {}

LABELS = {"credential": "Sent by the partner system", "key": "The partner's key", "created_at": "Received"}


def subject_access(parent) -> list[Section]:
    records = (
        PartnerReferral.objects.filter(referral__parent_id=parent.pk)
        .select_related("credential", "referral")
        .order_by("created_at", "pk")
    )
    rows = [readable(record, exclude=["request_hash"], labels=LABELS) for record in records]
    return [Section("Referrals sent by partner systems", rows, source="partners.PartnerReferral")]


def erase(parent) -> None:
    for record in PartnerReferral.objects.filter(referral__parent_id=parent.pk).order_by("pk"):
        # The key stays unique per credential: replaced, not blanked.
        PartnerReferral.objects.filter(pk=record.pk).update(key=f"erased-{record.pk}", request_hash="")
