"""The coverage page (a hex map of Scotland's council areas with its table)
and the births a manager enters for the rates."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from operations.core.access import manager_required, require_membership
from operations.core.models import CouncilArea
from operations.coverage.forms import BirthsForm, CoverageFilterForm, YearForm
from operations.coverage.models import AreaBirths
from operations.coverage.selectors import coverage_for, map_context
from operations.coverage.services import births_save
from operations.dashboard.modes import PAGE_DEFAULT, PARAMETER
from operations.dashboard.period import default_period


@manager_required
def coverage(request: HttpRequest) -> HttpResponse:
    default_from, default_to = default_period()
    data = {"date_from": default_from.isoformat(), "date_to": default_to.isoformat(), **request.GET.dict()}
    data[PARAMETER] = data.get(PARAMETER) or PAGE_DEFAULT.value
    form = CoverageFilterForm(data, user=request.user, default_mode=PAGE_DEFAULT)
    context = {"form": form}
    if form.is_valid():
        measure = form.cleaned_data["measure"]
        result = coverage_for(request.user, form.filters(), mode=form.chosen_mode(), today=timezone.localdate())
        context |= map_context(result, measure)
    return render(request, "coverage/coverage.html", context)


@manager_required
def births(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    year_form = YearForm(request.GET or {"year": timezone.localdate().year - 1})
    year = year_form.cleaned_data["year"] if year_form.is_valid() else timezone.localdate().year - 1
    areas = list(CouncilArea.objects.order_by("name"))
    kept = dict(AreaBirths.objects.visible_to(request.user).filter(year=year).values_list("council_area_id", "births"))
    form = BirthsForm(request.POST or None, areas=areas, initial_births=kept)
    if request.method == "POST" and form.is_valid():
        changed = births_save(organisation=membership.organisation, year=year, births=form.births(), actor=request.user)
        messages.success(
            request,
            f"Births for {year} saved." if changed else f"Nothing changed in the births for {year}.",
        )
        return redirect(f"{request.path}?year={year}")
    own = set(membership.organisation.council_areas.values_list("pk", flat=True))
    fields = [(area, form[BirthsForm.field_name(area)], area.pk in own) for area in areas]
    return render(
        request,
        "coverage/births.html",
        {"form": form, "year_form": year_form, "year": year, "fields": fields},
    )
