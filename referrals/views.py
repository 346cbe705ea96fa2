"""Pages of the referrals app. Coordinators and managers only, for now."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from operations.core import downloads
from operations.core.access import manager_required, require_membership, staff_required
from operations.core.audit import AuditAction, audit_log
from operations.core.downloads import Column
from operations.core.forms import apply_service_errors
from operations.core.page_panels import panels_for
from operations.core.timeline import kinds as timeline_kinds
from operations.core.timeline import timeline_page
from referrals import referrers, selectors, services
from referrals.access import get_child_for, get_parent_for, get_referral_for
from referrals.checklist import intake_checklist
from referrals.contact import contact_permissions, safe_contact_summary
from referrals.forms import (
    BoardFilterForm,
    ChildForm,
    ContactSafetyForm,
    EraseConfirmForm,
    IntakeForm,
    LiftRestrictionForm,
    ParentForm,
    ParentSearchForm,
    ReferralForm,
    ReferrerPicker,
    RestrictionForm,
    SubjectAccessForm,
    TimelineFilterForm,
    TransitionForm,
)
from referrals.models import ProcessingRestriction, Referral, Referrer, Transfer
from referrals.workflow import Status

#: Rows per page of the waiting list; the place number runs on across pages.
WAITING_PAGE_SIZE = 25
#: Entries per page of a parent's timeline; a page number past the last here reads as the first page.
TIMELINE_PAGE_SIZE = 50
TIMELINE_LAST_PAGE = 1000


def _eligibility_words(row) -> str:
    """The eligibility column as the page words it (referrals/_eligibility.html)."""
    if row.eligibility_end is None:
        return row.eligibility_reason or "No end date yet"
    return f"Eligible {row.eligibility_reason}"


#: The board's download: every card the filters find, as the cards word them.
BOARD_COLUMNS = [
    Column("Record number", lambda card: card.pk),
    Column("Parent", lambda card: card.parent_name),
    Column("Service", lambda card: card.service_name),
    Column("State", lambda card: card.status_label),
    Column("Urgency", lambda card: card.urgency_label),
    Column("Received", lambda card: card.received_on),
    Column("Eligibility", _eligibility_words),
    Column("Eligibility ends", lambda card: card.eligibility_end),
    Column("End date estimated", lambda card: card.eligibility_estimated),
    Column("Came in by", lambda card: card.channel_label),
    Column("Referrer", lambda card: card.referrer_name),
    Column("Referrer's team", lambda card: card.referrer_team),
]

#: The waiting list's download, in priority order; rows are (place, WaitingRow).
WAITING_COLUMNS = [
    Column("Place", lambda item: item[0]),
    Column("Record number", lambda item: item[1].pk),
    Column("Parent", lambda item: item[1].parent_name),
    Column("Service", lambda item: item[1].service_name),
    Column("Urgency", lambda item: item[1].urgency_label),
    Column("Received", lambda item: item[1].received_on),
    Column("Days left", lambda item: item[1].days_left),
    Column("Eligible from", lambda item: item[1].eligibility_start),
    Column("Eligibility", lambda item: _eligibility_words(item[1])),
    Column("Eligibility ends", lambda item: item[1].eligibility_end),
    Column("End date estimated", lambda item: item[1].eligibility_estimated),
    Column("At risk of ageing out", lambda item: item[1].ageing_out),
]


@staff_required
def board(request: HttpRequest) -> HttpResponse:
    filters = BoardFilterForm(request.GET or None, user=request.user)
    params = filters.cleaned_data if filters.is_valid() else {}
    params = {key: value for key, value in params.items() if value not in (None, "")}
    if fmt := downloads.requested_format(request):
        return downloads.download(
            request,
            fmt=fmt,
            title="Referral triage",
            filename="referral-triage",
            columns=BOARD_COLUMNS,
            rows=selectors.triage_board_all_rows(request.user, params),
            filters=downloads.filters_described(filters) if params else {},
        )
    columns = selectors.triage_board(request.user, params)
    context = {"filters": filters, "columns": columns, "today": timezone.localdate()}
    if request.htmx:
        return render(request, "referrals/_board.html", context)
    return render(request, "referrals/board.html", context)


@staff_required
def waiting_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if fmt := downloads.requested_format(request):
        return downloads.download(
            request,
            fmt=fmt,
            title="Waiting list",
            filename="waiting-list",
            columns=WAITING_COLUMNS,
            rows=enumerate(selectors.waiting_list_all_rows(request.user, today=today), start=1),
        )
    waits = selectors.typical_waits(request.user, today=today)
    referrals = selectors.waiting_list(request.user, today=today, waits=waits)
    page = Paginator(referrals, WAITING_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.waiting_list_rows(page.object_list, today=today, waits=waits)
    return render(request, "referrals/waiting_list.html", {"page": page, "rows": rows, "today": today})


@staff_required
def referral_new(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    parent = (
        get_parent_for(request.user, int(request.GET["parent"])) if request.GET.get("parent", "").isdigit() else None
    )
    form = IntakeForm(request.POST or None, user=request.user, parent=parent)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            # A referrer added on the form joins the directory with the referral, or not at all.
            with transaction.atomic():
                referral_data = form.referral_data()
                referral_data["referrer"] = _added_referrer(request, form) or referral_data["referrer"]
                referral = services.referral_create(
                    actor=request.user,
                    organisation=membership.organisation,
                    service=form.cleaned_data["service"],
                    parent=parent,
                    parent_data=form.parent_data() if parent is None else None,
                    child_data=form.child_data(),
                    referral_data=referral_data,
                    safety_data=form.safety_data(),
                    **form.past_end_data(),
                )
        except services.DuplicateReferral as exc:
            duplicate = exc.existing
            form.add_error("service", "This parent already has an open referral for this service.")
        except ValidationError as exc:
            if "eligibility_override_reason" in getattr(exc, "error_dict", {}):
                form.offer_past_end()
            apply_service_errors(form, exc)
        else:
            if referral.status == Status.NOT_ELIGIBLE:
                messages.success(request, f"Referral #{referral.pk} recorded as not eligible.")
            else:
                messages.success(request, f"Referral #{referral.pk} received.")
            return redirect("referrals:referral-detail", referral.pk)
    return render(request, "referrals/referral_form.html", {"form": form, "parent": parent, "duplicate": duplicate})


def _added_referrer(request: HttpRequest, form: ReferrerPicker) -> Referrer | None:
    """The referrer the referral form adds to the directory (None when it
    adds none); the caller's transaction holds it with the referral."""
    new = form.new_referrer()
    if new is None:
        return None
    try:
        return referrers.referrer_add_inline(
            actor=request.user,
            organisation=require_membership(request).organisation,
            data=new,
            new_team=form.new_team(),
        )
    except ValidationError as exc:
        raise form.new_referrer_errors(exc) from None


def _detail_context(request: HttpRequest, referral: Referral, transition_form: TransitionForm) -> dict:
    return {
        "referral": referral,
        # Higher layers' panels (what the referrer was told, from operations.referrer_updates).
        "panels": panels_for("referral", request, referral),
        "transitions": referral.transitions.select_related("by"),
        "transition_form": transition_form,
        "checklist": intake_checklist(referral.parent, referral_pk=referral.pk),
        "today": timezone.localdate(),
        # Matches confirmed outside the eligibility: who overrode it, when and why.
        "eligibility_overrides": referral.matches.exclude(eligibility_override_reason="").select_related(
            "confirmed_by"
        ),
        # Transfers to another organisation: out of this referral, or the one it came in by.
        "transfers_out": referral.transfers.select_related("receiving_organisation"),
        "transferred_in": Transfer.objects.filter(new_referral=referral).select_related("sending_organisation").first(),
    }


@staff_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request.user, pk)
    audit_log(action=AuditAction.VIEW, actor=request.user, obj=referral, summary="Referral viewed")
    return render(
        request, "referrals/referral_detail.html", _detail_context(request, referral, TransitionForm(referral=referral))
    )


@staff_required
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request.user, pk)
    form = ReferralForm(request.POST or None, instance=referral, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                data = {**form.cleaned_data}
                data["referrer"] = _added_referrer(request, form) or data["referrer"]
                services.referral_update(actor=request.user, referral=referral, data=data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Referral saved. Eligibility dates were recomputed.")
            return redirect("referrals:referral-detail", referral.pk)
    if form.errors:
        referral.refresh_from_db()
    return render(request, "referrals/referral_edit.html", {"form": form, "referral": referral})


@staff_required
@require_POST
def referral_transition(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request.user, pk)
    form = TransitionForm(request.POST, referral=referral)
    if form.is_valid():
        try:
            referral = services.referral_transition(
                actor=request.user,
                referral=referral,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
    if request.htmx:
        # htmx swaps only 2xx responses, so a refusal comes back as 200 with the errors on the card.
        response = render(
            request,
            "referrals/_card.html",
            {
                "card": selectors.Card.of(referral),
                "form": form if form.errors else TransitionForm(referral=referral),
                "today": timezone.localdate(),
                "moved": not form.errors,
            },
        )
        if not form.errors:
            # The board refreshes its counts and columns.
            response["HX-Trigger"] = "referral-moved"
        return response
    if form.errors:
        return render(request, "referrals/referral_detail.html", _detail_context(request, referral, form), status=400)
    messages.success(request, f"Referral #{referral.pk} is now {referral.get_status_display().lower()}.")
    return redirect("referrals:referral-detail", referral.pk)


@staff_required
def parent_list(request: HttpRequest) -> HttpResponse:
    form = ParentSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    # A refused search lists nobody rather than everybody.
    parents = [] if form.errors else selectors.parents_search(request.user, query)[:100]
    return render(request, "referrals/parent_list.html", {"parents": parents, "form": form})


@staff_required
def parent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_parent_for(request.user, pk)
    audit_log(action=AuditAction.VIEW, actor=request.user, obj=parent, summary="Parent record viewed")
    children = list(parent.children.all())
    today = timezone.localdate()
    timeline_filter = TimelineFilterForm(request.GET or None, kinds=timeline_kinds())
    chosen = timeline_filter.chosen()
    timeline = timeline_page(
        parent,
        user=request.user,
        kinds=chosen,
        number=_page_number(request.GET.get("page"), last=TIMELINE_LAST_PAGE),
        size=TIMELINE_PAGE_SIZE,
    )
    # The kinds ticked travel with the page links (none ticked: every kind, no parameter).
    filtered = timeline_filter.is_valid() and timeline_filter.cleaned_data["kind"]
    return render(
        request,
        "referrals/parent_detail.html",
        {
            "parent": parent,
            "children": children,
            "births_to_confirm": _unconfirmed(children, today),
            "referrals": parent.referrals.select_related("service"),
            "timeline": timeline,
            "timeline_filter": timeline_filter,
            "timeline_query": urlencode([("kind", kind) for kind in chosen]) if filtered else "",
            # Panels of the layers above (the outcome measures), found by convention.
            "panels": panels_for("parent", request, parent),
            "contact": contact_permissions(parent),
            "safe_contact": safe_contact_summary(contact_permissions(parent)),
            "today": today,
        },
    )


def _page_number(value: str | None, *, last: int) -> int:
    """A page number from the address: anything not a number from 1 to ``last`` is the first page."""
    return int(value) if value and value.isdigit() and 1 <= int(value) <= last else 1


def _unconfirmed(children, today):
    from referrals.eligibility import ChildFacts, birth_needs_confirming

    return [
        c
        for c in children
        if birth_needs_confirming(
            ChildFacts(due_date=c.due_date, birth_date=c.birth_date, loss_date=c.loss_date), today
        )
    ]


@staff_required
def parent_edit(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_parent_for(request.user, pk)
    form = ParentForm(request.POST or None, instance=parent)
    if request.method == "POST" and form.is_valid():
        try:
            services.parent_update(actor=request.user, parent=parent, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Details saved.")
            return _back_to_referral_or_parent(request, parent)
    if form.errors:
        parent.refresh_from_db()
    return render(request, "referrals/parent_form.html", {"form": form, "parent": parent, "title": "Edit details"})


def _back_to_referral_or_parent(request: HttpRequest, parent) -> HttpResponse:
    """Back to the referral whose checklist sent the coordinator here, else the parent's page."""
    referral_pk = request.GET.get("referral", "")
    if referral_pk.isdigit():
        referral = get_referral_for(request.user, int(referral_pk))
        if referral.parent_id == parent.pk:
            return redirect("referrals:referral-detail", referral.pk)
    return redirect("referrals:parent-detail", parent.pk)


@staff_required
def parent_contact_safety(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_parent_for(request.user, pk)
    form = ContactSafetyForm(request.POST or None, instance=parent)
    if request.method == "POST" and form.is_valid():
        try:
            services.parent_record_contact_safety(actor=request.user, parent=parent, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Safe contact recorded.")
            return _back_to_referral_or_parent(request, parent)
    return render(request, "referrals/parent_form.html", {"form": form, "parent": parent, "title": "Safe contact"})


@staff_required
def child_add(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_parent_for(request.user, pk)
    return _child_form(request, parent=parent, child=None)


@staff_required
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_child_for(request.user, pk)
    return _child_form(request, parent=child.parent, child=child)


def _child_form(request: HttpRequest, *, parent, child) -> HttpResponse:
    form = ChildForm(request.POST or None, instance=child)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_save(actor=request.user, parent=parent, child=child, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Saved. Eligibility dates were recomputed.")
            return redirect("referrals:parent-detail", parent.pk)
    title = "Add a pregnancy or child" if child is None else "Record a birth, a loss or a change"
    return render(request, "referrals/child_form.html", {"form": form, "parent": parent, "title": title})


@staff_required
@require_POST
def child_review_loss(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_child_for(request.user, pk)
    try:
        services.child_review_loss(actor=request.user, child=child)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Review recorded.")
    return redirect("referrals:parent-detail", child.parent_id)


@manager_required
def parent_subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about one parent, as a printable page or as JSON
    (?format=json) built from the same rows, so the two cannot differ."""
    parent = get_parent_for(request.user, pk)
    form = SubjectAccessForm(request.GET)
    as_json = request.GET.get("format") == "json"
    if not form.is_valid():
        if as_json:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return render(request, "referrals/subject_access.html", {"parent": parent, "form": form}, status=400)
    sections = services.parent_subject_access(actor=request.user, parent=parent)
    report = {
        "organisation": str(parent.organisation),
        "record": parent.pk,
        "requested_on": form.cleaned_data["requested_on"],
        "generated_at": timezone.localtime(),
        "produced_by": request.user.get_full_name() or request.user.username,
        "sections": sections,
    }
    if as_json:
        body = {
            **report,
            "requested_on": report["requested_on"].isoformat() if report["requested_on"] else None,
            "generated_at": report["generated_at"].isoformat(),
            "sections": [
                {"title": section.title, "source": section.source, "count": len(section.rows), "rows": section.rows}
                for section in sections
            ],
        }
        response = JsonResponse(body, json_dumps_params={"indent": 2, "ensure_ascii": False})
        response["Content-Disposition"] = f'attachment; filename="subject-access-{parent.pk}.json"'
        return response
    return render(request, "referrals/subject_access.html", {"parent": parent, "form": form, "report": report})


@manager_required
def parent_erase(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_parent_for(request.user, pk)
    form = EraseConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.parent_erase(actor=request.user, parent=parent)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The record was erased. Anonymous statistics are kept.")
            return redirect("referrals:parent-detail", pk=parent.pk)
    return render(request, "referrals/parent_erase.html", {"parent": parent, "form": form})


@manager_required
def parent_restriction(request: HttpRequest, pk: int) -> HttpResponse:
    """Restrict processing of a parent's record at their request, or lift
    the standing restriction; the history of both is listed."""
    parent = get_parent_for(request.user, pk)
    lifting = parent.processing_restricted
    form_class = LiftRestrictionForm if lifting else RestrictionForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if lifting:
                services.parent_lift_restriction(actor=request.user, parent=parent, reason=form.cleaned_data["reason"])
            else:
                services.parent_restrict(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            done = "The restriction was lifted." if lifting else "Processing is restricted: kept, nothing new is done."
            messages.success(request, done)
            return redirect("referrals:parent-detail", pk=parent.pk)
    history = ProcessingRestriction.objects.filter(parent=parent).select_related("recorded_by", "lifted_by")
    return render(
        request,
        "referrals/parent_restriction.html",
        {"parent": parent, "form": form, "lifting": lifting, "history": history},
    )
