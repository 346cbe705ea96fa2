"""Coverage by council area: where the organisation's referrals come from,
whom it supports, who is waiting and for how long, as counts and, where a
manager has entered the area's births, per 1,000 births.

Each column is protected like a dashboard table (``operations.dashboard``:
exact in internal mode, suppressed for publication, with its total), and a
rate or a median is only worked out from a count that is shown: a rate of a
hidden count would give the count back. Areas are the parent's council area,
as on the dashboard's reach table; a parent with none recorded is counted in
a "Not recorded" row, which the map leaves out.

Definitions, for a period and an optional service (as the dashboard's):
referrals received in the period; parents supported (a match whose support
overlapped the period); waiting today (referrals on the waiting list now);
waited (referrals whose support started in the period) and their median
days from received to support starting. Births are the latest year entered
up to the year the period ends.

A federation's coverage (``coverage_for_organisations``) pools its sharing
members' rows, always suppressed for publication; its births are the
members' own entries: for each area the latest year any sharing member
entered up to the period's last year and, should two members have entered
different figures for that year, the larger (the published figure is the
same for everyone, and the larger never overstates a rate).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from operations.core.disclosure import Figure
from operations.core.models import CouncilArea
from operations.coverage import hexmap
from operations.coverage.models import AreaBirths
from operations.dashboard import stats
from operations.dashboard.figures import table
from operations.dashboard.modes import Mode
from operations.dashboard.period import Filters
from operations.dashboard.selectors import Scope
from referrals.models import Referral
from referrals.workflow import Status as ReferralStatus
from volunteers.matching.models import Match

NOT_RECORDED = "Not recorded"
PER = 1000


#: key -> (words, column, per births)
MEASURES: dict[str, tuple[str, str, bool]] = {
    "referrals": ("Referrals received", "referrals", False),
    "referrals_rate": ("Referrals per 1,000 births", "referrals", True),
    "supported": ("Parents supported", "supported", False),
    "supported_rate": ("Parents supported per 1,000 births", "supported", True),
    "waiting": ("Waiting today", "waiting", False),
    "waiting_rate": ("Waiting today per 1,000 births", "waiting", True),
    "median_wait": ("Median wait (days)", "median_wait", False),
}
DEFAULT_MEASURE = "referrals"

COLUMNS = (
    ("referrals", "Referrals received"),
    ("supported", "Parents supported"),
    ("waiting", "Waiting today"),
    ("waited", "Support started"),
)


@dataclass(frozen=True)
class AreaRow:
    key: str  # the area's GSS code, or NOT_RECORDED
    name: str
    health_board: str
    figures: dict[str, Figure]
    births: int | None
    births_year: int | None
    rates: dict[str, Decimal | None]  # column -> per 1,000 births, when the count is shown and births known
    median_wait: Decimal | None

    def value(self, measure: str) -> Decimal | int | None:
        """The number the map colours by, or None when it is hidden or unknown."""
        _, column, per_births = MEASURES[measure]
        if column == "median_wait":
            return self.median_wait
        if per_births:
            return self.rates.get(column)
        figure = self.figures[column]
        return None if figure.hidden else figure.value


@dataclass(frozen=True)
class Coverage:
    filters: Filters
    mode: Mode
    rows: tuple[AreaRow, ...]  # areas with anything to show, by name; "Not recorded" last
    totals: dict[str, Figure]
    births_entered: bool
    organisation_area_codes: frozenset[str]

    def row_for(self, gss_code: str) -> AreaRow | None:
        return next((row for row in self.rows if row.key == gss_code), None)


def rate(count: int, births: int | None) -> Decimal | None:
    if not births:
        return None
    return (Decimal(count) * PER / births).quantize(Decimal("0.1"), ROUND_HALF_UP)


def coverage_for(user, filters: Filters, *, mode: Mode, today: dt.date) -> Coverage:
    """The coverage of the organisation ``user`` works in, exact or suppressed as ``mode`` says."""
    return _coverage(Scope.of_user(user), filters, mode=mode, today=today)


def coverage_for_organisations(organisation_ids, filters: Filters, *, today: dt.date) -> Coverage:
    """A federation's coverage: its sharing members pooled, ALWAYS suppressed
    for publication. The same queries, with IN over the members' ids."""
    return _coverage(Scope.of_organisations(organisation_ids), filters, mode=Mode.PUBLICATION, today=today)


def _of_service(queryset, filters: Filters, field: str):
    if filters.service:
        return queryset.filter(**{field: filters.service})
    if filters.service_kind:
        return queryset.filter(**{f"{field}__kind": filters.service_kind})
    return queryset


def _coverage(scope: Scope, filters: Filters, *, mode: Mode, today: dt.date) -> Coverage:
    referrals = _of_service(scope.rows(Referral), filters, "service")
    received = Counter(
        dict(
            referrals.filter(received_on__range=(filters.date_from, filters.date_to))
            .values_list("parent__council_area_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    waiting = Counter(
        dict(
            referrals.filter(status=ReferralStatus.WAITING, received_on__lte=today)
            .values_list("parent__council_area_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    waited_days: dict[int | None, list[int]] = defaultdict(list)
    for area_id, received_on, started_on in (
        referrals.filter(support_started_on__range=(filters.date_from, filters.date_to))
        .values_list("parent__council_area_id", "received_on", "support_started_on")
        .order_by()
    ):
        waited_days[area_id].append(max((started_on - received_on).days, 0))

    matches = _of_service(scope.rows(Match), filters, "referral__service")
    overlapping = Q(started_on__isnull=False, started_on__lte=filters.date_to) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=filters.date_from)
    )
    supported = Counter(
        dict(
            matches.filter(overlapping)
            .values_list("parent__council_area_id")
            .annotate(n=Count("parent", distinct=True))
            .order_by()
        )
    )

    births: dict[int, tuple[int, int]] = {}  # area id -> (year, births), the latest year up to the period's end
    for area_id, year, count in (
        scope.rows(AreaBirths)
        .filter(year__lte=filters.date_to.year)
        # Several members of a federation may have entered one area's year: the larger.
        .order_by("council_area_id", "-year", "-births")
        .values_list("council_area_id", "year", "births")
    ):
        births.setdefault(area_id, (year, count))

    own_area_ids = set(
        CouncilArea.objects.filter(organisations__in=scope.organisation_ids).values_list("pk", flat=True)
        if scope.organisation_ids
        else []
    )
    areas = {area.pk: area for area in CouncilArea.objects.all()}
    shown_ids = sorted(
        {*received, *waiting, *waited_days, *supported, *births, *own_area_ids} - {None},
        key=lambda pk: areas[pk].name,
    )
    ids: list[int | None] = [*shown_ids]
    if any(None in counter for counter in (received, waiting, supported)) or None in waited_days:
        ids.append(None)

    counts = {
        "referrals": [received[pk] for pk in ids],
        "supported": [supported[pk] for pk in ids],
        "waiting": [waiting[pk] for pk in ids],
        "waited": [len(waited_days[pk]) for pk in ids],
    }
    protected = table(
        key="coverage",
        caption="Coverage by council area",
        row_heading="Council area",
        rows=[(areas[pk].gss_code if pk else NOT_RECORDED, areas[pk].name if pk else NOT_RECORDED) for pk in ids],
        columns={heading: counts[key] for key, heading in COLUMNS},
        mode=mode,
    )
    rows = []
    for pk, (key, name, figures) in zip(ids, protected.rows, strict=True):
        by_column = {column: figures[index] for index, (column, _) in enumerate(COLUMNS)}
        year, area_births = births.get(pk, (None, None))
        rows.append(
            AreaRow(
                key=key,
                name=name,
                health_board=areas[pk].health_board if pk else "",
                figures=by_column,
                births=area_births,
                births_year=year,
                rates={
                    column: None if by_column[column].hidden else rate(by_column[column].value, area_births)
                    for column in ("referrals", "supported", "waiting")
                },
                median_wait=(
                    Decimal(str(stats.percentile(waited_days[pk], 0.5))).quantize(Decimal("0.1"))
                    if waited_days[pk] and not by_column["waited"].hidden
                    else None
                ),
            )
        )
    return Coverage(
        filters=filters,
        mode=mode,
        rows=tuple(rows),
        totals={column: protected.totals[index] for index, (column, _) in enumerate(COLUMNS)},
        births_entered=bool(births),
        organisation_area_codes=frozenset(areas[pk].gss_code for pk in own_area_ids),
    )


#: Map colours, lightest first: no data, then five steps. Text on the two
#: darkest is white; on the others near-black (both at least 4.5:1).
FILLS = ("#f1f3f5", "#dbe9f6", "#a9cce8", "#6aaed6", "#2f7ebc", "#0b4a8b")
DARK_FROM = 4
STEPS = 5


@dataclass(frozen=True)
class MapHex:
    hex: hexmap.Hex
    name: str
    display: str  # the figure under the name: "12", "<10", "4.2", "—"
    fill: str
    light_text: bool
    hidden: bool  # a suppressed count: drawn hatched
    in_organisation: bool


@dataclass(frozen=True)
class LegendStep:
    fill: str
    words: str


def _display(value) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value}"


def map_of(coverage: Coverage, measure: str) -> tuple[list[MapHex], list[LegendStep]]:
    """Every area's hexagon, coloured by ``measure`` in five equal steps from
    zero to the highest value shown; a hidden count is hatched and labelled
    as the table labels it, an area with nothing is the lightest grey."""
    values = {}
    for row in coverage.rows:
        if row.key != NOT_RECORDED:
            values[row.key] = row.value(measure)
    highest = max((value for value in values.values() if value), default=0)
    _, column, per_births = MEASURES[measure]
    areas = {area.gss_code: area.name for area in CouncilArea.objects.only("gss_code", "name")}
    drawn = []
    for cell in hexmap.hexes():
        row = coverage.row_for(cell.gss_code)
        value = values.get(cell.gss_code)
        figure = row.figures.get(column) if row and column in row.figures else None
        hidden = bool(figure and figure.hidden)
        step = 0
        if value and highest:
            step = min(STEPS, max(1, math.ceil(Decimal(value) * STEPS / Decimal(highest))))
        if hidden:
            display = figure.display
        elif row is None or (value is None and (per_births or column == "median_wait")):
            display = "—"
        else:
            display = _display(value)
        drawn.append(
            MapHex(
                hex=cell,
                name=areas.get(cell.gss_code, cell.gss_code),
                display=display,
                fill=FILLS[int(step)],
                light_text=step >= DARK_FROM,
                hidden=hidden,
                in_organisation=cell.gss_code in coverage.organisation_area_codes,
            )
        )
    legend = [LegendStep(FILLS[0], "None or not known")]
    if highest:
        width = Decimal(highest) / STEPS
        for step in range(1, STEPS + 1):
            low, high = width * (step - 1), width * step
            if isinstance(highest, int):
                # The whole numbers that fall in this step (none, for a small highest value).
                first, last = int(low) + 1, int(high)
                words = "" if first > last else (f"{first}" if first == last else f"{first} to {last}")
            elif step == 1:
                words = f"up to {high.quantize(Decimal('0.1'))}"
            else:
                words = f"{low.quantize(Decimal('0.1'))} to {high.quantize(Decimal('0.1'))}"
            if words:
                legend.append(LegendStep(FILLS[step], words))
    return drawn, legend


def map_context(coverage: Coverage, measure: str) -> dict:
    """What a coverage page's map and table (coverage/_map_and_table.html) need."""
    hexes, legend = map_of(coverage, measure)
    width, height = hexmap.size()
    return {
        "coverage": coverage,
        "hexes": hexes,
        "legend": legend,
        "measure_words": MEASURES[measure][0],
        "per_births": MEASURES[measure][2],
        "map_width": width,
        "map_height": height,
    }
