"""What the referrals app holds about a parent, and how it is erased.

Erasure anonymises rather than deletes: the referral's service, source, how
it came in, states and dates stay (anonymous statistics), everything that
identifies the person or describes them in words goes, and so does the link
to the referrer who named her."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from operations.core.gdpr import Section, readable
from referrals.models import (
    Child,
    Parent,
    ProcessingRestriction,
    Referral,
    ReferralTransition,
    Transfer,
    TransferStatus,
)

ERASED = "Erased"

HOLDS = [Parent, Child, Referral, ReferralTransition, ProcessingRestriction, Transfer]

#: What a restriction of processing (Article 18) refuses in this app's
#: services: nothing new is recorded about the parent or done with the record.
RESTRICTION_REFUSES = ("referral_create", "referral_transition", "referral_follow_match", "parent_erase")
#: The services that act on a parent's record and still run while it is
#: restricted, and why (tests/core/test_gdpr_coverage.py holds every one to a side).
RESTRICTION_ALLOWS = {
    "parent_update": "Correcting the record (Article 16) is how a restriction for contested accuracy ends.",
    "parent_record_contact_safety": "Recording which channels are unsafe only narrows what may be sent.",
    "child_save": "Correcting the record (Article 16), as for the parent's details.",
    "child_review_loss": "Confirms a loss was reviewed, so that no one writes about a baby who died.",
    "referral_update": "Correcting the referral's details (Article 16).",
    "parent_recompute_eligibility": "Recomputes dates from what is already held; nothing new is recorded.",
    "parent_subject_access": "The parent's right of access holds whatever else is restricted.",
    "parent_restrict": "The restriction itself (refused when one already stands).",
    "parent_lift_restriction": "Ends the restriction, with the reason.",
    "referral_close_transferred": "Called only by an accepted transfer, which is refused for a restricted record "
    "before it gets here (referrals.transfers).",
}

#: Clearer labels than the fields' verbose names, for the subject access report.
LABELS = {
    "contact_safety_recorded_at": "Safe contact recorded",
    "created_at": "Record created",
    "updated_at": "Last changed",
    "erased_at": "Erased",
    "loss_reviewed_at": "Loss reviewed",
    "loss_reviewed_by": "Loss reviewed by",
    "gestation_weeks_at_birth": "Weeks of pregnancy at birth",
    "status_changed_at": "State last changed",
    "support_started_on": "Support started",
    "received_on": "Received",
    "eligibility_start": "Eligible from",
    "eligibility_end": "Eligible until",
    "eligibility_estimated": "Eligibility dates estimated",
    "eligibility_reason": "Why these eligibility dates",
    "created_by": "Recorded by",
    "source": "Referred by (kind)",
    "referrer": "Referrer (from the directory)",
    "from_status": "From",
    "to_status": "To",
    "at": "When",
    "by": "By",
    "recorded_at": "Recorded",
    "recorded_by": "Recorded by",
    "requested_on": "Requested",
    "lifted_on": "Lifted",
    "lifted_by": "Lifted by",
    "lift_reason": "Why it was lifted",
    "eligibility_override_reason": "Why it was accepted outside the eligibility dates",
    "eligibility_override_by": "Accepted outside the eligibility dates by",
    "eligibility_override_at": "Accepted outside the eligibility dates on",
    "sending_organisation": "From",
    "receiving_organisation": "To",
    "stage": "Stage",
    "service_kind": "Service asked for",
    "summary_note": "Summary passed on",
    "safeguarding_note": "Safeguarding note passed on",
    "consent_recorded_by": "Parent's consent recorded by",
    "consent_recorded_at": "Parent's consent recorded",
    "proposed_by": "Proposed by",
    "proposed_at": "Proposed",
    "decided_by": "Answered by",
    "decided_at": "Answered",
    "decision_reason": "Why it was declined",
}


def _transfers_of(parent: Parent):
    """Transfers of the family: out of this record's referrals, or into it."""
    return Transfer.objects.filter(Q(referral__parent=parent) | Q(new_referral__parent=parent))


def subject_access(parent: Parent) -> list[Section]:
    referrals = list(
        parent.referrals.select_related(
            "service", "created_by", "eligibility_override_by", "referrer__referring_organisation"
        ).order_by("received_on", "pk")
    )
    transitions = ReferralTransition.objects.filter(referral__in=referrals).select_related("by").order_by("at", "pk")
    restrictions = ProcessingRestriction.objects.filter(parent=parent).select_related("recorded_by", "lifted_by")
    # The search text only repeats the names, postcode and phone shown above.
    parent_row = readable(
        Parent.objects.select_related("council_area").get(pk=parent.pk),
        exclude=["organisation", "search_text"],
        labels=LABELS,
    )
    return [
        Section("Personal details, safe contact, needs and consent", [parent_row], source="referrals.Parent"),
        Section(
            "Children and pregnancies",
            [
                readable(child, exclude=["parent"], labels=LABELS)
                for child in parent.children.select_related("loss_reviewed_by").order_by("pk")
            ],
            source="referrals.Child",
        ),
        Section(
            "Referrals",
            [readable(referral, exclude=["organisation", "parent"], labels=LABELS) for referral in referrals],
            source="referrals.Referral",
        ),
        Section(
            "Changes of state",
            [readable(transition, labels=LABELS) for transition in transitions],
            source="referrals.ReferralTransition",
        ),
        Section(
            "Restrictions of processing (Article 18)",
            [
                readable(restriction, exclude=["parent"], labels=LABELS)
                for restriction in restrictions.order_by("recorded_at", "pk")
            ],
            source="referrals.ProcessingRestriction",
        ),
        Section(
            "Transfers to another organisation",
            [
                readable(transfer, exclude=["referral", "new_referral", "include_needs"], labels=LABELS)
                for transfer in _transfers_of(parent)
                .select_related(
                    "sending_organisation",
                    "receiving_organisation",
                    "council_area",
                    "consent_recorded_by",
                    "proposed_by",
                    "decided_by",
                )
                .order_by("proposed_at", "pk")
            ],
            source="referrals.Transfer",
        ),
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
        search_text="",
        erased_at=timezone.now(),
    )
    Child.objects.filter(parent=parent).update(name="")
    # Who referred goes with the rest that could point to her (the named
    # professional beside dates in a small place); how it came in stays.
    Referral.objects.filter(parent=parent).update(
        referrer_name="", referrer_contact="", referrer=None, reason="", eligibility_override_reason=""
    )
    ReferralTransition.objects.filter(referral__parent=parent).update(reason="")
    ProcessingRestriction.objects.filter(parent=parent).update(reason=ERASED, lift_reason="")
    # The words about the family go, on whichever side is erased; which
    # organisations, the dates and the answer stay (anonymous statistics).
    _transfers_of(parent).update(reason=ERASED, stage="", decision_reason="")
    # Once accepted, the summary and safeguarding note passed on are the
    # receiving organisation's: they go with its record of the family, not
    # when the sending side's retention erases its own.
    passed_on = Q(new_referral__parent=parent) | (Q(referral__parent=parent) & ~Q(status=TransferStatus.ACCEPTED))
    Transfer.objects.filter(passed_on).update(summary_note="", safeguarding_note="")
