"""Reads: volunteers with everything fit-to-match needs in a fixed number
of queries, whatever the number of volunteers, and the compliance lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import (
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
from django.db.models.functions import Coalesce
from django.utils import timezone

from operations.core.dates import short_date
from operations.core.links import record_url
from operations.core.models import Role, active_membership
from operations.core.months import add_months_clamped
from operations.core.searching import Query, read_query, searchable_text
from volunteers import fitness
from volunteers.models import (
    Course,
    DisclosureTask,
    Kind,
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
    """The organisation's settings (made when the organisation was created;
    the defaults, unsaved, for one made some other way: reading never writes)."""
    return VolunteerSettings.objects.filter(organisation_id=organisation_id).first() or VolunteerSettings(
        organisation_id=organisation_id
    )


def with_current_caseload(queryset: QuerySet) -> QuerySet:
    """Annotates ``current_caseload`` on volunteer profiles.

    The one place caseload is counted: the person's open matches in any
    role (confirmed, introduced, active or ending); fit-to-match compares it
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

    return queryset.annotate(
        open_matches=_open_matches(),
        # Distinct: other joins (supervision sessions) may repeat a match's row.
        current_caseload=Count("open_matches", distinct=True),
    )


def _open_matches() -> FilteredRelation:
    """A profile's open matches (confirmed, introduced, active or ending), the
    ones ``current_caseload`` counts, as a relation to join."""
    from volunteers.matching.models import OPEN_MATCH_STATUSES

    return FilteredRelation("matches", condition=Q(matches__status__in=OPEN_MATCH_STATUSES))


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
    their query or join out. ``evaluate`` reads the fitness inputs from
    what it loaded; pages of many people use ``fitness_inputs`` instead."""
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
    return with_current_caseload(
        queryset.select_related(*(["user", "pvg"] if names else ["pvg"]))
        .prefetch_related(*prefetches)
        .annotate(last_supervised_on=_last_supervised_on())
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _last_supervised_on() -> Subquery:
    """The day of the person's last session, one-to-one or group. A
    subquery, not a join and GROUP BY over every selected column: the
    database then sorts and limits the profiles alone."""
    last_supervised = (
        SupervisionSession.volunteers.through.objects.filter(volunteerprofile_id=OuterRef("pk"))
        .order_by()
        .values("volunteerprofile_id")
        .annotate(last=Max("supervisionsession__held_on"))
        .values("last")
    )
    return Subquery(last_supervised, output_field=DateField())


def course_rows(organisation_id: int) -> list[tuple[int, str, bool]]:
    """(pk, name, is_required) of the organisation's courses."""
    return list(Course.objects.filter(organisation_id=organisation_id).values_list("pk", "name", "is_required"))


def required_course_ids(organisation_id: int) -> set[int]:
    return {pk for pk, _, is_required in course_rows(organisation_id) if is_required}


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


@dataclass(frozen=True, slots=True)
class FitnessInputs:
    """Everything the fitness rules read of one person, as plain values;
    ``fitness_inputs`` loads them for many at once. The one place the pure
    rules (``fitness.fitness_reasons``, ``fitness.creche_fitness_reasons``)
    are fed: every page that shows or applies fitness goes through here."""

    profile_id: int
    user_id: int
    status: str
    active_since: dt.date | None
    max_caseload: int
    caseload: int
    last_supervised_on: dt.date | None
    has_pvg: bool
    pvg_renewal_due: dt.date | None
    pvg_scheme: str
    training: tuple[TrainingRow, ...] = ()
    #: Her own break: out of matching before this day (``fitness.on_break``).
    unavailable_until: dt.date | None = None

    def valid_course_ids(self, today: dt.date) -> set[int]:
        return {
            row.course_id
            for row in self.training
            if fitness.training_counts_on(today, row.completed_on, row.expires_on)
        }

    def reasons(
        self, *, required: set[int], settings: VolunteerSettings, today: dt.date, valid: set[int] | None = None
    ) -> list[fitness.FitnessReason]:
        """Why this person may not be matched now (empty: fit)."""
        return fitness.fitness_reasons(
            today=today,
            status=self.status,
            required_course_ids=required,
            valid_course_ids=self.valid_course_ids(today) if valid is None else valid,
            has_pvg=self.has_pvg,
            pvg_renewal_due=self.pvg_renewal_due,
            last_supervised_on=self.last_supervised_on,
            active_since=self.active_since,
            supervision_interval_weeks=settings.supervision_interval_weeks,
            supervision_grace_weeks=settings.supervision_grace_weeks,
            caseload=self.caseload,
            max_caseload=self.max_caseload,
            unavailable_until=self.unavailable_until,
        )

    def creche_reasons(self, *, required: set[int], today: dt.date) -> list[fitness.FitnessReason]:
        """Why this person may not look after children in a crèche now."""
        return fitness.creche_fitness_reasons(
            today=today,
            status=self.status,
            required_course_ids=required,
            valid_course_ids=self.valid_course_ids(today),
            has_pvg=self.has_pvg,
            pvg_renewal_due=self.pvg_renewal_due,
            pvg_scheme=self.pvg_scheme,
        )

    def next_supervision_on(self, settings: VolunteerSettings) -> dt.date | None:
        return fitness.next_supervision_due(
            last_supervised_on=self.last_supervised_on,
            active_since=self.active_since,
            interval_weeks=settings.supervision_interval_weeks,
        )


def fitness_inputs(profiles: QuerySet[VolunteerProfile]) -> dict[int, FitnessInputs]:
    """The fitness inputs of every profile of ``profiles`` (already scoped
    by the caller), by profile id. Two queries, however many people: the
    profiles with their PVG record, open caseload and last supervision (one
    GROUP BY over joins, as ``with_current_caseload_grouped`` counts), and
    their training as plain rows (the profiles chosen by a subquery)."""
    rows = (
        with_current_caseload_grouped(profiles.order_by())
        .annotate(last_supervised_on=Max("supervision_sessions__held_on"))
        .values_list(
            "pk", "user_id", "status", "active_since", "max_caseload", "current_caseload", "last_supervised_on",
            "pvg__id", "pvg__renewal_due", "pvg__scheme", "unavailable_until", named=True,
        )
    )  # fmt: skip
    training: dict[int, list[TrainingRow]] = {}
    for profile_id, *row in (
        TrainingRecord.objects.filter(profile_id__in=profiles.order_by().values("pk"))
        .order_by()
        .values_list("profile_id", "course_id", "completed_on", "expires_on")
    ):
        training.setdefault(profile_id, []).append(TrainingRow(*row))
    return {
        row.pk: FitnessInputs(
            profile_id=row.pk,
            user_id=row.user_id,
            status=row.status,
            active_since=row.active_since,
            max_caseload=row.max_caseload,
            caseload=row.current_caseload,
            last_supervised_on=row.last_supervised_on,
            has_pvg=row.pvg__id is not None,
            pvg_renewal_due=row.pvg__renewal_due,
            pvg_scheme=row.pvg__scheme or "",
            training=tuple(training.get(row.pk, ())),
            unavailable_until=row.unavailable_until,
        )
        for row in rows
    }


def evaluate(
    profiles: Iterable[VolunteerProfile],
    *,
    settings: VolunteerSettings,
    required: set[int],
    today: dt.date | None = None,
) -> list[VolunteerProfile]:
    """Sets ``fitness_reasons``, ``is_fit``, ``next_supervision_on`` and
    ``supervisor`` on profiles loaded through ``with_checks`` (the model
    instances a detail page or the API shows): their inputs come from what
    ``with_checks`` loaded with them, so many profiles cost no query more."""
    today = today or timezone.localdate()
    evaluated = []
    for profile in profiles:
        _apply_fitness(profile, _inputs_of(profile), settings=settings, required=required, today=today)
        if hasattr(profile, "open_pairings"):  # loaded by with_checks(supervisors=True)
            profile.supervisor = profile.open_pairings[0].supervisor if profile.open_pairings else None
        evaluated.append(profile)
    return evaluated


def _inputs_of(profile: VolunteerProfile) -> FitnessInputs:
    """``FitnessInputs`` of a profile loaded through ``with_checks``."""
    pvg = _pvg_of(profile)
    return FitnessInputs(
        profile_id=profile.pk,
        user_id=profile.user_id,
        status=profile.status,
        active_since=profile.active_since,
        max_caseload=profile.max_caseload,
        caseload=profile.current_caseload,
        last_supervised_on=profile.last_supervised_on,
        has_pvg=pvg is not None,
        pvg_renewal_due=pvg.renewal_due if pvg else None,
        pvg_scheme=pvg.scheme if pvg else "",
        training=tuple(
            TrainingRow(record.course_id, record.completed_on, record.expires_on)
            for record in profile.training_records.all()
        ),
        unavailable_until=profile.unavailable_until,
    )


def _apply_fitness(
    person, inputs: FitnessInputs, *, settings: VolunteerSettings, required: set[int], today: dt.date
) -> None:
    """Sets the fitness of one profile or ``Person`` from its inputs."""
    valid = inputs.valid_course_ids(today)
    person.fitness_reasons = inputs.reasons(required=required, settings=settings, today=today, valid=valid)
    person.is_fit = not person.fitness_reasons
    person.next_supervision_on = inputs.next_supervision_on(settings)
    person.missing_course_ids = required - valid


@dataclass(eq=False, slots=True)
class Person:
    """A volunteer or PSO as plain values, for the pages that list many:
    a model instance per row (and its user and PVG record) cost those pages
    more than everything else they did. ``people`` builds them, ``assess``
    adds their fitness as ``evaluate`` adds it to profiles."""

    pk: int
    status: str
    #: Set by ``assess`` from the person's ``FitnessInputs``.
    active_since: dt.date | None = None
    max_caseload: int = 0
    has_pvg: bool = False
    pvg_renewal_due: dt.date | None = None
    last_supervised_on: dt.date | None = None
    current_caseload: int = 0
    #: Shown beside the fitness when ``people_rows`` is asked for them.
    name: str = ""
    supervisor_name: str = ""
    kinds: list[str] = field(default_factory=list)
    languages: str = ""
    area_names: str = ""
    #: Set by ``assess``.
    fitness_reasons: list[fitness.FitnessReason] = field(default_factory=list)
    is_fit: bool = False
    next_supervision_on: dt.date | None = None
    missing_course_ids: set[int] = field(default_factory=set)

    def __str__(self) -> str:
        return self.name

    @property
    def detail_url(self) -> str:
        return record_url("volunteers:detail", self.pk)

    @property
    def kind_labels(self) -> str:
        labels = dict(Kind.choices)
        return ", ".join(labels.get(kind, kind) for kind in self.kinds)

    @property
    def status_label(self) -> str:
        return dict(Status.choices).get(self.status, self.status)


#: What ``_person_name`` makes a person's name of.
_NAME_FIELDS = ("first_name", "last_name", "username")


def people_rows(
    queryset: QuerySet[VolunteerProfile], *, names: bool = True, supervisors: bool = False, details: bool = False
) -> QuerySet:
    """Plain rows for ``people``: the status and, when asked, the name (then
    sorted by it), the supervisor's name, the kinds and languages; fitness
    is added by ``assess``. A queryset still, so that a list can paginate it."""
    columns = ["pk", "status"]
    if names:
        columns += [f"user__{name}" for name in _NAME_FIELDS]
        queryset = queryset.order_by("user__last_name", "user__first_name", "pk")
    else:
        # Counts: neither the user row nor an order.
        queryset = queryset.order_by()
    if supervisors:
        # A join, not a subquery per row (cheaper to build and
        # run): a volunteer has one open pairing at most, so it adds no row.
        open_pairing = FilteredRelation("pairings", condition=Q(pairings__ended_on__isnull=True))
        queryset = queryset.annotate(open_pairing=open_pairing)
        columns += [f"open_pairing__supervisor__{name}" for name in _NAME_FIELDS]
    if details:
        columns += ["kinds", "languages"]
    return queryset.values_list(*columns, named=True)


def people(rows: Iterable) -> list[Person]:
    """``Person`` of each of ``people_rows``."""
    found = []
    for row in rows:
        person = Person(pk=row.pk, status=row.status)
        if hasattr(row, "user__username"):
            person.name = _person_name(row.user__first_name, row.user__last_name, row.user__username)
        if getattr(row, "open_pairing__supervisor__username", None) is not None:
            person.supervisor_name = _person_name(
                row.open_pairing__supervisor__first_name,
                row.open_pairing__supervisor__last_name,
                row.open_pairing__supervisor__username,
            )
        if hasattr(row, "kinds"):
            person.kinds, person.languages = row.kinds, row.languages
        found.append(person)
    return found


def assess(
    found: list[Person],
    *,
    settings: VolunteerSettings,
    required: set[int],
    inputs: dict[int, FitnessInputs],
    today: dt.date | None = None,
) -> list[Person]:
    """Sets the fitness of each ``Person`` by the rules ``evaluate`` applies
    to profiles; ``inputs`` is ``fitness_inputs`` of them."""
    today = today or timezone.localdate()
    assessed = []
    for person in found:
        person_inputs = inputs.get(person.pk)
        if person_inputs is None:  # changed out of the list between the two reads
            continue
        person.active_since = person_inputs.active_since
        person.max_caseload = person_inputs.max_caseload
        person.has_pvg = person_inputs.has_pvg
        person.pvg_renewal_due = person_inputs.pvg_renewal_due
        person.last_supervised_on = person_inputs.last_supervised_on
        person.current_caseload = person_inputs.caseload
        _apply_fitness(person, person_inputs, settings=settings, required=required, today=today)
        assessed.append(person)
    return assessed


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
    rows = list(_home_profile_rows(user))
    if not rows:
        return []
    ids = tuple(row[0] for row in rows)
    required: set[int] = set()
    training: dict[int, list[tuple[int, str, dt.date, dt.date | None]]] = {}
    for course_id, name, is_required, profile_id, completed_on, expires_on in _courses_with_training(
        organisation_id, ids
    ):
        if is_required:
            required.add(course_id)
        if profile_id is not None:
            training.setdefault(profile_id, []).append((course_id, name, completed_on, expires_on))
    own = next((row[0] for row in rows if row[1] == user.pk), None)
    # Evaluated for supervisees only: nobody's home shows their own fitness.
    others = [pk for pk in ids if pk != own]
    supervisees = fitness_inputs(VolunteerProfile.objects.filter(pk__in=others)) if others else {}
    profiles = []
    for (
        pk, user_id, first, last, username, status, active_since,
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
        if pk in supervisees:
            profile.fitness_reasons = supervisees[pk].reasons(required=required, settings=settings, today=today)
        profiles.append(profile)
    return profiles


def _home_profile_rows(user) -> QuerySet:
    # Joins, not with_checks' subqueries: a handful of rows, grouped cheaply.
    # A volunteer has at most one open pairing (a constraint), so its join
    # adds no rows. Fitness is loaded apart (``fitness_inputs``), for
    # supervisees only.
    open_pairing = FilteredRelation("pairings", condition=Q(pairings__ended_on__isnull=True))
    return (
        VolunteerProfile.objects.visible_to(user)
        .annotate(open_pairing=open_pairing)
        .values_list(
            "pk", "user_id", "user__first_name", "user__last_name", "user__username", "status", "active_since",
            "open_pairing__supervisor__first_name", "open_pairing__supervisor__last_name",
            "open_pairing__supervisor__username",
        )
        .annotate(last_supervised_on=Max("supervision_sessions__held_on"))
        # Named again: a grouped query leaves the model's ordering out.
        .order_by("user__last_name", "user__first_name", "pk")
    )  # fmt: skip


def _courses_with_training(organisation_id: int, profile_ids: tuple[int, ...]) -> QuerySet:
    """The organisation's courses with these people's records of them: the
    required ones and each person's training in one query."""
    their_records = FilteredRelation("records", condition=Q(records__profile_id__in=profile_ids))
    return (
        Course.objects.filter(organisation_id=organisation_id)
        .annotate(record=their_records)
        .order_by("-record__completed_on", "record__pk")
        .values_list("pk", "name", "is_required", "record__profile_id", "record__completed_on", "record__expires_on")
    )


def volunteers_for(
    user,
    *,
    organisation_id: int,
    filters: dict | None = None,
    details: bool = True,
    settings: VolunteerSettings | None = None,
    required: set[int] | None = None,
) -> list[VolunteerProfile]:
    """The volunteers ``user`` may see, filtered, each with its fitness
    (and, with ``details``, areas and supervisor). ``settings`` and
    ``required`` are looked up when not given."""
    filters = filters or {}
    queryset = with_checks(_profiles_filtered(user, filters), areas=details, supervisors=details)
    profiles = evaluate(
        queryset,
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
    """One page of the volunteer list, as ``Person`` rows with their areas.
    Fitness is assessed for the rows shown only, unless the fit filter has
    to look at everyone."""
    filtered = _profiles_filtered(user, filters)
    membership = active_membership(user)
    if membership is not None and membership.role == Role.PSO:
        # A PSO's list is "Your supervisees": she may open her own profile, but is not her own supervisee.
        filtered = filtered.exclude(user_id=user.pk)
    rows = people_rows(filtered, supervisors=True, details=True)
    inputs = {"settings": settings_for(organisation_id), "required": required_course_ids(organisation_id)}
    if filters.get("fit"):
        everyone = people(rows)
        assess(everyone, inputs=fitness_inputs(filtered), **inputs)
        wanted = filters["fit"] == "yes"
        page = Paginator([person for person in everyone if person.is_fit == wanted], per_page).get_page(number)
    else:
        paginator = Paginator(rows, per_page)
        # Counted without the joins of the names: same rows.
        paginator.count = filtered.count()
        page = paginator.get_page(number)
        shown = people(page.object_list)
        shown_inputs = fitness_inputs(filtered.filter(pk__in=[person.pk for person in shown]))
        page.object_list = assess(shown, inputs=shown_inputs, **inputs)
    _add_area_names(page.object_list)
    return page


def volunteers_all(user, *, organisation_id: int, filters: dict) -> list[Person]:
    """Every row of the volunteer list (its download): the page's filters,
    everyone assessed, with their areas. A few thousand people at most, so
    held as a list; the queries are the page's with the fit filter on."""
    filtered = _profiles_filtered(user, filters)
    everyone = people(people_rows(filtered, supervisors=True, details=True))
    assess(
        everyone,
        inputs=fitness_inputs(filtered),
        settings=settings_for(organisation_id),
        required=required_course_ids(organisation_id),
    )
    if filters.get("fit"):
        wanted = filters["fit"] == "yes"
        everyone = [person for person in everyone if person.is_fit == wanted]
    _add_area_names(everyone)
    return everyone


def _add_area_names(profiles: list[Person]) -> None:
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
    if filters.get("name"):
        queryset = profiles_named(queryset, read_query(filters["name"]))
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


def profiles_named(queryset: QuerySet[VolunteerProfile], query: Query) -> QuerySet[VolunteerProfile]:
    """The profiles of ``queryset`` whose person's name holds every word of
    ``query``, in any order, accents and case ignored (as a parent is
    found). The names are compared in Python, on one query of plain rows:
    an organisation has hundreds of volunteers at most, and folding accents
    this way works on SQLite and PostgreSQL alike."""
    if not query.terms:
        return queryset.none()
    named = [
        pk
        for pk, first_name, last_name, username in queryset.order_by().values_list(
            "pk", "user__first_name", "user__last_name", "user__username"
        )
        if query.matches(searchable_text(names=[_person_name(first_name, last_name, username)]))
    ]
    return queryset.filter(pk__in=named)


def people_found(user, query: Query, *, limit: int) -> list[Person]:
    """The search box's volunteers and PSOs: those ``user`` may see whose
    name matches, at most ``limit``, as plain ``Person`` rows."""
    found = profiles_named(VolunteerProfile.objects.visible_to(user), query)
    return people(people_rows(found, details=True)[:limit])


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


class DisclosureRow(NamedTuple):
    """An open Disclosure Scotland task as the compliance report shows it."""

    pk: int
    created_on: dt.date
    profile_id: int
    name: str

    @property
    def detail_url(self) -> str:
        return record_url("volunteers:detail", self.profile_id)


@dataclass
class Compliance:
    pvg: list = field(default_factory=list)
    training: list = field(default_factory=list)
    supervision: list = field(default_factory=list)
    #: ``DisclosureRow``s; without names, the tasks themselves (to count).
    disclosure_tasks: list = field(default_factory=list)
    #: Everyone whose checks were looked at, as ``Person`` rows with their fitness.
    profiles: list = field(default_factory=list)
    #: ``BreakRow``s: people who paused themselves from matching (loaded with ``names``).
    on_break: list = field(default_factory=list)


#: Statuses whose checks must be kept up to date.
CHECKED_STATUSES = [Status.IN_TRAINING, Status.ACTIVE, Status.PAUSED]


def compliance_for(
    user, *, organisation_id: int, today: dt.date | None = None, supervisors: bool = True, names: bool = True
) -> Compliance:
    """What needs attention: PVG renewing within 3 months or expired (or
    missing), required training missing or expiring within 3 months,
    supervision due within 7 days or overdue, Disclosure Scotland tasks open.
    People are ``Person`` rows. Without ``supervisors`` and ``names`` (counts
    on a home page) people's supervisors and names are not loaded."""
    today = today or timezone.localdate()
    horizon = add_months_clamped(today, fitness.RENEW_SOON_MONTHS)
    settings = settings_for(organisation_id)
    courses_kept = course_rows(organisation_id)
    courses = {pk: name for pk, name, _ in courses_kept}
    required = {pk for pk, _, is_required in courses_kept if is_required}
    checked = people(_checked_people(user, names=names, supervisors=supervisors))
    inputs = fitness_inputs(_checked(user))
    result = Compliance(profiles=assess(checked, settings=settings, required=required, today=today, inputs=inputs))
    for person in result.profiles:
        if not person.has_pvg:
            result.pvg.append((person, None, "Missing"))
        elif person.pvg_renewal_due is not None and person.pvg_renewal_due <= horizon:
            due = person.pvg_renewal_due
            result.pvg.append((person, due, "Expired" if due < today else "Renewal due"))
        for course_id in sorted(person.missing_course_ids):
            result.training.append((person, courses[course_id], None, "Missing or expired"))
        for record in inputs[person.pk].training:
            if record.expires_on and today <= record.expires_on <= horizon:
                result.training.append((person, courses[record.course_id], record.expires_on, "Expiring"))
        due = person.next_supervision_on
        if person.status == Status.ACTIVE and (due is None or due <= today + dt.timedelta(days=7)):
            label = "Never supervised" if due is None else ("Overdue" if due < today else "Due soon")
            result.supervision.append((person, due, label))
    result.pvg.sort(key=lambda row: row[1] or dt.date.min)
    result.supervision.sort(key=lambda row: row[1] or dt.date.min)
    tasks = _disclosure_tasks(user, names=names)
    if names:
        result.disclosure_tasks = [
            DisclosureRow(
                task["pk"], task["created_on"], task["profile_id"], _person_name(*(task[c] for c in _TASK_NAME_COLUMNS))
            )
            for task in tasks
        ]
    else:
        result.disclosure_tasks = list(tasks)  # counted only
    if names:
        result.on_break = on_break_for(user, today=today)
    return result


class BreakRow(NamedTuple):
    """A volunteer on a break she set herself, as the compliance report lists it."""

    pk: int
    name: str
    back_on: dt.date
    reason: str

    @property
    def detail_url(self) -> str:
        return record_url("volunteers:detail", self.pk)


def on_break_for(user, *, today: dt.date) -> list[BreakRow]:
    """Everyone ``user`` may see who paused herself and is not back yet
    (``fitness.on_break``), soonest back first."""
    rows = (
        VolunteerProfile.objects.visible_to(user)
        .filter(unavailable_until__gt=today)
        .order_by("unavailable_until", "pk")
        .values_list("pk", *(f"user__{name}" for name in _NAME_FIELDS), "unavailable_until", "unavailable_reason")
    )
    return [
        BreakRow(pk, _person_name(first, last, username), back, reason)
        for pk, first, last, username, back, reason in rows
    ]


def _checked(user) -> QuerySet[VolunteerProfile]:
    return VolunteerProfile.objects.visible_to(user).filter(status__in=CHECKED_STATUSES)


def _checked_people(user, *, names: bool, supervisors: bool) -> QuerySet:
    # The report names each person's supervisor, never their areas.
    return people_rows(_checked(user), names=names, supervisors=supervisors)


_TASK_NAME_COLUMNS = [f"profile__user__{name}" for name in _NAME_FIELDS]


def _disclosure_tasks(user, *, names: bool) -> QuerySet:
    tasks = DisclosureTask.objects.visible_to(user).open()
    if names:
        return tasks.values("pk", "created_on", "profile_id", *_TASK_NAME_COLUMNS)
    return tasks.values("pk")


def creche_fitness(
    organisation_id: int, user_ids: Iterable[int], *, today: dt.date | None = None
) -> dict[int, list[fitness.FitnessReason]]:
    """Why each of these people (by user id) may not look after children in
    the organisation's crèches now; an empty list means fit. One rule for the
    rota's choices, the services that refuse, and the staffing count
    (``fitness.creche_fitness_reasons``). Three queries, however many people."""
    ids = set(user_ids)
    if not ids:
        return {}
    today = today or timezone.localdate()
    required = required_course_ids(organisation_id)
    inputs = fitness_inputs(VolunteerProfile.objects.filter(organisation_id=organisation_id, user_id__in=ids))
    no_record = fitness.Reason.NO_VOLUNTEER_RECORD
    missing = [fitness.FitnessReason(no_record, fitness.REASON_LABELS[no_record])]
    reasons: dict[int, list[fitness.FitnessReason]] = dict.fromkeys(ids, missing)
    for person in inputs.values():
        reasons[person.user_id] = person.creche_reasons(required=required, today=today)
    return reasons


class CheckLine(NamedTuple):
    """One of a person's own checks in words: "First aid", "expires 3 Mar
    2027, renew soon"; ``attention`` when she should act (renew soon,
    expired, missing, overdue)."""

    label: str
    words: str
    attention: bool = False


@dataclass
class OwnChecks:
    """A volunteer's or PSO's own checks as her "My details" page shows them:
    built from the loaders and rules the profile and compliance pages use
    (``with_checks``, ``evaluate``, ``fitness.expiry_words``)."""

    pvg: CheckLine
    training: list[CheckLine]
    supervision: CheckLine
    references: CheckLine | None

    @property
    def lines(self) -> list[CheckLine]:
        return [self.pvg, *self.training, self.supervision, *([self.references] if self.references else [])]


def own_checks(profile: VolunteerProfile, *, today: dt.date | None = None) -> OwnChecks:
    """Her PVG renewal, each course's latest training with its expiry (and
    required courses not done), her next supervision and her references.
    ``profile`` comes from ``access.get_own_profile_for``."""
    today = today or timezone.localdate()
    courses = course_rows(profile.organisation_id)
    (loaded,) = evaluate(
        with_checks(VolunteerProfile.objects.filter(pk=profile.pk), areas=False).prefetch_related("references"),
        settings=settings_for(profile.organisation_id),
        required={pk for pk, _, is_required in courses if is_required},
        today=today,
    )
    return OwnChecks(
        pvg=_pvg_line(_pvg_of(loaded), today=today),
        training=_training_lines(loaded, courses, today=today),
        supervision=_supervision_line(loaded, today=today),
        references=_references_line(list(loaded.references.all())),
    )


def _attention(words: str) -> bool:
    return words.endswith("renew soon") or words.startswith("expired")


def _pvg_line(pvg: PvgRecord | None, *, today: dt.date) -> CheckLine:
    if pvg is None:
        return CheckLine("PVG", "not recorded yet: your coordinator arranges it", attention=True)
    if pvg.renewal_due is None:
        return CheckLine("PVG", "renewal date not recorded: ask your coordinator")
    words = fitness.expiry_words(pvg.renewal_due, today=today, verb="renewal due")
    return CheckLine("PVG", words, attention=_attention(words))


def _training_lines(profile: VolunteerProfile, courses: list, *, today: dt.date) -> list[CheckLine]:
    """The latest record of each course (records come newest first), then
    each required course she has not done or whose training expired."""
    names = {pk: name for pk, name, _ in courses}
    lines, seen = [], set()
    for record in profile.training_records.all():
        if record.course_id in seen:
            continue
        seen.add(record.course_id)
        words = fitness.expiry_words(record.expires_on, today=today)
        lines.append(CheckLine(names.get(record.course_id, ""), words, attention=_attention(words)))
    for course_id in sorted(profile.missing_course_ids - seen, key=lambda pk: names[pk]):
        lines.append(CheckLine(names[course_id], "not done yet: needed before matching", attention=True))
    return lines


def _supervision_line(profile: VolunteerProfile, *, today: dt.date) -> CheckLine:
    due = profile.next_supervision_on
    supervisor = profile.supervisor
    with_whom = f" with {supervisor}" if supervisor else ""
    if due is None:
        return CheckLine("Next supervision", "not yet planned")
    if due < today:
        return CheckLine(
            "Next supervision", f"was due {short_date(due)}{with_whom}: ask your supervisor", attention=True
        )
    return CheckLine("Next supervision", f"due by {short_date(due)}{with_whom}")


def _references_line(references: list) -> CheckLine | None:
    """Only while some are awaited: once in, they matter to nobody's week."""
    if not references:
        return None
    received = sum(1 for reference in references if reference.received_on is not None)
    if received == len(references):
        return CheckLine("References", f"all {received} received")
    return CheckLine("References", f"{received} of {len(references)} received", attention=True)
