"""Scale data: 2,000 volunteers and PSOs (at full scale) spread over the
organisations, with training, PVG records, supervisors and supervision
history, in every status. Bulk inserts only. Leaves the profile ids in
``context.extra["volunteer_profiles"]`` for the apps above."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from operations.core.models import Membership, Role, User
from operations.core.scale import BATCH, ScaleContext
from volunteers.models import (
    Kind,
    PvgRecord,
    PvgScheme,
    Status,
    SupervisionSession,
    SupervisorPairing,
    TrainingRecord,
    VolunteerProfile,
)

AVAILABILITY = [
    f"{day}_{part}" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") for part in ("am", "pm", "eve")
]
STATUSES = (
    [Status.ACTIVE] * 70 + [Status.IN_TRAINING] * 10 + [Status.APPLICANT] * 8 + [Status.PAUSED] * 6 + [Status.LEFT] * 6
)


def seed(context: ScaleContext) -> None:
    rng = context.rng
    today = timezone.localdate()
    total = context.count("volunteers")
    per_org = max(2, total // len(context.organisations))
    password = make_password(None)  # scale users cannot sign in, except the named bench users
    courses_by_org = {}
    for organisation in context.organisations:
        courses_by_org[organisation.pk] = list(organisation.courses.values_list("pk", flat=True))

    users: list[User] = []
    memberships: list[Membership] = []
    plan: list[tuple[int, int, bool]] = []  # (organisation id, user index, is_pso)
    for organisation in context.organisations:
        for index in range(per_org):
            is_pso = index < max(1, per_org // 12)
            user = User(
                username=f"scale-{organisation.pk}-vol-{index}",
                first_name=f"Vol{index}",
                last_name=f"Org{organisation.pk}",
                password=password,
                active_organisation=organisation,
            )
            users.append(user)
            plan.append((organisation.pk, len(users) - 1, is_pso))
    User.objects.bulk_create(users, batch_size=BATCH)
    for organisation_id, user_index, is_pso in plan:
        memberships.append(
            Membership(
                user=users[user_index], organisation_id=organisation_id, role=Role.PSO if is_pso else Role.VOLUNTEER
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)

    # The named bench users of the first organisation get profiles too, so
    # the volunteer's and PSO's home pages have something to show.
    first = context.organisations[0]
    named = [(first.pk, context.staff["bench-volunteer"], False), (first.pk, context.staff["bench-pso"], True)]
    profiles = []
    for organisation_id, user, is_pso in [(o, users[i], p) for o, i, p in plan] + named:
        status = Status.ACTIVE if user.username.startswith("bench-") else rng.choice(STATUSES)
        profiles.append(
            VolunteerProfile(
                organisation_id=organisation_id,
                user=user,
                kinds=[Kind.PSO] if is_pso else [Kind.BEFRIENDER],
                status=status,
                status_changed_on=today - timedelta(days=rng.randint(1, 900)),
                active_since=today - timedelta(days=rng.randint(30, 1500)) if status == Status.ACTIVE else None,
                languages=rng.choice(["English", "English", "English, Polish", "English, Arabic", "English, Urdu"]),
                availability=rng.sample(AVAILABILITY, rng.randint(2, 8)),
                max_caseload=rng.randint(1, 3),
            )
        )
    VolunteerProfile.objects.bulk_create(profiles, batch_size=BATCH)

    training, pvgs, pairings, sessions = [], [], [], []
    supervisors: dict[int, list[int]] = {}
    for profile in profiles:
        if Kind.PSO in profile.kinds:
            supervisors.setdefault(profile.organisation_id, []).append(profile.user_id)
    for profile in profiles:
        for course_id in courses_by_org[profile.organisation_id]:
            if profile.status != Status.APPLICANT and rng.random() < 0.92:
                done = today - timedelta(days=rng.randint(30, 1400))
                training.append(TrainingRecord(profile=profile, course_id=course_id, completed_on=done))
        if profile.status != Status.APPLICANT:
            issued = today - timedelta(days=rng.randint(30, 1900))
            pvgs.append(
                PvgRecord(
                    profile=profile,
                    membership_number=f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
                    scheme=PvgScheme.BOTH,
                    issued_on=issued,
                    renewal_due=issued + timedelta(days=5 * 365),
                )
            )
        choices = [uid for uid in supervisors.get(profile.organisation_id, []) if uid != profile.user_id]
        if choices and Kind.PSO not in profile.kinds:
            supervisor_id = rng.choice(choices)
            pairings.append(
                SupervisorPairing(
                    organisation_id=profile.organisation_id,
                    volunteer=profile,
                    supervisor_id=supervisor_id,
                    started_on=today - timedelta(days=rng.randint(60, 700)),
                )
            )
            sessions.append(
                (
                    profile,
                    SupervisionSession(
                        organisation_id=profile.organisation_id,
                        supervisor_id=supervisor_id,
                        held_on=today - timedelta(days=rng.randint(1, 80)),
                        duration_minutes=60,
                    ),
                )
            )
    TrainingRecord.objects.bulk_create(training, batch_size=BATCH)
    PvgRecord.objects.bulk_create(pvgs, batch_size=BATCH)
    SupervisorPairing.objects.bulk_create(pairings, batch_size=BATCH)
    SupervisionSession.objects.bulk_create([session for _, session in sessions], batch_size=BATCH)
    through = SupervisionSession.volunteers.through
    through.objects.bulk_create(
        [through(supervisionsession_id=session.pk, volunteerprofile_id=profile.pk) for profile, session in sessions],
        batch_size=BATCH,
    )
    context.extra["volunteer_profiles"] = [profile.pk for profile in profiles]
    context.log(f"  volunteers: {len(profiles)} profiles, {len(training)} training records, {len(sessions)} sessions")
