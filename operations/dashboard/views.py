"""The manager dashboard and its printable summary for funders: exact
figures or suppressed, as chosen (operations/dashboard/modes.py)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from operations.core import downloads
from operations.core.access import manager_required
from operations.core.dates import short_date
from operations.core.disclosure import Figure
from operations.dashboard.cache import cached_figures
from operations.dashboard.figures import Dashboard
from operations.dashboard.forms import DashboardFilterForm
from operations.dashboard.modes import DOWNLOAD_DEFAULT, PAGE_DEFAULT, PARAMETER, SUMMARY_DEFAULT, Mode, mode_from
from operations.dashboard.period import default_period
from operations.dashboard.selectors import dashboard_for

#: The tables a manager may download, in the page's order (the keys of
#: ``Dashboard.tables``, and the outcomes table).
DOWNLOADABLE_TABLES = {
    "referrals_by_month": "Referrals received by month",
    "referrals_by_source": "Referrals received by source",
    "referrals_by_channel": "Referrals by how they came in",
    "referrals_by_referrer_kind": "Referrals by referrer type",
    "council_areas": "Parents reached by council area",
    "outcomes": "Outcomes by measure",
    "supervision": "Volunteers and PSOs today: supervision",
    "pvg": "Volunteers and PSOs today: PVG membership",
    "groups": "Peer support groups by month",
}


def _cell(figure: Figure) -> int | str:
    # A shown count stays a number the spreadsheet can add up; a hidden one is its label.
    return figure.as_json()


def _table_rows(board: Dashboard, key: str) -> tuple[list[downloads.Column], list[tuple]]:
    """One dashboard table as a header and rows of words and counts, with
    the dashboard's suppression applied (the figures' public values only)."""
    if key == "outcomes":
        columns = ["Parents", "Mean improvement (points)", "Reliably improved", "Share reliably improved (%)"]
        rows = []
        for outcome in board.outcomes:
            if outcome.enough:
                share = outcome.share_improved if outcome.share_improved is not None else "suppressed"
                values = [_cell(outcome.people), outcome.mean_change, _cell(outcome.improved), share]
            else:
                values = [_cell(outcome.people), "not enough people to show", "", ""]
            rows.append((outcome.name, *values))
        heading = "Measure"
    else:
        table = board.tables[key]
        columns = list(table.columns)
        rows = [(label, *(_cell(figure) for figure in figures)) for _, label, figures in table.rows]
        rows.append(("Total", *(_cell(figure) for figure in table.totals)))
        heading = table.row_heading
    header = [heading, *columns]
    return [downloads.Column(name, lambda row, index=index: row[index]) for index, name in enumerate(header)], rows


def _download_table(request: HttpRequest, form: DashboardFilterForm, fmt: str, mode: Mode) -> HttpResponse:
    key = request.GET.get("table", "")
    if key not in DOWNLOADABLE_TABLES:
        raise Http404("No such table on the dashboard.")
    filters = form.filters()
    board = dashboard_for(request.user, filters, mode=mode)
    columns, rows = _table_rows(board, key)
    threshold = board.threshold
    return downloads.download(
        request,
        fmt=fmt,
        title=DOWNLOADABLE_TABLES[key],
        filename=f"dashboard-{key.replace('_', '-')}-{mode.value}",
        columns=columns,
        rows=rows,
        filters={
            "Table": DOWNLOADABLE_TABLES[key],
            "From": short_date(filters.date_from),
            "To": short_date(filters.date_to),
            "Service": str(filters.service) if filters.service else "All services",
        },
        notes={
            "Figures": mode.notice,
            **(
                {
                    "Suppression": (
                        f"Counts from 1 to {threshold - 1} show as <{threshold}; "
                        "'suppressed' hides a count from which a small one could be worked out."
                    )
                }
                if mode.suppressed
                else {}
            ),
            "Period": f"{short_date(filters.date_from)} to {short_date(filters.date_to)}",
            "Service": str(filters.service) if filters.service else "All services",
        },
    )


def _page(request: HttpRequest, template: str, *, default_mode: Mode) -> HttpResponse:
    # Always bound, with the default period and mode filled in so the fields show them.
    default_from, default_to = default_period()
    data = {"date_from": default_from.isoformat(), "date_to": default_to.isoformat(), **request.GET.dict()}
    data[PARAMETER] = data.get(PARAMETER) or default_mode.value
    form = DashboardFilterForm(data, user=request.user, default_mode=default_mode)
    # The links between the page and the summary keep the period and service
    # but not the mode: each starts at its own default, so exact figures
    # chosen on the page never ride into the summary printed for funders.
    elsewhere = request.GET.copy()
    elsewhere.pop(PARAMETER, None)
    context = {"form": form, "elsewhere": elsewhere.urlencode()}
    if not form.is_valid():
        # Field errors beside the filters, and no figures for a period that makes no sense.
        return render(request, template, {**context, "board": None})
    if fmt := downloads.requested_format(request):
        # A download says its mode; one asked for without a mode is for publication.
        return _download_table(request, form, fmt, mode_from(request.GET, default=DOWNLOAD_DEFAULT))
    filters = form.filters()
    mode = form.chosen_mode()
    with_charts = template == "dashboard/dashboard.html"

    def build() -> str:
        board = dashboard_for(request.user, filters, mode=mode)
        return render_to_string(
            "dashboard/_figures.html",
            {
                "board": board,
                "charts": board.charts() if with_charts else None,
                "with_charts": with_charts,
                "counted_at": timezone.localtime(),
            },
        )

    figures = cached_figures(request.user, filters, mode, "charts" if with_charts else "summary", build)
    return render(request, template, {**context, "figures": figures, "mode": mode, "tables": DOWNLOADABLE_TABLES})


@manager_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request, "dashboard/dashboard.html", default_mode=PAGE_DEFAULT)


@manager_required
def summary(request: HttpRequest) -> HttpResponse:
    return _page(request, "dashboard/summary.html", default_mode=SUMMARY_DEFAULT)
