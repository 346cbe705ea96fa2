"""Demo data of the groups app, called by `manage.py seed_demo` after the
referrals and volunteers demo data. Weekly groups modelled on those in the
review: a mothers' group with a free crèche and transport (Paisley Abbey's
Talk it Over, Quarriers), a fathers' group (Dads Rock), a family group with a
crèche (Home-Start), a drop-in café (Café Stork) with head counts, and an
online antenatal circle (PANDAS, PND and Me). Bookings fill some sessions and
leave a waiting list on others. Idempotent: an organisation that already has
groups is left alone. Every name is invented."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from operations.core.models import Organisation, Role, Service, ServiceKind, User
from operations.groups import audience, services
from operations.groups.models import Audience, Format, Group, GroupSession, Recurrence, Stage
from operations.groups.services import CrecheChild
from referrals.models import Parent
from volunteers.selectors import creche_fitness

CHILD_NAMES = ["Isla", "Olivia", "Freya", "Ava", "Jack", "Noah", "Rory", "Leo", "Harris", "Orla", "Callan", "Skye"]

GROUPS = {
    "tweed-valley": [
        {
            "name": "Talk it Over, Galashiels",
            "description": "A weekly space for mums to talk, with a free crèche and a lift if you need one.",
            "audience": Audience.MOTHERS,
            "stage": Stage.POSTNATAL,
            "format": Format.IN_PERSON,
            "venue_name": "Old Parish Church Hall",
            "venue_address": "1 Fictional Row, Galashiels",
            "step_free_access": True,
            "transport_offered": True,
            "weekday": 2,
            "start_time": dt.time(10, 0),
            "end_time": dt.time(12, 30),  # over 2 hours: the Care Inspectorate flag shows
            "adult_places": 8,
            "creche": True,
            "bookings": 11,  # full, with a waiting list
        },
        {
            "name": "Dads' Walk and Talk",
            "description": "Fathers and their babies walk the river path, then coffee.",
            "audience": Audience.FATHERS,
            "stage": Stage.BOTH,
            "format": Format.IN_PERSON,
            "venue_name": "Tweed Green car park",
            "venue_address": "Fictional Lane, Peebles",
            "weekday": 5,
            "start_time": dt.time(10, 0),
            "end_time": dt.time(11, 30),
            "adult_places": 12,
            "bookings": 4,
        },
    ],
    "family-start-east-lothian": [
        {
            "name": "Tea and Tots, Musselburgh",
            "description": "Family group for parents and carers with a crèche; transport can be arranged.",
            "audience": Audience.PARENTS_AND_CARERS,
            "stage": Stage.BOTH,
            "format": Format.IN_PERSON,
            "venue_name": "Fisherrow Community Room",
            "venue_address": "2 Imaginary Street, Musselburgh",
            "step_free_access": True,
            "transport_offered": True,
            "weekday": 3,
            "start_time": dt.time(13, 0),
            "end_time": dt.time(14, 45),
            "adult_places": 14,
            "creche": True,
            "child_cap": 8,
            "bookings": 10,  # the crèche fills first: babies wait
            "babies": True,
        },
    ],
    "capital-peer-network": [
        {
            "name": "Leith Drop-in Café",
            "description": "Drop in and out, bump or baby, no booking. Led by volunteers with lived experience.",
            "audience": Audience.PARENTS_AND_CARERS,
            "stage": Stage.BOTH,
            "format": Format.DROP_IN,
            "venue_name": "Shore Community Café",
            "venue_address": "3 Made-up Wynd, Leith",
            "step_free_access": True,
            "weekday": 0,
            "start_time": dt.time(10, 30),
            "end_time": dt.time(12, 0),
            "adult_places": 30,
            "head_counts": True,
        },
        {
            "name": "Online Antenatal Circle",
            "description": "An evening circle for anyone pregnant and struggling, fortnightly online.",
            "audience": Audience.MOTHERS,
            "stage": Stage.ANTENATAL,
            "format": Format.ONLINE,
            "joining_link": "https://meet.example.org/antenatal-circle",
            "recurrence": Recurrence.FORTNIGHTLY,
            "weekday": 1,
            "start_time": dt.time(19, 30),
            "end_time": dt.time(20, 30),
            "adult_places": 10,
            "bookings": 10,  # exactly full
        },
        {
            "name": "Young Parents' Group",
            "description": "For parents under 20, with a crèche.",
            "audience": Audience.YOUNG_PARENTS,
            "stage": Stage.POSTNATAL,
            "format": Format.IN_PERSON,
            "venue_name": "Granton Youth Hub",
            "venue_address": "4 Pretend Place, Edinburgh",
            "recurrence": Recurrence.MONTHLY,
            "weekday": 4,
            "start_time": dt.time(15, 30),
            "end_time": dt.time(17, 0),
            "adult_places": 8,
            "creche": True,
            "bookings": 3,
        },
    ],
}
FACILITATORS = {
    "tweed-valley": ("volunteer", "pso"),
    "family-start-east-lothian": ("volunteer2", "pso2"),
    "capital-peer-network": ("volunteer3", "pso3"),
}
COORDINATORS = {"tweed-valley": "coordinator", "family-start-east-lothian": "coordinator2"}


def seed(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    for slug, specs in GROUPS.items():
        organisation = organisations.get(slug)
        if organisation is None or Group.objects.filter(organisation=organisation).exists():
            continue
        _seed_organisation(organisation, users, specs, random.Random(f"groups-{slug}"))  # noqa: S311 - demo variety


@transaction.atomic
def _seed_organisation(organisation: Organisation, users: dict[str, User], specs: list[dict], rng) -> None:
    today = timezone.localdate()
    service = Service.objects.filter(organisation=organisation, kind=ServiceKind.GROUP).order_by(
        "pk"
    ).first() or Service.objects.create(
        organisation=organisation,
        name="Peer support groups",
        kind=ServiceKind.GROUP,
        description="Weekly peer support groups.",
        end_child_age_months=24,
    )
    facilitators = [users[name] for name in FACILITATORS[organisation.slug] if name in users]
    # The crèche rota: three people fit to work with children (active, PVG
    # for children, core training current), the rule the service enforces.
    people = list(
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role__in=[Role.VOLUNTEER, Role.PSO],
            memberships__is_active=True,
        ).order_by("username")
    )
    fitness = creche_fitness(organisation.pk, [u.pk for u in people])
    creche_adults = [person for person in people if not fitness[person.pk]][:3]
    # A parent whose processing is restricted cannot be booked.
    parents = list(Parent.objects.filter(organisation=organisation, processing_restricted=False).order_by("pk"))
    actor = users.get(COORDINATORS.get(organisation.slug, ""))
    for spec in specs:
        group = services.group_create(
            organisation=organisation,
            actor=actor,
            data={
                "service": service,
                "name": spec["name"],
                "description": spec["description"],
                "audience": spec["audience"],
                "stage": spec["stage"],
                "format": spec["format"],
                "venue_name": spec.get("venue_name", ""),
                "venue_address": spec.get("venue_address", ""),
                "council_area": organisation.council_areas.order_by("pk").first(),
                "step_free_access": spec.get("step_free_access", False),
                "transport_offered": spec.get("transport_offered", False),
                "joining_link": spec.get("joining_link", ""),
                "recurrence": spec.get("recurrence", Recurrence.WEEKLY),
                "weekday": spec["weekday"],
                "start_time": spec["start_time"],
                "end_time": spec["end_time"],
                "starts_on": today - dt.timedelta(days=60),
                "adult_places": spec["adult_places"],
                "creche_on": spec.get("creche", False) and len(creche_adults) >= 2,
                "creche_child_cap": spec.get("child_cap"),
            },
            facilitators=facilitators,
            creche_adults=creche_adults if spec.get("creche") and len(creche_adults) >= 2 else [],
        )
        if spec.get("head_counts"):
            _past_head_counts(group, rng, today)
            continue
        upcoming = list(group.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at")[:2])
        for number, session in enumerate(upcoming):
            # The next session gets the full plan; the one after, about half.
            count = spec.get("bookings", 0) if number == 0 else spec.get("bookings", 0) // 2
            _book(session, count, parents, rng, actor, babies=spec.get("babies", False))


def _in_audience(group: Group, parent: Parent, day: dt.date) -> bool:
    return (
        audience.audience_problem(
            audience=group.audience,
            age_limit=group.young_parent_age_limit,
            role=parent.role,
            first_name=parent.first_name,
            date_of_birth=parent.date_of_birth,
            on=day,
        )
        is None
    )


def _book(session: GroupSession, count: int, parents: list[Parent], rng, actor, *, babies: bool) -> None:
    # Only parents the group is for: a father is never booked into a mothers' group.
    fitting = [parent for parent in parents if _in_audience(session.group, parent, session.date)]
    pool = rng.sample(fitting, min(len(fitting), count)) if fitting else []
    for index in range(count):
        children: list[CrecheChild] = []
        if session.creche_on:
            # Mostly babies and toddlers; where the crèche fills, babies wait.
            for _ in range(rng.choice([1, 1, 2] if babies else [0, 1, 1])):
                months = rng.randint(2, 20) if babies else rng.randint(3, 50)
                children.append(
                    CrecheChild(
                        first_name=rng.choice(CHILD_NAMES),
                        date_of_birth=session.date - dt.timedelta(days=int(months * 30.4)),
                    )
                )
        who = pool[index] if index < len(pool) else None
        services.booking_create(
            session_id=session.pk,
            actor=actor,
            parent=who,
            attendee_name="" if who else f"New attendee {index + 1}",
            attendee_phone="" if who else f"07700 900{500 + index:03d}",
            attendee_consent=who is None,
            children=children,
            transport_needed=session.group.transport_offered and index % 3 == 0,
        )


def _past_head_counts(group: Group, rng, today: dt.date) -> None:
    services.sessions_generate(group=group, today=today - dt.timedelta(days=28))
    for session in group.sessions.filter(starts_at__lt=timezone.now()).order_by("starts_at"):
        mothers, fathers, carers = rng.randint(5, 14), rng.randint(0, 4), rng.randint(0, 2)
        services.head_count_record(
            session=session,
            actor=None,
            mothers=mothers,
            fathers=fathers,
            other_carers=carers,
            children=rng.randint(4, 16),
            needed_interpreter=rng.randint(0, 2),
        )
