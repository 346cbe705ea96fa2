"""The dashboard's filters: a period of whole days and an optional service.
Pure rules shared by the page's form and the API's serializer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from operations.core.models import Service, ServiceKind
from operations.core.months import add_months_clamped

#: Twelve calendar months ending with the current one.
DEFAULT_MONTHS = 12
#: Longer periods make monthly charts unreadable and are not what a funder asks for.
MAX_YEARS = 10


@dataclass(frozen=True)
class Filters:
    date_from: dt.date
    date_to: dt.date
    service: Service | None = None
    #: A kind of service (``ServiceKind``) across organisations: the federation roll-up's filter.
    service_kind: str = ""

    @property
    def service_id(self) -> int | None:
        return self.service.pk if self.service else None

    @property
    def service_kind_label(self) -> str:
        return ServiceKind(self.service_kind).label if self.service_kind else ""


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return add_months_clamped(today.replace(day=1), -(DEFAULT_MONTHS - 1)), today


def period_errors(date_from: dt.date, date_to: dt.date) -> dict[str, str]:
    """Field errors for a period (empty when it is usable)."""
    if date_from > date_to:
        return {"date_to": "The end date must be on or after the start date."}
    if date_to > add_months_clamped(date_from, 12 * MAX_YEARS):
        return {"date_to": f"Choose a period of at most {MAX_YEARS} years."}
    return {}


def months_between(date_from: dt.date, date_to: dt.date) -> Iterator[dt.date]:
    """The first day of every month the period touches, in order."""
    month = date_from.replace(day=1)
    while month <= date_to:
        yield month
        month = add_months_clamped(month, 1)
