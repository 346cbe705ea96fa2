"""What the calendar shows between two days, read from the apps below it:
planned visits and birth companions' on-call windows (matching), group
sessions (groups), supervision sessions and supervision due dates
(volunteers). Reads only, each kind through its model's ``visible_to(user)``.

One query per kind of entry (plain rows, names joined in), so the page
costs the same with three entries or three hundred.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Max, Q
from django.utils import timezone

from operations.core.dates import short_date
from operations.core.links import record_url
from operations.core.models import STAFF_ROLES, Membership
from operations.groups.models import Group, GroupSession, SessionStatus
from volunteers import fitness
from volunteers.matching.models import OPEN_MATCH_STATUSES, ContactMode, Match, MatchRole, Visit
from volunteers.models import Status, SupervisionMode, SupervisionSession, VolunteerProfile
from volunteers.selectors import settings_for


class Kind(StrEnum):
    VISIT = "visit"
    SESSION = "session"
    SUPERVISION = "supervision"
    SUPERVISION_DUE = "supervision_due"
    ON_CALL = "on_call"
    DUE_DATE = "due_date"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.VISIT: "Visit",
    Kind.SESSION: "Group session",
    Kind.SUPERVISION: "Supervision",
    Kind.SUPERVISION_DUE: "Supervision due",
    Kind.ON_CALL: "On call",
    Kind.DUE_DATE: "Due date",
}


@dataclass(frozen=True)
class Entry:
    day: dt.date
    kind: Kind
    title: str
    url: str
    #: Local times; None for a whole-day entry (an on-call day, a due date)
    #: or a visit planned without a time.
    starts: dt.time | None = None
    ends: dt.time | None = None
    detail: str = ""
    cancelled: bool = False

    @property
    def sort_key(self) -> tuple:
        # Whole-day entries first (what the day is), then by the clock.
        return (self.starts is not None, self.starts or dt.time.min, self.kind.value, self.title)


@dataclass(frozen=True)
class Filters:
    """Which entries to keep; None keeps all. Supervision belongs to no
    service or group: a service or group filter leaves it out."""

    service_id: int | None = None
    volunteer_id: int | None = None
    group_id: int | None = None


@dataclass
class Entries:
    by_day: dict[dt.date, list[Entry]] = field(default_factory=lambda: defaultdict(list))

    def add(self, entry: Entry) -> None:
        self.by_day[entry.day].append(entry)

    def on(self, day: dt.date) -> list[Entry]:
        return sorted(self.by_day.get(day, ()), key=lambda entry: entry.sort_key)

    def __len__(self) -> int:
        return sum(len(entries) for entries in self.by_day.values())


def calendar_entries(
    user, *, membership: Membership, first: dt.date, last: dt.date, filters: Filters | None = None
) -> Entries:
    """Everything ``user`` may see from ``first`` to ``last`` (both included)."""
    filters = filters or Filters()
    found = Entries()
    is_staff = membership.role in STAFF_ROLES
    if filters.group_id is None:
        _add_visits(found, user, is_staff=is_staff, first=first, last=last, filters=filters)
        _add_on_call(found, user, is_staff=is_staff, first=first, last=last, filters=filters)
        if filters.service_id is None:
            _add_supervision(found, user, is_staff=is_staff, first=first, last=last, filters=filters)
            _add_supervision_due(found, user, membership=membership, first=first, last=last, filters=filters)
    _add_sessions(found, user, is_staff=is_staff, first=first, last=last, filters=filters)
    return found


def _person(first_name: str, last_name: str, username: str) -> str:
    """A person named as ``User.__str__`` names them, from plain values."""
    return f"{first_name} {last_name}".strip() or username


def _family(is_staff: bool, user, volunteer_user_id: int, first_name: str, preferred_name: str, match_id: int) -> str:
    """The family as the calendar names it: the preferred name to staff and
    to the family's own volunteer; anyone else reads the match number."""
    if is_staff or volunteer_user_id == user.pk:
        return preferred_name or first_name
    return f"match #{match_id}"


def _match_filters(filters: Filters, prefix: str = "") -> Q:
    q = Q()
    if filters.service_id is not None:
        q &= Q(**{f"{prefix}referral__service_id": filters.service_id})
    if filters.volunteer_id is not None:
        q &= Q(**{f"{prefix}volunteer_id": filters.volunteer_id})
    return q


def _add_visits(found: Entries, user, *, is_staff: bool, first, last, filters: Filters) -> None:
    rows = (
        Visit.objects.visible_to(user)
        .filter(_match_filters(filters, "match__"), cancelled=False, planned_for__range=(first, last))
        .order_by()
        .values_list(
            "pk", "match_id", "planned_for", "at_time", "mode", "place",
            "match__parent__first_name", "match__parent__preferred_name", "match__parent__last_name",
            "match__volunteer__user_id", "match__volunteer__user__first_name",
            "match__volunteer__user__last_name", "match__volunteer__user__username",
        )
    )  # fmt: skip
    for (
        _pk, match_id, planned_for, at_time, mode, place,
        parent_first, parent_preferred, _parent_last,
        volunteer_user_id, volunteer_first, volunteer_last, volunteer_username,
    ) in rows:  # fmt: skip
        family = _family(is_staff, user, volunteer_user_id, parent_first, parent_preferred, match_id)
        details = [ContactMode(mode).label]
        if place:
            details.append(place)
        if volunteer_user_id != user.pk:
            details.append(_person(volunteer_first, volunteer_last, volunteer_username))
        found.add(
            Entry(
                day=planned_for,
                kind=Kind.VISIT,
                title=f"Visit: {family}",
                url=record_url("matching:match-detail", match_id),
                starts=at_time,
                detail=" · ".join(details),
            )
        )


def _add_on_call(found: Entries, user, *, is_staff: bool, first, last, filters: Filters) -> None:
    """A birth companion's on-call window (set when the match was confirmed:
    the days before and after the due date in the matching settings) is a
    whole-day entry on each of its days; the due date itself says so."""
    rows = (
        Match.objects.visible_to(user)
        .filter(_match_filters(filters), role=MatchRole.BIRTH_COMPANION, status__in=OPEN_MATCH_STATUSES)
        .filter(
            Q(on_call_from__lte=last, on_call_to__gte=first)
            | Q(on_call_from__isnull=True, due_date__range=(first, last))
        )
        .order_by()
        .values_list(
            "pk", "due_date", "on_call_from", "on_call_to",
            "parent__first_name", "parent__preferred_name",
            "volunteer__user_id", "volunteer__user__first_name", "volunteer__user__last_name",
            "volunteer__user__username",
        )
    )  # fmt: skip
    for (
        match_id, due_date, on_call_from, on_call_to, parent_first, parent_preferred,
        volunteer_user_id, volunteer_first, volunteer_last, volunteer_username,
    ) in rows:  # fmt: skip
        family = _family(is_staff, user, volunteer_user_id, parent_first, parent_preferred, match_id)
        url = record_url("matching:match-detail", match_id)
        companion = "" if volunteer_user_id == user.pk else _person(volunteer_first, volunteer_last, volunteer_username)
        window = f"On call {short_date(on_call_from)} – {short_date(on_call_to)}" if on_call_from else ""
        detail = " · ".join(part for part in (window, companion) if part)
        start = max(on_call_from or due_date, first)
        end = min(on_call_to or due_date, last)
        day = start
        while day <= end:
            if day == due_date:
                entry = Entry(day=day, kind=Kind.DUE_DATE, title=f"Due date: {family}", url=url, detail=detail)
            else:
                entry = Entry(day=day, kind=Kind.ON_CALL, title=f"On call: {family}", url=url, detail=detail)
            found.add(entry)
            day += dt.timedelta(days=1)


def _add_sessions(found: Entries, user, *, is_staff: bool, first, last, filters: Filters) -> None:
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    sessions = GroupSession.objects.visible_to(user).filter(starts_at__gte=since, starts_at__lt=until)
    if filters.service_id is not None:
        sessions = sessions.filter(group__service_id=filters.service_id)
    if filters.group_id is not None:
        sessions = sessions.filter(group_id=filters.group_id)
    if filters.volunteer_id is not None:
        profile_user = VolunteerProfile.objects.filter(pk=filters.volunteer_id).values("user_id")
        sessions = sessions.filter(_helps_at_subquery(profile_user))
    # Staff open the session page; helpers its register (the session page
    # lists contact details, which is staff's).
    page = "groups:session" if is_staff else "groups:register"
    rows = sessions.order_by().values_list("pk", "group__name", "starts_at", "ends_at", "status", "group__venue_name")
    for pk, group_name, starts_at, ends_at, status, venue in rows:
        starts, ends = timezone.localtime(starts_at, zone), timezone.localtime(ends_at, zone)
        cancelled = status == SessionStatus.CANCELLED
        found.add(
            Entry(
                day=starts.date(),
                kind=Kind.SESSION,
                title=group_name,
                url=record_url(page, pk),
                starts=starts.time(),
                ends=ends.time() if ends.date() == starts.date() else None,
                detail="Cancelled" if cancelled else venue,
                cancelled=cancelled,
            )
        )


def _helps_at_subquery(profile_user) -> Q:
    """Sessions the person behind a volunteer profile helps at: their groups
    (facilitator or usual crèche rota) and the sessions they were put on the
    rota of. Subqueries, not joins: no duplicate rows."""
    facilitates = Group.facilitators.through.objects.filter(user_id__in=profile_user).values("group_id")
    on_rota = Group.creche_adults.through.objects.filter(user_id__in=profile_user).values("group_id")
    on_session_rota = GroupSession.creche_adults.through.objects.filter(user_id__in=profile_user).values(
        "groupsession_id"
    )
    return Q(group_id__in=facilitates) | Q(group_id__in=on_rota) | Q(pk__in=on_session_rota)


def _add_supervision(found: Entries, user, *, is_staff: bool, first, last, filters: Filters) -> None:
    """Sessions held (or written up ahead) on a day; one row per person who
    came, gathered here. Names of who came are for staff and the supervisor;
    a volunteer reads who supervised."""
    sessions = SupervisionSession.objects.visible_to(user).filter(held_on__range=(first, last))
    if filters.volunteer_id is not None:
        attended = SupervisionSession.volunteers.through.objects.filter(volunteerprofile_id=filters.volunteer_id)
        sessions = sessions.filter(pk__in=attended.values("supervisionsession_id"))
    rows = sessions.order_by("held_on", "pk", "volunteers__user__last_name").values_list(
        "pk", "held_on", "mode", "duration_minutes", "supervisor_id",
        "supervisor__first_name", "supervisor__last_name", "supervisor__username",
        "volunteers__user__first_name", "volunteers__user__last_name", "volunteers__user__username",
    )  # fmt: skip
    gathered: dict[int, dict] = {}
    for pk, held_on, mode, minutes, supervisor_id, s_first, s_last, s_username, v_first, v_last, v_username in rows:
        session = gathered.setdefault(
            pk,
            {
                "held_on": held_on,
                "mode": mode,
                "minutes": minutes,
                "supervisor_id": supervisor_id,
                "supervisor": _person(s_first, s_last, s_username),
                "people": [],
            },
        )
        if v_username:
            session["people"].append(_person(v_first, v_last, v_username))
    for pk, session in gathered.items():
        if is_staff or session["supervisor_id"] == user.pk:
            title = "Supervision: " + (", ".join(session["people"]) or "nobody recorded")
            details = [] if session["supervisor_id"] == user.pk else [f"with {session['supervisor']}"]
        else:
            title = f"Supervision with {session['supervisor']}"
            details = []
        details = [SupervisionMode(session["mode"]).label, f"{session['minutes']} minutes", *details]
        found.add(
            Entry(
                day=session["held_on"],
                kind=Kind.SUPERVISION,
                title=title,
                url=record_url("volunteers:supervision-detail", pk),
                detail=" · ".join(details),
            )
        )


def _add_supervision_due(found: Entries, user, *, membership: Membership, first, last, filters: Filters) -> None:
    """When each active volunteer's next supervision falls due (the last
    session, or becoming active, plus the organisation's interval: the rule
    the compliance report and fitness to match use)."""
    settings = settings_for(membership.organisation_id)
    today = timezone.localdate()
    people = VolunteerProfile.objects.visible_to(user).filter(status=Status.ACTIVE)
    if filters.volunteer_id is not None:
        people = people.filter(pk=filters.volunteer_id)
    rows = (
        people.order_by()
        .values_list("pk", "user_id", "user__first_name", "user__last_name", "user__username", "active_since")
        .annotate(last=Max("supervision_sessions__held_on"))
    )
    for pk, user_id, first_name, last_name, username, active_since, last_held in rows:
        due = fitness.next_supervision_due(
            last_supervised_on=last_held, active_since=active_since, interval_weeks=settings.supervision_interval_weeks
        )
        if due is None or not first <= due <= last:
            continue
        # Past its day with no session since, it is overdue: the compliance report's word.
        state = "overdue" if due < today else "due"
        if user_id == user.pk:
            title = f"Your supervision is {state}"
        else:
            title = f"Supervision {state}: {_person(first_name, last_name, username)}"
        found.add(
            Entry(
                day=due,
                kind=Kind.SUPERVISION_DUE,
                title=title,
                url=record_url("volunteers:detail", pk),
                detail=(f"Last supervised {short_date(last_held)}" if last_held else "Not supervised yet"),
            )
        )
