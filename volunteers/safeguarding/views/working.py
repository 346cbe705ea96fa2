"""Working concerns (leads, coordinators, managers, supervisors): the
worklist, one concern with its timeline, and its steps. Each step is a POST
through its service; a refused form comes back on the concern's page with
its field errors (status 400), nothing written."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST

from operations.core import downloads
from operations.core.access import require_membership
from operations.core.audit import AuditAction, audit_log
from operations.core.forms import apply_service_errors
from operations.core.models import STAFF_ROLES, Membership, Role, User
from volunteers.models import SupervisorPairing
from volunteers.safeguarding import selectors, services
from volunteers.safeguarding.access import get_concern_for
from volunteers.safeguarding.forms import CloseForm, ConcernFilterForm, PlanForm
from volunteers.safeguarding.models import Concern, ConcernStatus

#: Rows per page of the worklist.
WORKLIST_PAGE_SIZE = 50


@dataclass(frozen=True)
class Links:
    """Where a concern's family, referral, match and volunteer may be opened
    by this person: empty where their page would refuse them (parents and
    referrals are staff pages; a PSO opens their own matches and their own
    and their supervisees' profiles)."""

    parent: str = ""
    referral: str = ""
    match: str = ""
    volunteer: str = ""


def _links(concern: Concern, *, user: User, membership: Membership, supervisee_ids: frozenset[int]) -> Links:
    staff = membership.role in STAFF_ROLES
    volunteer = concern.volunteer
    own_family = volunteer is not None and volunteer.user_id == user.pk
    match = concern.match
    return Links(
        parent=reverse("referrals:parent-detail", args=[concern.parent_id]) if staff and concern.parent_id else "",
        referral=reverse("referrals:referral-detail", args=[match.referral_id]) if staff and match else "",
        match=reverse("matching:match-detail", args=[match.pk]) if match and (staff or own_family) else "",
        volunteer=(
            reverse("volunteers:detail", args=[volunteer.pk])
            if volunteer and (staff or own_family or volunteer.pk in supervisee_ids)
            else ""
        ),
    )


def _supervisee_ids(user: User, membership: Membership) -> frozenset[int]:
    if membership.role != Role.PSO:
        return frozenset()
    return frozenset(
        SupervisorPairing.objects.filter(supervisor_id=user.pk, ended_on__isnull=True).values_list(
            "volunteer_id", flat=True
        )
    )


#: The worklist as a file: what its rows show, never what was seen or the notes.
CONCERN_COLUMNS = [
    downloads.Column("Concern", lambda c: f"#{c.pk}"),
    downloads.Column("Raised", lambda c: c.raised_at),
    downloads.Column("Urgency", lambda c: c.get_urgency_display()),
    downloads.Column("Kind", lambda c: c.get_kind_display()),
    downloads.Column("About", lambda c: c.get_about_display()),
    downloads.Column("Family", lambda c: c.parent.display_name if c.parent else ""),
    downloads.Column("Volunteer", lambda c: str(c.volunteer.user) if c.volunteer else ""),
    downloads.Column("Status", lambda c: c.get_status_display()),
    downloads.Column("Acknowledged", lambda c: c.acknowledged_at),
    downloads.Column("Owner", lambda c: str(c.owner) if c.owner else ""),
    downloads.Column("Follow up on", lambda c: c.follow_up_on),
    downloads.Column("Outcome", lambda c: c.get_outcome_display()),
]


def concern_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    if membership.role == Role.VOLUNTEER:
        # A volunteer works no concerns (and can never be a lead): theirs are on "My concerns".
        return redirect("safeguarding:concern-mine")
    data = request.GET.copy()
    data.setdefault("status", selectors.STATUS_OPEN)
    filter_form = ConcernFilterForm(data, owners=selectors.owners(request.user))
    filter_form.is_valid()
    now = timezone.now()
    if fmt := downloads.requested_format(request):
        return downloads.download(
            request,
            fmt=fmt,
            title="Concerns",
            filename="concerns",
            columns=CONCERN_COLUMNS,
            rows=selectors.worklist(request.user, filter_form.filters(), now=now).iterator(chunk_size=2000),
            filters=downloads.filters_described(filter_form),
        )
    page = Paginator(selectors.worklist(request.user, filter_form.filters(), now=now), WORKLIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    supervisee_ids = _supervisee_ids(request.user, membership)
    for concern in page:
        concern.links = _links(concern, user=request.user, membership=membership, supervisee_ids=supervisee_ids)
        concern.age = timesince(concern.raised_at, now, depth=1)
    return render(
        request,
        "safeguarding/concern_list.html",
        {"page": page, "filter_form": filter_form, "is_manager": membership.role == Role.MANAGER},
    )


def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = get_concern_for(request.user, pk)
    if not concern.notes_visible_to(request.user):
        # The volunteer who raised it: its status is on "My concerns", the notes never.
        return redirect("safeguarding:concern-mine")
    audit_log(action=AuditAction.VIEW, actor=request.user, obj=concern, summary=f"Concern {concern.pk} viewed")
    return _detail_page(request, concern)


def _detail_page(
    request: HttpRequest,
    concern: Concern,
    *,
    plan_form: PlanForm | None = None,
    close_form: CloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    membership = require_membership(request)
    can_work = concern.is_open and services.can_work(request.user, concern)
    if plan_form is None:
        plan_form = PlanForm(
            organisation_id=concern.organisation_id,
            initial={"owner": concern.owner_id or request.user.pk, "follow_up_on": concern.follow_up_on},
        )
    context = {
        "concern": concern,
        "events": selectors.timeline(concern),
        "links": _links(
            concern,
            user=request.user,
            membership=membership,
            supervisee_ids=_supervisee_ids(request.user, membership),
        ),
        "age": timesince(concern.raised_at, timezone.now(), depth=1),
        "can_work": can_work,
        "is_new": concern.status == ConcernStatus.NEW,
        "plan_form": plan_form if can_work else None,
        "close_form": (close_form or CloseForm()) if can_work else None,
        # Which form came back refused: the top of the page says so and links to it.
        "refused": "plan" if plan_form.errors else ("close" if close_form is not None and close_form.errors else ""),
    }
    return render(request, "safeguarding/concern_detail.html", context, status=status)


def _workable(request: HttpRequest, pk: int) -> Concern:
    """The concern, if this person may work it: out of sight is a 404, in
    sight but not theirs to work (the volunteer who raised it) a 403."""
    concern = get_concern_for(request.user, pk)
    if not services.can_work(request.user, concern):
        raise PermissionDenied("Only a coordinator, a manager, a safeguarding lead or the supervisor can do this.")
    return concern


def _closed(request: HttpRequest, concern: Concern) -> HttpResponse | None:
    """A step sent to a concern already closed (another tab, a colleague):
    say so on its page rather than show a form that no longer applies."""
    if concern.is_open:
        return None
    messages.info(request, "This concern is already closed.")
    return redirect(concern)


@require_POST
def concern_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _workable(request, pk)
    was_new = concern.status == ConcernStatus.NEW
    try:
        services.concern_acknowledge(actor=request.user, concern=concern)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        if was_new:
            messages.success(request, "Concern acknowledged. Whoever raised it can see it was received.")
        else:
            messages.info(request, "This concern was already acknowledged.")
    return redirect(concern)


@require_POST
def concern_plan(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _workable(request, pk)
    if closed := _closed(request, concern):
        return closed
    form = PlanForm(request.POST, organisation_id=concern.organisation_id)
    if form.is_valid():
        try:
            services.concern_plan(actor=request.user, concern=concern, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            owner = form.cleaned_data["owner"]
            messages.success(request, f"Action planned. {owner} owns the follow-up and is reminded on the date.")
            return redirect(concern)
    return _detail_page(request, concern, plan_form=form, status=400)


@require_POST
def concern_close(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _workable(request, pk)
    if closed := _closed(request, concern):
        return closed
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.concern_close(actor=request.user, concern=concern, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Concern closed. Whoever raised it can see that it is closed.")
            return redirect(concern)
    return _detail_page(request, concern, close_form=form, status=400)
