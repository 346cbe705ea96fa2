"""The manager dashboard and its printable summary for funders."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from operations.core.access import manager_required
from operations.dashboard.cache import cached_figures
from operations.dashboard.forms import DashboardFilterForm
from operations.dashboard.period import default_period
from operations.dashboard.selectors import dashboard_for


def _page(request: HttpRequest, template: str) -> HttpResponse:
    # Always bound, with the default period filled in so the date fields show it.
    default_from, default_to = default_period()
    data = {"date_from": default_from.isoformat(), "date_to": default_to.isoformat(), **request.GET.dict()}
    form = DashboardFilterForm(data, user=request.user)
    if not form.is_valid():
        # Field errors beside the filters, and no figures for a period that makes no sense.
        return render(request, template, {"form": form, "board": None})
    filters = form.filters()
    with_charts = template == "dashboard/dashboard.html"

    def build() -> str:
        board = dashboard_for(request.user, filters)
        return render_to_string(
            "dashboard/_figures.html",
            {
                "board": board,
                "charts": board.charts() if with_charts else None,
                "with_charts": with_charts,
                "counted_at": timezone.localtime(),
            },
        )

    figures = cached_figures(request.user, filters, "charts" if with_charts else "summary", build)
    return render(request, template, {"form": form, "figures": figures})


@manager_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request, "dashboard/dashboard.html")


@manager_required
def summary(request: HttpRequest) -> HttpResponse:
    return _page(request, "dashboard/summary.html")
