"""The volunteer's side, on her phone: her claims and each one's state, a
new claim, changing a claim that was queried, and one claim with its
receipt photo (which its coordinators see too)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from operations.core.access import require_membership
from operations.core.forms import apply_service_errors
from volunteers.expenses import receipts, selectors, services
from volunteers.expenses.access import get_claim_for
from volunteers.expenses.forms import ClaimForm, DecisionForm
from volunteers.expenses.models import ExpenseClaim, pounds

#: Rows of "My expenses": a busy volunteer claims a few a week.
MINE_ROWS = 100


def expenses_mine(request: HttpRequest) -> HttpResponse:
    require_membership(request)
    claims = list(selectors.own_claims(request.user)[:MINE_ROWS])
    context = {
        "claims": claims,
        "can_claim": services.claimant_profile(request.user) is not None,
        "waiting": pounds(sum(c.amount_pence for c in claims if c.status in ("submitted", "queried", "approved"))),
    }
    return render(request, "expenses/mine.html", context)


def _claim_page(request: HttpRequest, *, claim: ExpenseClaim | None) -> HttpResponse:
    """The claim form, new (``claim`` None) or changing one: one form, one
    service call (a claim made, or sent again), back to "My expenses"."""
    membership = require_membership(request)
    config = services.settings_for(membership.organisation_id)
    form = ClaimForm(request.POST or None, request.FILES or None, user=request.user, config=config, claim=claim)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("receipt", None)
        sent = {"actor": request.user, "data": data, "upload": upload, "upload_size": upload.size if upload else None}
        try:
            saved = services.claim_resubmit(claim=claim, **sent) if claim else services.claim_submit(**sent)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            words = "sent again" if claim else f"for {saved.amount_words} sent"
            messages.success(request, f"Claim #{saved.pk} {words} to your coordinator.")
            return redirect("expenses:mine")
    status = 400 if request.method == "POST" else 200
    # Without a volunteer or PSO profile here (a coordinator who befriends no one) the page says why.
    can_claim = claim is not None or services.claimant_profile(request.user) is not None
    context = {"form": form, "config": config, "claim": claim, "can_claim": can_claim}
    return render(request, "expenses/claim_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def claim_new(request: HttpRequest) -> HttpResponse:
    return _claim_page(request, claim=None)


@require_http_methods(["GET", "POST"])
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_membership(request)
    claim = get_claim_for(request.user, pk)
    if claim.volunteer.user_id != request.user.pk:
        raise PermissionDenied("Only the person who made a claim can change it.")
    if not claim.is_editable:
        messages.info(request, f"This claim is {claim.get_status_display().lower()}: it can no longer be changed.")
        return redirect(claim)
    return _claim_page(request, claim=claim)


def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_membership(request)
    claim = get_claim_for(request.user, pk)
    context = {
        "claim": claim,
        "own": claim.volunteer.user_id == request.user.pk,
        "can_decide": services.can_decide(request.user, claim) and claim.status == "submitted",
        "decision_form": DecisionForm(),
    }
    return render(request, "expenses/claim_detail.html", context)


def claim_receipt(request: HttpRequest, pk: int) -> FileResponse:
    """The photo, to the claimant and her organisation's coordinators and
    managers only (``get_claim_for``); never cached on the way or kept by the browser."""
    require_membership(request)
    claim: ExpenseClaim = get_claim_for(request.user, pk)
    return receipts.receipt_response(claim.receipt_file, content_type=claim.receipt_content_type, claim_id=claim.pk)
