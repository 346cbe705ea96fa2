"""Demo data of matching, called by `manage.py seed_demo` after referrals and
volunteers. Idempotent: the directory is filled with get_or_create, and an
organisation that already has matches is left alone. The referrals demo
leaves some referrals matched, active or ending: each gets its match here
(the demo user `volunteer` supports two families); waiting referrals stay
waiting, for the coordinator to match from the proposals page. Every person
is invented; the directory names real organisations from the review."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from operations.core.models import Organisation, User
from referrals.eligibility import outside_eligibility
from referrals.models import Referral
from referrals.workflow import Status as ReferralStatus
from volunteers.matching.models import (
    Concern,
    ContactLog,
    ContactMode,
    DirectoryEntry,
    Match,
    MatchStatus,
    Topic,
    Visit,
)
from volunteers.matching.selectors import matching_settings_for, role_for_service
from volunteers.matching.services import directory_entries_seed
from volunteers.models import Status as VolunteerStatus
from volunteers.models import VolunteerProfile

#: Organisations named in the evidence review, to signpost families to.
DIRECTORY = [
    ("Home-Start Scotland", "Home-visiting family support for families with a child under 5 or expecting."),
    ("Aberlour", "Perinatal befriending from pregnancy to the first birthday."),
    ("Juno Perinatal Mental Health Support", "Peer support groups for mothers across Edinburgh."),
    ("Nurture the Borders", "Perinatal Support Officers and befrienders in the Scottish Borders."),
    ("Blank Canvas", "Creative workshops in Lanarkshire for mothers affected by perinatal mental illness."),
    ("PANDAS Foundation Scotland", "Peer support groups and online support for parents."),
    ("Paisley Abbey Talk it Over", "Weekly group for mothers with postnatal depression, with a free crèche."),
    ("Quarriers Maternal Mental Wellbeing Service", "Antenatal and postnatal groups in North East Glasgow."),
    ("3D Drumchapel Tea & Tots", "Weekly postnatal group for new parents in Drumchapel."),
    ("Café Stork", "Drop-in group for parents and carers."),
    ("Dads Rock", "Groups for dads with creative, music-based activities."),
    ("Fathers Network Scotland", "Support for the wellbeing of fathers."),
    ("PND and Me", "Online peer support for postnatal depression."),
    ("Amma Birth Companions", "Birth companions for refugee and asylum-seeking women in Glasgow."),
    ("Young Parents Support Base", "Peer support for school-age parents in Glasgow."),
    ("Mellow Bumps", "Antenatal groups for parents-to-be."),
    ("Scottish Families Affected by Alcohol and Drugs", "Advice and support for families."),
]
NAMED = {
    "tweed-valley": ("volunteer", "pso"),
    "family-start-east-lothian": ("volunteer2", "pso2"),
    "capital-peer-network": ("volunteer3", "pso3"),
}
NOTES = [
    "Walked to the park; she is sleeping a bit better.",
    "Talked through feeding worries; shared the local group times.",
    "Coffee at the library café. Baby weighed at the clinic this week.",
    "Quick phone catch-up; feeling more settled.",
    "Helped fill in a benefits form.",
]


OVERRIDE_REASON = "Perinatal mental health team asked for support to start early."


def seed(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    for slug, organisation in organisations.items():
        directory_entries_seed(organisation_id=organisation.pk, names=DIRECTORY)
        matching_settings_for(organisation.pk)
        if slug in NAMED and not Match.objects.filter(organisation=organisation).exists():
            _seed_organisation(organisation, users, slug, random.Random(f"matching-{slug}"))  # noqa: S311 - demo variety


@transaction.atomic
def _seed_organisation(organisation: Organisation, users: dict[str, User], slug: str, rng: random.Random) -> None:
    today = timezone.localdate()
    settings = matching_settings_for(organisation.pk)
    named = [users[name] for name in NAMED[slug] if name in users]
    profiles = list(
        VolunteerProfile.objects.filter(organisation=organisation, status=VolunteerStatus.ACTIVE).order_by("pk")
    )
    # The named demo volunteer and PSO come first, so they get families.
    profiles.sort(key=lambda p: (0, named.index(p.user)) if p.user in named else (1, p.pk))
    load = {p.pk: 0 for p in profiles}
    limit = {p.pk: (2 if named and p.user == named[0] else p.max_caseload) for p in profiles}
    entries = list(DirectoryEntry.objects.filter(organisation=organisation))
    referrals = (
        Referral.objects.filter(
            organisation=organisation,
            status__in=[ReferralStatus.MATCHED, ReferralStatus.ACTIVE, ReferralStatus.ENDING],
        )
        .select_related("service", "parent")
        .order_by("pk")
    )
    taken: set[tuple[int, str]] = set()
    matches = []
    for referral in referrals:
        role = role_for_service(referral.service.kind)
        if (referral.parent_id, role) in taken:
            continue
        profile = next((p for p in profiles if role in p.kinds and load[p.pk] < limit[p.pk]), None)
        if profile is None:
            continue
        load[profile.pk] += 1
        taken.add((referral.parent_id, role))
        status = {
            ReferralStatus.MATCHED: rng.choice([MatchStatus.PROPOSED, MatchStatus.INTRODUCED]),
            ReferralStatus.ACTIVE: MatchStatus.ACTIVE,
            ReferralStatus.ENDING: MatchStatus.ENDING,
        }[referral.status]
        confirmed = today - dt.timedelta(days=rng.randint(20, 120))
        started = referral.support_started_on or confirmed + dt.timedelta(days=7)
        # Confirmed outside the eligibility (a referral made early in pregnancy): the
        # coordinator's override, with its reason, as the confirm service requires.
        outside = outside_eligibility(referral.eligibility_start, referral.eligibility_end, confirmed)
        match = Match.objects.create(
            organisation=organisation,
            referral=referral,
            parent=referral.parent,
            volunteer=profile,
            role=role,
            status=status,
            score=rng.randint(45, 90),
            confirmed_at=timezone.make_aware(dt.datetime.combine(confirmed, dt.time(10))),
            confirmed_by=users.get("coordinator"),
            introduced_on=confirmed + dt.timedelta(days=5) if status != MatchStatus.PROPOSED else None,
            started_on=started if status in (MatchStatus.ACTIVE, MatchStatus.ENDING) else None,
            # Every fourth match has its review overdue, so the coordinator's home shows one.
            next_review_on=today - dt.timedelta(days=3) if len(matches) % 4 == 1 else today + dt.timedelta(days=40),
            eligibility_override_note=outside,
            eligibility_override_reason=OVERRIDE_REASON if outside else "",
        )
        if role == "birth_companion":
            child = referral.parent.children.filter(birth_date__isnull=True).order_by("due_date").first()
            if child and child.due_date:
                match.due_date = child.due_date
                match.on_call_from = child.due_date - dt.timedelta(days=settings.on_call_days_before_due)
                match.on_call_to = child.due_date + dt.timedelta(days=settings.on_call_days_after_due)
                match.save(update_fields=["due_date", "on_call_from", "on_call_to"])
        matches.append(match)
        Visit.objects.create(
            organisation=organisation,
            match=match,
            planned_for=today + dt.timedelta(days=rng.randint(1, 10)),
            at_time=dt.time(rng.choice([10, 11, 14, 15]), rng.choice([0, 30])),
            mode=rng.choice([ContactMode.HOME_VISIT, ContactMode.WALK, ContactMode.CAFE, ContactMode.PHONE]),
            place=rng.choice(["", "Home", "Library café", "Riverside path"]),
            created_by=profile.user,
        )
        if status in (MatchStatus.ACTIVE, MatchStatus.ENDING):
            last_day = min(today, referral.eligibility_end or today)
            for offset in sorted(rng.sample(range(1, 40), rng.randint(2, 5)), reverse=True):
                day = last_day - dt.timedelta(days=offset)
                if day < started:
                    continue
                log = ContactLog.objects.create(
                    organisation=organisation,
                    match=match,
                    logged_by=profile.user,
                    contact_date=day,
                    duration_minutes=rng.choice([20, 45, 60, 90, 120]),
                    mode=rng.choice([c for c, _ in ContactMode.choices]),
                    topics=sorted(rng.sample([t for t, _ in Topic.choices], rng.randint(1, 3))),
                    note=rng.choice(NOTES),
                )
                if entries and rng.random() < 0.4:
                    log.signposted_to.set(rng.sample(entries, 1))
    active = [m for m in matches if m.status == MatchStatus.ACTIVE]
    if active:
        log = active[0].contact_logs.order_by("-contact_date").first()
        if log is not None:
            log.has_concern = True
            log.note = "Mentioned feeling very low this week; asked for a call from the coordinator."
            log.save(update_fields=["has_concern", "note"])
            Concern.objects.create(
                organisation=organisation, match=active[0], contact_log=log, raised_by=log.logged_by, details=log.note
            )
