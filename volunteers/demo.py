"""Demo data of the volunteers app, called by `manage.py seed_demo` after the
organisations, services and users exist. Idempotent: an organisation that
already has volunteer profiles is left alone. Every name is invented."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from operations.core.models import Membership, Organisation, Role, User
from operations.core.months import add_months_clamped
from volunteers.fitness import AVAILABILITY_CELLS
from volunteers.models import (
    Course,
    DisclosureTask,
    Kind,
    LivedExperience,
    PvgRecord,
    PvgScheme,
    Reference,
    Status,
    StatusChange,
    SupervisionAction,
    SupervisionMode,
    SupervisionSession,
    SupervisorPairing,
    TrainingRecord,
    VolunteerProfile,
    Wellbeing,
)

FIRST_NAMES = [
    "Aileen", "Beth", "Carys", "Dawn", "Elspeth", "Fenella", "Gillian", "Hannah", "Iona", "Jenna", "Kerry",
    "Lesley", "Maisie", "Nicola", "Orla", "Petra", "Rowan", "Sorcha", "Tamsin", "Una", "Vhairi", "Wendy",
    "Yasmin", "Zara", "Agnieszka", "Amina", "Marek", "Callum", "Euan",
]  # fmt: skip
LAST_NAMES = [
    "Aitken", "Blyth", "Cairns", "Dunlop", "Erskine", "Forsyth", "Gilchrist", "Hogg", "Imrie", "Jardine",
    "Kinnear", "Lumsden", "McAra", "Nairn", "Ogilvie", "Pringle", "Rintoul", "Swinton", "Tait", "Veitch",
    "Wishart", "Yule",
]  # fmt: skip
LANGUAGES = ["English", "English", "English", "English, Polish", "English, Arabic", "English, Urdu", "English, BSL"]
LOCALITIES = {
    "tweed-valley": ["Galashiels", "Peebles", "Kelso", "Hawick", "Selkirk", "Melrose"],
    "family-start-east-lothian": ["Musselburgh", "Haddington", "Dunbar", "Dalkeith", "Penicuik"],
    "capital-peer-network": ["Leith", "Gorgie", "Craigmillar", "Muirhouse", "Portobello", "Wester Hailes"],
}
PREFIXES = {"tweed-valley": "tv", "family-start-east-lothian": "fs", "capital-peer-network": "cp"}
NAMED = {
    "tweed-valley": ("pso", "volunteer", "coordinator"),
    "family-start-east-lothian": ("pso2", "volunteer2", "coordinator2"),
    "capital-peer-network": ("pso3", "volunteer3", "coordinator3"),
}
# Status of the 24 generated volunteers: every status, most active.
STATUSES = [Status.APPLICANT] * 3 + [Status.IN_TRAINING] * 3 + [Status.PAUSED] * 2 + [Status.LEFT] * 2
STATUSES += [Status.ACTIVE] * (24 - len(STATUSES))


def seed(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    for slug, organisation in organisations.items():
        if slug in NAMED and not VolunteerProfile.objects.filter(organisation=organisation).exists():
            _seed_organisation(organisation, users, random.Random(f"volunteers-{slug}"))  # noqa: S311 - demo variety


def _user(username: str, first: str, last: str, organisation: Organisation, role: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "active_organisation": organisation,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
    return user


@transaction.atomic
def _seed_organisation(organisation: Organisation, users: dict[str, User], rng: random.Random) -> None:
    today = timezone.localdate()
    courses = list(Course.objects.filter(organisation=organisation, is_required=True))
    experiences = list(LivedExperience.objects.filter(organisation=organisation))
    areas = list(organisation.council_areas.all())
    slug, prefix = organisation.slug, PREFIXES[organisation.slug]
    pso_name, volunteer_name, coordinator_name = NAMED[slug]
    names = rng.sample([(f, s) for f in FIRST_NAMES for s in LAST_NAMES], 26)

    people: list[tuple[User, list[str], str]] = [(users[pso_name], [Kind.PSO], Status.ACTIVE)]
    for index in (2, 3):
        first, last = names.pop()
        people.append((_user(f"{prefix}-pso-{index}", first, last, organisation, Role.PSO), [Kind.PSO], Status.ACTIVE))
    people.append((users[volunteer_name], [Kind.BEFRIENDER], Status.ACTIVE))
    for index, status in enumerate(STATUSES, start=1):
        first, last = names.pop()
        kinds = [Kind.BEFRIENDER] + ([Kind.BIRTH_COMPANION] if index % 5 == 0 else [])
        kinds += [Kind.FACILITATOR] if index % 7 == 0 else []
        user = _user(f"{prefix}-vol-{index:02d}", first, last, organisation, Role.VOLUNTEER)
        people.append((user, kinds, status))

    psos: list[User] = []
    supervised: list[VolunteerProfile] = []
    for number, (user, kinds, status) in enumerate(people):
        joined = today - dt.timedelta(days=rng.randint(120, 900))
        active_since = joined + dt.timedelta(days=60) if status in (Status.ACTIVE, Status.PAUSED) else None
        profile = VolunteerProfile.objects.create(
            organisation=organisation,
            user=user,
            kinds=kinds,
            status=status,
            status_changed_on=active_since or joined,
            active_since=active_since,
            phone=f"07700 900{number:03d}",  # Ofcom's range for drama: never a real number
            email=user.email,
            localities=", ".join(rng.sample(LOCALITIES[slug], 2)),
            languages=rng.choice(LANGUAGES),
            availability=sorted(rng.sample(AVAILABILITY_CELLS, rng.randint(3, 8))),
            max_caseload=4 if Kind.PSO in kinds else rng.choice([1, 2, 2, 3]),
            preferences="Prefers daytime visits." if number % 4 == 0 else "",
            coordinator_notes="Fictional demo note." if number % 6 == 0 else "",
        )
        profile.council_areas.set(areas)
        profile.lived_experience.set(rng.sample(experiences, rng.randint(0, 2)))
        StatusChange.objects.create(profile=profile, to_status=Status.APPLICANT, changed_on=joined)
        if status != Status.APPLICANT:
            StatusChange.objects.create(
                profile=profile,
                from_status=Status.APPLICANT,
                to_status=Status.IN_TRAINING if status != Status.ACTIVE else Status.ACTIVE,
                changed_on=joined + dt.timedelta(days=30),
            )
        if status == Status.LEFT:
            left_on = today - dt.timedelta(days=10 * number % 40)
            profile.status_changed_on = left_on
            profile.save(update_fields=["status_changed_on"])
            StatusChange.objects.create(
                profile=profile,
                from_status=Status.IN_TRAINING,
                to_status=Status.LEFT,
                changed_on=left_on,
                reason="Moved away",
            )
            DisclosureTask.objects.create(organisation=organisation, profile=profile, created_on=left_on)
        _seed_checks(profile, status, number, courses, today, joined, rng)
        if Kind.PSO in kinds:
            psos.append(user)
        elif status in (Status.ACTIVE, Status.PAUSED, Status.IN_TRAINING):
            supervised.append(profile)

    supervisors = [*psos, users[coordinator_name]]
    # PSOs are supervised too: by the coordinator.
    pso_profiles = list(VolunteerProfile.objects.filter(organisation=organisation, user__in=psos))
    for profile in pso_profiles:
        SupervisorPairing.objects.create(
            organisation=organisation,
            volunteer=profile,
            supervisor=users[coordinator_name],
            started_on=today - dt.timedelta(days=200),
        )
    for index, profile in enumerate(supervised):
        supervisor = supervisors[index % len(supervisors)]
        if index % 5 == 0:
            # A change of supervisor, so the history shows.
            SupervisorPairing.objects.create(
                organisation=organisation,
                volunteer=profile,
                supervisor=supervisors[(index + 1) % len(supervisors)],
                started_on=today - dt.timedelta(days=300),
                ended_on=today - dt.timedelta(days=120),
            )
        SupervisorPairing.objects.create(
            organisation=organisation,
            volunteer=profile,
            supervisor=supervisor,
            started_on=today - dt.timedelta(days=120),
        )
    _seed_sessions(organisation, supervised, supervisors, today, rng)
    for profile in pso_profiles:
        session = SupervisionSession.objects.create(
            organisation=organisation,
            supervisor=users[coordinator_name],
            held_on=today - dt.timedelta(days=rng.randint(7, 35)),
            mode=SupervisionMode.IN_PERSON,
            duration_minutes=60,
            notes="Caseload review. (Fictional demo note.)",
            wellbeing=Wellbeing.GOOD,
        )
        session.volunteers.set([profile])


def _seed_checks(profile, status, number, courses, today, joined, rng) -> None:
    if status == Status.APPLICANT:
        Reference.objects.create(profile=profile, name="A. Referee", relationship="Former employer")
        return
    Reference.objects.create(
        profile=profile, name="A. Referee", relationship="Former employer", received_on=joined + dt.timedelta(days=14)
    )
    Reference.objects.create(
        profile=profile, name="B. Referee", relationship="Community group leader", received_on=joined + dt.timedelta(20)
    )
    # Training: in training people have part of it; one active person in
    # eight lacks a course; safeguarding expires after two years.
    done = courses[:1] if status == Status.IN_TRAINING else courses
    if status == Status.ACTIVE and number % 8 == 5:
        done = courses[:-1]
    for course in done:
        completed = min(joined + dt.timedelta(days=rng.randint(10, 50)), today - dt.timedelta(days=5))
        expires = None
        if course.name == "Safeguarding":
            # Refreshed every two years; most refreshed recently, some expiring soon.
            completed = today - dt.timedelta(days=rng.randint(30, 600))
            expires = add_months_clamped(completed, 24)
            if status == Status.ACTIVE and number % 9 == 4:
                expires = today + dt.timedelta(days=40)
        TrainingRecord.objects.create(profile=profile, course=course, completed_on=completed, expires_on=expires)
    if status == Status.IN_TRAINING and number % 2:
        return  # PVG still awaited
    issued = joined + dt.timedelta(days=20)
    if status == Status.ACTIVE and number % 7 == 3:
        renewal = today + dt.timedelta(days=rng.randint(15, 80))  # renewing soon
    elif status == Status.ACTIVE and number % 11 == 6:
        renewal = today - dt.timedelta(days=5)  # lapsed
    elif issued >= dt.date(2026, 4, 1):
        renewal = add_months_clamped(issued, 60)
    else:
        renewal = issued + dt.timedelta(days=365 * 5) if number % 3 else None
    PvgRecord.objects.create(
        profile=profile,
        membership_number=f"DEMO{number:04d}{rng.randint(1000, 9999)}",
        scheme=rng.choice(PvgScheme.values),
        issued_on=min(issued, today),
        renewal_due=renewal if renewal is None or renewal > min(issued, today) else None,
    )


def _seed_sessions(organisation, supervised, supervisors, today, rng) -> None:
    active = [p for p in supervised if p.status == Status.ACTIVE]
    for index, profile in enumerate(active):
        supervisor = supervisors[index % len(supervisors)]
        # Most were supervised recently; some are due soon or overdue.
        days_ago = rng.choice([10, 20, 30, 38, 45, 60, 75])
        session = SupervisionSession.objects.create(
            organisation=organisation,
            supervisor=supervisor,
            held_on=today - dt.timedelta(days=days_ago),
            mode=rng.choice(SupervisionMode.values),
            duration_minutes=rng.choice([45, 60, 90]),
            notes="Talked through a recent visit; boundaries discussed. (Fictional demo note.)",
            wellbeing=rng.choice([Wellbeing.GOOD, Wellbeing.GOOD, Wellbeing.SOME_STRAIN]),
        )
        session.volunteers.set([profile])
        SupervisionAction.objects.create(
            session=session,
            description="Read the lone working policy again",
            owner=profile.user,
            due_on=today + dt.timedelta(days=rng.randint(-5, 20)),
        )
    if len(active) >= 3:
        group = SupervisionSession.objects.create(
            organisation=organisation,
            supervisor=supervisors[0],
            held_on=today - dt.timedelta(days=14),
            mode=SupervisionMode.IN_PERSON,
            duration_minutes=90,
            notes="Group supervision: endings with families. (Fictional demo note.)",
            wellbeing=Wellbeing.GOOD,
        )
        group.volunteers.set(active[:3])
        SupervisionAction.objects.create(
            session=group, description="Share the signposting leaflet", owner=supervisors[0], due_on=today
        )
