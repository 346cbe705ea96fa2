"""What a volunteer's phone keeps for use without signal: her own open
families, and of each only what a visit in a farm kitchen needs — the name
she uses, the next planned visit and how it is safe to get in touch. Nothing
else about a family ever reaches the phone's storage (the service worker
caches this list and the three forms, and sign-out clears them)."""

from __future__ import annotations

from typing import TypedDict

from django.urls import reverse

from operations.core.dates import weekday_date
from referrals.contact import contact_permissions
from referrals.models import Parent
from volunteers.matching.selectors import NextVisit, own_open_matches


class PhoneFamily(TypedDict):
    name: str
    next_visit: str
    safe_contact: str
    log_url: str
    visit_url: str
    concern_url: str


def safe_contact_summary(parent: Parent) -> str:
    """How the volunteer may get in touch, in words (referrals.contact is the
    one place the rules live)."""
    permissions = contact_permissions(parent)
    if not permissions.recorded:
        return "No safe way to get in touch is recorded yet: ask your coordinator."
    if permissions.through_referrer or not permissions.any_safe:
        return "Get in touch only through the referrer."
    words = f"Safe: {permissions.safe_channel_words}"
    if permissions.best_times:
        words += f"; best times: {permissions.best_times}"
    if not permissions.may_name_service:
        words += ". Do not name the service"
    return words + "."


def next_visit_words(visit: NextVisit | None) -> str:
    if visit is None:
        return "No visit planned"
    when = weekday_date(visit.planned_for)
    if visit.at_time:
        when += f" at {visit.at_time:%H:%M}"
    return f"{when} ({visit.mode_label.lower()})"


def phone_families(user) -> list[PhoneFamily]:
    """The signed-in person's own open families, as the phone keeps them
    (scoped by ``own_open_matches``, through ``Match.objects.visible_to``)."""
    matches = own_open_matches(user)
    parents = Parent.objects.only(
        "contact_safety_recorded_at",
        "safe_sms",
        "safe_email",
        "safe_phone",
        "safe_voicemail",
        "phone",
        "email",
        "may_name_service",
        "best_contact_times",
        "contact_through_referrer",
    ).in_bulk([match.parent_id for match in matches])
    return [
        PhoneFamily(
            name=match.parent_name,
            next_visit=next_visit_words(match.next_visit),
            safe_contact=safe_contact_summary(parents[match.parent_id]),
            log_url=reverse("matching:contact-log-new", args=[match.pk]),
            visit_url=reverse("matching:visit-new", args=[match.pk]),
            concern_url=f"{reverse('safeguarding:concern-new')}?match={match.pk}",
        )
        for match in matches
    ]
