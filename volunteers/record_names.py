"""Volunteers and PSOs, their checks and supervision named in words on the
audit log (operations.core.record_names)."""

from __future__ import annotations

from operations.core.dates import weekday_date
from operations.core.links import record_url
from operations.core.record_names import Namer
from volunteers.models import PvgRecord, SupervisionSession, TrainingRecord, VolunteerProfile


def _profile_url(record) -> str:
    return record_url("volunteers:detail", record.profile_id)


def _profiles(user):
    return VolunteerProfile.objects.visible_to(user)


NAMES = {
    "volunteers.VolunteerProfile": Namer(
        records=lambda user: _profiles(user).select_related("user"),
        words=lambda profile: f"Volunteer record of {profile.user}",
        url=lambda profile: record_url("volunteers:detail", profile.pk),
    ),
    "volunteers.PvgRecord": Namer(
        records=lambda user: PvgRecord.objects.filter(profile__in=_profiles(user)).select_related("profile__user"),
        words=lambda record: f"PVG record of {record.profile.user}",
        url=_profile_url,
    ),
    "volunteers.TrainingRecord": Namer(
        records=lambda user: TrainingRecord.objects.filter(profile__in=_profiles(user)).select_related(
            "profile__user", "course"
        ),
        words=lambda record: f"Training ({record.course.name}) of {record.profile.user}",
        url=_profile_url,
    ),
    "volunteers.SupervisionSession": Namer(
        records=lambda user: SupervisionSession.objects.visible_to(user).select_related("supervisor"),
        words=lambda session: f"Supervision with {session.supervisor} on {weekday_date(session.held_on)}",
        url=lambda session: record_url("volunteers:supervision-detail", session.pk),
    ),
}
