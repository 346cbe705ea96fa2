"""The matching app's entries on a parent's timeline (found by
``operations.core.timeline``): her matches and their stages, their reviews,
planned visits and contact logs. A fixed number of queries (at most four),
whatever the length of her history: a parent has a handful of matches, read
whole; reviews, visits and logs are read newest first, ``limit`` at most."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from operations.core.models import STAFF_ROLES
from operations.core.timeline import Entry, at, on
from volunteers.matching.models import ContactLog, ContactMode, Match, MatchReview, MatchStatus, Topic, Visit

#: The modes as a line of the timeline says them ("Phone call with Jo", not "Phone with Jo").
MODE_WORDS = {
    **dict(ContactMode.choices),
    ContactMode.PHONE: "Phone call",
    ContactMode.VIDEO: "Video call",
    ContactMode.CAFE: "Café meeting",
}

KINDS = {
    "match": "Matches and reviews",
    "visit": "Planned visits",
    "contact": "Contact logs",
}


def entries(parent, *, user, kinds: frozenset[str], limit: int) -> list[Entry]:
    found: list[Entry] = []
    if "match" in kinds:
        found += _matches(parent, user=user)
        found += _reviews(parent, user=user, limit=limit)
    if "visit" in kinds:
        found += _visits(parent, user=user, limit=limit)
    if "contact" in kinds:
        found += _contacts(parent, user=user, limit=limit)
    return found


def _match_url(match_id: int) -> str:
    return reverse("matching:match-detail", args=[match_id])


def _after(day, moment: datetime) -> datetime:
    """A stage known only by its day, never before the moment that began it
    (an introduction on the day of the match reads after the match)."""
    return max(timezone.make_aware(datetime.combine(day, time.min)), moment)


def _matches(parent, *, user) -> list[Entry]:
    matches = (
        Match.objects.visible_to(user)
        .filter(parent=parent)
        .select_related("volunteer__user", "confirmed_by")
        .order_by("-confirmed_at", "-pk")
    )
    found = []
    for match in matches:
        who = str(match.volunteer.user)
        link = _match_url(match.pk)
        found.append(
            at(
                match.confirmed_at,
                kind="match",
                label=f"Matched with {who} ({match.get_role_display()})",
                link=link,
                by=f"by {match.confirmed_by}" if match.confirmed_by else "",
            )
        )
        if match.introduced_on:
            when = _after(match.introduced_on, match.confirmed_at)
            found.append(Entry(when=when, timed=False, kind="match", label=f"Introduced to {who}", link=link))
        if match.started_on:
            when = _after(match.started_on, match.confirmed_at)
            found.append(Entry(when=when, timed=False, kind="match", label=f"Support with {who} started", link=link))
        if match.status == MatchStatus.ENDING:
            found.append(at(match.status_changed_at, kind="match", label=f"Support with {who} is ending", link=link))
        if match.ended_on:
            when = _after(match.ended_on, match.confirmed_at)
            label = f"Match with {who} ended: {match.get_ending_type_display().lower()}"
            found.append(Entry(when=when, timed=False, kind="match", label=label, link=link, detail=match.closing_note))
    return found


def _reviews(parent, *, user, limit: int) -> list[Entry]:
    # Reviews are staff records (MatchReview.objects.visible_to): whoever sees one may read its notes.
    reviews = (
        MatchReview.objects.visible_to(user)
        .filter(match__parent=parent)
        .select_related("match__volunteer__user")
        .order_by("-held_on", "-pk")[:limit]
    )
    found = []
    for review in reviews:
        verdict = "going well" if review.going_well else "not going well"
        label = f"Match with {review.match.volunteer.user} reviewed: {verdict}"
        link = _match_url(review.match_id)
        found.append(on(review.held_on, kind="match", label=label, link=link, detail=review.notes))
    return found


def _visits(parent, *, user, limit: int) -> list[Entry]:
    visits = (
        Visit.objects.visible_to(user)
        .filter(match__parent=parent)
        .select_related("match__volunteer__user")
        # A visit without a time sorts at the start of its day, as the merge orders it.
        .order_by("-planned_for", F("at_time").desc(nulls_last=True), "-pk")[:limit]
    )
    found = []
    for visit in visits:
        state = " (cancelled)" if visit.cancelled else ""
        found.append(
            on(
                visit.planned_for,
                visit.at_time,
                kind="visit",
                label=f"{MODE_WORDS.get(visit.mode, 'Visit')} with {visit.match.volunteer.user} planned{state}",
                link=_match_url(visit.match_id),
                detail=visit.place,
            )
        )
    return found


def notes_readable(user, *, organisation_id: int, volunteer_user_id: int) -> bool:
    """A contact log's note is read by the organisation's coordinators and
    managers and by the volunteer or PSO who supports the family."""
    membership = user.active_membership if getattr(user, "is_authenticated", False) else None
    if membership is None or membership.organisation_id != organisation_id:
        return False
    return membership.role in STAFF_ROLES or volunteer_user_id == user.pk


def _contacts(parent, *, user, limit: int) -> list[Entry]:
    logs = (
        ContactLog.objects.visible_to(user)
        .filter(match__parent=parent)
        .select_related("match__volunteer__user")
        .order_by("-contact_date", "-pk")[:limit]
    )
    topics = dict(Topic.choices)
    found = []
    for log in logs:
        volunteer = log.match.volunteer
        about = ", ".join(topics.get(topic, "Other") for topic in log.topics or [])
        note = (
            log.note
            if notes_readable(user, organisation_id=log.organisation_id, volunteer_user_id=volunteer.user_id)
            else ""
        )
        detail = " · ".join(part for part in (about, note) if part)
        concern = "; a concern was raised" if log.has_concern else ""
        label = f"{MODE_WORDS.get(log.mode, 'Contact')} with {volunteer.user}, {log.duration_minutes} min{concern}"
        found.append(
            on(
                log.contact_date,
                kind="contact",
                label=label,
                link=_match_url(log.match_id),
                detail=detail,
            )
        )
    return found
