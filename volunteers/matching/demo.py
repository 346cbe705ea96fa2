"""Demo data of matching, called by `manage.py seed_demo` after referrals and
volunteers. Idempotent: the directory is filled with get_or_create, and an
organisation that already has matches is left alone. The referrals demo
leaves families at most waiting; here some of them are taken on through
matching's own services, as a coordinator and a volunteer would: a match
confirmed (matched), introduced, its first contact logged (active), a
planned ending under way (ending) or completed (closed). The named demo
volunteer and PSO come first, so they support families. Only the dates are
moved into the past afterwards, keeping every rule (a match starts on or
after the day it was confirmed). Every person is invented; the directory
names real organisations from the review."""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from operations.core.models import Organisation, User
from referrals.models import Referral
from referrals.workflow import Status as ReferralStatus
from volunteers.matching.models import ContactMode, EndingType, Match, MatchStatus, Topic
from volunteers.matching.selectors import candidates_for, referrals_with_needs
from volunteers.matching.services import (
    contact_log_create,
    directory_entries_seed,
    match_confirm,
    match_transition,
    visit_plan,
)
from volunteers.models import VolunteerProfile

#: Organisations named in the evidence review, to signpost families to,
#: with the council areas each serves (none: anywhere in Scotland or online).
GLASGOW = ("Glasgow City",)
DIRECTORY = [
    ("Home-Start Scotland", "Home-visiting family support for families with a child under 5 or expecting.", ()),
    ("Aberlour", "Perinatal befriending from pregnancy to the first birthday.", ()),
    (
        "Juno Perinatal Mental Health Support",
        "Peer support groups for mothers across Edinburgh.",
        ("City of Edinburgh",),
    ),
    (
        "Nurture the Borders",
        "Perinatal Support Officers and befrienders in the Scottish Borders.",
        ("Scottish Borders",),
    ),
    (
        "Blank Canvas",
        "Creative workshops in Lanarkshire for mothers affected by perinatal mental illness.",
        ("North Lanarkshire", "South Lanarkshire"),
    ),
    ("PANDAS Foundation Scotland", "Peer support groups and online support for parents.", ()),
    (
        "Paisley Abbey Talk it Over",
        "Weekly group for mothers with postnatal depression, with a free crèche.",
        ("Renfrewshire",),
    ),
    ("Quarriers Maternal Mental Wellbeing Service", "Antenatal and postnatal groups in North East Glasgow.", GLASGOW),
    ("3D Drumchapel Tea & Tots", "Weekly postnatal group for new parents in Drumchapel.", GLASGOW),
    ("Café Stork", "Drop-in group for parents and carers.", ()),
    ("Dads Rock", "Groups for dads with creative, music-based activities.", ()),
    ("Fathers Network Scotland", "Support for the wellbeing of fathers.", ()),
    ("PND and Me", "Online peer support for postnatal depression.", ()),
    ("Amma Birth Companions", "Birth companions for refugee and asylum-seeking women in Glasgow.", GLASGOW),
    ("Young Parents Support Base", "Peer support for school-age parents in Glasgow.", GLASGOW),
    ("Mellow Bumps", "Antenatal groups for parents-to-be.", ()),
    ("Scottish Families Affected by Alcohol and Drugs", "Advice and support for families.", ()),
]
NAMED = {
    "tweed-valley": ("volunteer", "pso"),
    "family-start-east-lothian": ("volunteer2", "pso2"),
    "capital-peer-network": ("volunteer3", "pso3"),
}
COORDINATORS = {
    "tweed-valley": "coordinator",
    "family-start-east-lothian": "coordinator2",
    "capital-peer-network": "coordinator3",
}
NOTES = [
    "Walked to the park; she is sleeping a bit better.",
    "Talked through feeding worries; shared the local group times.",
    "Coffee at the library café. Baby weighed at the clinic this week.",
    "Quick phone catch-up; feeling more settled.",
    "Helped fill in a benefits form.",
]


def seed(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    for slug, organisation in organisations.items():
        directory_entries_seed(organisation_id=organisation.pk, entries=DIRECTORY)
        if slug in NAMED and not Match.objects.filter(organisation=organisation).exists():
            _seed_organisation(organisation, users, slug, random.Random(f"matching-{slug}"))  # noqa: S311 - demo variety


#: What becomes of each waiting family, in turn: some stay waiting for the
#: proposals page; the others are matched and taken as far as this says.
PLAN = ["active", "confirmed", "wait", "active", "ending", "closed", "wait", "introduced", "active"]


def _confirm(coordinator: User, referral: Referral, first: set[int], today: dt.date) -> Match | None:
    """Confirms the best candidate who passes every rule (the named demo
    people first), through the service; None when nobody does."""
    page = candidates_for(referral, today=today, top=50)
    ranked = sorted(page.candidates.ranked, key=lambda a: a.volunteer.volunteer_id not in first)
    for assessment in ranked:
        try:
            return match_confirm(
                actor=coordinator,
                organisation_id=referral.organisation_id,
                referral_id=referral.pk,
                volunteer_id=assessment.volunteer.volunteer_id,
            )
        except ValidationError:
            continue
    return None


def _log(volunteer: User, match: Match, day: dt.date, rng: random.Random, *, concern: bool = False) -> bool:
    """Logs one contact through the service; False when it is refused
    (for example after the family's eligibility ended)."""
    note = "Mentioned feeling very low this week; asked for a call from the coordinator." if concern else ""
    try:
        contact_log_create(
            actor=volunteer,
            match=match,
            data={
                "contact_date": day,
                "duration_minutes": rng.choice([20, 45, 60, 90, 120]),
                "mode": rng.choice([c for c, _ in ContactMode.choices]),
                "topics": sorted(rng.sample([t for t, _ in Topic.choices], rng.randint(1, 3))),
                "note": note or rng.choice(NOTES),
                "has_concern": concern,
            },
        )
    except ValidationError:
        return False
    return True


@transaction.atomic
def _seed_organisation(organisation: Organisation, users: dict[str, User], slug: str, rng: random.Random) -> None:
    today = timezone.localdate()
    coordinator = users[COORDINATORS[slug]]
    first = set(
        VolunteerProfile.objects.filter(organisation=organisation, user__username__in=NAMED[slug]).values_list(
            "pk", flat=True
        )
    )
    waiting = list(
        referrals_with_needs(Referral.objects.filter(organisation=organisation, status=ReferralStatus.WAITING))
        .select_related("organisation__volunteer_settings", "organisation__matching_settings")
        .order_by("pk")
    )
    concern_placed = False
    for number, referral in enumerate(waiting):
        plan = PLAN[number % len(PLAN)]
        if plan == "wait":
            continue
        match = _confirm(coordinator, referral, first, today)
        if match is None:
            continue
        # Confirmed a week or two after the referral arrived (never in the future).
        confirmed_on = min(today, referral.received_on + dt.timedelta(days=rng.randint(7, 14)))
        confirmed_at = timezone.make_aware(dt.datetime.combine(confirmed_on, dt.time(10)))
        # Every fourth match has its review overdue, so the coordinator's home shows one.
        review = today - dt.timedelta(days=3) if number % 4 == 1 else match.next_review_on
        Match.objects.filter(pk=match.pk).update(
            confirmed_at=confirmed_at, status_changed_at=confirmed_at, next_review_on=review
        )
        match.refresh_from_db()
        volunteer = match.volunteer.user
        if plan == "introduced":
            match_transition(
                actor=coordinator,
                match=match,
                to_status=MatchStatus.INTRODUCED,
                on=min(today, confirmed_on + dt.timedelta(days=3)),
            )
        if plan in ("active", "ending", "closed"):
            start = min(today, confirmed_on + dt.timedelta(days=rng.randint(2, 6)))
            days = sorted({start} | {start + dt.timedelta(days=d) for d in rng.sample(range(1, 40), rng.randint(1, 4))})
            logged = [day for day in days if day <= today and _log(volunteer, match, day, rng)]
            if logged and not concern_placed and plan == "ending":
                concern_placed = _log(volunteer, match, logged[-1], rng, concern=True)
            if logged and plan == "ending":
                match_transition(actor=coordinator, match=match, to_status=MatchStatus.ENDING)
            elif logged and plan == "closed":
                match_transition(
                    actor=coordinator,
                    match=match,
                    to_status=MatchStatus.ENDED,
                    ending_type=EndingType.PLANNED,
                    closing_note="Planned ending: the family felt ready, and was told about local groups.",
                )
        match.refresh_from_db()
        if match.is_open:
            visit_plan(
                actor=volunteer,
                match=match,
                data={
                    "planned_for": today + dt.timedelta(days=rng.randint(1, 10)),
                    "at_time": dt.time(rng.choice([10, 11, 14, 15]), rng.choice([0, 30])),
                    "mode": rng.choice([ContactMode.HOME_VISIT, ContactMode.WALK, ContactMode.CAFE, ContactMode.PHONE]),
                    "place": rng.choice(["", "Home", "Library café", "Riverside path"]),
                },
            )
