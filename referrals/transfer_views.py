"""Pages of transfers to another organisation: propose (from a referral's
page), the worklist (incoming to decide, outgoing waiting), and the decision
page. Until a transfer is accepted the receiving side's pages show only the
proposal's own fields, never the family's record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from operations.core.access import require_membership, staff_required
from operations.core.forms import apply_service_errors
from referrals import transfers
from referrals.access import get_referral_for
from referrals.models import Transfer, TransferStatus
from referrals.transfer_forms import TransferAcceptForm, TransferDeclineForm, TransferProposeForm

#: Answered transfers shown on the worklist, newest first.
RECENT_ANSWERED = 20


@staff_required
def transfer_propose(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request.user, pk)
    # An empty POST is still a submission (its field errors, 400), not a fresh form.
    form = TransferProposeForm(request.POST if request.method == "POST" else None, organisation=referral.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfers.transfer_propose(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Transfer proposed to {transfer.receiving_organisation.name}. "
                "Their coordinators are told; you will hear when they answer.",
            )
            return redirect("referrals:transfer-detail", transfer.pk)
    pending = referral.transfers.filter(status=TransferStatus.PROPOSED).first()
    status = 400 if form.errors else 200
    return render(
        request,
        "referrals/transfer_propose.html",
        {"referral": referral, "form": form, "pending": pending},
        status=status,
    )


@staff_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    organisation_id = require_membership(request).organisation_id
    rows = Transfer.objects.visible_to(request.user).select_related(
        "sending_organisation", "receiving_organisation", "council_area"
    )
    return render(
        request,
        "referrals/transfer_list.html",
        {
            "incoming": rows.pending().filter(receiving_organisation_id=organisation_id).order_by("proposed_at", "pk"),
            "outgoing": rows.pending().filter(sending_organisation_id=organisation_id).order_by("proposed_at", "pk"),
            "answered": rows.exclude(status=TransferStatus.PROPOSED).order_by("-decided_at", "-pk")[:RECENT_ANSWERED],
            "organisation_id": organisation_id,
        },
    )


def _detail(request: HttpRequest, transfer: Transfer, *, accept_form=None, decline_form=None, status: int = 200):
    organisation_id = require_membership(request).organisation_id
    incoming = transfer.receiving_organisation_id == organisation_id
    return render(
        request,
        "referrals/transfer_detail.html",
        {
            "transfer": transfer,
            "incoming": incoming,
            # The summary and the safeguarding note: the sending side always,
            # the receiving side only once it has taken the family.
            "show_notes": not incoming or transfer.status == TransferStatus.ACCEPTED,
            "accept_form": accept_form or TransferAcceptForm(user=request.user),
            "decline_form": decline_form or TransferDeclineForm(),
        },
        status=status,
    )


@staff_required
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, transfers.get_transfer_for(request.user, pk))


@staff_required
@require_POST
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfers.get_transfer_for(request.user, pk)
    form = TransferAcceptForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            transfer = transfers.transfer_accept(actor=request.user, transfer=transfer, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Transfer accepted: the family is in your triage as a new referral.")
            return redirect("referrals:referral-detail", transfer.new_referral_id)
    transfer.refresh_from_db()
    return _detail(request, transfer, accept_form=form, status=400)


@staff_required
@require_POST
def transfer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfers.get_transfer_for(request.user, pk)
    form = TransferDeclineForm(request.POST)
    if form.is_valid():
        try:
            transfers.transfer_decline(actor=request.user, transfer=transfer, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Transfer declined. The sending organisation is told why.")
            return redirect("referrals:transfer-list")
    transfer.refresh_from_db()
    return _detail(request, transfer, decline_form=form, status=400)


@staff_required
@require_POST
def transfer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfers.get_transfer_for(request.user, pk)
    try:
        transfers.transfer_withdraw(actor=request.user, transfer=transfer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Transfer withdrawn. The referral stays open with you.")
    return redirect("referrals:transfer-detail", transfer.pk)
