"""Pages: decorators, one access helper, one form, one service call, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from operations.core.access import get_service_for, require_membership, staff_required
from operations.core.models import STAFF_ROLES, Service
from volunteers.matching import forms, selectors, services
from volunteers.matching.access import get_concern_for, get_match_for, get_referral_for_matching, get_visit_for
from volunteers.matching.assignment import MODE_SCORE, MODES
from volunteers.matching.models import MatchingNeeds, MatchStatus


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _needs_form(referral, data=None) -> forms.MatchingNeedsForm:
    try:
        needs = referral.matching_needs
        initial = {
            "required_gender": needs.required_gender,
            "availability": needs.availability,
            "lived_experience": [e.pk for e in needs.lived_experience.all()],
            "interpreter_arranged": needs.interpreter_arranged,
        }
    except MatchingNeeds.DoesNotExist:
        initial = {}
    return forms.MatchingNeedsForm(data, initial=initial, organisation_id=referral.organisation_id)


@staff_required
def candidates(request: HttpRequest, referral_pk: int) -> HttpResponse:
    referral = get_referral_for_matching(request.user, referral_pk)
    page = selectors.candidates_for(referral)
    try:
        # Prefetched by candidates_for: no extra query.
        asked = [e.name for e in page.referral.matching_needs.lived_experience.all()]
    except MatchingNeeds.DoesNotExist:
        asked = []
    context = {
        "referral": page.referral,
        "page": page,
        "needs_form": _needs_form(page.referral),
        "asked_experience": asked,
    }
    return render(request, "matching/candidates.html", context)


@staff_required
@require_POST
def needs_save(request: HttpRequest, referral_pk: int) -> HttpResponse:
    referral = get_referral_for_matching(request.user, referral_pk)
    form = forms.MatchingNeedsForm(request.POST, organisation_id=referral.organisation_id)
    if form.is_valid():
        try:
            services.matching_needs_save(actor=request.user, referral=referral, data=form.cleaned_data, request=request)
            messages.success(request, "Matching needs saved; the candidates are ranked again.")
            return redirect("matching:candidates", referral_pk=referral.pk)
        except ValidationError as exc:
            _apply_errors(form, exc)
    page = selectors.candidates_for(referral)
    return render(
        request,
        "matching/candidates.html",
        {"referral": page.referral, "page": page, "needs_form": form, "asked_experience": []},
        status=400,
    )


@staff_required
@require_POST
def confirm_one(request: HttpRequest, referral_pk: int) -> HttpResponse:
    membership = require_membership(request)
    referral = get_referral_for_matching(request.user, referral_pk)
    try:
        volunteer_id = int(request.POST.get("volunteer", ""))
    except ValueError:
        messages.error(request, "Choose a volunteer to match.")
        return redirect("matching:candidates", referral_pk=referral.pk)
    try:
        match = services.match_confirm(
            actor=request.user,
            organisation_id=membership.organisation_id,
            referral_id=referral.pk,
            volunteer_id=volunteer_id,
            request=request,
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("matching:candidates", referral_pk=referral.pk)
    messages.success(request, "Match confirmed. The referral is now matched.")
    return redirect("matching:match-detail", pk=match.pk)


@staff_required
@require_POST
def conflict_add(request: HttpRequest, referral_pk: int) -> HttpResponse:
    referral = get_referral_for_matching(request.user, referral_pk)
    try:
        volunteer_id = int(request.POST.get("volunteer", ""))
        services.conflict_record(
            actor=request.user,
            parent=referral.parent,
            volunteer_id=volunteer_id,
            note=request.POST.get("note", ""),
            request=request,
        )
    except ValueError:
        messages.error(request, "Choose a volunteer of your organisation.")
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, "Conflict of interest recorded: that volunteer will not be suggested.")
    return redirect("matching:candidates", referral_pk=referral.pk)


@staff_required
def proposals(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    service_list = Service.objects.visible_to(request.user).active()
    service = None
    result = None
    mode = request.GET.get("mode") or MODE_SCORE
    if mode not in MODES:
        mode = MODE_SCORE
    if request.GET.get("service"):
        try:
            service = get_service_for(request.user, int(request.GET["service"]))
        except ValueError as exc:
            raise Http404 from exc
        result = selectors.proposals_for(service, mode=mode)
    outcomes = None
    if request.method == "POST":
        pairs = []
        for value in request.POST.getlist("pair"):
            try:
                referral_id, volunteer_id = (int(part) for part in value.split(":"))
            except ValueError:
                continue
            pairs.append((referral_id, volunteer_id))
        if not pairs:
            messages.error(request, "Tick at least one proposal to confirm.")
        else:
            outcomes = services.match_confirm_batch(
                actor=request.user, organisation_id=membership.organisation_id, pairs=pairs, request=request
            )
            confirmed = sum(1 for o in outcomes if o.ok)
            failed = len(outcomes) - confirmed
            messages.success(request, f"{confirmed} match{'es' if confirmed != 1 else ''} confirmed.")
            if failed:
                messages.error(request, f"{failed} could not be confirmed: see why below.")
            if service is not None:
                result = selectors.proposals_for(service, mode=mode)
    context = {
        "services": service_list,
        "service": service,
        "mode": mode,
        "result": result,
        "outcomes": outcomes,
        "failed_outcomes": [o for o in outcomes or [] if not o.ok],
        "gain": round(result.total - result.greedy_total, 1) if result else None,
    }
    return render(request, "matching/proposals.html", context)


def match_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    matches = selectors.matches_for(request.user)
    status = request.GET.get("status")
    if status in dict(MatchStatus.choices):
        matches = matches.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "matching/match_list.html",
        {
            "matches": matches[:200],
            "status": status,
            "statuses": MatchStatus.choices,
            "is_staff": membership.role in STAFF_ROLES,
        },
    )


def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = require_membership(request)
    match = get_match_for(request.user, pk)
    is_staff = membership.role in STAFF_ROLES
    from referrals.contact import contact_permissions

    context = {
        "match": match,
        "is_staff": is_staff,
        "contact": contact_permissions(match.parent),
        "children": list(match.parent.children.order_by("pk")),
        "logs": match.contact_logs.prefetch_related("signposted_to").select_related("logged_by")[:50],
        "visits": match.visits.filter(cancelled=False).order_by("planned_for", "at_time")[:20],
        "reviews": match.reviews.select_related("by")[:10] if is_staff else [],
        "concerns": match.concerns.select_related("raised_by") if is_staff else [],
        "move_form": forms.MatchMoveForm(),
        "extension_form": forms.ExtensionForm(),
        "review_form": forms.ReviewForm(),
        "clear_draft": request.GET.get("logged") == "1",
    }
    return render(request, "matching/match_detail.html", context)


def contact_log_new(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_match_for(request.user, pk)
    form = forms.ContactLogForm(request.POST or None, organisation_id=match.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            log = services.contact_log_create(actor=request.user, match=match, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if log.has_concern:
                messages.warning(request, "Contact logged. Your concern has gone to your coordinator.")
            else:
                messages.success(request, "Contact logged. Thank you.")
            return redirect(f"{match.get_absolute_url()}?logged=1")
    status = 400 if request.method == "POST" else 200
    return render(request, "matching/contact_log_form.html", {"form": form, "match": match}, status=status)


def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_match_for(request.user, pk)
    form = forms.VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_plan(actor=request.user, match=match, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Visit planned.")
            return redirect(match.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "matching/form.html", {"form": form, "match": match, "title": "Plan a visit"}, status=status)


@require_POST
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for(request.user, pk)
    try:
        services.visit_cancel(actor=request.user, visit=visit, request=request)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, "Visit cancelled.")
    return redirect(visit.match.get_absolute_url())


@staff_required
@require_POST
def match_move(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_match_for(request.user, pk)
    form = forms.MatchMoveForm(request.POST)
    if form.is_valid():
        try:
            services.match_transition(actor=request.user, match=match, request=request, **form.cleaned_data)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, "Match updated.")
    else:
        messages.error(request, "Choose a state to move to.")
    return redirect(match.get_absolute_url())


@staff_required
@require_POST
def match_extend(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_match_for(request.user, pk)
    form = forms.ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.match_record_extension(
                actor=request.user,
                match=match,
                until=form.cleaned_data["extended_until"],
                reason=form.cleaned_data["extension_reason"],
                request=request,
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, "Extension recorded.")
    else:
        messages.error(request, "Give the date and the reason for the extension.")
    return redirect(match.get_absolute_url())


@staff_required
@require_POST
def match_review(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_match_for(request.user, pk)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.match_review_record(actor=request.user, match=match, request=request, **form.cleaned_data)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, "Review recorded.")
    else:
        messages.error(request, "Give the date of the review.")
    return redirect(match.get_absolute_url())


@staff_required
@require_POST
def concern_close(request: HttpRequest, pk: int) -> HttpResponse:
    concern = get_concern_for(request.user, pk)
    form = forms.ConcernCloseForm(request.POST)
    if form.is_valid():
        try:
            services.concern_close(
                actor=request.user, concern=concern, action_taken=form.cleaned_data["action_taken"], request=request
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, "Concern closed.")
    else:
        messages.error(request, "Say what action was taken.")
    return redirect(concern.match.get_absolute_url())
