"""A referral's card on the triage board, its eligibility line and its row on
the waiting list, built in Python. The board shows up to 42 cards; as a
template each card cost about 0.2 ms of variable lookups and escaping, most of
the page's time. The markup is the same one a template would give
(referrals/_board.html, _card.html and _eligibility.html call these)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any, NamedTuple

from django.utils.safestring import SafeString, mark_safe

from operations.core.dates import short_date, time_since
from operations.core.links import record_url
from referrals.models import Urgency, parent_name
from referrals.workflow import OPEN_STATUSES, Status, move_options

URGENCY_BADGES = {1: "text-bg-danger", 2: "text-bg-warning"}
URGENCY_LABELS = dict(Urgency.choices)
STATUS_LABELS = dict(Status.choices)


def _html(template: str, **values: Any) -> SafeString:
    """``format_html`` with named fields and the same escaping. Django's
    version checks every value for lazy text on the way in and again on the
    way out, two thirds of its cost; a full board makes about 180 calls."""
    return SafeString(template.format(**{name: _escape(value) for name, value in values.items()}))


def _escape(value: Any) -> str:
    """``conditional_escape``: a safe string as it is, anything else escaped."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


class Card(NamedTuple):
    """What a card shows, as plain values: the board reads them straight from
    its one query (a model instance per referral, parent and service cost more
    than the card's markup); a move's answer takes them from the referral."""

    pk: int
    status: str
    urgency: int
    received_on: dt.date
    eligibility_end: dt.date | None
    eligibility_reason: str
    eligibility_estimated: bool
    service_name: str
    parent_name: str

    @classmethod
    def of(cls, referral) -> Card:
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
        )


def _join(pieces) -> SafeString:
    """Safe pieces (from ``_html``) one after another."""
    return SafeString("".join(pieces))


def eligibility_html(referral, today: dt.date | None) -> SafeString:
    if referral.eligibility_end:
        overdue = "text-danger fw-semibold" if today and referral.eligibility_end < today else ""
        estimated = mark_safe(' <span class="badge text-bg-warning">estimated</span>')
        return _html(
            '<span class="{overdue}">Eligible {reason}</span>{estimated}',
            overdue=overdue,
            reason=referral.eligibility_reason,
            estimated=estimated if referral.eligibility_estimated else "",
        )
    return _html(
        '<span class="text-body-secondary">{reason}</span>', reason=referral.eligibility_reason or "No end date yet"
    )


def _errors(errors) -> SafeString | str:
    return _html('<div class="text-danger">{errors}</div>', errors=" ".join(errors)) if errors else ""


def csrf_input(csrf_token: str) -> SafeString:
    """The hidden CSRF field, built once for all the forms of a board."""
    return _html('<input type="hidden" name="csrfmiddlewaretoken" value="{token}">', token=csrf_token)


def _move_form(card: Card, *, csrf: SafeString, form) -> SafeString:
    pk = card.pk
    move_url = record_url("referrals:referral-transition", pk)
    reason = form["reason"].value() if form is not None else None
    return _html(
        '<form method="post" action="{url}" class="mt-1"'
        ' hx-post="{url}" hx-target="#referral-{pk}" hx-swap="innerHTML">{csrf}{non_field}'
        '<label class="form-label mb-0" for="move-{pk}">Move to</label>'
        '<select name="to_status" id="move-{pk}" class="form-select form-select-sm">{options}</select>{status_errors}'
        '<label class="form-label mb-0" for="reason-{pk}">Reason</label>'
        '<input type="text" name="reason" id="reason-{pk}" class="form-control form-control-sm" value="{reason}">'
        "{reason_errors}"
        '<button type="submit" class="btn btn-sm btn-outline-primary mt-1">Move</button></form>',
        url=move_url,
        pk=pk,
        csrf=csrf,
        non_field=_errors(form.non_field_errors()) if form is not None else "",
        options=move_options(card.status),
        status_errors=_errors(form["to_status"].errors) if form is not None else "",
        reason=reason or "",
        reason_errors=_errors(form["reason"].errors) if form is not None else "",
    )


def card_html(card: Card, *, today: dt.date, csrf: SafeString, form=None, moved: bool = False) -> SafeString:
    """One card; ``form`` (with its errors) and ``moved`` when it answers a
    move; ``csrf`` is the hidden field from ``csrf_input``."""
    received = card.received_on
    status = STATUS_LABELS[card.status]
    return _html(
        '<article class="border rounded p-2 small" aria-label="Referral {pk}">'
        '<div class="d-flex justify-content-between"><a href="{detail}" class="fw-semibold">{name}</a>'
        '<span class="badge {badge}">{urgency}</span></div>'
        "<div>{service} · {status}</div>"
        "<div>Received {received} ({waited} ago)</div>"
        "<div>{eligibility}</div>{moved}{move_form}</article>",
        pk=card.pk,
        detail=record_url("referrals:referral-detail", card.pk),
        name=card.parent_name,
        badge=URGENCY_BADGES.get(card.urgency, "text-bg-light"),
        urgency=URGENCY_LABELS.get(card.urgency, card.urgency),
        service=card.service_name,
        status=status,
        received=short_date(received),
        waited=time_since(received, today),
        eligibility=eligibility_html(card, today),
        moved=_html('<div class="text-success" role="status">Moved to {status}.</div>', status=status.lower())
        if moved
        else "",
        move_form=_move_form(card, csrf=csrf, form=form) if card.status in OPEN_STATUSES else "",
    )


def _column_body(column, *, today: dt.date, csrf: SafeString) -> SafeString:
    if not column.referrals:
        return mark_safe('<p class="text-body-secondary small mb-0">None.</p>')
    cards = _join(
        _html('<div id="referral-{pk}">{card}</div>', pk=card.pk, card=card_html(card, today=today, csrf=csrf))
        for card in column.referrals
    )
    if column.count <= len(column.referrals):
        return cards
    return cards + _html(
        '<p class="small mb-0">Showing the {shown} most pressing of {count}.'
        ' <a href="?status={status}">Show more in this state</a></p>',
        shown=len(column.referrals),
        count=column.count,
        status=column.status,
    )


def board_html(columns, *, today: dt.date, csrf_token: str) -> SafeString:
    """The board's columns (referrals/_board.html) and their cards: as template
    loops, the columns cost a third as much again as the cards inside them."""
    csrf = csrf_input(csrf_token)
    sections = _join(
        _html(
            '<section class="col" aria-labelledby="column-{status}"><div class="card h-100">'
            '<div class="card-header d-flex justify-content-between">'
            '<h2 class="h6 mb-0" id="column-{status}">{label}</h2>'
            '<span class="badge text-bg-secondary" data-count="{status}">{count}</span></div>'
            '<div class="card-body vstack gap-2">{body}</div></div></section>',
            status=column.status,
            label=column.label,
            count=column.count,
            body=_column_body(column, today=today, csrf=csrf),
        )
        for column in columns
    )
    return _html('<div class="row row-cols-1 row-cols-md-2 row-cols-xl-4 g-3">{sections}</div>', sections=sections)


def waiting_rows_html(rows, *, first_place: int, today: dt.date) -> SafeString:
    """The waiting list's table rows, from ``selectors.waiting_list_rows``;
    places are numbered from ``first_place`` (they run on across pages)."""
    return _join(
        _html(
            '<tr><td>{place}</td><td><a href="{detail}">{name}</a></td><td>{service}</td><td>{urgency}</td>'
            "<td>{waited}</td><td>{days_left}</td><td>{eligibility}</td></tr>",
            place=place,
            detail=record_url("referrals:referral-detail", row.pk),
            name=parent_name(row.parent__first_name, row.parent__preferred_name, row.parent__last_name),
            service=row.service__name,
            urgency=URGENCY_LABELS.get(row.urgency, row.urgency),
            waited=time_since(row.received_on, today),
            days_left=_days_left(row.eligibility_end, today),
            eligibility=eligibility_html(row, today),
        )
        for place, row in enumerate(rows, start=first_place)
    )


def _days_left(end: dt.date | None, today: dt.date) -> SafeString | str | int:
    if end is None:
        return "—"
    days = (end - today).days
    return mark_safe('<span class="text-danger">past end</span>') if days < 0 else days
