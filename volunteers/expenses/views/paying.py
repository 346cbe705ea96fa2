"""The coordinator's side: claims to decide (approve, query, reject),
approved claims made into a payment batch, the batch's file for the finance
system, the batch marked paid; and the manager's expense settings. Each
step is a POST through its service; a refusal comes back as a message on
the page it was taken from (status 400 for a form's field errors), nothing
written."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from operations.core import downloads
from operations.core.access import manager_required, require_membership, staff_required
from operations.core.forms import apply_service_errors
from operations.core.models import STAFF_ROLES
from volunteers.expenses import selectors, services
from volunteers.expenses.access import get_batch_for, get_claim_for
from volunteers.expenses.forms import DecisionForm, ExpenseSettingsForm, PaidForm
from volunteers.expenses.models import pounds

#: Rows of each list on the worklist; older batches are on the API.
LIST_ROWS = 100


def expense_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    if membership.role not in STAFF_ROLES:
        return redirect("expenses:mine")
    to_batch = list(selectors.claims_to_batch(request.user)[:LIST_ROWS])
    context = {
        "to_decide": selectors.claims_to_decide(request.user)[:LIST_ROWS],
        "to_batch": to_batch,
        "to_batch_total": pounds(sum(claim.amount_pence for claim in to_batch)),
        "batches": selectors.batches_for(request.user)[:20],
        # A coordinator who also supports a family claims like a volunteer, and someone else decides.
        "claims_too": services.claimant_profile(request.user) is not None,
    }
    return render(request, "expenses/list.html", context)


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@staff_required
@require_POST
def claim_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    claim = get_claim_for(request.user, pk)
    form = DecisionForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    try:
        if decision == "approve":
            services.claim_approve(actor=request.user, claim=claim)
        elif decision == "query":
            services.claim_query(actor=request.user, claim=claim, question=text)
        else:
            services.claim_reject(actor=request.user, claim=claim, reason=text)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        context = {"claim": claim, "own": False, "can_decide": services.can_decide(request.user, claim)}
        return render(request, "expenses/claim_detail.html", {**context, "decision_form": form}, status=400)
    claim.refresh_from_db()
    messages.success(request, f"Claim #{claim.pk} {claim.get_status_display().lower()}.")
    return redirect("expenses:list")


@staff_required
@require_POST
def batch_new(request: HttpRequest) -> HttpResponse:
    try:
        batch = services.batch_create(actor=request.user)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return redirect("expenses:list")
    messages.success(request, f"Payment batch #{batch.pk} made: {batch.claim_count} claims, {batch.total_words}.")
    return redirect(batch)


@staff_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for(request.user, pk)
    # Most batches are marked paid the day the money goes: today, unless changed.
    paid_form = PaidForm(initial={"paid_on": timezone.localdate()})
    context = {"batch": batch, "payees": _payees_in_pounds(batch), "paid_form": paid_form}
    return render(request, "expenses/batch_detail.html", context)


def _payees_in_pounds(batch) -> list[dict]:
    return [{**row, "total": pounds(row["total_pence"])} for row in selectors.batch_payees(batch)]


#: The finance system's file: one row per person paid, then the batch's total.
#: Amounts are plain numbers in pounds ("12.50") so the finance system reads them as money.
PAYMENT_COLUMNS = [
    downloads.Column("Name", lambda row: row["name"]),
    downloads.Column("Payee reference", lambda row: row["reference"]),
    downloads.Column("Claims", lambda row: row.get("count", len(row["claims"]))),
    downloads.Column("Total (GBP)", lambda row: f"{row['total_pence'] / 100:.2f}"),
    downloads.Column("Claim numbers", lambda row: "; ".join(str(pk) for pk in row["claims"])),
    # A contact by its kind and day, a group session by its name and day: never the family.
    downloads.Column("For", lambda row: "; ".join(row.get("for_what", []))),
]


@staff_required
def batch_csv(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for(request.user, pk)
    payees = selectors.batch_payees(batch)
    total = {
        "name": "Total",
        "reference": "",
        "claims": [],
        "count": batch.claim_count,
        "total_pence": batch.total_pence,
    }
    return downloads.download(
        request,
        fmt="csv",
        title=f"Payment batch {batch.pk}",
        filename=f"payment-batch-{batch.pk}",
        columns=PAYMENT_COLUMNS,
        rows=[*payees, total],
    )


@staff_required
@require_POST
def batch_paid(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for(request.user, pk)
    form = PaidForm(request.POST)
    if form.is_valid():
        try:
            services.batch_mark_paid(actor=request.user, batch=batch, paid_on=form.cleaned_data["paid_on"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Payment batch #{batch.pk} marked paid. Each volunteer has been told.")
            return redirect(batch)
    context = {"batch": batch, "payees": _payees_in_pounds(batch), "paid_form": form}
    return render(request, "expenses/batch_detail.html", context, status=400)


@manager_required
@require_http_methods(["GET", "POST"])
def expense_settings(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    config = services.settings_for(membership.organisation_id)
    form = ExpenseSettingsForm(request.POST or None, config=config)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.expense_settings_save(
                actor=request.user,
                config=config,
                pence_per_mile=data["pence_per_mile"],
                receipt_needed_above_pence=int(data["receipt_needed_above"] * 100),
                categories=data["categories"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Expense settings saved. Claims made from now on use them.")
            return redirect("expenses:settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "expenses/settings.html", {"form": form}, status=status)
