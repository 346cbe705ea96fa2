"""The shapes the dashboard publishes: tables of protected counts, and their
JSON for the API and the charts. Every count here is a ``Figure`` that has
been through ``operations.core.disclosure`` (exact or suppressed, as the
mode chose: ``operations.dashboard.modes``): nothing else reaches a page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from operations.core.disclosure import SMALL, Figure
from operations.dashboard.modes import Mode
from operations.dashboard.period import Filters

if TYPE_CHECKING:
    from operations.dashboard.expenses import ExpenseTotals


@dataclass(frozen=True)
class Table:
    """Rows of counts, one column per series; each column is protected as
    one line with its total (the bottom row)."""

    key: str
    caption: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, str, tuple[Figure, ...]], ...]  # (key, label, one figure per column)
    totals: tuple[Figure, ...]
    chart: str = "bar"  # how the static script draws it: "bar", "line" or "horizontal"

    def as_json(self) -> dict:
        return {
            "caption": self.caption,
            "columns": list(self.columns),
            "rows": [
                {"key": key, "label": label, "values": [f.as_json() for f in figures]}
                for key, label, figures in self.rows
            ],
            "totals": [f.as_json() for f in self.totals],
        }

    def chart_data(self) -> dict:
        """What the chart script plots: shown counts as numbers, hidden ones
        as null with a mark saying what to draw instead (``chart_mark``)."""
        return {
            "key": self.key,
            "type": self.chart,
            "labels": [label for _, label, _ in self.rows],
            "series": [
                {
                    "label": column,
                    "values": [figures[index].public for _, _, figures in self.rows],
                    "marks": [chart_mark(figures[index]) for _, _, figures in self.rows],
                }
                for index, column in enumerate(self.columns)
            ],
        }


def chart_mark(figure: Figure) -> dict | None:
    """How a chart shows a hidden count, so that it is never a silent gap:
    "<10" is a hatched bar up to the threshold (it is somewhere under it)
    with its label; "suppressed" is at least the threshold by an unknown
    amount, so it is its label only, with no bar to misread."""
    if not figure.hidden:
        return None
    return {"text": figure.display, "up_to": figure.threshold if figure.status == SMALL else None}


def table(
    *,
    key: str,
    caption: str,
    row_heading: str,
    rows: Sequence[tuple[str, str]],
    columns: dict[str, Sequence[int]],
    mode: Mode,
    chart: str = "bar",
    hide_totals: bool = False,
) -> Table:
    """Builds a table from raw counts (``columns``: series name -> one count
    per row), protecting each column with its total (or exact, in internal mode)."""
    lines = [mode.protect_line(values, hide_total=hide_totals) for values in columns.values()]
    return Table(
        key=key,
        caption=caption,
        row_heading=row_heading,
        columns=tuple(columns),
        rows=tuple(
            (row_key, label, tuple(line.cells[index] for line in lines)) for index, (row_key, label) in enumerate(rows)
        ),
        totals=tuple(line.total for line in lines),
        chart=chart,
    )


@dataclass(frozen=True)
class Waiting:
    """Days from a referral being received to its support starting."""

    referrals: Figure
    median_days: Decimal | None
    p90_days: Decimal | None


def minutes_in_words(minutes: Decimal | float) -> str:
    """A length of time as people say it: "under a minute", "25 minutes",
    "3 hours 10 minutes", "2 days 4 hours" (to the nearest minute, and to
    the nearest hour from a day on: nobody reads "2 days 4 hours 7 minutes")."""
    whole = round(minutes)
    if whole < 1:
        return "under a minute"

    def unit(count: int, name: str) -> str:
        return f"{count}\xa0{name}{'s' if count != 1 else ''}"

    if whole < 60:
        return unit(whole, "minute")
    if whole < 24 * 60:
        hours, rest = divmod(whole, 60)
        return unit(hours, "hour") + (f" {unit(rest, 'minute')}" if rest else "")
    days, hours = divmod(round(whole / 60), 24)
    return unit(days, "day") + (f" {unit(hours, 'hour')}" if hours else "")


@dataclass(frozen=True)
class Acknowledging:
    """Minutes (clock time) from a concern being raised to being
    acknowledged, over the concerns raised in the period and acknowledged
    since; None when too few to show."""

    concerns: Figure
    median_minutes: Decimal | None = None
    p90_minutes: Decimal | None = None

    @property
    def enough(self) -> bool:
        return self.median_minutes is not None

    @property
    def median_words(self) -> str:
        return minutes_in_words(self.median_minutes) if self.enough else ""

    @property
    def p90_words(self) -> str:
        return minutes_in_words(self.p90_minutes) if self.enough else ""

    def as_json(self) -> dict:
        return {
            "concerns": self.concerns.as_json(),
            "median_minutes": str(self.median_minutes) if self.enough else None,
            "p90_minutes": str(self.p90_minutes) if self.enough else None,
        }


@dataclass(frozen=True)
class Outcome:
    """Baseline versus latest for one measure. With fewer people than the
    threshold nothing but "<10" is published."""

    code: str
    name: str
    higher_is_better: bool
    reliable_change: Decimal
    people: Figure
    mean_change: Decimal | None = None
    improved: Figure | None = None
    not_improved: Figure | None = None
    share_improved: int | None = None  # per cent

    @property
    def enough(self) -> bool:
        return self.mean_change is not None

    def as_json(self) -> dict:
        return {
            "measure": self.code,
            "name": self.name,
            "higher_is_better": self.higher_is_better,
            "reliable_change": str(self.reliable_change),
            "people": self.people.as_json(),
            "mean_change": str(self.mean_change) if self.mean_change is not None else None,
            "reliably_improved": self.improved.as_json() if self.improved else None,
            "share_reliably_improved": self.share_improved,
        }


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    mode: Mode
    threshold: int
    headline: dict[str, Figure]
    contact_hours: Decimal | None
    waiting: Waiting
    tables: dict[str, Table]
    outcomes: list[Outcome] = field(default_factory=list)
    reach: dict[str, Figure] = field(default_factory=dict)
    acknowledging: Acknowledging | None = None
    #: Volunteer expenses approved or paid in the period (operations.dashboard.expenses).
    expenses: ExpenseTotals | None = None

    def charts(self) -> list[dict]:
        """What the page's chart script draws: every table, and the mean
        improvement of each measure with enough people (a measure without
        is marked with its number of people, as the table says)."""
        outcomes = {
            "key": "outcomes",
            "type": "bar",
            "labels": [outcome.name for outcome in self.outcomes],
            "series": [
                {
                    "label": "Mean improvement",
                    "values": [float(o.mean_change) if o.enough else None for o in self.outcomes],
                    "marks": [
                        None if o.enough else {"text": f"{o.people.display} people", "up_to": None}
                        for o in self.outcomes
                    ],
                }
            ],
        }
        expenses = self.expenses.charts() if self.expenses is not None else []
        return [table.chart_data() for table in self.tables.values()] + [outcomes] + expenses
