"""The federation officer's pages (the roll-up and coverage of the members
that share, always suppressed) and the member manager's sharing switch.

A federation officer belongs to no organisation: these are the only pages
that open for them, and what they count comes from ``sharing_members``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from operations.core.access import manager_required, require_membership
from operations.core.federations import federation_of, federation_officer_required, sharing_members
from operations.core.services import federation_sharing_set
from operations.coverage.selectors import coverage_for_organisations, map_context
from operations.dashboard.period import default_period
from operations.dashboard.selectors import MEMBER_COLUMNS, rollup_for
from operations.federation.forms import FederationCoverageForm, FederationFilterForm, SharingForm


def _bound(request: HttpRequest, form_class):
    # Always bound, with the default period filled in so the fields show it.
    default_from, default_to = default_period()
    data = {"date_from": default_from.isoformat(), "date_to": default_to.isoformat(), **request.GET.dict()}
    return form_class(data)


def _members_context(federation) -> dict:
    members = list(sharing_members(federation))
    everyone = federation.members.count()
    return {"federation": federation, "members": members, "member_count": everyone}


@federation_officer_required
def rollup(request: HttpRequest) -> HttpResponse:
    federation = federation_of(request.user)
    form = _bound(request, FederationFilterForm)
    context = {"form": form, **_members_context(federation), "member_columns": MEMBER_COLUMNS}
    if form.is_valid() and context["members"]:
        result = rollup_for(context["members"], form.filters())
        context |= {
            "rollup": result,
            "board": result.board,
            "charts": result.board.charts(),
            "with_charts": True,
            "counted_at": timezone.localtime(),
        }
    return render(request, "federation/rollup.html", context)


@federation_officer_required
def coverage(request: HttpRequest) -> HttpResponse:
    federation = federation_of(request.user)
    form = _bound(request, FederationCoverageForm)
    context = {"form": form, **_members_context(federation)}
    if form.is_valid() and context["members"]:
        measure = form.cleaned_data["measure"]
        result = coverage_for_organisations(
            [member.pk for member in context["members"]], form.filters(), today=timezone.localdate()
        )
        context |= map_context(result, measure)
    return render(request, "federation/coverage.html", context)


@manager_required
def sharing(request: HttpRequest) -> HttpResponse:
    """The member's manager says whether its figures count in its federation's roll-up."""
    membership = require_membership(request)
    organisation = membership.organisation
    federation = organisation.member_of
    form = None
    if federation is not None:
        initial = {"share": "yes" if organisation.shares_with_federation else "no"}
        form = SharingForm(request.POST or None, initial=initial)
        form.fields["share"].label = f"Share this organisation's figures with {federation.name}"
        if request.method == "POST" and form.is_valid():
            share = form.cleaned_data["share"]
            federation_sharing_set(organisation=organisation, share=share, actor=request.user)
            messages.success(
                request,
                f"{organisation.name}'s figures are now shared with {federation.name}."
                if share
                else f"{organisation.name}'s figures are no longer shared with {federation.name}.",
            )
            return redirect("federation:sharing")
    return render(
        request,
        "federation/sharing.html",
        {"organisation": organisation, "federation": federation, "form": form},
    )
