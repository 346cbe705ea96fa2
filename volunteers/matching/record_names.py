"""Matches, visits, contact logs and what matching keeps about a family named
in words on the audit log (operations.core.record_names)."""

from __future__ import annotations

from operations.core.dates import short_date, weekday_date
from operations.core.links import record_url
from operations.core.record_names import Namer
from volunteers.matching.models import ConflictOfInterest, ContactLog, Match, MatchingNeeds, MatchReview, Visit


def _match_url(record) -> str:
    return record_url("matching:match-detail", record.match_id)


def _of_match(queryset):
    return queryset.select_related("match__parent", "match__volunteer__user")


def _pair(match: Match) -> str:
    return f"{match.parent.display_name} with {match.volunteer.user}"


NAMES = {
    "matching.Match": Namer(
        records=lambda user: Match.objects.visible_to(user).select_related("parent", "volunteer__user"),
        words=lambda match: f"Match of {_pair(match)}",
        url=lambda match: record_url("matching:match-detail", match.pk),
    ),
    "matching.Visit": Namer(
        records=lambda user: _of_match(Visit.objects.visible_to(user)),
        words=lambda visit: f"Visit to {visit.match.parent.display_name} on {weekday_date(visit.planned_for)}",
        url=_match_url,
    ),
    "matching.ContactLog": Namer(
        records=lambda user: _of_match(ContactLog.objects.visible_to(user)),
        words=lambda log: f"Contact log of {_pair(log.match)}, {short_date(log.contact_date)}",
        url=_match_url,
    ),
    "matching.MatchReview": Namer(
        records=lambda user: _of_match(MatchReview.objects.visible_to(user)),
        words=lambda review: f"Review of the match of {_pair(review.match)}",
        url=_match_url,
    ),
    "matching.MatchingNeeds": Namer(
        records=lambda user: MatchingNeeds.objects.visible_to(user).select_related("referral__parent"),
        words=lambda needs: f"Matching needs of {needs.referral.parent.display_name}",
        url=lambda needs: record_url("matching:candidates", needs.referral_id),
    ),
    "matching.ConflictOfInterest": Namer(
        records=lambda user: ConflictOfInterest.objects.visible_to(user).select_related("parent", "volunteer__user"),
        words=lambda conflict: f"Conflict of interest: {conflict.parent.display_name} and {conflict.volunteer.user}",
    ),
}
