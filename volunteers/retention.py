"""Retention of records of people who left: contact details, notes, PVG
records and references go after the period; the fact that the person
volunteered, their training and supervision dates stay for statistics."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from operations.core.retention import RetentionRule
from volunteers.models import PvgRecord, Reference, Status, VolunteerProfile


def left_volunteers_due(organisation_id: int, cutoff) -> QuerySet[VolunteerProfile]:
    has_pvg = PvgRecord.objects.filter(profile_id=OuterRef("pk"))
    has_reference = Reference.objects.filter(profile_id=OuterRef("pk"))
    still_personal = (
        ~Q(phone="")
        | ~Q(email="")
        | ~Q(coordinator_notes="")
        | ~Q(preferences="")
        | ~Q(unavailable_reason="")
        | Exists(has_pvg)
        | Exists(has_reference)
    )
    return VolunteerProfile.objects.filter(
        still_personal, organisation_id=organisation_id, status=Status.LEFT, status_changed_on__lt=cutoff.date()
    )


def anonymise_left_volunteers(profiles: QuerySet[VolunteerProfile]) -> int:
    ids = list(profiles.values_list("pk", flat=True))
    PvgRecord.objects.filter(profile_id__in=ids).delete()
    Reference.objects.filter(profile_id__in=ids).delete()
    VolunteerProfile.objects.filter(pk__in=ids).update(
        phone="", email="", coordinator_notes="", preferences="", unavailable_reason=""
    )
    return len(ids)


RULE = RetentionRule(
    key="left_volunteers",
    label="Volunteers and PSOs who left (contact details, notes, break reason, PVG, references)",
    default_months=24,
    due=left_volunteers_due,
    apply=anonymise_left_volunteers,
)
