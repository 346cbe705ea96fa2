"""Scale data: 50,000 parents (at full scale) with a pregnancy or child and
one referral each, in every state, received across ten years, with the
eligibility fields computed by the real eligibility module. Bulk inserts.
Leaves parent and referral ids in ``context.extra`` for the apps above."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from operations.core.models import CouncilArea
from operations.core.scale import BATCH, ScaleContext
from referrals import eligibility
from referrals.models import (
    Channel,
    Child,
    Parent,
    ParentRole,
    Referral,
    Referrer,
    ReferrerKind,
    ReferringOrganisation,
    Source,
    Urgency,
    parent_search_text,
)
from referrals.services import policy_of
from referrals.workflow import OPEN_STATUSES, Status

# Most of ten years of referrals are closed; the open ones are recent.
CLOSED = [Status.CLOSED] * 6 + [Status.NOT_ELIGIBLE, Status.DECLINED, Status.WITHDRAWN]
OPEN = list(OPEN_STATUSES)
LANGUAGES = ["English"] * 17 + ["Polish", "Arabic", "Urdu"]
SUPPORTED = {Status.ACTIVE, Status.ENDING}


def seed(context: ScaleContext) -> None:
    rng = context.rng
    today = timezone.localdate()
    total = context.count("parents")
    areas_by_org = {
        organisation.pk: list(organisation.council_areas.values_list("pk", flat=True))
        for organisation in context.organisations
    }
    all_areas = list(CouncilArea.objects.values_list("pk", flat=True))
    directories = _seed_directories(context)
    parents, children, referrals = [], [], []
    for index in range(total):
        organisation = context.organisations[index % len(context.organisations)]
        service = rng.choice(context.services[organisation.pk][:2])  # befriending or PSO support
        recent = rng.random() < 0.25
        received = today - timedelta(days=rng.randint(0, 300) if recent else rng.randint(300, 3650))
        status = rng.choice(OPEN) if recent else rng.choice(CLOSED)
        parent = Parent(
            organisation_id=organisation.pk,
            role=ParentRole.FATHER if rng.random() < 0.06 else ParentRole.MOTHER,
            first_name=f"Parent{index}",
            last_name="Scale",
            date_of_birth=received - timedelta(days=rng.randint(16 * 365, 42 * 365)),
            postcode="EH1 1AA",
            council_area_id=rng.choice(areas_by_org[organisation.pk] or all_areas),
            language=rng.choice(LANGUAGES),
            interpreter_needed=rng.random() < 0.04,
            safe_sms=rng.random() < 0.7,
            safe_email=rng.random() < 0.5,
            may_name_service=rng.random() < 0.8,
            # Every case records its lawful basis; seven in ten agree to evaluation
            # (by index, so the random stream of the apps above is unchanged).
            lawful_basis_article6="legitimate_interests",
            lawful_basis_article9="not_for_profit",
            evaluation_consent_given_on=received if index % 10 < 7 else None,
        )
        # Filled as the services fill it: bulk inserts skip them.
        parent.search_text = parent_search_text(parent)
        due = received + timedelta(days=rng.randint(-200, 180))
        born = due + timedelta(days=rng.randint(-21, 14)) if due < today else None
        child = Child(parent=parent, due_date=due, birth_date=born)
        # Support under way started about four weeks after the referral (no
        # random draw: the data of every other step stays as it was).
        started = min(today, received + timedelta(days=28)) if status in SUPPORTED else None
        facts = eligibility.Facts(
            received_on=received,
            support_started_on=started,
            children=(eligibility.ChildFacts(due_date=due, birth_date=born, loss_date=None),),
        )
        result = eligibility.compute(policy_of(service), facts)
        referral = Referral(
            organisation_id=organisation.pk,
            parent=parent,
            service=service,
            source=rng.choice(Source.values),
            urgency=rng.choice([Urgency.ROUTINE] * 4 + list(Urgency.values)),
            received_on=received,
            status=status,
            support_started_on=started,
            eligibility_start=result.start,
            eligibility_end=result.end,
            eligibility_estimated=result.estimated,
            eligibility_reason=result.reason[:300],
            # Two in three name a referrer of the directory; some came in online.
            # By index, not drawn: the random stream of the apps above is unchanged.
            referrer_id=_referrer_for(directories[organisation.pk], index),
            channel=CHANNELS[index % len(CHANNELS)],
        )
        parents.append(parent)
        children.append(child)
        referrals.append(referral)
        if len(parents) >= BATCH:
            _flush(parents, children, referrals, context)
            parents, children, referrals = [], [], []
    _flush(parents, children, referrals, context)
    context.log(f"  referrals: {total} parents, children and referrals")


#: A referral's channel by its index: mostly typed by staff, some through the online forms.
CHANNELS = [Channel.STAFF] * 7 + [Channel.SELF_ONLINE, Channel.PROFESSIONAL_ONLINE, Channel.STAFF]
#: Per organisation, one team of each kind with this many people.
PEOPLE_PER_TEAM = 4


def _seed_directories(context: ScaleContext) -> dict[int, list[int]]:
    """Each organisation's referrer directory: a team of each kind and a few
    people in each. Returns the people's ids per organisation."""
    teams = ReferringOrganisation.objects.bulk_create(
        ReferringOrganisation(organisation_id=organisation.pk, name=f"{label} {number}", kind=kind)
        for number, organisation in enumerate(context.organisations, start=1)
        for kind, label in ReferrerKind.choices
    )
    people = Referrer.objects.bulk_create(
        Referrer(
            organisation_id=team.organisation_id,
            referring_organisation=team,
            name=f"Referrer{team.pk}-{person} Scale",
            email=f"referrer{team.pk}-{person}@example.org",
        )
        for team in teams
        for person in range(PEOPLE_PER_TEAM)
    )
    directories: dict[int, list[int]] = {organisation.pk: [] for organisation in context.organisations}
    for person in people:
        directories[person.organisation_id].append(person.pk)
    context.log(f"  referrer directories: {len(teams)} teams, {len(people)} people")
    return directories


def _referrer_for(people: list[int], index: int) -> int | None:
    return people[index % len(people)] if people and index % 3 else None


def _flush(parents: list, children: list, referrals: list, context: ScaleContext) -> None:
    Parent.objects.bulk_create(parents)
    for child in children:
        child.parent_id = child.parent.pk
    for referral in referrals:
        referral.parent_id = referral.parent.pk
    Child.objects.bulk_create(children)
    Referral.objects.bulk_create(referrals)
    context.extra.setdefault("parents", []).extend(parent.pk for parent in parents)
    context.extra.setdefault("referrals", []).extend(referral.pk for referral in referrals)
