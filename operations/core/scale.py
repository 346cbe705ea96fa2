"""The base layer of the scale data set (see the seed_scale command)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from operations.core.models import (
    CouncilArea,
    Federation,
    FederationMembership,
    Membership,
    Organisation,
    Role,
    Service,
    ServiceKind,
    User,
)
from operations.core.services import organisation_create

#: Row counts at full scale; smaller sizes multiply them.
FULL = {
    "organisations": 40,
    "volunteers": 2_000,
    "parents": 50_000,
    "contact_logs": 500_000,
    "assessments": 150_000,
    "group_sessions": 5_000,
    "bookings": 100_000,
    "notifications": 200_000,
}
SIZES = {"full": 1.0, "small": 0.02, "tiny": 0.002}
BATCH = 5_000


@dataclass
class ScaleContext:
    factor: float
    rng: random.Random
    organisations: list[Organisation]
    services: dict[int, list[Service]]
    staff: dict[str, User]  # bench-coordinator, bench-manager, … of the first organisation
    coordinators: dict[int, User]  # one coordinator per organisation
    log: Callable[[str], None]
    extra: dict = field(default_factory=dict)  # what one app leaves for the next

    def count(self, what: str, minimum: int = 1) -> int:
        return max(minimum, round(FULL[what] * self.factor))


@transaction.atomic
def seed_base(factor: float, *, log: Callable[[str], None] = print) -> ScaleContext:
    if Organisation.objects.filter(slug__startswith="scale-").exists():
        raise RuntimeError("Scale data is already loaded in this database; use a fresh benchmark database.")
    rng = random.Random(2026)  # noqa: S311 - fictional data, reproducible
    areas = list(CouncilArea.objects.order_by("gss_code"))
    password = make_password(settings.DEMO_PASSWORD)
    # The branches form one federation, every one sharing its figures (the roll-up at scale).
    federation = Federation.objects.create(name="Scale Federation", slug="scale-federation")
    organisations = []
    for index in range(FULL["organisations"] if factor >= 0.02 else 4):
        # Every council area is covered by at least one branch.
        organisation = organisation_create(
            name=f"Scale Branch {index + 1:02d}",
            slug=f"scale-{index + 1:02d}",
            member_of=federation,
            shares_with_federation=True,
            council_areas=[areas[index % len(areas)], areas[(index * 7 + 3) % len(areas)]],
        )
        organisations.append(organisation)
    services: dict[int, list[Service]] = {}
    for organisation in organisations:
        services[organisation.pk] = [
            Service.objects.create(organisation=organisation, name="Befriending", kind=ServiceKind.BEFRIENDING,
                                   end_child_age_months=rng.choice([12, 24, 60])),
            Service.objects.create(organisation=organisation, name="PSO support", kind=ServiceKind.PSO_SUPPORT,
                                   end_child_age_months=12),
            Service.objects.create(organisation=organisation, name="Groups", kind=ServiceKind.GROUP,
                                   end_child_age_months=24),
        ]  # fmt: skip
    staff: dict[str, User] = {}
    coordinators: dict[int, User] = {}
    for index, organisation in enumerate(organisations):
        for role in (Role.COORDINATOR, Role.MANAGER, Role.PSO, Role.VOLUNTEER):
            username = f"bench-{role}" if index == 0 else f"scale-{index + 1:02d}-{role}"
            user = User.objects.create(
                username=username, password=password, first_name=role.label, active_organisation=organisation
            )
            Membership.objects.create(user=user, organisation=organisation, role=role)
            if index == 0:
                staff[username] = user
            if role == Role.COORDINATOR:
                coordinators[organisation.pk] = user
    # The federation's officer: belongs to no organisation.
    officer = User.objects.create(username="bench-federation", password=password, first_name="Federation officer")
    FederationMembership.objects.create(user=officer, federation=federation)
    log(f"  core: {len(organisations)} organisations, {sum(len(s) for s in services.values())} services")
    return ScaleContext(
        factor=factor, rng=rng, organisations=organisations, services=services, staff=staff,
        coordinators=coordinators, log=log,
    )  # fmt: skip
