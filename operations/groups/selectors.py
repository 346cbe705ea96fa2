"""Reads for groups: settings, what a session holds, places left, flags."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from operations.core.models import Organisation
from operations.core.searching import Query, fold
from operations.groups import creche, recurrence
from operations.groups.models import (
    HOLDS_PLACE,
    Booking,
    BookingChild,
    BookingStatus,
    Group,
    GroupSession,
    GroupSettings,
)
from referrals.contact import message_channel
from volunteers.fitness import FitnessReason
from volunteers.selectors import creche_fitness


def settings_for(organisation_id: int) -> GroupSettings:
    """The organisation's settings, or the defaults (unsaved) when a manager
    has not set any: reading a page never writes."""
    found = GroupSettings.objects.filter(organisation_id=organisation_id).first()
    return found or GroupSettings(organisation_id=organisation_id)


@dataclass
class Load:
    """What a session holds now and what it can still take."""

    adults_booked: int = 0
    waiting: int = 0
    children: Counter = field(default_factory=Counter)
    adult_places_left: int = 0
    child_places_left: dict[str, int] = field(default_factory=dict)
    creche_adults_needed: int = 0
    #: The crèche's staffing: only the adults on the rota fit to work with children now.
    capacity: creche.Capacity | None = None
    rota_size: int = 0
    #: Why each person on the rota (by user id) is not fit now; empty lists for the fit.
    rota_fitness: dict[int, list[FitnessReason]] = field(default_factory=dict)

    @property
    def fit_creche_adults(self) -> int:
        return sum(1 for reasons in self.rota_fitness.values() if not reasons)

    @property
    def creche_understaffed(self) -> bool:
        """Fewer fit adults on the rota than the booked children need."""
        return self.fit_creche_adults < self.creche_adults_needed

    @property
    def children_booked(self) -> int:
        return sum(self.children.values())

    @property
    def is_full(self) -> bool:
        return self.adult_places_left <= 0


def _band_counts_by_session(session_ids: list[int], dates: dict[int, date]) -> dict[int, Counter]:
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = BookingChild.objects.filter(
        booking__session_id__in=session_ids, booking__status__in=HOLDS_PLACE
    ).values_list("booking__session_id", "date_of_birth")
    for session_id, born in rows:
        counts[session_id][creche.age_band(born, dates[session_id])] += 1
    return counts


#: Adults holding a place and waiting, counted over bookings, for a list of
#: sessions in one query (the staff panel's; ``loads_for`` counts its own).
BOOKING_COUNTS = {
    "booked": Count("bookings", filter=Q(bookings__status__in=HOLDS_PLACE)),
    "waiting": Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
}


def loads_for(sessions: Iterable[GroupSession], *, ratios: creche.Ratios | None = None) -> dict[int, Load]:
    """Loads of many sessions in two queries (ratios: the organisation's,
    looked up per organisation when not given)."""
    sessions = list(sessions)
    if not sessions:
        return {}
    ids = [s.pk for s in sessions]
    counted_by_id = {
        row["session_id"]: row
        for row in Booking.objects.filter(session_id__in=ids)
        .values("session_id")
        .annotate(
            booked=Count("pk", filter=Q(status__in=HOLDS_PLACE)),
            waiting=Count("pk", filter=Q(status=BookingStatus.WAITING)),
        )
    }
    children = _band_counts_by_session(ids, {s.pk: s.date for s in sessions})
    rota_fitness = _rota_fitness([s for s in sessions if s.creche_on])
    ratios_by_org: dict[int, creche.Ratios] = {}
    loads = {}
    for session in sessions:
        if ratios is not None:
            session_ratios = ratios
        else:
            if session.organisation_id not in ratios_by_org:
                ratios_by_org[session.organisation_id] = settings_for(session.organisation_id).ratios
            session_ratios = ratios_by_org[session.organisation_id]
        row = counted_by_id.get(session.pk, {})
        load = Load(
            adults_booked=row.get("booked", 0),
            waiting=row.get("waiting", 0),
            children=children.get(session.pk, Counter()),
        )
        load.rota_fitness = rota_fitness.get(session.pk, {})
        load.rota_size = len(load.rota_fitness)
        capacity = session.capacity(fit_creche_adults=load.fit_creche_adults)
        load.capacity = capacity
        load.adult_places_left = max(0, capacity.adult_places - load.adults_booked)
        load.child_places_left = creche.child_places_left(
            capacity, children_booked=load.children, ratios=session_ratios
        )
        load.creche_adults_needed = creche.adults_needed(load.children, session_ratios)
        loads[session.pk] = load
    return loads


def _rota_fitness(sessions: list[GroupSession]) -> dict[int, dict[int, list[FitnessReason]]]:
    """Session id -> {user id on its crèche rota -> why not fit now}: one
    query for the rotas and three per organisation for the fitness, however
    many sessions (``volunteers.selectors.creche_fitness``)."""
    if not sessions:
        return {}
    through = GroupSession.creche_adults.through
    rotas: dict[int, list[int]] = defaultdict(list)
    for session_id, user_id in through.objects.filter(groupsession_id__in=[s.pk for s in sessions]).values_list(
        "groupsession_id", "user_id"
    ):
        rotas[session_id].append(user_id)
    by_organisation: dict[int, set[int]] = defaultdict(set)
    for session in sessions:
        by_organisation[session.organisation_id].update(rotas.get(session.pk, ()))
    reasons = {org: creche_fitness(org, users) for org, users in by_organisation.items() if users}
    return {
        session.pk: {user_id: reasons[session.organisation_id][user_id] for user_id in rotas[session.pk]}
        for session in sessions
        if session.pk in rotas
    }


def load_of(session: GroupSession, *, ratios: creche.Ratios | None = None) -> Load:
    return loads_for([session], ratios=ratios)[session.pk]


def registration_flag(group: Group, organisation: Organisation, settings: GroupSettings) -> bool:
    """True when the group's crèche may need Care Inspectorate registration
    and the organisation holds no registration number."""
    if not group.creche_on or organisation.care_inspectorate_number:
        return False
    today = timezone.localdate()
    days = sum(
        1
        for _ in recurrence.occurrences(
            rule=group.recurrence,
            weekday=group.weekday,
            week_of_month=group.week_of_month,
            starts_on=group.starts_on,
            ends_on=group.ends_on,
            window_start=max(today, group.starts_on),
            window_end=max(today, group.starts_on) + timedelta(days=364),
        )
    )
    return creche.needs_care_inspectorate_registration(
        minutes_per_day=group.minutes, days_per_year=days, thresholds=settings.thresholds
    )


#: What ``registration_flag`` reads of a group: when it meets and for how long.
REGISTRATION_FIELDS = [
    "organisation_id", "creche_on", "recurrence", "weekday", "week_of_month",
    "starts_on", "ends_on", "start_time", "end_time",
]  # fmt: skip


def creches_to_register(user, organisation: Organisation) -> int:
    """How many active crèches may need Care Inspectorate registration, as
    the next year of meetings from today decides it."""
    # With a registration number no crèche is flagged: no need to read the groups.
    if organisation.care_inspectorate_number:
        return 0
    settings = settings_for(organisation.pk)
    groups = Group.objects.visible_to(user).filter(is_active=True, creche_on=True).only(*REGISTRATION_FIELDS)
    return sum(1 for group in groups if registration_flag(group, organisation, settings))


def sessions_this_week(user, *, now: datetime | None = None) -> list[GroupSession]:
    """The first 20 sessions of the next seven days with their bookings
    counted (``booked``, ``waiting``, ``adult_places_left``), for the staff
    home page. No crèche loads: the session page and register show them."""
    now = now or timezone.now()
    return list(
        GroupSession.objects.visible_to(user)
        .filter(ends_at__gte=now, starts_at__lte=now + timedelta(days=7))
        .select_related("group")
        .annotate(**BOOKING_COUNTS)
        .annotate(adult_places_left=Greatest(F("adult_places") - F("booked"), Value(0)))
        .order_by("starts_at", "pk")[:20]
    )


def own_sessions(user, *, now: datetime | None = None) -> list[GroupSession]:
    """The next five sessions a volunteer or PSO helps at (cancelled ones
    too, marked on the page)."""
    return list(
        GroupSession.objects.visible_to(user).upcoming(now).select_related("group").order_by("starts_at", "pk")[:5]
    )


# --- whom a message about a session would reach, asked before a destructive action ----

#: Whom a cancelled or moved session is told about: everyone booked or waiting.
TOLD_OF_CHANGES = (BookingStatus.BOOKED, BookingStatus.WAITING)


@dataclass(frozen=True)
class Reach:
    """How a message to some bookings would go, as the notifications app
    sends it (both ask ``referrals.contact.message_channel``)."""

    told: int = 0  # on a channel their contact safety allows
    unreachable: int = 0  # no safe channel: the coordinators are asked to tell them
    restricted: int = 0  # processing restricted at their request: nobody contacts them


def attendees_reach(bookings: Sequence[Booking]) -> Reach:
    """Who a message to these bookings would reach, and how."""
    told = unreachable = restricted = 0
    for booking in bookings:
        if booking.parent is not None and booking.parent.processing_restricted:
            restricted += 1
        elif booking.parent is None or message_channel(booking.parent)[0] is None:
            unreachable += 1
        else:
            told += 1
    return Reach(told=told, unreachable=unreachable, restricted=restricted)


def session_cancel_reach(*, session: GroupSession, now: datetime | None = None) -> Reach | None:
    """Who cancelling this session would tell; None when it has started (nobody is told)."""
    if session.starts_at <= (now or timezone.now()):
        return None
    bookings = Booking.objects.filter(session=session, status__in=TOLD_OF_CHANGES).select_related("parent")
    return attendees_reach(list(bookings))


def groups_found(user, query: Query, *, limit: int) -> list[Group]:
    """The search box's groups: those ``user`` may see whose name holds every
    word of ``query``, accents and case ignored. Names are compared in Python
    on one query of plain rows (an organisation runs tens of groups), so
    accents fold the same on SQLite and PostgreSQL."""
    if not query.terms:
        return []
    visible = Group.objects.visible_to(user)
    rows = visible.order_by("name", "pk").values_list("pk", "name")
    named = [pk for pk, name in rows if query.matches(fold(name))][:limit]
    return list(visible.filter(pk__in=named).select_related("service").order_by("name", "pk"))
