"""Fictional demo organisations modelled on the services in the evidence
review: a Borders charity with PSOs and befrienders (until the child turns
one), a Home-Start style branch (expectant parents or a child under five)
and an Edinburgh befriending-and-groups service (until the child is two).
Every name is invented."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from operations.core.council_areas import load_council_areas
from operations.core.models import (
    CouncilArea,
    Federation,
    FederationMembership,
    Membership,
    Organisation,
    Role,
    Service,
    ServiceKind,
    StartRule,
    User,
)
from operations.core.services import organisation_set_up

ORGANISATIONS = [
    {
        "slug": "tweed-valley",
        "name": "Tweed Valley Perinatal Support",
        "shares": True,
        "areas": ["S12000026"],  # Scottish Borders
        "services": [
            {
                "name": "One-to-one support (PSO)",
                "kind": ServiceKind.PSO_SUPPORT,
                "description": "Individual, recovery-focused support from a Perinatal Support Officer.",
                "end_child_age_months": 12,
            },
            {
                "name": "Befriending",
                "kind": ServiceKind.BEFRIENDING,
                "description": "A trained volunteer befriender visits weekly.",
                "end_child_age_months": 12,
            },
            {
                "name": "Birth companions",
                "kind": ServiceKind.BIRTH_COMPANION,
                "description": "A befriender as birth partner for women without one.",
                "start_rule": StartRule.FROM_GESTATION_WEEK,
                "start_gestation_weeks": 28,
                "end_child_age_months": 3,
            },
        ],
    },
    {
        "slug": "family-start-east-lothian",
        "name": "Family Start East Lothian",
        "shares": True,
        "areas": ["S12000010", "S12000019"],  # East Lothian, Midlothian
        "services": [
            {
                "name": "Home visiting",
                "kind": ServiceKind.BEFRIENDING,
                "description": "Volunteers support the whole family: expectant parents or a child under five.",
                "end_child_age_months": 60,
            },
            {
                "name": "Weekly family group",
                "kind": ServiceKind.GROUP,
                "description": "Peer support group with a crèche.",
                "end_child_age_months": 60,
            },
        ],
    },
    {
        "slug": "capital-peer-network",
        "name": "Capital Perinatal Peer Network",
        "shares": False,
        "areas": ["S12000036"],  # City of Edinburgh
        "services": [
            {
                "name": "Befriending",
                "kind": ServiceKind.BEFRIENDING,
                "description": "Befriending for mothers from pregnancy until the child is two.",
                "end_child_age_months": 24,
            },
            {
                "name": "Peer support groups",
                "kind": ServiceKind.GROUP,
                "description": "Drop in and out, antenatal and postnatal, led by volunteers with lived experience.",
                "end_child_age_months": 24,
            },
        ],
    },
]

#: One small fictional federation: every demo organisation is a member, the
#: first two share their figures with it (Capital does not).
FEDERATION = {"slug": "scottish-perinatal-peer-support-network", "name": "Scottish Perinatal Peer Support Network"}

#: The federation's officer: belongs to the federation, to no organisation.
FEDERATION_OFFICER = ("federation", "Gillian", "Reid")

# (username, first name, last name, organisation slug, role)
USERS = [
    ("coordinator", "Morag", "Kerr", "tweed-valley", Role.COORDINATOR),
    ("manager", "Fiona", "Laidlaw", "tweed-valley", Role.MANAGER),
    ("pso", "Shona", "Elliot", "tweed-valley", Role.PSO),
    ("volunteer", "Kirsty", "Scott", "tweed-valley", Role.VOLUNTEER),
    ("coordinator2", "Ailsa", "Brodie", "family-start-east-lothian", Role.COORDINATOR),
    ("manager2", "Isla", "Cowan", "family-start-east-lothian", Role.MANAGER),
    ("pso2", "Rhona", "Baird", "family-start-east-lothian", Role.PSO),
    ("volunteer2", "Eilidh", "Paterson", "family-start-east-lothian", Role.VOLUNTEER),
    ("coordinator3", "Catriona", "Munro", "capital-peer-network", Role.COORDINATOR),
    ("manager3", "Lorna", "Sinclair", "capital-peer-network", Role.MANAGER),
    ("pso3", "Mhairi", "Fraser", "capital-peer-network", Role.PSO),
    ("volunteer3", "Heather", "Gray", "capital-peer-network", Role.VOLUNTEER),
]


@transaction.atomic
def seed_base() -> tuple[dict[str, Organisation], dict[str, User]]:
    """Creates what is missing; never changes what exists (safe to re-run)."""
    if not CouncilArea.objects.exists():
        # Normally loaded by a migration; a flushed test database has none.
        load_council_areas(CouncilArea)
    federation, _ = Federation.objects.get_or_create(slug=FEDERATION["slug"], defaults={"name": FEDERATION["name"]})
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            slug=spec["slug"],
            defaults={"name": spec["name"], "member_of": federation, "shares_with_federation": spec["shares"]},
        )
        if created:
            organisation.council_areas.set(CouncilArea.objects.filter(gss_code__in=spec["areas"]))
            organisation_set_up(organisation=organisation)
        for service_spec in spec["services"]:
            fields = dict(service_spec)
            Service.objects.get_or_create(organisation=organisation, name=fields.pop("name"), defaults=fields)
        organisations[spec["slug"]] = organisation

    users: dict[str, User] = {}
    for username, first_name, last_name, slug, role in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
                "active_organisation": organisations[slug],
            },
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, organisation=organisations[slug], defaults={"role": role})
        users[username] = user

    username, first_name, last_name = FEDERATION_OFFICER
    officer, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@example.org"},
    )
    if created:
        officer.set_password(settings.DEMO_PASSWORD)
        officer.save(update_fields=["password"])
    FederationMembership.objects.get_or_create(user=officer, federation=federation)
    users[username] = officer
    return organisations, users


def work_in(user: User, organisation: Organisation) -> None:
    """Services act in the actor's active organisation, as a signed-in person
    would: an app's demo puts its actors there before calling them."""
    if user.active_organisation_id != organisation.pk:
        user.active_organisation = organisation
        user.save(update_fields=["active_organisation"])
    user.__dict__.pop("active_membership", None)
    user.__dict__.pop("active_memberships", None)
