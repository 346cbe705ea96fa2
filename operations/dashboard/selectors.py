"""Reads behind the manager dashboard: a fixed number of queries whatever
the number of rows, every one scoped with the model's ``visible_to``. Every
count is suppressed for publication, or exact in the internal mode
(``operations.dashboard.modes``): the same queries either way.

Definitions (what each figure counts, for a period of whole days and an
optional service):

- referrals: received in the period, by month received, by source, by how
  they came in (typed by staff, the online forms, a partner system) and by
  referrer type (the kind of the referrer's team in the directory; "not
  recorded" without a referrer or a team); the four tables share one total;
- waiting: days from received to support starting, for referrals whose
  support started in the period (median and 90th percentile);
- parents reached: distinct parents with a referral received in the period;
  reach counts (fathers, young parents under 20 on the day of referral,
  interpreter needed, refugee or asylum-seeking) and council areas are theirs;
- parents supported: distinct parents with a match whose support (first
  logged contact to ending) overlapped the period; active matches: started
  by the end of the period and not ended by then; contacts and contact hours:
  contact logs dated in the period;
- volunteer checks: active volunteers and PSOs today (not the period, and
  not per service: a volunteer may work for any service);
- groups: sessions held in the period (not cancelled), adults who attended
  (register plus drop-in head counts), crèche children present;
- outcomes: per validated measure, each parent's baseline against their
  latest later assessment up to the end of the period, for parents with an
  assessment in the period and whose evaluation consent stands;
- concerns: raised in the period, by kind, by urgency and by outcome ("not
  closed yet" for those still open; the three tables share one total).
  Filtered by a service, only concerns about a family of that service
  (not those about a volunteer's own wellbeing). Time to acknowledge: clock
  minutes from raised to acknowledged, for those raised in the period and
  acknowledged since, leaving out those opened from supervision (owned, so
  acknowledged, by the supervisor who wrote them);
- expenses: claims approved or paid, spent in the period, in pounds by
  month, service and kind (``operations.dashboard.expenses``).

Whose rows: a ``Scope``. A branch's dashboard counts the rows of the
organisation its manager works in, each through its model's
``visible_to(user)`` (``dashboard_for``). A federation's roll-up
(``rollup_for``) counts the rows of its sharing members with
``counted_for(organisation_ids)``, always suppressed for publication, with
the same queries (IN over the members' ids, never one query per member) and
no concerns or expenses; it adds a table per member and one by health board.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings as django_settings
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from operations.core.ages import age_in_years
from operations.core.models import active_membership
from operations.core.months import add_months_clamped
from operations.core.plans import planned_for_the_values
from operations.dashboard import stats
from operations.dashboard.expenses import expense_totals
from operations.dashboard.figures import Acknowledging, Dashboard, Outcome, Table, Waiting, table
from operations.dashboard.modes import Mode
from operations.dashboard.period import Filters, months_between
from operations.groups.models import Booking, BookingStatus, GroupSession, SessionStatus
from operations.outcomes import measures
from operations.outcomes.models import Assessment, Timepoint
from referrals.models import YOUNG_PARENT_UNDER, Channel, Referral, ReferrerKind, Source
from volunteers.fitness import next_supervision_due
from volunteers.matching.models import ContactLog, Match
from volunteers.models import Status as VolunteerStatus
from volunteers.models import VolunteerProfile, VolunteerSettings
from volunteers.safeguarding.models import Concern, ConcernStatus, Kind, Urgency
from volunteers.safeguarding.models import Outcome as ConcernOutcome
from volunteers.safeguarding.models import Source as ConcernSource

NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Scope:
    """Whose rows the figures count: those the signed-in ``user`` may see in
    the organisation they work in (each model's ``visible_to``), or, with no
    user, the rows of ``organisation_ids`` (a federation's sharing members,
    for suppressed counts only: ``counted_for``)."""

    user: Any
    organisation_ids: tuple[int, ...]

    @classmethod
    def of_user(cls, user) -> Scope:
        membership = active_membership(user)
        return cls(user=user, organisation_ids=(membership.organisation_id,) if membership else ())

    @classmethod
    def of_organisations(cls, organisation_ids: Iterable[int]) -> Scope:
        return cls(user=None, organisation_ids=tuple(sorted(set(organisation_ids))))

    @property
    def is_federation(self) -> bool:
        return self.user is None

    def rows(self, model) -> QuerySet:
        if self.user is not None:
            return model.objects.visible_to(self.user)
        return model.objects.counted_for(self.organisation_ids)

    def on(self, field: str) -> dict[str, Any]:
        """A filter naming the organisations on ``field`` as well (the
        indexes of the big tables start with it): ``=`` for one, ``IN`` for
        several, nothing matched for none."""
        if len(self.organisation_ids) == 1:
            return {field: self.organisation_ids[0]}
        if not self.organisation_ids:
            return {field: None}
        return {f"{field}__in": list(self.organisation_ids)}


def dashboard_for(user, filters: Filters, *, mode: Mode = Mode.PUBLICATION, today: dt.date | None = None) -> Dashboard:
    """The figures, suppressed unless ``mode`` asks for them exact: a caller
    that forgets the mode publishes nothing it should not."""
    # Counts over the chosen period: planned for its dates, never a generic plan.
    with planned_for_the_values():
        return _dashboard(Scope.of_user(user), filters, mode=mode, today=today or timezone.localdate())


@dataclass(frozen=True)
class Rollup:
    """A federation's figures: its sharing members pooled (``board``), each
    member's headline counts (``members``) and parents reached by health
    board; suppressed for publication, every one."""

    board: Dashboard
    members: Table

    @property
    def health_boards(self) -> Table:
        return self.board.tables["health_boards"]


def rollup_for(organisations: Iterable, filters: Filters, *, today: dt.date | None = None) -> Rollup:
    """The roll-up of ``organisations`` (a federation's sharing members:
    ``operations.core.federations.sharing_members``), ALWAYS suppressed for
    publication: there is no mode to ask for exact figures. A fixed number of
    queries whatever the number of members."""
    organisations = list(organisations)
    scope = Scope.of_organisations(organisation.pk for organisation in organisations)
    mode = Mode.PUBLICATION
    with planned_for_the_values():
        board = _dashboard(scope, filters, mode=mode, today=today or timezone.localdate())
        members = _members(scope, organisations, filters, mode)
    return Rollup(board=board, members=members)


def _dashboard(scope: Scope, filters: Filters, *, mode: Mode, today: dt.date) -> Dashboard:
    referral_tables, referrals_total, reach, places = _referrals_and_reach(scope, filters, mode)
    supported, active_matches = _matches(scope, filters)
    contacts, minutes = _contacts(scope, filters)
    contacts_figure = mode.protect(contacts)
    if scope.is_federation:
        # A federation sees no concerns and no member's spending: counts of
        # the service, not of its safeguarding or its accounts.
        concern_tables, acknowledging, expenses = {}, None, None
    else:
        concern_tables, acknowledging = _concerns(scope, filters, mode)
        expenses = expense_totals(scope.user, filters)
    return Dashboard(
        filters=filters,
        mode=mode,
        threshold=django_settings.DISCLOSURE_SUPPRESS_BELOW,
        headline={
            "referrals": referrals_total,
            "parents_reached": reach["parents_reached"],
            "parents_supported": mode.protect(supported),
            "active_matches": mode.protect(active_matches),
            "contacts": contacts_figure,
        },
        # Hours of a handful of contacts would say too much about them.
        contact_hours=None if contacts_figure.hidden else (Decimal(minutes) / 60).quantize(Decimal("0.1")),
        waiting=_waiting(scope, filters, mode),
        tables={
            **referral_tables,
            **places,
            **_volunteer_checks(scope, today, mode),
            "groups": _groups(scope, filters, mode),
            **concern_tables,
        },
        outcomes=_outcomes(scope, filters, mode),
        reach=reach,
        acknowledging=acknowledging,
        expenses=expenses,
    )


def _for_service(queryset: QuerySet, filters: Filters, field: str) -> QuerySet:
    if filters.service:
        return queryset.filter(**{field: filters.service})
    if filters.service_kind:
        # A federation's members each have their own services: one kind across them.
        return queryset.filter(**{f"{field}__kind": filters.service_kind})
    return queryset


#: The referrer type table's row for referrals without a referrer (or whose referrer has no team).
NO_REFERRER_KIND = ("not_recorded", NOT_RECORDED)


def _referrals_and_reach(scope: Scope, filters: Filters, mode: Mode):
    """Referrals by month, source, channel and referrer type, and who they reached: one query."""
    rows = (
        _for_service(scope.rows(Referral), filters, "service")
        .filter(received_on__range=(filters.date_from, filters.date_to))
        .order_by("received_on", "pk")
        .values_list(
            "received_on",
            "source",
            "channel",
            "referrer__referring_organisation__kind",
            "parent_id",
            "parent__role",
            "parent__date_of_birth",
            "parent__interpreter_needed",
            "parent__refugee_or_asylum_seeking",
            "parent__council_area__name",
            "parent__council_area__health_board",
        )
    )
    by_month: Counter = Counter()
    by_source: Counter = Counter()
    by_channel: Counter = Counter()
    by_referrer_kind: Counter = Counter()
    parents: dict[int, tuple] = {}
    for received_on, source, channel, referrer_kind, parent_id, *parent in rows:
        by_month[received_on.replace(day=1)] += 1
        by_source[source] += 1
        by_channel[channel] += 1
        by_referrer_kind[referrer_kind or NO_REFERRER_KIND[0]] += 1
        parents.setdefault(parent_id, (received_on, *parent))  # the first referral in the period

    months = list(months_between(filters.date_from, filters.date_to))
    kinds = [*ReferrerKind.choices, NO_REFERRER_KIND]
    # key: (caption, row heading, rows, counts, chart)
    counts = {
        "referrals_by_month": (
            "Referrals received by month",
            "Month",
            [(f"{m:%Y-%m}", f"{m:%b %Y}") for m in months],
            {f"{m:%Y-%m}": by_month[m] for m in months},
            "bar",
        ),
        "referrals_by_source": (
            "Referrals received by source",
            "Source",
            list(Source.choices),
            by_source,
            "horizontal",
        ),
        "referrals_by_channel": (
            "Referrals by how they came in",
            "Came in by",
            list(Channel.choices),
            by_channel,
            "horizontal",
        ),
        "referrals_by_referrer_kind": (
            "Referrals by referrer type",
            "Referrer type",
            kinds,
            by_referrer_kind,
            "horizontal",
        ),
    }

    def build(hide_totals: bool) -> dict[str, Table]:
        return {
            key: table(
                key=key,
                caption=caption,
                row_heading=heading,
                rows=table_rows,
                columns={"Referrals": [counted[value] for value, _ in table_rows]},
                chart=chart,
                hide_totals=hide_totals,
                mode=mode,
            )
            for key, (caption, heading, table_rows, counted, chart) in counts.items()
        }

    tables = build(hide_totals=False)
    if any(built.totals[0].hidden for built in tables.values()):
        # One total in four tables: hidden in one, it must be hidden in all.
        tables = build(hide_totals=True)

    reach, areas = _reach(parents, mode)
    places = {"council_areas": areas}
    if scope.is_federation:
        places["health_boards"] = _reach(parents, mode, by_health_board=True)[1]
    return tables, tables["referrals_by_month"].totals[0], reach, places


#: Reach columns: (key, heading). Each is counted per council area and is
#: protected as its own line; a parent may be in several (a young father).
REACH = (
    ("parents_reached", "Parents"),
    ("fathers", "Fathers"),
    ("young_parents", "Young parents (under 20)"),
    ("interpreter_needed", "Interpreter needed"),
    ("refugee_or_asylum_seeking", "Refugee or asylum-seeking"),
)


def _reach(parents: dict[int, tuple], mode: Mode, *, by_health_board: bool = False) -> tuple[dict, Table]:
    counts: dict[str, Counter] = {key: Counter() for key, _ in REACH}
    for received_on, role, born, needs_interpreter, refugee_or_asylum, council_area, health_board in parents.values():
        area = (health_board if by_health_board else council_area) or NOT_RECORDED
        age = None if born is None else age_in_years(born, received_on)
        counts["parents_reached"][area] += 1
        counts["fathers"][area] += role == "father"
        counts["young_parents"][area] += age is not None and age < YOUNG_PARENT_UNDER
        counts["interpreter_needed"][area] += bool(needs_interpreter)
        counts["refugee_or_asylum_seeking"][area] += bool(refugee_or_asylum)
    names = sorted(name for name in counts["parents_reached"] if name != NOT_RECORDED)
    if NOT_RECORDED in counts["parents_reached"]:
        names.append(NOT_RECORDED)
    areas = table(
        key="health_boards" if by_health_board else "council_areas",
        caption="Parents reached by health board" if by_health_board else "Parents reached by council area",
        row_heading="Health board" if by_health_board else "Council area",
        rows=[(name, name) for name in names],
        columns={heading: [counts[key][name] for name in names] for key, heading in REACH},
        chart="horizontal",
        mode=mode,
    )
    # The headline reach figures are the table's totals: one figure, one rule.
    reach = {key: areas.totals[index] if names else mode.protect(0) for index, (key, _) in enumerate(REACH)}
    return reach, areas


def _waiting(scope: Scope, filters: Filters, mode: Mode) -> Waiting:
    days = [
        max((started - received).days, 0)
        for received, started in _for_service(scope.rows(Referral), filters, "service")
        .filter(support_started_on__range=(filters.date_from, filters.date_to))
        .values_list("received_on", "support_started_on")
    ]
    referrals = mode.protect(len(days))
    if not days or referrals.hidden:
        return Waiting(referrals=referrals, median_days=None, p90_days=None)
    return Waiting(
        referrals=referrals,
        median_days=Decimal(str(stats.percentile(days, 0.5))).quantize(Decimal("0.1")),
        p90_days=Decimal(str(stats.percentile(days, 0.9))).quantize(Decimal("0.1")),
    )


def _match_counts(filters: Filters) -> dict[str, Count]:
    started = Q(started_on__isnull=False, started_on__lte=filters.date_to)
    return {
        "supported": Count(
            "parent", distinct=True, filter=started & (Q(ended_on__isnull=True) | Q(ended_on__gte=filters.date_from))
        ),
        "active": Count("pk", filter=started & (Q(ended_on__isnull=True) | Q(ended_on__gt=filters.date_to))),
    }


def _matches(scope: Scope, filters: Filters) -> tuple[int, int]:
    counts = _for_service(scope.rows(Match), filters, "referral__service").aggregate(**_match_counts(filters))
    return counts["supported"], counts["active"]


def _contacts(scope: Scope, filters: Filters) -> tuple[int, int]:
    totals = (
        _for_service(scope.rows(ContactLog), filters, "match__referral__service")
        # visible_to scopes through the matches; naming the organisation too
        # lets PostgreSQL read only its logs by their index, not every log (3x faster at 500,000).
        .filter(**scope.on("organisation_id"))
        .filter(contact_date__range=(filters.date_from, filters.date_to))
        # COUNT(*), not COUNT(id): the id is not in the index the query reads.
        .aggregate(contacts=Count("*"), minutes=Sum("duration_minutes"))
    )
    return totals["contacts"], totals["minutes"] or 0


def _volunteer_checks(scope: Scope, today: dt.date, mode: Mode) -> dict[str, Table]:
    # Each organisation's own intervals; unsaved defaults when a manager has
    # not set any: reading never writes.
    intervals = {s.organisation_id: s for s in VolunteerSettings.objects.filter(**scope.on("organisation_id"))}
    defaults = VolunteerSettings()
    rows = (
        scope.rows(VolunteerProfile)
        .filter(status=VolunteerStatus.ACTIVE)
        .annotate(last_supervised_on=Max("supervision_sessions__held_on"))
        .values_list("organisation_id", "active_since", "last_supervised_on", "pvg__pk", "pvg__renewal_due")
        .order_by()
    )
    supervision = Counter()
    pvg = Counter()
    horizon = add_months_clamped(today, 3)
    for organisation_id, active_since, last_supervised_on, pvg_id, renewal_due in rows:
        settings = intervals.get(organisation_id, defaults)
        due = next_supervision_due(
            last_supervised_on=last_supervised_on,
            active_since=active_since,
            interval_weeks=settings.supervision_interval_weeks,
        )
        in_date = due is not None and today <= due + dt.timedelta(weeks=settings.supervision_grace_weeks)
        supervision["in_date" if in_date else "overdue"] += 1
        if pvg_id is None or (renewal_due is not None and renewal_due < today):
            pvg["expired"] += 1
        elif renewal_due is not None and renewal_due <= horizon:
            pvg["renewing"] += 1
        else:
            pvg["valid"] += 1
    supervision_rows = [("in_date", "Supervised within the interval and grace period"), ("overdue", "Overdue")]
    pvg_rows = [("valid", "Valid"), ("renewing", "Renewal due within 3 months"), ("expired", "Expired or missing")]
    return {
        "supervision": table(
            key="supervision",
            caption="Active volunteers and PSOs today: supervision",
            row_heading="Supervision",
            rows=supervision_rows,
            columns={"People": [supervision[key] for key, _ in supervision_rows]},
            mode=mode,
        ),
        "pvg": table(
            key="pvg",
            caption="Active volunteers and PSOs today: PVG membership",
            row_heading="PVG",
            rows=pvg_rows,
            columns={"People": [pvg[key] for key, _ in pvg_rows]},
            mode=mode,
        ),
    }


def _local_day_bounds(filters: Filters) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _groups(scope: Scope, filters: Filters, mode: Mode) -> Table:
    start, end = _local_day_bounds(filters)
    held = Q(starts_at__gte=start, starts_at__lt=end, status=SessionStatus.SCHEDULED)
    sessions = {
        _as_month(row["month"]): row
        for row in _for_service(scope.rows(GroupSession), filters, "group__service")
        .filter(held)
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(
            sessions=Count("pk"),
            drop_in_adults=Sum(F("head_count__mothers") + F("head_count__fathers") + F("head_count__other_carers")),
            drop_in_children=Sum("head_count__children"),
        )
        .order_by()
    }
    attended = Q(status=BookingStatus.ATTENDED)
    bookings = {
        _as_month(row["month"]): row
        for row in _for_service(scope.rows(Booking), filters, "session__group__service")
        .filter(session__starts_at__gte=start, session__starts_at__lt=end, session__status=SessionStatus.SCHEDULED)
        .annotate(month=TruncMonth("session__starts_at"))
        .values("month")
        .annotate(
            adults=Count("pk", distinct=True, filter=attended),
            children=Count("children", filter=attended & Q(children__present=True)),
        )
        .order_by()
    }
    months = list(months_between(filters.date_from, filters.date_to))

    def month_value(source: dict, month: dt.date, name: str) -> int:
        return (source.get(month) or {}).get(name) or 0

    return table(
        key="groups",
        caption="Peer support groups by month",
        row_heading="Month",
        rows=[(f"{m:%Y-%m}", f"{m:%b %Y}") for m in months],
        columns={
            "Sessions held": [month_value(sessions, m, "sessions") for m in months],
            "Adults attending": [
                month_value(bookings, m, "adults") + month_value(sessions, m, "drop_in_adults") for m in months
            ],
            "Crèche children": [
                month_value(bookings, m, "children") + month_value(sessions, m, "drop_in_children") for m in months
            ],
        },
        chart="line",
        mode=mode,
    )


def _as_month(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


#: The outcome table's row for concerns still open: with it, the three
#: concern tables count the same concerns and share one total.
NOT_CLOSED = ("open", "Not closed yet")


def _concerns(scope: Scope, filters: Filters, mode: Mode) -> tuple[dict[str, Table], Acknowledging]:
    """Concerns raised in the period by kind, urgency and outcome, and the
    time to acknowledge them: one query."""
    start, end = _local_day_bounds(filters)
    rows = (
        _for_service(scope.rows(Concern), filters, "match__referral__service")
        .filter(raised_at__gte=start, raised_at__lt=end)
        .order_by()
        .values_list("kind", "urgency", "status", "outcome", "source", "raised_at", "acknowledged_at")
    )
    by_kind: Counter = Counter()
    by_urgency: Counter = Counter()
    by_outcome: Counter = Counter()
    minutes: list[float] = []
    for kind, urgency, status, outcome, source, raised_at, acknowledged_at in rows:
        by_kind[kind] += 1
        by_urgency[urgency] += 1
        by_outcome[outcome if status == ConcernStatus.CLOSED else NOT_CLOSED[0]] += 1
        if acknowledged_at is not None and source != ConcernSource.SUPERVISION:
            minutes.append(max((acknowledged_at - raised_at).total_seconds(), 0) / 60)

    outcome_rows = [*ConcernOutcome.choices, NOT_CLOSED]
    counts = {
        "concerns_by_kind": ("Concerns raised by kind", "Kind", list(Kind.choices), by_kind),
        "concerns_by_urgency": ("Concerns raised by urgency", "Urgency", list(Urgency.choices), by_urgency),
        "concerns_by_outcome": ("Concerns raised by outcome", "Outcome", outcome_rows, by_outcome),
    }

    def build(hide_totals: bool) -> dict[str, Table]:
        return {
            key: table(
                key=key,
                caption=caption,
                row_heading=heading,
                rows=rows,
                columns={"Concerns": [counted[value] for value, _ in rows]},
                chart="horizontal",
                hide_totals=hide_totals,
                mode=mode,
            )
            for key, (caption, heading, rows, counted) in counts.items()
        }

    tables = build(hide_totals=False)
    if any(built.totals[0].hidden for built in tables.values()):
        # One total in three tables: hidden in one, it must be hidden in all.
        tables = build(hide_totals=True)

    acknowledged = mode.protect(len(minutes))
    if not minutes or acknowledged.hidden:
        return tables, Acknowledging(concerns=acknowledged)
    return tables, Acknowledging(
        concerns=acknowledged,
        median_minutes=Decimal(str(stats.percentile(minutes, 0.5))).quantize(Decimal("0.1")),
        p90_minutes=Decimal(str(stats.percentile(minutes, 0.9))).quantize(Decimal("0.1")),
    )


def _outcomes(scope: Scope, filters: Filters, mode: Mode) -> list[Outcome]:
    # Naming the organisation on the parents and the subquery too (visible_to
    # already keeps to it) lets PostgreSQL read only its parents by their index
    # rather than hash every consenting parent of every organisation.
    in_period = Assessment.objects.filter(
        **scope.on("organisation_id"), taken_on__range=(filters.date_from, filters.date_to)
    ).values("parent_id")
    rows = (
        _for_service(scope.rows(Assessment).for_evaluation(), filters, "referral__service")
        .filter(**scope.on("parent__organisation_id"))
        .filter(measure__in=list(measures.MEASURES), taken_on__lte=filters.date_to, parent_id__in=in_period)
        .order_by("parent_id", "measure", "taken_on", "pk")
        .values_list("parent_id", "measure", "timepoint", "taken_on", "total")
    )
    series: dict[tuple[int, str], list[tuple[str, dt.date, Decimal]]] = defaultdict(list)
    for parent_id, code, timepoint, taken_on, total in rows:
        series[parent_id, code].append((timepoint, taken_on, total))
    pairs: dict[str, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for (_, code), taken in series.items():
        baseline = next((row for row in taken if row[0] == Timepoint.BASELINE), None)
        if baseline is None:
            continue
        later = [row for row in taken if row[1] > baseline[1]]
        if not later or later[-1][1] < filters.date_from:
            continue
        pairs[code].append((baseline[2], later[-1][2]))
    return [_outcome(measure, pairs.get(code, []), mode) for code, measure in measures.MEASURES.items()]


def _outcome(measure: measures.Measure, pairs: list[tuple[Decimal, Decimal]], mode: Mode) -> Outcome:
    """``pairs``: (baseline, latest) totals, one per parent."""
    people = mode.protect(len(pairs))
    common = {
        "code": measure.code,
        "name": measure.name,
        "higher_is_better": measure.higher_is_better,
        "reliable_change": measure.reliable_change,
        "people": people,
    }
    if not pairs or people.hidden:
        return Outcome(**common)
    improved = sum(1 for baseline, latest in pairs if measures.reliably_improved(measure, baseline, latest))
    # Improved and not improved add up to the people shown: protected as one
    # line, whose total is the number of people (hidden there, hidden here).
    line = mode.protect_line([improved, len(pairs) - improved])
    common["people"] = line.total
    share = None if line.cells[0].hidden or line.cells[1].hidden else round(100 * improved / len(pairs))
    return Outcome(
        **common,
        mean_change=stats.mean([measures.change(measure, baseline, latest) for baseline, latest in pairs]),
        improved=line.cells[0],
        not_improved=line.cells[1],
        share_improved=share,
    )


#: The roll-up's table per member: (column, what it counts).
MEMBER_COLUMNS = (
    ("Referrals", "referrals received in the period"),
    ("Parents reached", "distinct parents with a referral received in the period"),
    ("Support started", "referrals whose support started in the period"),
    ("Parents supported", "distinct parents whose support overlapped the period"),
    ("Active volunteers and PSOs", "today"),
    ("Group sessions held", "in the period, not cancelled"),
)


def _members(scope: Scope, organisations: list, filters: Filters, mode: Mode) -> Table:
    """Each member's headline counts: one grouped query per figure over all
    the members (IN over their ids), each column protected with its total."""
    referrals = {
        row["organisation_id"]: row
        for row in _for_service(scope.rows(Referral), filters, "service")
        .filter(received_on__range=(filters.date_from, filters.date_to))
        .values("organisation_id")
        .annotate(referrals=Count("pk"), parents=Count("parent", distinct=True))
        .order_by()
    }
    started = dict(
        _for_service(scope.rows(Referral), filters, "service")
        .filter(support_started_on__range=(filters.date_from, filters.date_to))
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
        .order_by()
    )
    supported = dict(
        _for_service(scope.rows(Match), filters, "referral__service")
        .values("organisation_id")
        .annotate(n=_match_counts(filters)["supported"])
        .values_list("organisation_id", "n")
        .order_by()
    )
    volunteers = dict(
        scope.rows(VolunteerProfile)
        .filter(status=VolunteerStatus.ACTIVE)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
        .order_by()
    )
    start, end = _local_day_bounds(filters)
    sessions = dict(
        _for_service(scope.rows(GroupSession), filters, "group__service")
        .filter(starts_at__gte=start, starts_at__lt=end, status=SessionStatus.SCHEDULED)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
        .order_by()
    )
    ids = [organisation.pk for organisation in organisations]
    counted = {
        "Referrals": [(referrals.get(pk) or {}).get("referrals", 0) for pk in ids],
        "Parents reached": [(referrals.get(pk) or {}).get("parents", 0) for pk in ids],
        "Support started": [started.get(pk, 0) for pk in ids],
        "Parents supported": [supported.get(pk, 0) for pk in ids],
        "Active volunteers and PSOs": [volunteers.get(pk, 0) for pk in ids],
        "Group sessions held": [sessions.get(pk, 0) for pk in ids],
    }
    return table(
        key="members",
        caption="Each sharing member",
        row_heading="Member",
        rows=[(organisation.slug, organisation.name) for organisation in organisations],
        columns={column: counted[column] for column, _ in MEMBER_COLUMNS},
        chart="horizontal",
        mode=mode,
    )
