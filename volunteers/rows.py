"""The rows of the volunteer list and of the compliance report, built in
Python as referrals/cards.py builds the triage cards: as template loops,
looking up and escaping every cell cost those pages more than their
queries. The markup is the one the templates gave.

Every value written into a row goes through ``escape``: the standard
library's html.escape, which Django's own escape calls. The cells are plain
text, so Django's wrapper (it checks each value for lazy and safe strings,
as format_html does) only added about 3 µs a cell, most of a row's cost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from operations.core.dates import short_date
from volunteers.models import Kind, Status
from volunteers.selectors import Person

FIT_BADGE = '<span class="badge text-bg-success">Fit to match</span>'


def _day(day: dt.date | None) -> str:
    """As ``{{ day|date:"j M Y"|default:"—" }}`` writes it."""
    return short_date(day) if day else "—"


def _fitness_cell(person: Person) -> str:
    if person.is_fit:
        return f"<td>{FIT_BADGE}</td>"
    reasons = "".join(
        f'<li><span class="badge text-bg-warning">{escape(reason.message)}</span></li>'
        for reason in person.fitness_reasons
    )
    return f'<td><ul class="list-unstyled mb-0 small">{reasons}</ul></td>'


def _person_cell(person: Person) -> str:
    return f'<td><a href="{escape(person.detail_url)}">{escape(person.name)}</a></td>'


def _cells(*values: str) -> str:
    return "".join(f"<td>{escape(value)}</td>" for value in values)


def volunteer_rows_html(people: Iterable[Person]) -> SafeString:
    """The list's table rows: name (linked), kinds, status, areas,
    languages, supervisor, next supervision and fitness with its reasons."""
    kinds, statuses = dict(Kind.choices), dict(Status.choices)
    rows = (
        "<tr>"
        + _person_cell(person)
        + _cells(
            ", ".join(kinds.get(kind, kind) for kind in person.kinds),
            statuses.get(person.status, person.status),
            person.area_names,
            person.languages,
            person.supervisor_name or "—",
            _day(person.next_supervision_on),
        )
        + _fitness_cell(person)
        + "</tr>"
        for person in people
    )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value in the rows is escaped


def compliance_rows_html(*, pvg: list, training: list, supervision: list) -> dict[str, SafeString]:
    """The body rows of the report's PVG, training and supervision tables
    (``Compliance`` lists); an empty table says so in the template."""
    rows = {
        "pvg": (f"<tr>{_person_cell(person)}{_cells(_day(due), label)}</tr>" for person, due, label in pvg),
        "training": (
            f"<tr>{_person_cell(person)}{_cells(course, _day(expires), label)}</tr>"
            for person, course, expires, label in training
        ),
        "supervision": (
            f"<tr>{_person_cell(person)}{_cells(person.supervisor_name or '—', _day(due), label)}</tr>"
            for person, due, label in supervision
        ),
    }
    return {table: mark_safe("\n".join(lines)) for table, lines in rows.items()}  # noqa: S308 - every value is escaped
