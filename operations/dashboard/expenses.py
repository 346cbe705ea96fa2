"""Volunteer expenses on the manager dashboard: what the organisation owes
or has paid its volunteers and PSOs for the period, by month, by service
and by kind (mileage, or out-of-pocket by category). Funders ask for these.

Counted: claims approved or paid (not those waiting for a decision, queried
or rejected), by the date the money was spent, in the period; filtered by a
service, the claims made for contacts of that service. One query.

Amounts are shown exactly in both modes: they are the organisation's own
spending, not counts of parents, and a funder needs the real sum. The
number of claims behind them is not shown."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from operations.dashboard.period import Filters, months_between
from volunteers.expenses.models import ClaimStatus, ExpenseClaim, Kind, pounds

COUNTED = (ClaimStatus.APPROVED, ClaimStatus.PAID)
NO_SERVICE = "No service recorded"


@dataclass(frozen=True)
class Row:
    label: str
    mileage_pence: int = 0
    costs_pence: int = 0

    @property
    def total_pence(self) -> int:
        return self.mileage_pence + self.costs_pence

    @property
    def mileage(self) -> str:
        return pounds(self.mileage_pence)

    @property
    def costs(self) -> str:
        return pounds(self.costs_pence)

    @property
    def total(self) -> str:
        return pounds(self.total_pence)


@dataclass(frozen=True)
class ExpenseTotals:
    by_month: list[Row] = field(default_factory=list)
    by_service: list[Row] = field(default_factory=list)
    #: (category, amount in pence) of out-of-pocket costs, largest first.
    by_category: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> Row:
        return Row(
            "Total",
            sum(row.mileage_pence for row in self.by_month),
            sum(row.costs_pence for row in self.by_month),
        )

    @property
    def categories(self) -> list[tuple[str, str]]:
        return [(name, pounds(pence)) for name, pence in self.by_category]

    def charts(self) -> list[dict]:
        """The chart script's data: amounts in pounds, nothing hidden."""

        def series(rows: list[Row]) -> list[dict]:
            return [
                {"label": "Mileage", "values": [row.mileage_pence / 100 for row in rows], "marks": [None] * len(rows)},
                {
                    "label": "Out-of-pocket costs",
                    "values": [row.costs_pence / 100 for row in rows],
                    "marks": [None] * len(rows),
                },
            ]

        return [
            {
                "key": "expenses_by_month",
                "type": "bar",
                "labels": [row.label for row in self.by_month],
                "series": series(self.by_month),
            },
            {
                "key": "expenses_by_service",
                "type": "horizontal",
                "labels": [row.label for row in self.by_service],
                "series": series(self.by_service),
            },
        ]


def expense_totals(user, filters: Filters) -> ExpenseTotals:
    claims = ExpenseClaim.objects.visible_to(user).filter(
        status__in=COUNTED, spent_on__range=(filters.date_from, filters.date_to)
    )
    if filters.service:
        claims = claims.filter(service=filters.service)
    rows = (
        claims.annotate(month=TruncMonth("spent_on"))
        .values("month", "kind", "service__name", "category__name")
        .annotate(amount=Sum("amount_pence"))
        .order_by()
    )
    months: dict[dt.date, list[int]] = {month: [0, 0] for month in months_between(filters.date_from, filters.date_to)}
    services: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    categories: dict[str, int] = defaultdict(int)
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        column = 0 if row["kind"] == Kind.MILEAGE else 1
        months.setdefault(month, [0, 0])[column] += row["amount"]
        services[row["service__name"] or NO_SERVICE][column] += row["amount"]
        if column == 1:
            categories[row["category__name"]] += row["amount"]
    return ExpenseTotals(
        by_month=[Row(f"{month:%b %Y}", *amounts) for month, amounts in sorted(months.items())],
        by_service=[Row(name, *amounts) for name, amounts in sorted(services.items())],
        by_category=sorted(categories.items(), key=lambda item: (-item[1], item[0])),
    )
