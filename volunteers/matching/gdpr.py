"""What matching holds about a parent (matches with volunteers, their
reviews, planned visits, contact logs, conflicts of interest),
and how it is erased.

Erasure keeps the records' dates, kinds and states (anonymous statistics:
how long support lasted, how many contacts) and removes every word written
about the family: notes, places, reasons."""

from __future__ import annotations

from operations.core.gdpr import Section, readable
from volunteers.matching.models import ConflictOfInterest, ContactLog, Match, MatchReview, Topic, Visit

HOLDS = [Match, MatchReview, Visit, ContactLog, ConflictOfInterest]

#: What a restriction of processing (Article 18) refuses (see referrals.gdpr):
#: no new match, visit, contact, review or extension, and support is not
#: taken further (introduced, active); it can still be ended.
RESTRICTION_REFUSES = (
    "match_confirm",
    "match_confirm_batch",
    "match_confirm_refusals",
    "match_started_before_import",
    "match_transition",
    "match_review_record",
    "match_record_extension",
    "visit_plan",
    "visit_plan_once",
    "visit_confirm_by_parent",
    "contact_log_create",
    "contact_log_create_once",
)
RESTRICTION_ALLOWS = {
    "visit_cancel": "Cancelling a visit winds processing down.",
    "conflict_record": "A conflict of interest only keeps a volunteer away from the family.",
    "conflict_remove": "Removes a note about the family; nothing new is recorded.",
    "matching_needs_save": "What a volunteer must offer holds nothing about the parent (NOT_PERSONAL); "
    "no match can be confirmed while restricted.",
    "contact_log_errors": "Checks a contact log before contact_log_create, which refuses; writes nothing.",
}

#: Clearer labels than the fields' verbose names, for the subject access report.
LABELS = {
    "volunteer": "Supported by",
    "role": "As",
    "score": "Matching score",
    "confirmed_at": "Confirmed",
    "confirmed_by": "Confirmed by",
    "introduced_on": "Introduced",
    "started_on": "Support started",
    "ended_on": "Support ended",
    "ending_type": "How it ended",
    "next_review_on": "Next review",
    "due_date": "Baby due (birth companion on call)",
    "on_call_from": "On call from",
    "on_call_to": "On call until",
    "extended_until": "Extended until",
    "extension_reason": "Extended because",
    "eligibility_override_note": "Matched outside eligibility",
    "eligibility_override_reason": "Matched outside eligibility because",
    "status_changed_at": "State last changed",
    "held_on": "Held",
    "by": "Held by",
    "going_well": "Going well",
    "planned_for": "Planned for",
    "at_time": "At",
    "mode": "How",
    "place": "Where",
    "created_by": "Planned by",
    "created_at": "Recorded",
    "logged_by": "Logged by",
    "contact_date": "Contact on",
    "duration_minutes": "Minutes",
    "signposted_to": "Signposted to",
    "note": "Note",
    "has_concern": "Concern raised",
    "contact_log": "From contact log",
    "recorded_at": "Recorded",
}

TOPICS = dict(Topic.choices)


def subject_access(parent) -> list[Section]:
    matches = Match.objects.filter(parent=parent).select_related("volunteer__user", "confirmed_by", "referral")
    reviews = MatchReview.objects.filter(match__parent=parent).select_related("match", "by")
    visits = Visit.objects.filter(match__parent=parent).select_related("match", "created_by")
    logs = (
        ContactLog.objects.filter(match__parent=parent)
        .select_related("match", "logged_by")
        .prefetch_related("signposted_to")
    )
    conflicts = ConflictOfInterest.objects.filter(parent=parent).select_related("volunteer__user")
    return [
        Section(
            "Support from volunteers and Perinatal Support Officers",
            [
                readable(
                    match,
                    exclude=["organisation", "parent"],
                    labels=LABELS,
                    values={"volunteer": match.volunteer.user.first_name or "a volunteer"},
                )
                for match in matches.order_by("confirmed_at", "pk")
            ],
            source="matching.Match",
        ),
        Section(
            "Reviews of the support",
            [readable(review, labels=LABELS) for review in reviews.order_by("held_on", "pk")],
            source="matching.MatchReview",
        ),
        Section(
            "Planned visits",
            [
                readable(visit, exclude=["organisation", "client_key"], labels=LABELS)
                for visit in visits.order_by("planned_for", "at_time", "pk")
            ],
            source="matching.Visit",
        ),
        Section(
            "Contact logs",
            [
                readable(
                    log,
                    exclude=["organisation", "client_key"],
                    labels=LABELS,
                    values={"topics": [TOPICS.get(topic, topic) for topic in log.topics]},
                )
                for log in logs.order_by("contact_date", "pk")
            ],
            source="matching.ContactLog",
        ),
        Section(
            "Conflicts of interest recorded",
            [
                readable(
                    conflict,
                    exclude=["organisation", "parent"],
                    labels=LABELS,
                    values={"volunteer": conflict.volunteer.user.first_name or "a volunteer"},
                )
                for conflict in conflicts.order_by("recorded_at", "pk")
            ],
            source="matching.ConflictOfInterest",
        ),
    ]


def erase(parent) -> None:
    # The override's note ("not eligible until …") stays with its reason
    # replaced, so the database's rule (an override has a reason) still holds.
    Match.objects.filter(parent=parent).update(closing_note="", extension_reason="")
    Match.objects.filter(parent=parent).exclude(eligibility_override_reason="").update(
        eligibility_override_reason="(erased)"
    )
    MatchReview.objects.filter(match__parent=parent).update(notes="")
    Visit.objects.filter(match__parent=parent).update(place="")
    ContactLog.objects.filter(match__parent=parent).update(note="")
    ConflictOfInterest.objects.filter(parent=parent).update(note="")
