"""Pages: decorators, one access helper, one form, one service call, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from operations.core.access import get_service_for, require_membership, staff_required
from operations.core.confirm import Confirmation, confirm_page
from operations.core.dates import weekday_date
from operations.core.forms import apply_service_errors, saved_answer
from operations.core.models import STAFF_ROLES, Service
from referrals.contact import contact_permissions, safe_contact_summary
from referrals.eligibility import outside_eligibility
from referrals.models import Referral
from volunteers.matching import forms, selectors, services
from volunteers.matching.access import get_match_for, get_referral_for_matching, get_visit_for
from volunteers.matching.assignment import MODE_SCORE, MODES
from volunteers.matching.contact_details import contact_details_for
from volunteers.matching.models import MatchingNeeds, MatchStatus
from volunteers.models import VolunteerProfile


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


def _candidates_page(
    request: HttpRequest,
    referral: Referral,
    needs_form: forms.MatchingNeedsForm,
    *,
    status: int = 200,
) -> HttpResponse:
    """The candidate page; ``needs_form`` is bound when a submission was refused."""
    today = timezone.localdate()
    page = selectors.candidates_for(referral, today=today)
    try:
        # Prefetched by get_referral_for_matching: no extra query.
        asked = [e.name for e in referral.matching_needs.lived_experience.all()]
    except MatchingNeeds.DoesNotExist:
        asked = []
    context = {
        "referral": referral,
        "page": page,
        "needs_form": needs_form,
        "asked_experience": asked,
        "today": today,
        # Outside the eligibility today, "Match" will ask for a reason.
        "outside_eligibility": outside_eligibility(referral.eligibility_start, referral.eligibility_end, today),
    }
    return render(request, "matching/candidates.html", context, status=status)


@staff_required
def candidates(request: HttpRequest, referral_pk: int) -> HttpResponse:
    referral = get_referral_for_matching(request.user, referral_pk)
    return _candidates_page(request, referral, _needs_form(referral))


@staff_required
@require_POST
def needs_save(request: HttpRequest, referral_pk: int) -> HttpResponse:
    referral = get_referral_for_matching(request.user, referral_pk)
    form = forms.MatchingNeedsForm(request.POST, organisation_id=referral.organisation_id)
    if form.is_valid():
        try:
            services.matching_needs_save(actor=request.user, referral=referral, data=form.cleaned_data)
            messages.success(request, "Matching needs saved; the candidates are ranked again.")
            return redirect("matching:candidates", referral_pk=referral.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return _candidates_page(request, referral, form, status=400)


@staff_required
@require_http_methods(["GET", "POST"])
def confirm_one(request: HttpRequest, referral_pk: int) -> HttpResponse:
    """GET asks once ("Match Aisha with Jo Bloggs? The volunteer will be
    told."), writing nothing; outside the parent's eligibility it also asks
    for the coordinator's reason. Its POST confirms the match, which tells
    the volunteer; a refusal about eligibility comes back to this page (400)."""
    membership = require_membership(request)
    referral = get_referral_for_matching(request.user, referral_pk)
    candidates_url = reverse("matching:candidates", kwargs={"referral_pk": referral.pk})
    try:
        volunteer_id = int(request.POST.get("volunteer", "") if request.method == "POST" else request.GET["volunteer"])
    except (KeyError, ValueError):
        messages.error(request, "Choose a volunteer to match.")
        return redirect(candidates_url)
    profile = VolunteerProfile.objects.visible_to(request.user).select_related("user").filter(pk=volunteer_id).first()
    if profile is None:
        messages.error(request, "Choose a volunteer of your organisation.")
        return redirect(candidates_url)
    override_form = forms.EligibilityOverrideForm(request.POST or None)
    if request.method == "POST" and override_form.is_valid():
        try:
            match = services.match_confirm(
                actor=request.user,
                organisation_id=membership.organisation_id,
                referral_id=referral.pk,
                volunteer_id=volunteer_id,
                eligibility_override_reason=override_form.cleaned_data["eligibility_override_reason"],
            )
        except ValidationError as exc:
            if "eligibility_override_reason" not in exc.message_dict:
                for error in exc.messages:
                    messages.error(request, error)
                return redirect(candidates_url)
            apply_service_errors(override_form, exc)
        else:
            messages.success(
                request, f"Match confirmed. {match.volunteer.user} has been told; the referral is now matched."
            )
            return redirect("matching:match-detail", pk=match.pk)
    today = timezone.localdate()
    context = {
        "referral": referral,
        "parent_first_name": referral.parent.preferred_name or referral.parent.first_name,
        "volunteer_id": profile.pk,
        "volunteer_name": str(profile.user),
        "candidates_url": candidates_url,
        "outside_eligibility": outside_eligibility(referral.eligibility_start, referral.eligibility_end, today),
        "override_form": override_form,
    }
    return render(request, "matching/confirm.html", context, status=400 if request.method == "POST" else 200)


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
        )
    except ValueError:
        messages.error(request, "Choose a volunteer of your organisation.")
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, "Conflict of interest recorded: that volunteer will not be suggested.")
    return redirect("matching:candidates", referral_pk=referral.pk)


def _pair(value: str) -> tuple[int, int] | None:
    """ "12:34" -> (referral id, volunteer id); None when malformed."""
    try:
        referral_id, volunteer_id = (int(part) for part in value.split(":"))
    except ValueError:
        return None
    return referral_id, volunteer_id


@staff_required
def proposals(request: HttpRequest) -> HttpResponse:
    """Whole-list proposals for a service. POST confirms the ticked pairs,
    or only the pair of the row's own "Confirm this one" button; with htmx
    that row, or the result section, is replaced in place by the outcome."""
    membership = require_membership(request)
    service = None
    mode = request.GET.get("mode") or MODE_SCORE
    if mode not in MODES:
        mode = MODE_SCORE
    if request.GET.get("service"):
        try:
            service = get_service_for(request.user, int(request.GET["service"]))
        except ValueError as exc:
            raise Http404 from exc
    outcomes = None
    if request.method == "POST":
        only = request.POST.get("only")
        chosen = [only] if only else request.POST.getlist("pair")
        pairs = [pair for pair in map(_pair, chosen) if pair is not None]
        if not pairs:
            messages.error(request, "Tick at least one proposal to confirm.")
        else:
            outcomes = services.match_confirm_batch(
                actor=request.user, organisation_id=membership.organisation_id, pairs=pairs
            )
            if only and request.htmx:
                return _proposal_outcome_row(request, outcomes[0])
            confirmed = sum(1 for o in outcomes if o.ok)
            if not request.htmx:
                messages.success(request, f"{confirmed} match{'es' if confirmed != 1 else ''} confirmed.")
                if confirmed < len(outcomes):
                    messages.error(request, f"{len(outcomes) - confirmed} could not be confirmed: see why below.")
    result = selectors.proposals_for(service, mode=mode) if service is not None else None
    context = {
        "form": forms.ProposalsForm(
            initial={"service": service.pk if service else None, "mode": mode},
            services=list(Service.objects.visible_to(request.user).active().values_list("pk", "name")),
        ),
        "service": service,
        "mode": mode,
        "result": result,
        "outcomes": outcomes,
        "gain": round(result.total - result.greedy_total, 1) if result else None,
        "post_url": f"{reverse('matching:proposals')}?service={service.pk}&mode={mode}" if service else "",
    }
    if request.htmx and request.method == "POST":
        return render(request, "matching/_proposals_result.html", context)
    return render(request, "matching/proposals.html", context)


def _proposal_outcome_row(request: HttpRequest, outcome: services.ConfirmResult) -> HttpResponse:
    """The row of one confirmed (or refused) proposal, with why."""
    referral = Referral.objects.visible_to(request.user).select_related("parent").filter(pk=outcome.referral_id).first()
    profile = (
        VolunteerProfile.objects.visible_to(request.user).select_related("user").filter(pk=outcome.volunteer_id).first()
    )
    return render(
        request,
        "matching/_proposal_row.html",
        {"outcome": outcome, "referral": referral, "volunteer_name": str(profile.user) if profile else ""},
    )


def match_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    matches = selectors.matches_for(request.user)
    filter_form = forms.MatchFilterForm(request.GET or None)
    if filter_form.is_valid() and filter_form.cleaned_data["status"]:
        matches = matches.filter(status=filter_form.cleaned_data["status"])
    return render(
        request,
        "matching/match_list.html",
        {"matches": matches[:200], "filter_form": filter_form, "is_staff": membership.role in STAFF_ROLES},
    )


def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = require_membership(request)
    match = get_match_for(request.user, pk)
    is_staff = membership.role in STAFF_ROLES
    context = {
        "match": match,
        "is_staff": is_staff,
        "safe_contact": safe_contact_summary(contact_permissions(match.parent), sender=match.organisation.name),
        # The phone number (and address) when the organisation shares them with the matched volunteer.
        "contact_details": contact_details_for(request.user, match),
        "children": list(match.parent.children.order_by("pk")),
        "logs": match.contact_logs.prefetch_related("signposted_to").select_related("logged_by")[:50],
        "visits": match.visits.filter(cancelled=False).order_by("planned_for", "at_time")[:20],
        "reviews": match.reviews.select_related("by")[:10] if is_staff else [],
        "concerns": match.concerns.select_related("raised_by") if is_staff else [],
        "move_form": forms.MatchMoveForm(offer_ending=False),
        "extension_form": forms.ExtensionForm(),
        "review_form": forms.ReviewForm(),
        "clear_draft": request.GET.get("logged") == "1",
    }
    return render(request, "matching/match_detail.html", context)


def contact_log_new(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_match_for(request.user, pk)
    form = forms.ContactLogForm(
        request.POST or None, organisation_id=match.organisation_id, council_area_id=match.parent.council_area_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_log_create(actor=request.user, match=match, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Contact logged. Thank you.")
            return saved_answer(request, f"{match.get_absolute_url()}?logged=1")
    status = 400 if request.method == "POST" else 200
    return render(request, "matching/contact_log_form.html", {"form": form, "match": match}, status=status)


def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_match_for(request.user, pk)
    form = forms.VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_plan(actor=request.user, match=match, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Visit planned.")
            return saved_answer(request, match.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "match": match,
        "title": "Plan a visit",
        # Without signal it waits on the phone and is sent later (matching/phone.js).
        "phone_queue": {"what": "planned visit", "draft_key": f"visit-new-{match.pk}"},
    }
    return render(request, "matching/form.html", context, status=status)


#: Channel names as a person reads them.
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST cancels the visit."""
    visit = get_visit_for(request.user, pk)
    match = visit.match
    if request.method == "POST":
        try:
            services.visit_cancel(actor=request.user, visit=visit)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, "Visit cancelled.")
        return redirect(match.get_absolute_url())
    if visit.cancelled:
        messages.info(request, "This visit is already cancelled.")
        return redirect(match.get_absolute_url())
    match = get_match_for(request.user, match.pk)
    when = weekday_date(visit.planned_for) + (f" at {visit.at_time:%H:%M}" if visit.at_time else "")
    contact = contact_permissions(match.parent)
    if contact.any_safe:
        safe = contact.safe_channel_words
        tell = f"Nobody is sent a message: let {match.parent.display_name} know yourself, by {safe} only."
    else:
        tell = (
            "Nobody is sent a message, and nothing is recorded as a safe way to reach the family: ask your coordinator."
        )
    confirmation = Confirmation(
        question=f"Cancel the visit on {when} ({visit.get_mode_display().lower()})?",
        consequences=[
            "It leaves the planned visits and the calendar.",
            tell,
        ],
        action_url=reverse("matching:visit-cancel", args=[visit.pk]),
        confirm_label="Yes, cancel the visit",
        back_url=match.get_absolute_url(),
    )
    return confirm_page(request, confirmation)


def _match_section(request: HttpRequest, pk: int, template: str, **context) -> HttpResponse:
    """One section of the match page for htmx, read again after the change.
    Always 200: htmx swaps only successful responses, and a refused form
    must show its field errors in place."""
    match = get_match_for(request.user, pk)
    context["move_form"] = context.get("move_form") or forms.MatchMoveForm(offer_ending=False)
    context["review_form"] = context.get("review_form") or forms.ReviewForm()
    return render(
        request,
        template,
        {"match": match, "reviews": match.reviews.select_related("by")[:10], **context},
    )


def _inline_match_form(
    request: HttpRequest, pk: int, *, form_class, write, template: str, form_name: str, done: str, message: str
) -> HttpResponse:
    """A staff form on the match page: with htmx, its section comes back in
    place (field errors or the result); without, a message and a redirect."""
    match = get_match_for(request.user, pk)
    form = form_class(request.POST)
    written = False
    if form.is_valid():
        try:
            write(actor=request.user, match=match, **form.cleaned_data)
            written = True
        except ValidationError as exc:
            apply_service_errors(form, exc)
    if request.htmx:
        return _match_section(request, pk, template, **{form_name: None if written else form, done: written})
    if written:
        messages.success(request, message)
    for error in (e for errors in form.errors.values() for e in errors):
        messages.error(request, error)
    return redirect(match.get_absolute_url())


@staff_required
@require_POST
def match_move(request: HttpRequest, pk: int) -> HttpResponse:
    # The out-of-band template also replaces the status badge at the top of the page.
    return _inline_match_form(
        request,
        pk,
        form_class=forms.MatchMoveForm,
        write=services.match_transition,
        template="matching/_move_section_oob.html",
        form_name="move_form",
        done="moved",
        message="Match updated.",
    )


@staff_required
def match_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Ending a match: the confirmation page is the form (how it ended, a closing note)."""
    match = get_match_for(request.user, pk)
    if not match.is_open:
        messages.info(request, "This match has already ended.")
        return redirect(match.get_absolute_url())
    form = forms.MatchEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_transition(actor=request.user, match=match, to_status=MatchStatus.ENDED, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            match.refresh_from_db()
            messages.success(
                request, f"The match is ended. The referral is {match.referral.get_status_display().lower()}."
            )
            return redirect(match.get_absolute_url())
    confirmation = Confirmation(
        question=f"End the match of {match.parent.display_name} with {match.volunteer.user}?",
        consequences=selectors.match_end_consequences(match),
        form=form,
        action_url=reverse("matching:match-end", args=[match.pk]),
        confirm_label="Yes, end the match",
        back_url=match.get_absolute_url(),
    )
    return confirm_page(request, confirmation, status=400 if request.method == "POST" else 200)


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
    return _inline_match_form(
        request,
        pk,
        form_class=forms.ReviewForm,
        write=services.match_review_record,
        template="matching/_review_section.html",
        form_name="review_form",
        done="review_saved",
        message="Review recorded.",
    )
