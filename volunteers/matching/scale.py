"""Matching at scale: the `seed_scale` step, and synthetic in-memory facts
for the matching benchmarks.

``seed`` adds matches and contact logs (500,000 at full scale) with bulk
inserts, on top of the referrals and volunteer profiles that those apps'
scale steps create. When they have created none (their scale modules are
not written yet), it says so and adds nothing."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from operations.core.scale import BATCH, ScaleContext
from referrals.models import Referral
from referrals.workflow import Status as ReferralStatus
from volunteers.fitness import AVAILABILITY_CELLS
from volunteers.matching.models import ContactLog, ContactMode, Match, MatchStatus, Topic
from volunteers.matching.scoring import ParentFacts, VolunteerFacts
from volunteers.matching.selectors import role_for_service
from volunteers.models import Status as VolunteerStatus
from volunteers.models import VolunteerProfile

MODES = [c for c, _ in ContactMode.choices]
TOPICS = [t for t, _ in Topic.choices]


@transaction.atomic
def seed(context: ScaleContext) -> None:
    organisation_ids = [o.pk for o in context.organisations]
    referrals = list(
        Referral.objects.filter(
            organisation_id__in=organisation_ids,
            status__in=[ReferralStatus.MATCHED, ReferralStatus.ACTIVE, ReferralStatus.ENDING],
        )
        .select_related("service")
        .order_by("pk")
    )
    profiles = list(
        VolunteerProfile.objects.filter(organisation_id__in=organisation_ids, status=VolunteerStatus.ACTIVE).order_by(
            "pk"
        )
    )
    if not referrals or not profiles:
        context.log("  matching: skipped (no matched referrals or active volunteers in the scale data yet)")
        return
    rng = context.rng
    today = timezone.localdate()
    by_organisation: dict[int, list[VolunteerProfile]] = {}
    for profile in profiles:
        by_organisation.setdefault(profile.organisation_id, []).append(profile)
    matches, taken, turn = [], set(), 0
    for referral in referrals:
        role = role_for_service(referral.service.kind)
        people = [p for p in by_organisation.get(referral.organisation_id, []) if role in p.kinds]
        if not people or (referral.parent_id, role) in taken:
            continue
        taken.add((referral.parent_id, role))
        turn += 1
        status = {
            ReferralStatus.MATCHED: MatchStatus.INTRODUCED,
            ReferralStatus.ACTIVE: MatchStatus.ACTIVE,
            ReferralStatus.ENDING: MatchStatus.ENDING,
        }[referral.status]
        started = referral.support_started_on or today - dt.timedelta(days=rng.randint(30, 300))
        matches.append(
            Match(
                organisation_id=referral.organisation_id,
                referral_id=referral.pk,
                parent_id=referral.parent_id,
                volunteer_id=people[turn % len(people)].pk,
                role=role,
                status=status,
                # Confirmed before support started (the database refuses the reverse).
                confirmed_at=timezone.make_aware(dt.datetime.combine(started, dt.time(10)))
                - dt.timedelta(days=rng.randint(3, 14)),
                started_on=started if status != MatchStatus.INTRODUCED else None,
                next_review_on=today + dt.timedelta(days=rng.randint(-20, 90)),
            )
        )
    Match.objects.bulk_create(matches, batch_size=BATCH)
    logging = list(Match.objects.filter(organisation_id__in=organisation_ids, status__in=["active", "ending"]))
    if not logging:
        context.log(f"  matching: {len(matches)} matches, no active ones to log contacts on")
        return
    total = context.count("contact_logs")
    batch = []
    for number in range(total):
        match = logging[number % len(logging)]
        start = match.started_on or today - dt.timedelta(days=200)
        span = max((today - start).days, 1)
        batch.append(
            ContactLog(
                organisation_id=match.organisation_id,
                match_id=match.pk,
                contact_date=start + dt.timedelta(days=rng.randint(0, span)),
                duration_minutes=rng.choice([15, 30, 45, 60, 90, 120]),
                mode=rng.choice(MODES),
                topics=rng.sample(TOPICS, 2),
            )
        )
        if len(batch) >= BATCH:
            ContactLog.objects.bulk_create(batch)
            batch = []
    ContactLog.objects.bulk_create(batch)
    context.log(f"  matching: {len(matches)} matches, {total} contact logs")


def synthetic_facts(
    *, parents: int, volunteers: int, seed: int = 2026, today: dt.date
) -> tuple[list[ParentFacts], list[VolunteerFacts]]:
    """A fictional organisation in memory for the matching benchmarks: ten
    areas, capacities 1–3, about one volunteer in ten not fit, a few
    languages, lived experience and required preferences."""
    rng = random.Random(seed)  # noqa: S311 - fictional data, reproducible
    areas = list(range(1, 11))
    people = []
    for index in range(volunteers):
        people.append(
            VolunteerFacts(
                volunteer_id=index + 1,
                organisation_id=1,
                name=f"Volunteer {index + 1}",
                kinds=frozenset(["befriender"] + (["pso"] if rng.random() < 0.1 else [])),
                fitness_problems=("Supervision overdue",) if rng.random() < 0.1 else (),
                caseload=0,
                max_caseload=rng.randint(1, 3),
                council_area_ids=frozenset(rng.sample(areas, rng.randint(1, 3))),
                localities=frozenset([f"town {rng.randint(1, 40)}"]),
                languages=frozenset(["english"] + (["polish"] if rng.random() < 0.08 else [])),
                gender="female" if rng.random() < 0.9 else "male",
                availability=frozenset(rng.sample(AVAILABILITY_CELLS, rng.randint(3, 9))),
                lived_experience=frozenset(rng.sample(range(1, 7), rng.randint(0, 2))),
            )
        )
    families = []
    for index in range(parents):
        polish = rng.random() < 0.05
        families.append(
            ParentFacts(
                referral_id=index + 1,
                organisation_id=1,
                role="befriender",
                council_area_id=rng.choice(areas),
                town=f"town {rng.randint(1, 40)}",
                language="Polish" if polish else "English",
                interpreter_needed=polish and rng.random() < 0.5,
                required_gender="female" if rng.random() < 0.1 else "",
                availability=frozenset(rng.sample(AVAILABILITY_CELLS, rng.randint(0, 5))),
                lived_experience=frozenset(rng.sample(range(1, 7), rng.randint(0, 2))),
                conflicts=frozenset([rng.randint(1, volunteers)]) if rng.random() < 0.02 else frozenset(),
                urgency=rng.choice([1, 2, 3, 3, 3]),
                received_on=today - dt.timedelta(days=rng.randint(0, 150)),
                eligibility_end=today + dt.timedelta(days=rng.randint(30, 700)),
            )
        )
    return families, people
