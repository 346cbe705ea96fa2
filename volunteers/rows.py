"""The rows of the volunteer list and of the compliance report, built in
Python as referrals/cards.py builds the triage cards: as template loops,
looking up and escaping every cell cost those pages more than their
queries. The markup is the one the templates gave; format_html escapes
every value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from volunteers.models import Kind, Status
from volunteers.selectors import Person

FIT_BADGE = mark_safe('<span class="badge text-bg-success">Fit to match</span>')


def _day(day: dt.date | None) -> str:
    """As ``{{ day|date:"j M Y"|default:"—" }}`` writes it, without parsing
    the format again for every date."""
    return f"{day.day} {MONTHS_3[day.month].title()} {day.year:04d}" if day else "—"


def _reasons(person: Person) -> SafeString:
    if person.is_fit:
        return FIT_BADGE
    return format_html(
        '<ul class="list-unstyled mb-0 small">{}</ul>',
        format_html_join(
            "",
            '<li><span class="badge text-bg-warning">{}</span></li>',
            ((reason.message,) for reason in person.fitness_reasons),
        ),
    )


def volunteer_rows_html(people: Iterable[Person]) -> SafeString:
    """The list's table rows: name (linked), kinds, status, areas,
    languages, supervisor, next supervision and fitness with its reasons."""
    kinds, statuses = dict(Kind.choices), dict(Status.choices)
    return format_html_join(
        "\n",
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                person.detail_url,
                person.name,
                ", ".join(kinds.get(kind, kind) for kind in person.kinds),
                statuses.get(person.status, person.status),
                person.area_names,
                person.languages,
                person.supervisor_name or "—",
                _day(person.next_supervision_on),
                _reasons(person),
            )
            for person in people
        ),
    )


def _person_cell(person: Person) -> SafeString:
    return format_html('<td><a href="{}">{}</a></td>', person.detail_url, person.name)


def compliance_rows_html(*, pvg: list, training: list, supervision: list) -> dict[str, SafeString]:
    """The body rows of the report's PVG, training and supervision tables
    (``Compliance`` lists); an empty table says so in the template."""
    return {
        "pvg": format_html_join(
            "\n",
            "<tr>{}<td>{}</td><td>{}</td></tr>",
            ((_person_cell(person), _day(due), label) for person, due, label in pvg),
        ),
        "training": format_html_join(
            "\n",
            "<tr>{}<td>{}</td><td>{}</td><td>{}</td></tr>",
            ((_person_cell(person), course, _day(expires), label) for person, course, expires, label in training),
        ),
        "supervision": format_html_join(
            "\n",
            "<tr>{}<td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (_person_cell(person), person.supervisor_name or "—", _day(due), label)
                for person, due, label in supervision
            ),
        ),
    }
