"""Reads: the facts the pure scoring rules need, loaded in a fixed number
of queries whatever the number of volunteers or parents, and the panels."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from operations.core.models import STAFF_ROLES, CouncilArea, Organisation, ServiceKind
from referrals.eligibility import outside_eligibility
from referrals.models import Referral
from referrals.workflow import Status as ReferralStatus
from volunteers import selectors as volunteer_selectors
from volunteers.fitness import Reason
from volunteers.matching import assignment, scoring
from volunteers.matching.models import (
    OPEN_MATCH_STATUSES,
    ConflictOfInterest,
    ContactLog,
    ContactMode,
    Match,
    MatchingNeeds,
    MatchingSettings,
    MatchRole,
    MatchStatus,
)
from volunteers.models import Status as VolunteerStatus
from volunteers.models import VolunteerProfile, VolunteerSettings

ROLE_FOR_SERVICE = {
    ServiceKind.PSO_SUPPORT: MatchRole.PSO,
    ServiceKind.BIRTH_COMPANION: MatchRole.BIRTH_COMPANION,
}


def role_for_service(kind: str) -> str:
    return ROLE_FOR_SERVICE.get(kind, MatchRole.BEFRIENDER)


def matching_settings_for(organisation_id: int) -> MatchingSettings:
    """The organisation's settings (made when the organisation was created;
    the defaults, unsaved, for one made some other way: reading never writes)."""
    return MatchingSettings.objects.filter(organisation_id=organisation_id).first() or MatchingSettings(
        organisation_id=organisation_id
    )


def weights_of(settings: MatchingSettings) -> scoring.Weights:
    return scoring.Weights(
        availability=settings.weight_availability,
        travel=settings.weight_travel,
        lived_experience=settings.weight_lived_experience,
        language=settings.weight_language,
        load=settings.weight_load,
        waiting=settings.weight_waiting,
    )


def referrals_with_needs(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    return queryset.select_related("parent__council_area", "service", "matching_needs").prefetch_related(
        "matching_needs__lived_experience"
    )


def neighbouring_areas() -> dict[int, tuple[tuple[str, int], ...]]:
    """Every council area's neighbours as (name, id), by name: Scotland's map
    (118 links)."""
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for area_id, neighbour_id, name in CouncilArea.neighbours.through.objects.values_list(
        "from_councilarea_id", "to_councilarea_id", "to_councilarea__name"
    ):
        found[area_id].append((name, neighbour_id))
    return {area_id: tuple(sorted(pairs)) for area_id, pairs in found.items()}


def parent_facts(referrals: Sequence[Referral]) -> list[scoring.ParentFacts]:
    """Facts of referrals loaded through ``referrals_with_needs`` (two more
    queries: conflicts of interest and the map of neighbouring areas)."""
    neighbours = neighbouring_areas() if referrals else {}
    conflicts: dict[int, set[int]] = defaultdict(set)
    for parent_id, volunteer_id in ConflictOfInterest.objects.filter(
        parent_id__in={r.parent_id for r in referrals}
    ).values_list("parent_id", "volunteer_id"):
        conflicts[parent_id].add(volunteer_id)
    facts = []
    for referral in referrals:
        parent = referral.parent
        try:
            needs = referral.matching_needs
        except MatchingNeeds.DoesNotExist:
            needs = None
        facts.append(
            scoring.ParentFacts(
                referral_id=referral.pk,
                organisation_id=referral.organisation_id,
                role=role_for_service(referral.service.kind),
                council_area_id=parent.council_area_id,
                council_area_name=parent.council_area.name if parent.council_area_id else "",
                neighbouring_areas=neighbours.get(parent.council_area_id, ()),
                town=parent.town,
                language=parent.language,
                interpreter_needed=parent.interpreter_needed,
                interpreter_arranged=bool(needs and needs.interpreter_arranged),
                required_gender=needs.required_gender if needs else "",
                availability=frozenset(needs.availability) if needs else frozenset(),
                lived_experience=frozenset(e.pk for e in needs.lived_experience.all()) if needs else frozenset(),
                conflicts=frozenset(conflicts.get(parent.pk, ())),
                urgency=referral.urgency,
                received_on=referral.received_on,
                eligibility_end=referral.eligibility_end,
            )
        )
    return facts


def volunteer_facts(
    organisation_id: int,
    *,
    today: dt.date | None = None,
    volunteer_ids: Iterable[int] | None = None,
    settings: VolunteerSettings | None = None,
) -> list[scoring.VolunteerFacts]:
    """Facts of every volunteer and PSO of the organisation who has not left,
    with fitness and current caseload, in a fixed number of queries.

    Rows are read as plain values, not model instances: with 2,000
    volunteers, building profiles with their prefetched training, areas
    and experience took seconds; this takes tens of milliseconds.

    Fitness, with the caseload and last supervision, comes from the
    volunteers app's one loader (``volunteers.selectors.fitness_inputs``)
    and its pure rule, as on every page that shows fitness (a test holds
    the candidates and the volunteer list equal). The loader counts through
    joins and one GROUP BY rather than a subquery per volunteer row: on
    PostgreSQL the per-row subqueries cost about 0.5 ms a volunteer
    whenever the planner misjudged the tables' sizes, most of the
    candidate page's time."""
    today = today or timezone.localdate()
    settings = settings or volunteer_selectors.settings_for(organisation_id)
    required = volunteer_selectors.required_course_ids(organisation_id)
    if volunteer_ids is not None:
        volunteer_ids = tuple(volunteer_ids)
    rows = _volunteer_fact_rows(organisation_id, volunteer_ids)
    inputs = volunteer_selectors.fitness_inputs(_fact_profiles(organisation_id, volunteer_ids))
    areas: dict[int, set[int]] = defaultdict(set)
    # The names come in the same read: the candidates page says where each volunteer works.
    area_names: dict[int, str] = {}
    for profile_id, area_id, area_name in _of_these_profiles(
        VolunteerProfile.council_areas.through.objects,
        "volunteerprofile",
        organisation_id,
        volunteer_ids,
        ["volunteerprofile_id", "councilarea_id", "councilarea__name"],
    ):
        areas[profile_id].add(area_id)
        area_names[area_id] = area_name
    lived: dict[int, set[int]] = defaultdict(set)
    for profile_id, experience_id in _of_these_profiles(
        VolunteerProfile.lived_experience.through.objects,
        "volunteerprofile",
        organisation_id,
        volunteer_ids,
        ["volunteerprofile_id", "livedexperience_id"],
    ):
        lived[profile_id].add(experience_id)
    facts = []
    for pk, first_name, last_name, username, kinds, gender, localities, languages, availability in rows:
        person = inputs.get(pk)
        if person is None:  # left between the two reads
            continue
        reasons = person.reasons(required=required, settings=settings, today=today)
        caseload, max_caseload = person.caseload, person.max_caseload
        facts.append(
            scoring.VolunteerFacts(
                volunteer_id=pk,
                organisation_id=organisation_id,
                name=f"{first_name} {last_name}".strip() or username,
                kinds=frozenset(kinds or []),
                # Capacity is its own hard constraint, with the numbers.
                fitness_problems=tuple(r.message for r in reasons if r.code != Reason.CASELOAD_FULL),
                caseload=caseload,
                max_caseload=max_caseload,
                council_area_ids=frozenset(areas.get(pk, ())),
                localities=scoring.split_words(localities),
                places=_places(localities, sorted(area_names[a] for a in areas.get(pk, ()))),
                languages=scoring.split_words(languages),
                gender=gender,
                availability=frozenset(availability or []),
                lived_experience=frozenset(lived.get(pk, ())),
            )
        )
    return facts


def _places(localities: str, area_names: list[str]) -> str:
    """Where a volunteer works, in words: "Peebles, Galashiels (Scottish
    Borders)", or whichever of the two the profile holds."""
    towns, areas = localities.strip(), ", ".join(area_names)
    if towns and areas:
        return f"{towns} ({areas})"
    return towns or areas


def _fact_profiles(organisation_id: int, volunteer_ids: tuple[int, ...] | None) -> QuerySet:
    profiles = VolunteerProfile.objects.filter(organisation_id=organisation_id).exclude(status=VolunteerStatus.LEFT)
    if volunteer_ids is not None:
        profiles = profiles.filter(pk__in=volunteer_ids)
    return profiles


def _volunteer_fact_rows(organisation_id: int, volunteer_ids: tuple[int, ...] | None) -> QuerySet:
    # What matching reads beside fitness; fitness, caseload included, comes from ``fitness_inputs``.
    return (
        _fact_profiles(organisation_id, volunteer_ids)
        .order_by("pk")
        .values_list(
            "pk", "user__first_name", "user__last_name", "user__username", "kinds", "gender", "localities",
            "languages", "availability",
        )
    )  # fmt: skip


def _of_these_profiles(
    related: QuerySet, profile: str, organisation_id: int, volunteer_ids: tuple[int, ...] | None, columns: list[str]
) -> QuerySet:
    """``related`` rows of ``volunteer_facts``' profiles through a join on the
    profile (the same plan as ``IN (subquery)``, a cheaper query to build)."""
    related = related.filter(**{f"{profile}__organisation_id": organisation_id}).exclude(
        **{f"{profile}__status": VolunteerStatus.LEFT}
    )
    if volunteer_ids is not None:
        related = related.filter(**{f"{profile}_id__in": volunteer_ids})
    return related.order_by().values_list(*columns)


def _loaded_settings(organisation: Organisation, name: str) -> VolunteerSettings | MatchingSettings | None:
    """An organisation's settings row read with it (``select_related``);
    None when it has none yet, for the caller's ``*_settings_for`` to
    create it with the defaults."""
    try:
        return getattr(organisation, name)
    except ObjectDoesNotExist:
        return None


@dataclass
class CandidatePage:
    referral: Referral
    parent: scoring.ParentFacts
    candidates: scoring.Candidates
    weights: scoring.Weights


def candidates_for(
    referral: Referral, *, today: dt.date | None = None, top: int = 10, excluded: int = 10
) -> CandidatePage:
    """The best candidates for one referral with their score broken down,
    and the best-looking excluded people with why. ``referral`` comes from
    ``access.get_referral_for_matching`` (loaded through ``referrals_with_needs``)."""
    today = today or timezone.localdate()
    (parent,) = parent_facts([referral])
    organisation = referral.organisation
    volunteers = volunteer_facts(
        referral.organisation_id, today=today, settings=_loaded_settings(organisation, "volunteer_settings")
    )
    settings = _loaded_settings(organisation, "matching_settings") or matching_settings_for(referral.organisation_id)
    weights = weights_of(settings)
    ranked = scoring.rank_candidates(parent, volunteers, weights, today=today, top=top, excluded_top=excluded)
    return CandidatePage(referral=referral, parent=parent, candidates=ranked, weights=weights)


@dataclass
class ProposalRow:
    referral: Referral
    volunteer: scoring.VolunteerFacts
    assessment: scoring.Assessment


@dataclass
class Proposals:
    mode: str
    rows: list[ProposalRow]
    unmatched: list[Referral]
    total: float
    matched: int
    greedy_total: float
    greedy_matched: int
    waiting: int
    #: Waiting referrals not proposed as it is outside their eligibility today, each with why.
    left_out: list[tuple[Referral, str]] = field(default_factory=list)


def waiting_referrals(service) -> QuerySet[Referral]:
    """Waiting referrals of a service with no open match in its role, in
    waiting-list order; a parent whose processing is restricted is not proposed."""
    role = role_for_service(service.kind)
    already = Match.objects.filter(role=role, status__in=OPEN_MATCH_STATUSES).values("parent_id")
    return (
        Referral.objects.filter(service=service, status=ReferralStatus.WAITING, parent__processing_restricted=False)
        .exclude(parent_id__in=already)
        .order_by("urgency", "eligibility_end", "received_on", "pk")
    )


def proposals_for(service, *, mode: str = assignment.MODE_SCORE, today: dt.date | None = None) -> Proposals:
    """Optimal proposals for every waiting parent of ``service`` within their
    eligibility today, beside what first-come greedy order would have given.
    A parent not yet eligible (or past the end) is left out, with why: a
    match then needs a coordinator's reason, given one at a time on the
    candidates page. Nothing is written."""
    today = today or timezone.localdate()
    waiting = list(referrals_with_needs(waiting_referrals(service)))
    left_out = [
        (referral, why)
        for referral in waiting
        if (why := outside_eligibility(referral.eligibility_start, referral.eligibility_end, today))
    ]
    outside = {referral.pk for referral, _ in left_out}
    referrals = [referral for referral in waiting if referral.pk not in outside]
    parents = parent_facts(referrals)
    volunteers = volunteer_facts(service.organisation_id, today=today)
    weights = weights_of(matching_settings_for(service.organisation_id))
    pairs = scoring.feasible_scores(parents, volunteers, weights, today=today)
    capacities = [v.spare_capacity for v in volunteers]
    by_priority = sorted(range(len(parents)), key=lambda i: scoring.priority_key(parents[i], today=today))
    priorities = [0] * len(parents)
    for rank, index in enumerate(by_priority):
        priorities[index] = rank
    solution = assignment.solve_pairs(pairs, len(parents), capacities, priorities=priorities, mode=mode)
    # First come, first served: in the order the referrals arrived.
    arrival = sorted(range(len(parents)), key=lambda i: (parents[i].received_on or today, parents[i].referral_id))
    baseline = assignment.greedy_pairs(pairs, len(parents), capacities, order=arrival)
    rows = [
        ProposalRow(
            referral=referrals[p.row],
            volunteer=volunteers[p.column],
            assessment=scoring.assess(parents[p.row], volunteers[p.column], weights, today=today),
        )
        for p in sorted(solution.proposals, key=lambda p: priorities[p.row])
    ]
    matched_rows = {p.row for p in solution.proposals}
    return Proposals(
        mode=mode,
        rows=rows,
        unmatched=[referrals[i] for i in by_priority if i not in matched_rows],
        total=solution.total,
        matched=solution.matched,
        greedy_total=baseline.total,
        greedy_matched=baseline.matched,
        waiting=len(waiting),
        left_out=left_out,
    )


def matches_for(user) -> QuerySet[Match]:
    return Match.objects.visible_to(user).select_related(
        "parent", "volunteer__user", "referral__service", "organisation"
    )


def current_families(user, profile: VolunteerProfile) -> list[Match] | None:
    """The open matches of ``profile`` for her page, oldest first; None when
    ``user`` is not to be shown them. Staff see anyone's and a volunteer her
    own; a PSO looking at a supervisee's profile gets None rather than an
    empty list, as matches are not hers to see and "no families" would be untrue."""
    membership = user.active_membership
    if membership is None:
        return None
    if membership.role not in STAFF_ROLES and profile.user_id != user.pk:
        return None
    return list(
        Match.objects.visible_to(user)
        .open()
        .filter(volunteer_id=profile.pk)
        .select_related("parent")
        .order_by("confirmed_at", "pk")
    )


class NextVisit(NamedTuple):
    planned_for: dt.date
    at_time: dt.time | None
    mode: str

    @property
    def mode_label(self) -> str:
        return ContactMode(self.mode).label


class OwnMatch(NamedTuple):
    """An open match as its volunteer's home panel shows it."""

    pk: int
    parent_id: int
    role: str
    parent_name: str
    council_area: str
    next_visit: NextVisit | None
    last_contact: dt.date | None = None

    @property
    def role_label(self) -> str:
        return MatchRole(self.role).label


def own_open_matches(user) -> list[OwnMatch]:
    """A volunteer's or PSO's open matches, each with what their home panel
    shows of the family: name, council area, the next visit and the last
    contact. One query of plain rows: each match comes once per upcoming
    visit (once when none is planned), soonest first, and the first row of
    a match names its next visit."""
    rows = _own_match_rows(user, today=timezone.localdate())
    matches: dict[int, OwnMatch] = {}
    for pk, parent_id, role, first_name, preferred_name, area, planned_for, at_time, mode, last_contact in rows:
        if pk not in matches:
            matches[pk] = OwnMatch(
                pk=pk,
                parent_id=parent_id,
                role=role,
                parent_name=preferred_name or first_name,
                council_area=area or "",
                next_visit=NextVisit(planned_for, at_time, mode) if planned_for else None,
                last_contact=last_contact,
            )
    return list(matches.values())


def _own_match_rows(user, *, today: dt.date) -> QuerySet:
    upcoming = FilteredRelation("visits", condition=Q(visits__planned_for__gte=today, visits__cancelled=False))
    last_contact = ContactLog.objects.filter(match_id=OuterRef("pk")).order_by("-contact_date").values("contact_date")
    return (
        Match.objects.visible_to(user)
        # Whoever's home shows it, the panel lists the person's own families.
        .filter(volunteer__user_id=user.pk, status__in=OPEN_MATCH_STATUSES)
        .annotate(upcoming=upcoming, last_contact=Subquery(last_contact[:1]))
        .order_by("pk", "upcoming__planned_for", "upcoming__at_time", "upcoming__pk")
        .values_list(
            "pk", "parent_id", "role", "parent__first_name", "parent__preferred_name", "parent__council_area__name",
            "upcoming__planned_for", "upcoming__at_time", "upcoming__mode", "last_contact",
        )
    )  # fmt: skip


def overdue_reviews(user, *, today: dt.date | None = None) -> QuerySet[Match]:
    today = today or timezone.localdate()
    return (
        Match.objects.visible_to(user)
        .filter(status__in=[MatchStatus.INTRODUCED, MatchStatus.ACTIVE, MatchStatus.ENDING], next_review_on__lt=today)
        .select_related("volunteer__user")
        .order_by("next_review_on", "pk")
    )


def match_end_consequences(match: Match, *, today: dt.date | None = None) -> list[str]:
    """What ending this match will do, in words, for its confirmation page:
    what ``services.match_transition`` does to the referral, and what it leaves."""
    today = today or timezone.localdate()
    lines = ["The match ends today and cannot be reopened; its contact logs and visits are kept."]
    others = Match.objects.filter(referral_id=match.referral_id, status__in=OPEN_MATCH_STATUSES).exclude(pk=match.pk)
    status = match.referral.status
    if others.exists():
        lines.append("The parent has another open match, so the referral stays as it is.")
    elif status == ReferralStatus.MATCHED:
        lines.append(
            "Support had not started, so the referral goes back to the waiting list (or is closed, "
            "if it ended because the parent moved away or is no longer eligible)."
        )
    elif status in (ReferralStatus.ACTIVE, ReferralStatus.ENDING):
        lines.append("This is the parent's only open match: the referral is closed, with how it ended as the reason.")
    planned = match.visits.filter(cancelled=False, planned_for__gte=today).count()
    if planned:
        lines.append(
            "1 planned visit from today stays in the diary: cancel it on the match page if it will not happen."
            if planned == 1
            else f"{planned} planned visits from today stay in the diary: cancel them on the match page if they "
            "will not happen."
        )
    lines.append("Nobody is sent a message: tell the volunteer and the family yourself.")
    return lines
