"""The manager dashboard and its printable summary for funders: exact
figures or suppressed, as chosen (operations/dashboard/modes.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from operations.core.access import manager_required
from operations.dashboard.cache import cached_figures
from operations.dashboard.forms import DashboardFilterForm
from operations.dashboard.modes import PAGE_DEFAULT, PARAMETER, SUMMARY_DEFAULT, Mode
from operations.dashboard.period import default_period
from operations.dashboard.selectors import dashboard_for


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
    return render(request, template, {**context, "figures": figures, "mode": mode})


@manager_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request, "dashboard/dashboard.html", default_mode=PAGE_DEFAULT)


@manager_required
def summary(request: HttpRequest) -> HttpResponse:
    return _page(request, "dashboard/summary.html", default_mode=SUMMARY_DEFAULT)
