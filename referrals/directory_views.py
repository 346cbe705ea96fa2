"""Pages of the referrer directory (/referrals/referrers/): the teams that
refer to the organisation and their people, kept by its coordinators and
managers. Each page: one access helper, one form, one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from operations.core.access import require_membership, staff_required
from operations.core.forms import apply_service_errors
from referrals import directory, referrers
from referrals.access import get_referrer_for, get_referring_organisation_for
from referrals.directory_forms import (
    DirectorySearchForm,
    ReferrerForm,
    ReferringOrganisationForm,
    referrer_merge_form,
    team_merge_form,
)
from referrals.models import Referral, Referrer, ReferringOrganisation


def team_url(team_id: int) -> str:
    """A team's place in the directory (its heading on the directory page)."""
    return reverse("referrals:referrers") + f"?inactive=on#team-{team_id}"


@staff_required
def directory_page(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    if form.is_valid():
        found = directory.referrer_directory(
            request.user, query=form.cleaned_data["q"], include_inactive=form.cleaned_data["inactive"]
        )
    else:
        # A refused search lists nobody rather than everybody.
        found = directory.referrer_directory(request.user) if not form.is_bound else directory.Directory([], 0, False)
    return render(
        request,
        "referrals/referrer_directory.html",
        {
            "form": form,
            "directory": found,
            "duplicate_people": directory.duplicate_people(request.user),
            "duplicate_teams": directory.duplicate_teams(request.user),
        },
    )


@staff_required
def referrer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referrer = get_referrer_for(request.user, pk)
    referrals, total = directory.referrals_made_by(request.user, referrer)
    duplicates = [pair for pair in directory.duplicate_people(request.user) if pk in (pair.keep, pair.duplicate)]
    return render(
        request,
        "referrals/referrer_detail.html",
        {"referrer": referrer, "referrals": referrals, "total": total, "duplicates": duplicates},
    )


def _referrer_form(request: HttpRequest, *, referrer: Referrer | None) -> HttpResponse:
    membership = require_membership(request)
    initial = {}
    if referrer is None and request.GET.get("team", "").isdigit():
        initial["referring_organisation"] = int(request.GET["team"])
    form = ReferrerForm(request.POST or None, instance=referrer, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = referrers.referrer_save(
                actor=request.user, organisation=membership.organisation, data=form.cleaned_data, referrer=referrer
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Referrer added to the directory." if referrer is None else "Referrer saved.")
            return redirect("referrals:referrer-detail", saved.pk)
    if referrer is not None and form.errors:
        referrer.refresh_from_db()
    title = "Add a referrer" if referrer is None else f"Edit {referrer.name}"
    back = (
        reverse("referrals:referrers") if referrer is None else reverse("referrals:referrer-detail", args=[referrer.pk])
    )
    return render(request, "referrals/directory_form.html", {"form": form, "title": title, "back": back})


@staff_required
def referrer_new(request: HttpRequest) -> HttpResponse:
    return _referrer_form(request, referrer=None)


@staff_required
def referrer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _referrer_form(request, referrer=get_referrer_for(request.user, pk))


def _counted(queryset, one: str, many: str = "") -> str:
    count = queryset.count()
    return f"{count} {one if count == 1 else many or one + 's'}"


def _keep_from(request: HttpRequest) -> dict:
    """The record a "Merge" link of the duplicates list suggests keeping."""
    keep = request.GET.get("keep", "")
    return {"keep": int(keep)} if keep.isdigit() else {}


@staff_required
def referrer_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this referrer (a duplicate) into another: their referrals move to the one kept."""
    duplicate = get_referrer_for(request.user, pk)
    form = referrer_merge_form(
        request.POST or None, user=request.user, duplicate=duplicate, initial=_keep_from(request)
    )
    if request.method == "POST" and form.is_valid():
        keep = get_referrer_for(request.user, form.cleaned_data["keep"])
        try:
            moved = referrers.referrer_merge(actor=request.user, keep=keep, duplicate=duplicate)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Merged into {keep.name}: {moved} referral{'s' if moved != 1 else ''} moved, duplicate removed.",
            )
            return redirect("referrals:referrer-detail", keep.pk)
    return render(
        request,
        "referrals/directory_merge.html",
        {
            "form": form,
            "title": f"Merge {duplicate.name} into another referrer",
            "duplicate": duplicate,
            "fills": "role, work email, work phone, team",
            "moving": _counted(Referral.objects.visible_to(request.user).filter(referrer=duplicate), "referral"),
            "back": reverse("referrals:referrer-detail", args=[duplicate.pk]),
        },
    )


def _team_form(request: HttpRequest, *, team: ReferringOrganisation | None) -> HttpResponse:
    membership = require_membership(request)
    form = ReferringOrganisationForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        try:
            saved = referrers.referring_organisation_save(
                actor=request.user, organisation=membership.organisation, data=form.cleaned_data, team=team
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Team added to the directory." if team is None else "Team saved.")
            return redirect(team_url(saved.pk))
    if team is not None and form.errors:
        team.refresh_from_db()
    title = "Add a referring team" if team is None else f"Edit {team.name}"
    back = reverse("referrals:referrers") if team is None else team_url(team.pk)
    return render(request, "referrals/directory_form.html", {"form": form, "title": title, "back": back, "team": team})


@staff_required
def referring_organisation_new(request: HttpRequest) -> HttpResponse:
    return _team_form(request, team=None)


@staff_required
def referring_organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_form(request, team=get_referring_organisation_for(request.user, pk))


@staff_required
def referring_organisation_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this team (a duplicate) into another: its people join the one kept."""
    duplicate = get_referring_organisation_for(request.user, pk)
    form = team_merge_form(request.POST or None, user=request.user, duplicate=duplicate, initial=_keep_from(request))
    if request.method == "POST" and form.is_valid():
        keep = get_referring_organisation_for(request.user, form.cleaned_data["keep"])
        try:
            moved = referrers.referring_organisation_merge(actor=request.user, keep=keep, duplicate=duplicate)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Merged into {keep.name}: {moved} {'person' if moved == 1 else 'people'} moved, duplicate removed.",
            )
            return redirect(team_url(keep.pk))
    return render(
        request,
        "referrals/directory_merge.html",
        {
            "form": form,
            "title": f"Merge {duplicate.name} into another team",
            "duplicate": duplicate,
            "fills": "kind, email, phone",
            "moving": _counted(
                Referrer.objects.visible_to(request.user).filter(referring_organisation=duplicate), "person", "people"
            ),
            "back": team_url(duplicate.pk),
        },
    )
