"""What matching holds about a parent (matches with volunteers, their
reviews, planned visits, contact logs and concerns, conflicts of interest),
and how it is erased.

Erasure keeps the records' dates, kinds and states (anonymous statistics:
how long support lasted, how many contacts) and removes every word written
about the family: notes, places, details of concerns, reasons."""

from __future__ import annotations

from django.utils import timezone

from operations.core.dates import short_date
from operations.core.gdpr import Section
from volunteers.matching.models import Concern, ConflictOfInterest, ContactLog, Match, MatchReview, Visit

HOLDS = [Match, MatchReview, Visit, ContactLog, Concern, ConflictOfInterest]


def _day(value) -> str:
    if value is None:
        return ""
    return short_date(timezone.localdate(value) if hasattr(value, "tzinfo") else value)


def subject_access(parent) -> list[Section]:
    matches = list(Match.objects.filter(parent=parent).select_related("volunteer__user").order_by("confirmed_at", "pk"))
    return [
        Section(
            "Support from volunteers and Perinatal Support Officers",
            [
                {
                    "Match": f"#{match.pk}",
                    "Supported by": match.volunteer.user.first_name or "a volunteer",
                    "As": match.get_role_display(),
                    "State": match.get_status_display(),
                    "Confirmed": _day(match.confirmed_at),
                    "Started": _day(match.started_on),
                    "Ended": _day(match.ended_on),
                    "How it ended": match.get_ending_type_display() if match.ending_type else "",
                    "Closing note": match.closing_note,
                    "Extended because": match.extension_reason,
                    "Matched outside eligibility because": match.eligibility_override_reason,
                }
                for match in matches
            ],
        ),
        Section(
            "Reviews of the support",
            [
                {"Match": f"#{review.match_id}", "Held": _day(review.held_on), "Notes": review.notes}
                for review in MatchReview.objects.filter(match__parent=parent).order_by("held_on", "pk")
            ],
        ),
        Section(
            "Planned visits",
            [
                {
                    "Match": f"#{visit.match_id}",
                    "On": _day(visit.planned_for),
                    "How": visit.get_mode_display(),
                    "Where": visit.place,
                    "Cancelled": "yes" if visit.cancelled else "",
                }
                for visit in Visit.objects.filter(match__parent=parent).order_by("planned_for", "pk")
            ],
        ),
        Section(
            "Contact logs",
            [
                {
                    "Match": f"#{log.match_id}",
                    "On": _day(log.contact_date),
                    "How": log.get_mode_display(),
                    "Note": log.note,
                    "Concern raised": "yes" if log.has_concern else "",
                }
                for log in ContactLog.objects.filter(match__parent=parent).order_by("contact_date", "pk")
            ],
        ),
        Section(
            "Concerns",
            [
                {
                    "Match": f"#{concern.match_id}",
                    "Raised": _day(concern.raised_at),
                    "Details": concern.details,
                    "State": concern.get_status_display(),
                    "Action taken": concern.action_taken,
                    "Closed": _day(concern.closed_at),
                }
                for concern in Concern.objects.filter(match__parent=parent).order_by("raised_at", "pk")
            ],
        ),
        Section(
            "Conflicts of interest recorded",
            [
                {"Recorded": _day(conflict.recorded_at), "Note": conflict.note}
                for conflict in ConflictOfInterest.objects.filter(parent=parent).order_by("recorded_at", "pk")
            ],
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
    Concern.objects.filter(match__parent=parent).update(details="", action_taken="")
    ConflictOfInterest.objects.filter(parent=parent).update(note="")
