"""What the referrals app holds about a parent, and how it is erased.

Erasure anonymises rather than deletes: the referral's service, source,
states and dates stay (anonymous statistics), everything that identifies the
person or describes them in words goes."""

from __future__ import annotations

from django.forms.models import model_to_dict
from django.utils import timezone

from operations.core.gdpr import Section
from referrals.models import Child, Parent, ProcessingRestriction, Referral, ReferralTransition

ERASED = "Erased"

HOLDS = [Parent, Child, Referral, ReferralTransition, ProcessingRestriction]


def subject_access(parent: Parent) -> list[Section]:
    parent_row = model_to_dict(parent, exclude=["organisation"])
    parent_row["council_area"] = str(parent.council_area) if parent.council_area_id else ""
    parent_row["processing_restricted"] = parent.processing_restricted
    children = [model_to_dict(child, exclude=["parent", "loss_reviewed_by"]) for child in parent.children.all()]
    referrals = list(parent.referrals.select_related("service"))
    referral_rows = [
        {
            **model_to_dict(referral, exclude=["organisation", "parent", "created_by"]),
            "service": str(referral.service),
            # Not editable, so model_to_dict leaves it out: the reason may describe the person.
            "eligibility_override_reason": referral.eligibility_override_reason,
            "eligibility_override_at": referral.eligibility_override_at,
        }
        for referral in referrals
    ]
    transitions = [
        {"referral": t.referral_id, "from": t.from_status, "to": t.to_status, "at": t.at, "reason": t.reason}
        for t in ReferralTransition.objects.filter(referral__in=referrals).order_by("at")
    ]
    restrictions = [
        {
            "requested_on": r.requested_on,
            "reason": r.reason,
            "recorded_at": r.recorded_at,
            "lifted_on": r.lifted_on,
            "lift_reason": r.lift_reason,
        }
        for r in ProcessingRestriction.objects.filter(parent=parent).order_by("recorded_at", "pk")
    ]
    return [
        Section("Personal details, safe contact, needs and consent", [parent_row]),
        Section("Children and pregnancies", children),
        Section("Referrals", referral_rows),
        Section("Changes of state", transitions),
        Section("Restrictions of processing (Article 18)", restrictions),
    ]


def erase(parent: Parent) -> None:
    Parent.objects.filter(pk=parent.pk).update(
        first_name=ERASED,
        last_name=ERASED,
        preferred_name="",
        pronouns="",
        date_of_birth=None,
        phone="",
        email="",
        address_line_1="",
        address_line_2="",
        town="",
        postcode="",
        best_contact_times="",
        safe_sms=False,
        safe_email=False,
        safe_phone=False,
        safe_voicemail=False,
        ethnicity="",
        erased_at=timezone.now(),
    )
    Child.objects.filter(parent=parent).update(name="")
    Referral.objects.filter(parent=parent).update(
        referrer_name="", referrer_contact="", reason="", eligibility_override_reason=""
    )
    ReferralTransition.objects.filter(referral__parent=parent).update(reason="")
    ProcessingRestriction.objects.filter(parent=parent).update(reason=ERASED, lift_reason="")
