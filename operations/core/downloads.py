"""Lists as files: any list a coordinator or manager works from downloads as
CSV or Excel with the filters shown on the page.

One helper for every list. A list page adds a download in three steps:

1. In its view, after reading its filters and before paginating::

       if fmt := downloads.requested_format(request):
           return downloads.download(
               request, fmt=fmt, title="Waiting list", filename="waiting-list",
               columns=WAITING_COLUMNS, rows=the_same_selector(request.user, ...),
               filters=downloads.filters_described(form),
           )

   ``rows`` is any iterable (a queryset's ``.iterator()``, a generator): it
   is read as the file is written, never held whole. ``columns`` is a list
   of ``Column(header, value)``, ``value`` taking one row.
2. In its template: ``{% load downloads %}{% download_links %}`` where the
   buttons belong (they keep the page's querystring, less the page number).
3. A test in ``tests/downloads/``.

Who may download: coordinators and managers (``download`` refuses everyone
else with a 403, whatever the page lets them see, unless the list names other
roles), and only the rows the page's own selector gives them. Every download is audited: who, which
list, which filters (names and plain values, never a person's details).

Cells are written as a person reads them: choice labels, "Yes"/"No", dates
as "14 Feb 2028" in CSV (what the page shows; Excel and LibreOffice in a UK
locale read it as a date) and as real date cells shown "14 Feb 2028" in the
workbook (so a coordinator can sort and filter by date). Every text cell goes
through ``spreadsheet_safe.neutralise``: a value a spreadsheet would run as a
formula starts with a quote.

Streaming: both formats are written in batches of rows as the rows are
read and sent as they are written, so a long list starts at once and its
memory stays flat (the workbook through ``operations.core.xlsx_stream``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from operations.core import xlsx_stream
from operations.core.audit import AuditAction, audit_log
from operations.core.dates import short_date
from operations.core.models import STAFF_ROLES, active_membership
from operations.core.spreadsheet_safe import neutralise

#: The querystring parameter that asks a list page for its file.
PARAM = "download"
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("CSV", "text/csv; charset=utf-8"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
#: CSV rows per chunk sent: one chunk per row would cost a write per row.
CSV_BATCH = 500


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], object]


def requested_format(request: HttpRequest) -> str | None:
    """``csv`` or ``xlsx`` when the page is asked for its file, else None
    (an unknown value shows the page, as an unknown filter does)."""
    value = request.GET.get(PARAM, "")
    return value if value in FORMATS else None


def filters_described(form: forms.Form | None) -> dict[str, str]:
    """The filters a bound form applied, as label -> the words its field
    shows (a choice's label, a date as "14 Feb 2028"): for the audit entry
    and the workbook's About sheet."""
    if form is None or not form.is_bound or not hasattr(form, "cleaned_data"):
        return {}
    described = {}
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = form.fields.get(name)
        if field is None:
            continue
        label = str(field.label or name.replace("_", " ").capitalize())
        described[label] = _field_words(field, value)
    return described


def _field_words(field: forms.Field, value: object) -> str:
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): str(label) for key, label in choices}
        return labels.get(str(value), str(value))
    if isinstance(value, dt.date):
        return short_date(value)
    return str(value)


def download(
    request: HttpRequest,
    *,
    fmt: str,
    title: str,
    filename: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    filters: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    roles: Collection[str] = STAFF_ROLES,
) -> StreamingHttpResponse:
    """The list as a file, audited. ``notes`` (label -> text) say what a
    reader of the file must know that the rows do not (the dashboard's
    suppression mode): after the rows in a CSV, on an About sheet in Excel.
    ``roles``: who may download it (coordinators and managers unless a list
    says otherwise; the page's ``download_links`` takes the same roles)."""
    membership = active_membership(request.user)
    if membership is None or membership.role not in roles:
        raise PermissionDenied("Your role may not download this list.")
    if fmt not in FORMATS:
        raise ValueError(f"Unknown download format {fmt!r}")
    filters = dict(filters or {})
    notes = dict(notes or {})
    kind, content_type = FORMATS[fmt]
    applied = "; ".join(f"{label}: {value}" for label, value in filters.items()) or "none"
    audit_log(
        action=AuditAction.DOWNLOAD,
        actor=request.user,
        organisation=membership.organisation_id,
        summary=f"Downloaded {title} as {kind}; filters: {applied}",
    )
    if fmt == "csv":
        body = _csv_chunks(columns, rows, notes)
    else:
        about = {"List": title, "Downloaded": _local_words(timezone.now()), "Filters": applied, **notes}
        body = _xlsx_chunks(columns, rows, sheet=title, about=about)
    response = StreamingHttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    # A list of people must not sit in a shared cache or the browser's.
    response["Cache-Control"] = "no-store"
    return response


def _local_words(moment: dt.datetime) -> str:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{short_date(local)} {local:%H:%M}"


def _plain_text(value: object) -> object:
    # Pages keep "3 weeks" together with a non-breaking space; in a
    # spreadsheet that space defeats searching and filtering for "3 weeks".
    return value.replace("\xa0", " ") if isinstance(value, str) else value


def text_cell(value: object) -> object:
    """A value as a CSV cell: words, never codes or ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return _local_words(value)
    if isinstance(value, dt.date):
        return short_date(value)
    if isinstance(value, list | tuple):
        value = "; ".join(str(part) for part in value)
    return neutralise(_plain_text(value))


def _csv_chunks(columns: Sequence[Column], rows: Iterable[Any], notes: Mapping[str, str]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # The byte-order mark makes Excel read the file as UTF-8 (names with accents).
    buffer.write("\ufeff")
    writer.writerow([text_cell(column.header) for column in columns])
    # The heading goes at once: the browser shows the download starting
    # while the rows are still being read.
    yield buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow([text_cell(column.value(row)) for column in columns])
        if count % CSV_BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if notes:
        writer.writerow([])
        for label, text in notes.items():
            writer.writerow([text_cell(label), text_cell(text)])
    yield buffer.getvalue()


def _xlsx_value(value: object) -> object:
    """A value as a workbook cell: dates stay dates (the local time the page
    shows: a workbook has no time zones), numbers stay numbers, text is
    spreadsheet-safe words."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, list | tuple):
        value = "; ".join(str(part) for part in value)
    return neutralise(_plain_text(value))


def _sheet_name(title: str) -> str:
    # Excel's sheet names: at most 31 characters, none of []:*?/\
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return cleaned[:31] or "List"


def _xlsx_chunks(
    columns: Sequence[Column], rows: Iterable[Any], *, sheet: str, about: Mapping[str, str]
) -> Iterator[bytes]:
    table = xlsx_stream.Sheet(
        name=_sheet_name(sheet),
        header=[neutralise(column.header) for column in columns],
        rows=([_xlsx_value(column.value(row)) for column in columns] for row in rows),
        widths=[max(12, min(len(column.header) + 4, 40)) for column in columns],
    )
    notes = xlsx_stream.Sheet(
        name="About",
        header=["About this download", ""],
        rows=[[neutralise(label), neutralise(text)] for label, text in about.items()],
        widths=[20, 90],
    )
    return xlsx_stream.workbook_chunks([table, notes])
