"""Reads of the referrals app: board, waiting list, home panels (the parent's timeline is in timeline.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import NamedTuple

from django.db import connections
from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from operations.core.dates import short_date
from operations.core.searching import read_query
from operations.core.working_days import subtract_working_days
from referrals.models import Channel, Child, Parent, Referral, Urgency, parent_name
from referrals.workflow import OPEN_STATUSES, Status, move_choices

ENDING_SOON_WEEKS = 8


def referrals_filtered(queryset: QuerySet[Referral], params) -> QuerySet[Referral]:
    """The board's and the API list's filters: status, service, council area, urgency."""
    if status := params.get("status"):
        queryset = queryset.filter(status=status)
    if service := params.get("service"):
        queryset = queryset.filter(service_id=service) if str(service).isdigit() else queryset.none()
    if area := params.get("council_area"):
        queryset = queryset.filter(parent__council_area_id=area) if str(area).isdigit() else queryset.none()
    if urgency := params.get("urgency"):
        queryset = queryset.filter(urgency=urgency) if str(urgency).isdigit() else queryset.none()
    return queryset


STATUS_LABELS = dict(Status.choices)
URGENCY_LABELS = dict(Urgency.choices)
CHANNEL_LABELS = dict(Channel.choices)
ONLINE_CHANNELS = {Channel.SELF_ONLINE, Channel.PROFESSIONAL_ONLINE}


def received_text(received_on: date, today: date) -> str:
    return f"Received {short_date(received_on)} ({timesince(received_on, today)} ago)"


class Card(NamedTuple):
    """What a triage card shows (referrals/_card.html), as plain values: the
    board reads them straight from its one query; a move's answer takes them
    from the referral."""

    pk: int
    status: str
    urgency: int
    received_on: date
    eligibility_end: date | None
    eligibility_reason: str
    eligibility_estimated: bool
    service_name: str
    parent_name: str
    #: "Received 2 Nov 2026 (1 month ago)": plain text worked out here, as the
    #: board shows 42 cards and every filter in a template costs render time.
    received_text: str = ""
    #: How it came in (``Channel``), and who referred: the directory's referrer and their team.
    channel: str = Channel.STAFF
    referrer_id: int | None = None
    referrer_name: str = ""
    referrer_team: str = ""

    @classmethod
    def of(cls, referral: Referral) -> Card:
        referrer = referral.referrer
        team = referrer.referring_organisation if referrer is not None else None
        return cls(
            referral.pk,
            referral.status,
            referral.urgency,
            referral.received_on,
            referral.eligibility_end,
            referral.eligibility_reason,
            referral.eligibility_estimated,
            referral.service.name,
            referral.parent.display_name,
            received_text(referral.received_on, timezone.localdate()),
            referral.channel,
            referral.referrer_id,
            referrer.name if referrer is not None else "",
            team.name if team is not None else "",
        )

    @classmethod
    def from_row(cls, row: tuple, today: date) -> Card:
        """A card from a row of ``BOARD_CARD_FIELDS``."""
        *shown, first_name, preferred_name, last_name, channel, referrer_id, referrer_name, team = row
        return cls(
            *shown,
            parent_name(first_name, preferred_name, last_name),
            received_text(shown[3], today),
            channel,
            referrer_id,
            referrer_name or "",
            team or "",
        )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(self.channel, "")

    @property
    def came_online(self) -> bool:
        """Sent through one of the online forms: the card says "Online"."""
        return self.channel in ONLINE_CHANNELS

    @property
    def referrer_url(self) -> str:
        return reverse("referrals:referrer-detail", args=[self.referrer_id]) if self.referrer_id else ""

    @property
    def detail_url(self) -> str:
        return reverse("referrals:referral-detail", args=[self.pk])

    @property
    def move_url(self) -> str:
        return reverse("referrals:referral-transition", args=[self.pk])

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS.get(self.urgency, self.urgency)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def moves(self) -> list[tuple[str, str]]:
        """The card's "Move to" choices: the states it may move to."""
        return move_choices(self.status)


@dataclass
class BoardColumn:
    status: str
    label: str
    count: int
    referrals: list[Card]


#: Cards per column on the full board, and when one state is chosen: a
#: column of hundreds helps nobody triage, and every card costs render time.
BOARD_CARDS = 6
BOARD_CARDS_ONE_STATE = 100
#: What a card shows (Card), in its order: the parent's name, then how it came in and who referred.
BOARD_CARD_FIELDS = [
    "pk", "status", "urgency", "received_on", "eligibility_end", "eligibility_reason", "eligibility_estimated",
    "service__name", "parent__first_name", "parent__preferred_name", "parent__last_name",
    "channel", "referrer_id", "referrer__name", "referrer__referring_organisation__name",
]  # fmt: skip


def triage_board(user, params, *, per_column: int | None = None) -> list[BoardColumn]:
    """Open referrals grouped by state, the most pressing first in each
    column, each column capped; counts are exact."""
    if per_column is None:
        per_column = BOARD_CARDS_ONE_STATE if params.get("status") else BOARD_CARDS
    today = timezone.localdate()
    base = referrals_filtered(Referral.objects.visible_to(user).open(), params)
    ordering = ["urgency", "eligibility_end", "received_on", "pk"]
    # One query: the first ``per_column`` of every state (a window per state),
    # each row also carrying its state's count, taken before the cap. A state
    # with no row in the answer has no referral at all.
    rows = (
        base.annotate(
            place=Window(RowNumber(), partition_by="status", order_by=ordering),
            in_state=Window(Count("pk"), partition_by="status"),
        )
        .filter(place__lte=per_column)
        .order_by(*ordering)
        .values_list(*BOARD_CARD_FIELDS, "in_state")
    )
    cards: dict[str, list[Card]] = {status: [] for status in OPEN_STATUSES}
    counts: dict[str, int] = {}
    for *shown, in_state in rows:
        card = Card.from_row(shown, today)
        cards[card.status].append(card)
        counts[card.status] = in_state
    return [
        BoardColumn(status, STATUS_LABELS[status], counts.get(status, 0), cards[status]) for status in OPEN_STATUSES
    ]


def triage_board_all_rows(user, params) -> Iterator[Card]:
    """Every open referral the board's filters find, column by column (the
    board's order of states), the most pressing first in each; read in
    chunks as they are written out."""
    today = timezone.localdate()
    in_board_order = Case(
        *(When(status=status, then=Value(place)) for place, status in enumerate(OPEN_STATUSES)),
        default=Value(len(OPEN_STATUSES)),
    )
    rows = (
        referrals_filtered(Referral.objects.visible_to(user).open(), params)
        .annotate(column=in_board_order)
        .order_by("column", "urgency", "eligibility_end", "received_on", "pk")
        .values_list(*BOARD_CARD_FIELDS)
    )
    for row in rows.iterator(chunk_size=2000):
        yield Card.from_row(row, today)


#: The typical wait for a service is measured over the support that started in this many days before today.
TYPICAL_WAIT_WINDOW_DAYS = 365


def typical_waits(user, *, today: date) -> dict[int, int]:
    """Each service's median wait in days, as the dashboard measures a wait
    (referral received to support starting), over the support that started
    in the last 12 months. A service with no such referral has no entry:
    no history, no typical wait. One query, whatever the number of services."""
    waits: dict[int, list[int]] = defaultdict(list)
    started = Referral.objects.visible_to(user).filter(
        support_started_on__gt=today - timedelta(days=TYPICAL_WAIT_WINDOW_DAYS), support_started_on__lte=today
    )
    for service_id, received_on, started_on in started.values_list("service_id", "received_on", "support_started_on"):
        waits[service_id].append(max((started_on - received_on).days, 0))
    return {service_id: round(median(days)) for service_id, days in waits.items()}


def waiting_list(user, *, today: date, waits: dict[int, int]) -> QuerySet[Referral]:
    """The waiting list in priority order: most urgent first; within an
    urgency, parents at risk of ageing out (eligibility ending before their
    service's typical wait is over, ``waits`` from ``typical_waits``), then
    the closest to the end of their eligibility, then the longest waiting."""
    at_risk = Q(pk__in=[])
    for service_id, days in waits.items():
        ends_in_the_wait = Q(eligibility_end__gte=today, eligibility_end__lt=today + timedelta(days=days))
        at_risk |= Q(service_id=service_id) & ends_in_the_wait
    return (
        Referral.objects.visible_to(user)
        .waiting_list()
        .annotate(ageing_out=Case(When(at_risk, then=Value(True)), default=Value(False), output_field=BooleanField()))
        .order_by("urgency", "-ageing_out", F("eligibility_end").asc(nulls_last=True), "received_on", "pk")
    )


#: What a row of the waiting list shows (referrals/waiting_list.html).
WAITING_ROW_FIELDS = [
    "pk", "urgency", "received_on", "eligibility_start", "eligibility_end", "eligibility_reason",
    "eligibility_estimated", "service_id", "service__name", "parent__first_name", "parent__preferred_name",
    "parent__last_name", "ageing_out",
]  # fmt: skip


def weeks_or_days(days: int) -> str:
    """``9 weeks``, or ``10 days`` under a fortnight."""
    if days >= 14:
        weeks = round(days / 7)
        return f"{weeks} weeks"
    return f"{days} day{'s' if days != 1 else ''}"


def ageing_out_text(end: date, wait_days: int) -> str:
    return f"eligibility ends {short_date(end)}; typical wait {weeks_or_days(wait_days)}"


class WaitingRow(NamedTuple):
    pk: int
    urgency: int
    received_on: date
    eligibility_start: date | None
    eligibility_end: date | None
    eligibility_reason: str
    eligibility_estimated: bool
    service_name: str
    parent_name: str
    #: Days until the end of eligibility (negative once past it), None without an end date.
    days_left: int | None
    #: At risk of ageing out: "eligibility ends 3 Mar 2027; typical wait 9 weeks" ("" when not).
    ageing_out: str = ""

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS.get(self.urgency, self.urgency)


def waiting_list_rows(page: QuerySet[Referral], *, today: date, waits: dict[int, int]) -> list[WaitingRow]:
    """A page of ``waiting_list`` as plain rows. The page, not the whole
    list, so the paginator's count joins nothing."""
    return list(_waiting_rows(page.values_list(*WAITING_ROW_FIELDS), today=today, waits=waits))


def waiting_list_all_rows(user, *, today: date) -> Iterator[WaitingRow]:
    """The whole waiting list in priority order, read in chunks as it is
    written out (the download): never held whole."""
    waits = typical_waits(user, today=today)
    queryset = waiting_list(user, today=today, waits=waits).values_list(*WAITING_ROW_FIELDS)
    return _waiting_rows(queryset.iterator(chunk_size=2000), today=today, waits=waits)


def _waiting_rows(values: Iterable[tuple], *, today: date, waits: dict[int, int]) -> Iterator[WaitingRow]:
    for (
        pk, urgency, received_on, start, end, reason, estimated, service_id, service_name,
        first_name, preferred_name, last_name, ageing_out,
    ) in values:  # fmt: skip
        yield WaitingRow(
            pk, urgency, received_on, start, end, reason, estimated, service_name,
            parent_name(first_name, preferred_name, last_name),
            None if end is None else (end - today).days,
            ageing_out_text(end, waits[service_id]) if ageing_out else "",
        )  # fmt: skip


#: Rows per home-page panel. A full panel says "10+" and links to the rest.
PANEL_ROWS = 10
_PARENT_NAME = ["parent__first_name", "parent__preferred_name", "parent__last_name"]
#: The columns the panels show, read as plain rows: the home page is opened
#: many times a day and model instances for every row cost more than the SQL.
PANEL_REFERRAL_FIELDS = [
    "pk", "status", "urgency", "received_on", "eligibility_end",
    "service_id", "service__name", "service__waiting_target_working_days", *_PARENT_NAME,
]  # fmt: skip
PANEL_CHILD_FIELDS = ["pk", "parent_id", "due_date", "loss_date", *_PARENT_NAME]


#: A panel is its rows' order and the test one row passes to be in it.
Panel = tuple[list[str], Callable[[dict], bool]]


def _firsts(
    queryset: QuerySet, panels: dict[str, QuerySet], orderings: dict[str, list[str]], limit: int, fields: list[str]
) -> QuerySet:
    """The first ``limit`` rows of each panel (a subset of ``queryset`` in
    its order) in one query: limited subqueries choose each panel's rows."""
    firsts = [rows.order_by(*orderings[name], "pk").values("pk")[:limit] for name, rows in panels.items()]
    if connections[queryset.db].features.supports_slicing_ordering_in_compound:
        # A UNION, not ``pk IN (…) OR pk IN (…)``: PostgreSQL answers an OR of
        # subqueries by scanning the whole table, a union by the primary key.
        chosen = Q(pk__in=firsts[0].union(*firsts[1:], all=True))
    else:  # SQLite allows no LIMIT inside a UNION
        chosen = Q(pk__in=[])
        for first in firsts:
            chosen |= Q(pk__in=first)
    return queryset.filter(chosen).order_by().values(*fields)


def _share_out(fetched: list[dict], panels: dict[str, Panel], limit: int) -> dict[str, list]:
    """The fetched rows shared out again by the same conditions as tests on
    one row (a row may be in several panels), each panel in its order."""
    for row in fetched:
        row["name"] = parent_name(row["parent__first_name"], row["parent__preferred_name"], row["parent__last_name"])
    found = {}
    for name, (ordering, belongs) in panels.items():
        mine = sorted((row for row in fetched if belongs(row)), key=lambda row, o=ordering: _sort_key(row, o))
        found[name] = mine[:limit]
    return found


def _sort_key(row: dict, ordering: list[str]) -> tuple:
    return (*(row[field] for field in ordering), row["pk"])


REFERRAL_PANEL_ORDER = {
    "new_referrals": ["urgency", "received_on"],
    "overdue": ["received_on"],
    "ending_soon": ["eligibility_end"],
    "past_end": ["eligibility_end"],
}
CHILD_PANEL_ORDER = {"births_to_confirm": ["due_date"], "loss_reviews": ["loss_date"]}


def _referral_panel_rows(user, *, today: date, horizon: date, cutoffs: dict[int, date]) -> QuerySet:
    """Open referrals in any of the four referral panels (the SQL side of
    ``_referral_panel_tests``)."""
    referrals = Referral.objects.visible_to(user).filter(status__in=OPEN_STATUSES)
    received = referrals.filter(status=Status.RECEIVED)
    late = Q(pk__in=[])
    for service_id, cutoff in cutoffs.items():
        late |= Q(service_id=service_id, received_on__lt=cutoff)
    panels = {
        "new_referrals": received,
        "overdue": received.filter(late),
        "ending_soon": referrals.filter(eligibility_end__gte=today, eligibility_end__lte=horizon),
        "past_end": referrals.filter(eligibility_end__lt=today),
    }
    return _firsts(referrals, panels, REFERRAL_PANEL_ORDER, PANEL_ROWS, PANEL_REFERRAL_FIELDS)


def _referral_panel_tests(*, today: date, horizon: date, cutoffs: dict[int, date]) -> dict[str, Panel]:
    def ending_soon(r: dict) -> bool:
        return r["eligibility_end"] is not None and today <= r["eligibility_end"] <= horizon

    def past_end(r: dict) -> bool:
        return r["eligibility_end"] is not None and r["eligibility_end"] < today

    def overdue(r: dict) -> bool:
        cutoff = cutoffs.get(r["service_id"])
        return r["status"] == Status.RECEIVED and cutoff is not None and r["received_on"] < cutoff

    tests = {
        "new_referrals": lambda r: r["status"] == Status.RECEIVED,
        "overdue": overdue,
        "ending_soon": ending_soon,
        "past_end": past_end,
    }
    return {name: (REFERRAL_PANEL_ORDER[name], test) for name, test in tests.items()}


def _child_panel_rows(user, *, today: date) -> QuerySet:
    children = Child.objects.visible_to(user)
    # Exists, not a join: a parent with two open referrals must not take two places.
    open_referral = Referral.objects.filter(parent_id=OuterRef("parent_id"), status__in=OPEN_STATUSES)
    panels = {
        "births_to_confirm": children.birth_to_confirm(today).filter(Exists(open_referral)),
        "loss_reviews": children.loss_review_open(),
    }
    return _firsts(children, panels, CHILD_PANEL_ORDER, PANEL_ROWS, PANEL_CHILD_FIELDS)


#: A birth to confirm has no loss recorded; a loss review has one.
CHILD_PANEL_TESTS: dict[str, Panel] = {
    "births_to_confirm": (CHILD_PANEL_ORDER["births_to_confirm"], lambda c: c["loss_date"] is None),
    "loss_reviews": (CHILD_PANEL_ORDER["loss_reviews"], lambda c: c["loss_date"] is not None),
}


def coordinator_panels(user, today: date | None = None) -> dict:
    """What needs a coordinator's attention today, for the home page: plain
    rows (dicts of PANEL_*_FIELDS and ``name``; referrals also carry their
    ``urgency_label``), first ``PANEL_ROWS`` of each panel, in two queries."""
    today = today or timezone.localdate()
    dates = {
        "today": today,
        "horizon": today + timedelta(weeks=ENDING_SOON_WEEKS),
        # Waiting past target: not yet contacted within the service's working-day target.
        "cutoffs": {
            service.pk: subtract_working_days(today, service.waiting_target_working_days)
            for service in user.organisation_services
        },
    }
    fetched = list(_referral_panel_rows(user, **dates))
    urgency_labels = dict(Urgency.choices)
    for row in fetched:
        row["urgency_label"] = urgency_labels.get(row["urgency"], "")
    found = _share_out(fetched, _referral_panel_tests(**dates), PANEL_ROWS)
    found |= _share_out(list(_child_panel_rows(user, today=today)), CHILD_PANEL_TESTS, PANEL_ROWS)
    return {"today": today, "panel_rows": PANEL_ROWS, **found}


def referral_counts_by_state(user) -> dict[str, int]:
    rows = Referral.objects.visible_to(user).values_list("status").annotate(n=Count("pk"))
    return dict(rows.values_list("status", "n"))


def parents_search(user, query: str) -> QuerySet[Parent]:
    """The parent list's search: every word of the query somewhere in the
    parent's names, postcode or phone number, in any order ("Yasmin
    Turnbull", "turnbull yasmin", "td74eg", "+44 7700 900123"), accents and
    case ignored; a record number ("#41") finds that parent."""
    parents = Parent.objects.visible_to(user).select_related("council_area")
    read = read_query(query)
    return parents.matching(read) if not read.is_empty else parents


def referral_numbered(user, number: int | None) -> Referral | None:
    """The referral of that number, if ``user`` may see it (the search box's
    "#41")."""
    if number is None:
        return None
    return Referral.objects.visible_to(user).select_related("parent", "service").filter(pk=number).first()
