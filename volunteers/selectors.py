"""Reads: volunteers with everything fit-to-match needs in a fixed number
of queries, whatever the number of volunteers, and the compliance lists."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Count,
    DateField,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone

from operations.core.models import active_membership
from operations.core.months import add_months_clamped
from volunteers import fitness
from volunteers.models import (
    DEFAULT_COURSES,
    DEFAULT_LIVED_EXPERIENCE,
    Course,
    DisclosureTask,
    LivedExperience,
    PvgRecord,
    Status,
    SupervisionAction,
    SupervisionSession,
    SupervisorPairing,
    TrainingRecord,
    VolunteerProfile,
    VolunteerSettings,
)


def settings_for(organisation_id: int) -> VolunteerSettings:
    """The organisation's settings, created with the defaults on first use."""
    settings, created = VolunteerSettings.objects.get_or_create(organisation_id=organisation_id)
    if created:
        # A new organisation starts with the default required courses and
        # lived-experience vocabulary; it can edit both afterwards.
        if not Course.objects.filter(organisation_id=organisation_id).exists():
            for name in DEFAULT_COURSES:
                Course.objects.create(organisation_id=organisation_id, name=name, is_required=True)
        if not LivedExperience.objects.filter(organisation_id=organisation_id).exists():
            for name in DEFAULT_LIVED_EXPERIENCE:
                LivedExperience.objects.create(organisation_id=organisation_id, name=name)
    return settings


def with_current_caseload(queryset: QuerySet) -> QuerySet:
    """Annotates ``current_caseload`` on volunteer profiles.

    The one place caseload is counted: the person's open matches in any
    role (proposed, introduced, active or ending); fit-to-match compares it
    with the maximum."""
    # Imported here: the matching sub-app's models import this app's models.
    from volunteers.matching.models import OPEN_MATCH_STATUSES, Match

    # A subquery, not a join: no GROUP BY over the profiles' columns.
    open_matches = (
        Match.objects.filter(volunteer_id=OuterRef("pk"), status__in=OPEN_MATCH_STATUSES)
        .order_by()
        .values("volunteer_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(current_caseload=Coalesce(Subquery(open_matches, output_field=IntegerField()), Value(0)))


def with_current_caseload_grouped(queryset: QuerySet) -> QuerySet:
    """Annotates ``current_caseload`` counted as ``with_current_caseload``
    counts it, through a join to the open matches and GROUP BY: it comes
    with the profile rows (no query of its own), and without planner
    statistics it plans like the separate grouped count it replaced. For
    reading every volunteer of an organisation, as matching does."""
    from volunteers.matching.models import OPEN_MATCH_STATUSES

    return queryset.annotate(
        open_matches=FilteredRelation("matches", condition=Q(matches__status__in=OPEN_MATCH_STATUSES)),
        current_caseload=Count("open_matches"),
    )


def caseloads_of(profile_ids: list[int]) -> Counter[int]:
    """``current_caseloads`` of a few profiles given by id (a PSO's
    supervisees): their open matches, a handful each, counted in Python. A
    list of ids lets the planner read them by the volunteer index, and a
    plain query builds in a third of the time of a grouped one."""
    from volunteers.matching.models import OPEN_MATCH_STATUSES, Match

    return Counter(
        Match.objects.filter(volunteer_id__in=profile_ids, status__in=OPEN_MATCH_STATUSES)
        .order_by()
        .values_list("volunteer_id", flat=True)
    )


def with_checks(
    queryset: QuerySet,
    *,
    areas: bool = True,
    supervisors: bool = True,
    names: bool = True,
    courses: bool = True,
    training: bool = True,
) -> QuerySet:
    """Everything fit-to-match reads, fetched once for the whole page, and
    the areas, supervisor, person (``names``) and course of each training
    record a list shows beside it: a page that does not show them leaves
    their query or join out. Without ``training`` the caller passes
    ``training_rows`` to ``evaluate`` instead."""
    prefetches: list = []
    if training:
        records = TrainingRecord.objects.select_related("course") if courses else TrainingRecord.objects.all()
        prefetches.append(Prefetch("training_records", queryset=records))
    if areas:
        prefetches.append("council_areas")
    if supervisors:
        prefetches.append(
            Prefetch(
                "pairings",
                queryset=SupervisorPairing.objects.filter(ended_on__isnull=True).select_related("supervisor"),
                to_attr="open_pairings",
            )
        )
    # A subquery, not a join and GROUP BY over every selected column: the
    # database then sorts and limits the profiles alone.
    last_supervised = (
        SupervisionSession.volunteers.through.objects.filter(volunteerprofile_id=OuterRef("pk"))
        .order_by()
        .values("volunteerprofile_id")
        .annotate(last=Max("supervisionsession__held_on"))
        .values("last")
    )
    return with_current_caseload(
        queryset.select_related(*(["user", "pvg"] if names else ["pvg"]))
        .prefetch_related(*prefetches)
        .annotate(last_supervised_on=Subquery(last_supervised, output_field=DateField()))
        .order_by("user__last_name", "user__first_name", "pk")
    )


def with_supervisor_name(queryset: QuerySet) -> QuerySet:
    """Annotates ``supervisor_name``: the open pairing's supervisor named as
    ``User.__str__`` names people, "" when none. A subquery, so a list shows
    it without a query or a model instance of its own."""
    full_name = Trim(Concat("supervisor__first_name", Value(" "), "supervisor__last_name"))
    names = (
        SupervisorPairing.objects.filter(volunteer_id=OuterRef("pk"), ended_on__isnull=True)
        .order_by("-started_on", "-pk")
        .annotate(name=Coalesce(NullIf(full_name, Value("")), "supervisor__username"))
        .values("name")[:1]
    )
    return queryset.annotate(supervisor_name=Coalesce(Subquery(names, output_field=CharField()), Value("")))


def required_course_ids(organisation_id: int) -> set[int]:
    return set(Course.objects.filter(organisation_id=organisation_id, is_required=True).values_list("pk", flat=True))


def _pvg_of(profile: VolunteerProfile) -> PvgRecord | None:
    try:
        return profile.pvg
    except PvgRecord.DoesNotExist:
        return None


class TrainingRow(NamedTuple):
    """What fitness reads of a training record, without a model instance."""

    course_id: int
    completed_on: dt.date
    expires_on: dt.date | None


def training_rows(profile_ids: Iterable[int]) -> dict[int, list[TrainingRow]]:
    """The training of many profiles by one query of plain rows (profile id
    -> rows), for ``evaluate`` on a list page."""
    rows: dict[int, list[TrainingRow]] = {}
    for profile_id, *row in TrainingRecord.objects.filter(profile_id__in=profile_ids).values_list(
        "profile_id", "course_id", "completed_on", "expires_on"
    ):
        rows.setdefault(profile_id, []).append(TrainingRow(*row))
    return rows


def evaluate(
    profiles: Iterable[VolunteerProfile],
    *,
    settings: VolunteerSettings,
    required: set[int],
    today: dt.date | None = None,
    training: dict[int, list[TrainingRow]] | None = None,
) -> list[VolunteerProfile]:
    """Sets ``fitness_reasons``, ``is_fit``, ``next_supervision_on`` and
    ``supervisor`` on profiles loaded through ``with_checks``; their training
    is prefetched, or given as ``training`` (``training_rows``)."""
    today = today or timezone.localdate()
    evaluated = []
    for profile in profiles:
        pvg = _pvg_of(profile)
        records = profile.training_records.all() if training is None else training.get(profile.pk, ())
        valid_courses = {
            record.course_id
            for record in records
            if record.completed_on <= today and (record.expires_on is None or record.expires_on >= today)
        }
        profile.fitness_reasons = fitness.fitness_reasons(
            today=today,
            status=profile.status,
            required_course_ids=required,
            valid_course_ids=valid_courses,
            has_pvg=pvg is not None,
            pvg_renewal_due=pvg.renewal_due if pvg else None,
            last_supervised_on=profile.last_supervised_on,
            active_since=profile.active_since,
            supervision_interval_weeks=settings.supervision_interval_weeks,
            supervision_grace_weeks=settings.supervision_grace_weeks,
            caseload=profile.current_caseload,
            max_caseload=profile.max_caseload,
        )
        profile.is_fit = not profile.fitness_reasons
        profile.next_supervision_on = fitness.next_supervision_due(
            last_supervised_on=profile.last_supervised_on,
            active_since=profile.active_since,
            interval_weeks=settings.supervision_interval_weeks,
        )
        if hasattr(profile, "open_pairings"):  # loaded by with_checks(supervisors=True)
            profile.supervisor = profile.open_pairings[0].supervisor if profile.open_pairings else None
        profile.missing_course_ids = required - valid_courses
        evaluated.append(profile)
    return evaluated


class TrainingLine(NamedTuple):
    """One training record as a person's own panel lists it."""

    course: str
    completed_on: dt.date
    expires_on: dt.date | None


@dataclass
class HomeProfile:
    """A profile as the home panels show it: plain values."""

    pk: int
    user_id: int
    name: str
    status: str
    next_supervision_on: dt.date | None
    #: The open pairing's supervisor, "" when none.
    supervisor_name: str
    #: Newest first, as the profile page lists them.
    training: list[TrainingLine]
    #: Evaluated for supervisees only: nobody's home shows their own fitness.
    fitness_reasons: list[fitness.FitnessReason] | None = None

    @property
    def is_fit(self) -> bool:
        return not self.fitness_reasons


def _person_name(first_name: str, last_name: str, username: str) -> str:
    """A person named as ``User.__str__`` names them, from plain values."""
    return f"{first_name} {last_name}".strip() or username


def home_profiles(user, *, organisation_id: int, today: dt.date | None = None) -> list[HomeProfile]:
    """The profiles ``user`` may see, for their home page: their own and,
    for a PSO, their supervisees' with their fitness (the rule ``evaluate``
    applies). Plain rows of the few columns shown: a home page is opened on
    a phone many times a day, and the model instances, prefetches and
    subquery annotations of ``with_checks`` cost more than the page's other
    panels together. For volunteers' and PSOs' homes: staff see everyone."""
    today = today or timezone.localdate()
    settings = settings_for(organisation_id)
    # Joins, not with_checks' subqueries: a handful of rows, grouped cheaply.
    # A volunteer has at most one open pairing (a constraint), so its join
    # adds no rows.
    open_pairing = FilteredRelation("pairings", condition=Q(pairings__ended_on__isnull=True))
    rows = list(
        VolunteerProfile.objects.visible_to(user)
        .annotate(open_pairing=open_pairing)
        .values_list(
            "pk", "user_id", "user__first_name", "user__last_name", "user__username", "status", "active_since",
            "max_caseload", "pvg__id", "pvg__renewal_due", "open_pairing__supervisor__first_name",
            "open_pairing__supervisor__last_name", "open_pairing__supervisor__username",
        )
        .annotate(last_supervised_on=Max("supervision_sessions__held_on"))
        # Named again: a grouped query leaves the model's ordering out.
        .order_by("user__last_name", "user__first_name", "pk")
    )  # fmt: skip
    if not rows:
        return []
    ids = [row[0] for row in rows]
    # The organisation's courses with these people's records of them: the
    # required ones and each person's training in one query.
    their_records = FilteredRelation("records", condition=Q(records__profile_id__in=ids))
    required: set[int] = set()
    training: dict[int, list[tuple[int, str, dt.date, dt.date | None]]] = {}
    for course_id, name, is_required, profile_id, completed_on, expires_on in (
        Course.objects.filter(organisation_id=organisation_id)
        .annotate(record=their_records)
        .order_by("-record__completed_on", "record__pk")
        .values_list("pk", "name", "is_required", "record__profile_id", "record__completed_on", "record__expires_on")
    ):
        if is_required:
            required.add(course_id)
        if profile_id is not None:
            training.setdefault(profile_id, []).append((course_id, name, completed_on, expires_on))
    own = next((row[0] for row in rows if row[1] == user.pk), None)
    # Nobody's home shows their own fitness: caseloads only for supervisees.
    caseloads = caseloads_of(ids) if len(ids) > (own is not None) else Counter()
    profiles = []
    for (
        pk, user_id, first, last, username, status, active_since, max_caseload, pvg_id, renewal_due,
        supervisor_first, supervisor_last, supervisor_username, supervised,
    ) in rows:  # fmt: skip
        records = training.get(pk, [])
        profile = HomeProfile(
            pk=pk,
            user_id=user_id,
            name=_person_name(first, last, username),
            status=status,
            next_supervision_on=fitness.next_supervision_due(
                last_supervised_on=supervised,
                active_since=active_since,
                interval_weeks=settings.supervision_interval_weeks,
            ),
            supervisor_name=(
                _person_name(supervisor_first, supervisor_last, supervisor_username) if supervisor_username else ""
            ),
            training=[TrainingLine(name, completed, expires) for _, name, completed, expires in records],
        )
        if pk != own:
            profile.fitness_reasons = fitness.fitness_reasons(
                today=today,
                status=status,
                required_course_ids=required,
                valid_course_ids={
                    course_id
                    for course_id, _, completed, expires in records
                    if completed <= today and (expires is None or expires >= today)
                },
                has_pvg=pvg_id is not None,
                pvg_renewal_due=renewal_due,
                last_supervised_on=supervised,
                active_since=active_since,
                supervision_interval_weeks=settings.supervision_interval_weeks,
                supervision_grace_weeks=settings.supervision_grace_weeks,
                caseload=caseloads.get(pk, 0),
                max_caseload=max_caseload,
            )
        profiles.append(profile)
    return profiles


def volunteers_for(
    user,
    *,
    organisation_id: int,
    filters: dict | None = None,
    details: bool = True,
    supervisor_names: bool = False,
    settings: VolunteerSettings | None = None,
    required: set[int] | None = None,
) -> list[VolunteerProfile]:
    """The volunteers ``user`` may see, filtered, each with its fitness
    (and, with ``details``, areas and supervisor; with ``supervisor_names``,
    the supervisor's name as text). ``settings`` and ``required`` are looked
    up when not given."""
    filters = filters or {}
    queryset = with_checks(_profiles_filtered(user, filters), areas=details, supervisors=details)
    profiles = evaluate(
        with_supervisor_name(queryset) if supervisor_names else queryset,
        settings=settings or settings_for(organisation_id),
        required=required_course_ids(organisation_id) if required is None else required,
    )
    fit = filters.get("fit")
    if fit == "yes":
        profiles = [p for p in profiles if p.is_fit]
    elif fit == "no":
        profiles = [p for p in profiles if not p.is_fit]
    return profiles


def volunteers_page(user, *, organisation_id: int, filters: dict, number, per_page: int) -> Page:
    """One page of the volunteer list. Fitness is evaluated for the rows
    shown only, unless the fit filter has to look at everyone; areas and
    supervisors are read for the rows shown only, as plain text."""
    if filters.get("fit"):
        everyone = volunteers_for(
            user, organisation_id=organisation_id, filters=filters, details=False, supervisor_names=True
        )
        page = Paginator(everyone, per_page).get_page(number)
    else:
        filtered = _profiles_filtered(user, filters)
        paginator = Paginator(
            with_supervisor_name(with_checks(filtered, areas=False, supervisors=False, training=False)), per_page
        )
        # Counted without the checks' GROUP BY and caseload subquery: same rows.
        paginator.count = filtered.count()
        page = paginator.get_page(number)
        shown = list(page.object_list)
        page.object_list = evaluate(
            shown,
            settings=settings_for(organisation_id),
            required=required_course_ids(organisation_id),
            training=training_rows([profile.pk for profile in shown]),
        )
    _add_area_names(page.object_list)
    return page


def _add_area_names(profiles: list[VolunteerProfile]) -> None:
    """``area_names`` of each profile, as text, by one query of plain rows
    rather than prefetched model instances."""
    areas: dict[int, list[str]] = {}
    for profile_id, name in (
        VolunteerProfile.council_areas.through.objects.filter(volunteerprofile_id__in=[p.pk for p in profiles])
        .order_by("councilarea__name")
        .values_list("volunteerprofile_id", "councilarea__name")
    ):
        areas.setdefault(profile_id, []).append(name)
    for profile in profiles:
        profile.area_names = ", ".join(areas.get(profile.pk, ()))


def _profiles_filtered(user, filters: dict) -> QuerySet[VolunteerProfile]:
    queryset = VolunteerProfile.objects.visible_to(user)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("kind"):
        # JSON text search: kinds are quoted whole words, so no kind matches inside another.
        queryset = queryset.filter(kinds__icontains=f'"{filters["kind"]}"')
    if filters.get("area"):
        queryset = queryset.filter(council_areas=filters["area"])
    if filters.get("language"):
        queryset = queryset.filter(languages__icontains=filters["language"])
    return queryset


def fitness_of(profile: VolunteerProfile, *, today: dt.date | None = None) -> list[fitness.FitnessReason]:
    """Why one person may not be matched now (empty: fit). For the matching
    issue, which refuses anyone not fit."""
    (evaluated,) = evaluate(
        with_checks(VolunteerProfile.objects.filter(pk=profile.pk)),
        settings=settings_for(profile.organisation_id),
        required=required_course_ids(profile.organisation_id),
        today=today,
    )
    return evaluated.fitness_reasons


def supervisor_loads(organisation_id: int) -> dict[int, int]:
    """Open supervisee counts per supervisor, shown when pairing."""
    rows = (
        SupervisorPairing.objects.filter(organisation_id=organisation_id, ended_on__isnull=True)
        .values("supervisor_id")
        .annotate(n=Count("pk"))
    )
    return {row["supervisor_id"]: row["n"] for row in rows}


def open_actions_for(user) -> QuerySet[SupervisionAction]:
    """A person's own supervision actions not yet done, in their organisation."""
    membership = active_membership(user)
    if membership is None:
        return SupervisionAction.objects.none()
    return (
        SupervisionAction.objects.filter(
            owner_id=user.pk, done_on__isnull=True, session__organisation_id=membership.organisation_id
        )
        .select_related("session")
        .order_by("due_on", "pk")
    )


@dataclass
class Compliance:
    pvg: list = field(default_factory=list)
    training: list = field(default_factory=list)
    supervision: list = field(default_factory=list)
    disclosure_tasks: list = field(default_factory=list)
    #: Everyone whose checks were looked at, each with its fitness evaluated.
    profiles: list = field(default_factory=list)


#: Statuses whose checks must be kept up to date.
CHECKED_STATUSES = [Status.IN_TRAINING, Status.ACTIVE, Status.PAUSED]


#: What fitness reads of a profile and its PVG record, when nothing else is shown.
FITNESS_FIELDS = ["organisation_id", "user_id", "status", "active_since", "max_caseload", "pvg__renewal_due"]


def _checked_profiles(user, *, names: bool) -> QuerySet[VolunteerProfile]:
    profiles = VolunteerProfile.objects.visible_to(user).filter(status__in=CHECKED_STATUSES)
    # Counts only: a profile row is wide (JSON and notes), and every column costs.
    return profiles if names else profiles.only(*FITNESS_FIELDS)


def compliance_for(
    user, *, organisation_id: int, today: dt.date | None = None, supervisors: bool = True, names: bool = True
) -> Compliance:
    """What needs attention: PVG renewing within 3 months or expired (or
    missing), required training missing or expiring within 3 months,
    supervision due within 7 days or overdue, Disclosure Scotland tasks open.
    Without ``supervisors`` and ``names`` (counts on a home page) people's
    supervisors and names are not loaded."""
    today = today or timezone.localdate()
    horizon = add_months_clamped(today, 3)
    settings = settings_for(organisation_id)
    courses = {course.pk: course for course in Course.objects.filter(organisation_id=organisation_id)}
    required = {pk for pk, course in courses.items() if course.is_required}
    checked = with_checks(
        _checked_profiles(user, names=names),
        areas=False,
        supervisors=False,
        names=names,
        training=False,
    )
    # The report names each person's supervisor, never their areas.
    checked = list(with_supervisor_name(checked) if supervisors else checked)
    # Plain rows, not model instances: the report reads every checked person's training.
    training = training_rows([profile.pk for profile in checked])
    profiles = evaluate(checked, settings=settings, required=required, today=today, training=training)
    result = Compliance(profiles=profiles)
    for profile in profiles:
        pvg = _pvg_of(profile)
        if pvg is None:
            result.pvg.append((profile, None, "Missing"))
        elif pvg.renewal_due is not None and pvg.renewal_due <= horizon:
            result.pvg.append((profile, pvg.renewal_due, "Expired" if pvg.renewal_due < today else "Renewal due"))
        for course_id in sorted(profile.missing_course_ids):
            result.training.append((profile, courses[course_id].name, None, "Missing or expired"))
        for record in training.get(profile.pk, ()):
            if record.expires_on and today <= record.expires_on <= horizon:
                result.training.append((profile, courses[record.course_id].name, record.expires_on, "Expiring"))
        due = profile.next_supervision_on
        if profile.status == Status.ACTIVE and (due is None or due <= today + dt.timedelta(days=7)):
            label = "Never supervised" if due is None else ("Overdue" if due < today else "Due soon")
            result.supervision.append((profile, due, label))
    result.pvg.sort(key=lambda row: row[1] or dt.date.min)
    result.supervision.sort(key=lambda row: row[1] or dt.date.min)
    tasks = DisclosureTask.objects.visible_to(user).open()
    result.disclosure_tasks = list(tasks.select_related("profile__user") if names else tasks)
    return result
