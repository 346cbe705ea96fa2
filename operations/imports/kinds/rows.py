"""What the family, referral, match, group and directory kinds share: reading
a row's cells into problems (never an exception), finding the records a row
names (a service, a council area, a volunteer, a referrer) and telling
whether anything has been done with an imported record since.

Every finder reads the organisation's own rows only; nothing here writes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from operations.core.models import CouncilArea, Organisation, Service
from operations.imports.cells import (
    CellError,
    fold,
    parse_choice,
    parse_date,
    parse_int,
    parse_list,
    parse_yes_no,
)
from operations.imports.kinds.base import ImportContext, Planned, Problem


class RowReader:
    """Reads the cells of one row, keeping a Problem for each unreadable one
    (the value is then None), so a row lists every problem at once."""

    def __init__(self, row: dict[str, str]) -> None:
        self.row = row
        self.problems: list[Problem] = []

    def add(self, column: str, problem: str, fix: str) -> None:
        self.problems.append(Problem(column, problem, fix))

    def text(self, header: str, *, max_length: int | None = None) -> str:
        value = (self.row.get(header) or "").strip()
        if max_length is not None and len(value) > max_length:
            self.add(header, f"{header} is longer than {max_length} characters.", f"Shorten it to {max_length}.")
            return value[:max_length]
        return value

    def _read(self, header: str, parse, *args) -> Any:
        try:
            return parse(self.row.get(header) or "", *args)
        except CellError as error:
            self.add(header, f"{header}: {error.problem}", error.fix)
            return None

    def date(self, header: str) -> dt.date | None:
        return self._read(header, parse_date)

    def yes_no(self, header: str) -> bool | None:
        return self._read(header, parse_yes_no)

    def choice(self, header: str, choices) -> Any:
        return self._read(header, parse_choice, choices)

    def integer(self, header: str) -> int | None:
        return self._read(header, parse_int)

    def items(self, header: str) -> list[str]:
        return parse_list(self.row.get(header) or "")

    def time(self, header: str) -> dt.time | None:
        return self._read(header, parse_time)

    def normalised(self, header: str, normalise) -> str:
        """The cell through a validator's normaliser (``normalise_uk_phone``,
        ``normalise_postcode``); its refusal is a problem and the value ''."""
        value = self.text(header)
        if not value:
            return ""
        try:
            return normalise(value)
        except ValidationError as error:
            self.add(header, error.messages[0], f"Correct the {header.lower()}, or leave it blank.")
            return ""

    def not_future(self, header: str, day: dt.date | None, today: dt.date) -> None:
        if day is not None and day > today:
            self.add(header, f"{header} is in the future.", "Give the date it happened, today at the latest.")

    def service_errors(self, error: ValidationError, headers: dict[str, str]) -> None:
        """A service's refusal as problems: each field's message under its column."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add(headers.get(field, ""), message, _FIX_FROM_SERVICE)
        else:
            for message in error.messages:
                self.add("", message, _FIX_FROM_SERVICE)


_FIX_FROM_SERVICE = "Correct the row as the message says, then check the file again."

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


def parse_time(text: str) -> dt.time | None:
    """A time of day: "10:00", "10.30", "2pm", "2:30 pm", "14:30:00"; blank -> None."""
    value = str(text).strip().lower()
    if not value:
        return None
    match = _TIME.match(value)
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        half = (match[4] or "").replace(".", "")
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60 and (half or match[2]):
            return dt.time(hour, minute)
    raise CellError(f"“{text}” is not a time of day we can read.", "Write the time as 10:00 or 2:30pm.")


# --- Finding what a row names ------------------------------------------------------


def council_area_named(text: str, context: ImportContext | None = None) -> CouncilArea | None:
    """A council area by its name ("Scottish Borders", "Borders"; case and
    punctuation ignored) or its GSS code; None when nothing matches. Given
    the run's context, the areas are read once per run, not once per row."""
    wanted = fold(text)
    if not wanted:
        return None
    areas = council_areas(context) if context is not None else list(CouncilArea.objects.all())
    for area in areas:
        if wanted in (fold(area.name), fold(area.gss_code)):
            return area
    # "Borders" for "Scottish Borders", "Edinburgh" for "City of Edinburgh".
    close = [area for area in areas if wanted in fold(area.name)]
    return close[0] if len(close) == 1 else None


def council_areas(context: ImportContext) -> list[CouncilArea]:
    """Every council area, read once per run (Scotland's 32: a row names one of them)."""
    if "council-areas" not in context.seen:
        context.seen["council-areas"] = list(CouncilArea.objects.all())
    return context.seen["council-areas"]


def area_problem(header: str, text: str) -> Problem:
    return Problem(
        header,
        f"“{text}” is not a Scottish council area we know.",
        "Write the council area's name, for example Scottish Borders or City of Edinburgh.",
    )


def service_named(organisation: Organisation, text: str) -> Service | None:
    """The organisation's service of that name (case and punctuation ignored)."""
    wanted = fold(text)
    for service in Service.objects.filter(organisation=organisation):
        if fold(service.name) == wanted:
            return service
    return None


def service_problem(header: str, text: str, organisation: Organisation) -> Problem:
    names = ", ".join(Service.objects.filter(organisation=organisation, is_active=True).values_list("name", flat=True))
    return Problem(
        header,
        f"“{text}” is not one of your services.",
        f"Use the service's name as it is in the system: {names or 'add the service first'}.",
    )


def volunteer_for(context, *, external_id: str, email: str):
    """The volunteer a row names: by the external id the volunteers kind
    imported them with, or by their email in the organisation. Returns the
    VolunteerProfile, a Planned (imported earlier in this dry run) or None."""
    from volunteers.models import VolunteerProfile

    if external_id:
        found = context.existing("volunteers", external_id)
        if found is not None:
            return found
    if email:
        return (
            VolunteerProfile.objects.filter(organisation=context.organisation)
            .filter(Q(email__iexact=email) | Q(user__email__iexact=email))
            .select_related("user")
            .order_by("pk")
            .first()
        )
    return None


def volunteer_users(context, references: Iterable[str]) -> tuple[list, list[str]]:
    """The user accounts of volunteers named by external id or email (a
    group's facilitators, its crèche rota), and the references not found."""
    users, missing = [], []
    for reference in references:
        is_email = "@" in reference
        found = volunteer_for(context, external_id="" if is_email else reference, email=reference if is_email else "")
        if found is None or isinstance(found, Planned):
            missing.append(reference)
        else:
            users.append(found.user)
    return users, missing


# --- Whether an imported record was touched since ------------------------------------


def changed_since(record, imported_at: dt.datetime, *, field: str = "updated_at") -> bool:
    """The record was saved after the import (an edit). A second of slack:
    the import's own save and its ImportedRecord are written moments apart."""
    value = getattr(record, field, None)
    return value is not None and value > imported_at + dt.timedelta(seconds=1)


def rows_hanging_off(record, *, allowed: Iterable[str] = ()) -> list[str]:
    """The names of the relations of ``record`` that hold rows (another
    app's booking, a contact log, a referral …), except those in ``allowed``
    (what the import itself created, such as a parent's children). Read
    from the model's public ``_meta`` API, so a relation added later by any
    app counts without this list being kept up to date."""
    found = []
    for relation in record._meta.related_objects:
        name = relation.get_accessor_name()
        if name in allowed or name is None:
            continue
        model = relation.related_model
        if relation.many_to_many:
            manager = getattr(record, name, None)
            if manager is not None and manager.exists():
                found.append(name)
        elif model._default_manager.filter(**{relation.field.name: record}).exists():
            found.append(name)
    return found


def without_blanks(data: dict[str, Any]) -> dict[str, Any]:
    """What the row gives, leaving out the blank cells (blank keeps what is on file)."""
    return {key: value for key, value in data.items() if value not in (None, "")}
