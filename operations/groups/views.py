"""Pages for groups: coordinators and managers run groups, sessions and
bookings; facilitators see their sessions and keep the register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from operations.core import downloads
from operations.core.access import require_membership, staff_required
from operations.core.api_fields import MAX_ID
from operations.core.confirm import Confirmation, confirm_page
from operations.core.dates import time_since, weekday_date
from operations.core.forms import apply_service_errors
from operations.core.links import record_url
from operations.groups import calendar, selectors, services
from operations.groups.access import (
    get_booking_child_for,
    get_booking_for,
    get_group_for,
    get_session_for,
    is_staff,
)
from operations.groups.forms import (
    BookingForm,
    CancelSessionForm,
    CrecheChildFormSet,
    GroupForm,
    HeadCountForm,
    RecordedChildrenForm,
    SessionForm,
    WalkInForm,
)
from operations.groups.models import (
    HOLDS_PLACE,
    Booking,
    BookingChild,
    BookingStatus,
    CalendarFeed,
    Format,
    Group,
    GroupSession,
    HeadCount,
)
from referrals.models import parent_name
from volunteers.matching.models import Visit

UPCOMING_LIMIT = 12


def _booking_columns(session: GroupSession) -> list[downloads.Column]:
    """A session's bookings as the session page lists them; rows are (list, booking)."""

    def children(item) -> str:
        return ", ".join(
            f"{child.first_name} ({time_since(child.date_of_birth, session.date)})" for child in item[1].children.all()
        )

    return [
        downloads.Column("List", lambda item: item[0]),
        downloads.Column("Who", lambda item: item[1].display_name),
        downloads.Column("New attendee", lambda item: item[1].parent_id is None),
        downloads.Column("Crèche children", children),
        downloads.Column("Transport needed", lambda item: item[1].transport_needed),
        downloads.Column("Status", lambda item: item[1].get_status_display()),
        downloads.Column("Waiting since", lambda item: item[1].waiting_since),
        downloads.Column("Booked on", lambda item: item[1].created_at),
        downloads.Column("Outside the group's audience: reason", lambda item: item[1].audience_override_reason),
    ]


#: The register's download, from ``register_rows``.
REGISTER_COLUMNS = [
    downloads.Column("Who", lambda row: row["display_name"]),
    downloads.Column("Walk-in", lambda row: row["walk_in"]),
    downloads.Column("Transport needed", lambda row: row["transport_needed"]),
    downloads.Column("Attendance", lambda row: row["status_label"]),
    downloads.Column("Crèche children", lambda row: ", ".join(child["first_name"] for child in row["children"])),
    downloads.Column(
        "In the crèche", lambda row: ", ".join(child["first_name"] for child in row["children"] if child["present"])
    ),
]


def group_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    groups = list(Group.objects.visible_to(request.user).select_related("service").order_by("name", "pk"))
    settings = selectors.settings_for(membership.organisation_id)
    flags = {g.pk for g in groups if selectors.registration_flag(g, membership.organisation, settings)}
    return render(
        request, "groups/group_list.html", {"groups": groups, "flags": flags, "staff": is_staff(request.user)}
    )


@staff_required
def group_create(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    form = GroupForm(request.POST or None, organisation_id=membership.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                organisation=membership.organisation,
                actor=request.user,
                data=form.service_values(),
                facilitators=list(form.cleaned_data["facilitators"]),
                creche_adults=list(form.cleaned_data["creche_adults"]),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{group.name} is set up, with its sessions for the weeks ahead.")
            return redirect("groups:detail", group.pk)
    return render(request, "groups/form.html", {"form": form, "title": "New group"})


@staff_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for(request.user, pk)
    form = GroupForm(request.POST or None, initial=GroupForm.initial_for(group), organisation_id=group.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(
                group=group,
                actor=request.user,
                data=form.service_values(),
                facilitators=list(form.cleaned_data["facilitators"]),
                creche_adults=list(form.cleaned_data["creche_adults"]),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The group is saved; sessions nobody changed by hand follow it.")
            return redirect("groups:detail", group.pk)
    return render(request, "groups/form.html", {"form": form, "title": f"Change {group.name}", "group": group})


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = require_membership(request)
    group = get_group_for(request.user, pk)
    sessions = list(
        GroupSession.objects.visible_to(request.user)
        .filter(group=group)
        .upcoming()
        .select_related("group")
        .order_by("starts_at", "pk")[:UPCOMING_LIMIT]
    )
    settings = selectors.settings_for(group.organisation_id)
    loads = selectors.loads_for(sessions, ratios=settings.ratios)
    rows = [(session, loads[session.pk]) for session in sessions]
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "rows": rows,
            "staff": is_staff(request.user),
            "flag": selectors.registration_flag(group, membership.organisation, settings),
            "facilitators": list(group.facilitators.all()),
            "rota": list(group.creche_adults.all()),
        },
    )


def group_ics(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for(request.user, pk)
    sessions = GroupSession.objects.filter(group=group).select_related("group").order_by("starts_at", "pk")
    body = calendar.sessions_calendar(name=group.name, sessions=sessions, domain=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="group-{group.pk}.ics"'
    return response


@staff_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    bookings = list(
        Booking.objects.visible_to(request.user)
        .filter(session=session)
        .select_related("parent")
        .prefetch_related("children")
        .order_by("status", "waiting_since", "created_at", "pk")
    )
    booked = [b for b in bookings if b.status in HOLDS_PLACE]
    waiting = sorted((b for b in bookings if b.status == BookingStatus.WAITING), key=lambda b: (b.waiting_since, b.pk))
    other = [b for b in bookings if b.status not in HOLDS_PLACE and b.status != BookingStatus.WAITING]
    if fmt := downloads.requested_format(request):
        return downloads.download(
            request,
            fmt=fmt,
            title="Session bookings",
            filename=f"session-{session.pk}-bookings",
            columns=_booking_columns(session),
            rows=[
                *(("Booked", b) for b in booked),
                *(("Waiting list", b) for b in waiting),
                *(("Cancelled or did not attend", b) for b in other),
            ],
            filters={"Session": _session_words(session)},
        )
    load = selectors.load_of(session)
    undo_since = timezone.now() - services.UNDO_WINDOW
    return render(
        request,
        "groups/session_detail.html",
        {
            "session": session,
            "load": load,
            "booked": booked,
            "waiting": waiting,
            "other": other,
            "rota": [(person, load.rota_fitness.get(person.pk, [])) for person in session.creche_adults.all()],
            # Cancelled in the last few minutes, while an adult place is free: "Undo" is offered
            # (booking_restore checks the crèche's room too, and says why when it refuses).
            "undoable": [
                (b, b.cancelled_at + services.UNDO_WINDOW)
                for b in bookings
                if b.status == BookingStatus.CANCELLED and b.cancelled_at and b.cancelled_at > undo_since
            ]
            if load.adult_places_left
            else [],
        },
    )


@staff_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    initial = {
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "adult_places": session.adult_places,
        "creche_on": session.creche_on,
        "creche_adults": list(session.creche_adults.all()),
        "creche_child_cap": session.creche_child_cap,
        "note": session.note,
    }
    form = SessionForm(request.POST or None, initial=initial, organisation_id=session.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                session=session,
                actor=request.user,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                adult_places=form.cleaned_data["adult_places"],
                creche_on=form.cleaned_data["creche_on"],
                creche_adults=list(form.cleaned_data["creche_adults"]),
                creche_child_cap=form.cleaned_data["creche_child_cap"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "This session is changed; the group's other sessions are as they were.")
            return redirect("groups:session", session.pk)
    return render(request, "groups/form.html", {"form": form, "title": f"Change {session}", "session": session})


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _session_words(session: GroupSession) -> str:
    """ "Tea and Tots on Tue 14 Feb 2028 at 10:00": in a question, a file's filters and an audit entry."""
    starts = timezone.localtime(session.starts_at)
    return f"{session.group.name} on {weekday_date(starts.date())} at {starts:%H:%M}"


def _session_cancel_consequences(session: GroupSession) -> list[str]:
    reach = selectors.session_cancel_reach(session=session)
    if reach is None:
        return ["The session has started, so nobody will be sent a message.", "Bookings stay on the register."]
    lines = []
    if reach.told:
        lines.append(f"{_plural(reach.told, 'person', 'people')} booked or waiting will be told on their safe channel.")
    if reach.unreachable:
        have = "has" if reach.unreachable == 1 else "have"
        lines.append(
            f"{reach.unreachable} {have} no safe channel: the coordinators will be asked in the app to tell them."
        )
    if reach.restricted:
        lines.append(
            f"{_plural(reach.restricted, 'person has', 'people have')} asked us to restrict their data "
            "and will not be contacted."
        )
    if not (reach.told or reach.unreachable or reach.restricted):
        lines.append("Nobody is booked or waiting, so nobody needs telling.")
    lines.append("Bookings stay on the register, so you can see who was booked.")
    return lines


@staff_required
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first (what cancelling will do, with a reason to give); POST cancels."""
    session = get_session_for(request.user, pk)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The session is cancelled. The register lists who was booked.")
        return redirect("groups:session", session.pk)
    if session.is_cancelled:
        messages.info(request, "This session is already cancelled.")
        return redirect("groups:session", session.pk)
    confirmation = Confirmation(
        question=f"Cancel {_session_words(session)}?",
        consequences=_session_cancel_consequences(session),
        form=form,
        action_url=reverse("groups:session-cancel", args=[session.pk]),
        confirm_label="Yes, cancel the session",
        back_url=reverse("groups:session", args=[session.pk]),
    )
    return confirm_page(request, confirmation, status=400 if request.method == "POST" else 200)


@staff_required
def booking_new(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    if session.group.format == Format.DROP_IN:
        messages.info(request, "Drop-in sessions take head counts on the register, not bookings.")
        return redirect("groups:register", session.pk)
    initial = {}
    chosen = _chosen_parent_id(request.POST if request.method == "POST" else request.GET)
    if request.method == "GET" and chosen is not None:
        initial["parent"] = chosen
    form = BookingForm(
        request.POST or None, initial=initial, user=request.user, session=session, staff=is_staff(request.user)
    )
    formset = CrecheChildFormSet(request.POST or None, prefix="children", form_kwargs={"session_date": session.date})
    recorded = RecordedChildrenForm(
        request.POST or None, user=request.user, parent_id=chosen, session_date=session.date
    )
    if request.htmx and request.method == "GET":
        # The parent was chosen: her recorded children replace the tick boxes.
        return render(request, "groups/_recorded_children.html", {"recorded": recorded, "session": session})
    children_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid() and recorded.is_valid():
        children = recorded.children() + [
            services.CrecheChild(first_name=f.cleaned_data["first_name"], date_of_birth=f.cleaned_data["date_of_birth"])
            for f in formset
            if f.cleaned_data.get("date_of_birth")
        ]
        try:
            booking = services.booking_create(
                session_id=session.pk,
                actor=request.user,
                parent=form.cleaned_data["parent"],
                attendee_name=form.cleaned_data["attendee_name"],
                attendee_phone=form.cleaned_data["attendee_phone"],
                attendee_consent=form.cleaned_data["attendee_consent"],
                children=children,
                transport_needed=form.cleaned_data.get("transport_needed", False),
                audience_override_reason=form.cleaned_data.get("audience_override_reason", ""),
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            # Shown above the children's rows, where they were typed.
            children_errors = errors.pop("children", [])
            if errors:
                apply_service_errors(form, ValidationError(errors))
        else:
            if booking.status == BookingStatus.WAITING:
                messages.warning(request, "The session is full for this booking: it is on the waiting list.")
            else:
                messages.success(request, "Booked.")
            return redirect("groups:session", session.pk)
    return render(
        request,
        "groups/booking_form.html",
        {
            "form": form,
            "formset": formset,
            "recorded": recorded,
            "children_errors": children_errors,
            "session": session,
        },
    )


def _chosen_parent_id(data) -> int | None:
    """The known parent picked on the booking form, if any: her recorded
    children are offered (the form itself checks she may be booked)."""
    try:
        chosen = int(data.get("parent", ""))
    except ValueError:
        return None
    # An id the database cannot hold would be its error, not "no children".
    return chosen if 1 <= chosen <= MAX_ID else None


@staff_required
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first (what cancelling frees, who is offered it); POST cancels."""
    booking = get_booking_for(request.user, pk)
    if request.method == "POST":
        try:
            promoted = services.booking_cancel(booking=booking, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            note = f" {len(promoted)} waiting booking(s) now have a place and were told." if promoted else ""
            messages.success(request, f"The booking is cancelled.{note}")
        return redirect("groups:session", booking.session_id)
    session = get_session_for(request.user, booking.session_id)
    if booking.status not in (BookingStatus.BOOKED, BookingStatus.WAITING):
        messages.info(request, f"This booking is {booking.get_status_display().lower()}: there is nothing to cancel.")
        return redirect("groups:session", session.pk)
    load = selectors.load_of(session)
    children = booking.children.count()
    lines = []
    if booking.status == BookingStatus.BOOKED:
        freed = "Their place" + (f" and {_plural(children, 'crèche place', 'crèche places')}" if children else "")
        lines.append(f"{freed} will be free.")
        if load.waiting:
            lines.append(
                f"{_plural(load.waiting, 'booking is', 'bookings are')} on the waiting list: the first that fits "
                "is offered the place and told on their safe channel."
            )
    else:
        lines.append("They leave the waiting list.")
    lines.append(f"{booking.display_name} is not sent a message about this: tell them if they did not ask for it.")
    minutes = int(services.UNDO_WINDOW.total_seconds() // 60)
    lines.append(f"You can undo this for {minutes} minutes, unless the place has gone to the waiting list.")
    confirmation = Confirmation(
        question=f"Cancel the booking of {booking.display_name} for {_session_words(session)}?",
        consequences=lines,
        action_url=reverse("groups:booking-cancel", args=[booking.pk]),
        confirm_label="Yes, cancel the booking",
        back_url=reverse("groups:session", args=[session.pk]),
    )
    return confirm_page(request, confirmation)


@staff_required
@require_POST
def booking_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo, offered on the session page for a few minutes after a cancellation."""
    booking = get_booking_for(request.user, pk)
    try:
        services.booking_restore(booking=booking, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Undone: {booking.display_name} is booked again.")
    return redirect("groups:session", booking.session_id)


@staff_required
def rota_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """GET asks first (what the crèche is left with); POST takes the person off this session's rota."""
    session = get_session_for(request.user, pk)
    rota = list(session.creche_adults.order_by("pk"))
    person = next((adult for adult in rota if adult.pk == user_pk), None)
    if person is None:
        raise Http404
    if request.method == "POST":
        try:
            services.session_rota_remove(session=session, person=person, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{person} is off the crèche rota of this session.")
        return redirect("groups:session", session.pk)
    load = selectors.load_of(session)
    left = len(rota) - 1
    # Only adults fit to work with children staff the crèche.
    fit_left = load.fit_creche_adults - (0 if load.rota_fitness.get(person.pk) else 1)
    lines = [
        f"The crèche will have {_plural(left, 'adult', 'adults')} on the rota, {fit_left} fit to work with children; "
        f"the {_plural(load.children_booked, 'child', 'children')} booked "
        f"need{'s' if load.children_booked == 1 else ''} {_plural(load.creche_adults_needed, 'adult', 'adults')}.",
        "Only this session changes: the group's rota and its other sessions stay as they are.",
        f"{person} is not sent a message about this.",
    ]
    minimum = selectors.settings_for(session.organisation_id).minimum_creche_adults
    if session.creche_on and left < minimum:
        lines.insert(0, f"A crèche needs at least {minimum} adults on the rota: add someone first, or this is refused.")
    confirmation = Confirmation(
        question=f"Take {person} off the crèche rota of {_session_words(session)}?",
        consequences=lines,
        action_url=reverse("groups:rota-remove", args=[session.pk, person.pk]),
        confirm_label="Yes, take them off the rota",
        back_url=reverse("groups:session", args=[session.pk]),
    )
    return confirm_page(request, confirmation)


# --- the register (phone first) ---------------------------------------------------


#: What a register row reads of a booking and its parent (Parent.display_name).
_REGISTER_BOOKING_FIELDS = (
    "pk",
    "parent_id",
    "attendee_name",
    "walk_in",
    "transport_needed",
    "status",
    "parent__preferred_name",
    "parent__first_name",
    "parent__last_name",
)
_REGISTER_CHILD_FIELDS = ("pk", "booking_id", "first_name", "date_of_birth", "present")
_STATUS_LABELS = dict(BookingStatus.choices)


def register_rows(bookings: QuerySet[Booking]) -> list[dict]:
    """Register rows as plain values, for the page and the htmx answers
    alike, read as values (a register is opened on a phone at every session:
    model instances for each booking, parent and child cost more than the
    queries): a template looks a dict key up at once, where a model
    attribute costs it a failed key lookup first."""
    rows = list(bookings.order_by("created_at", "pk").values(*_REGISTER_BOOKING_FIELDS))
    children: dict[int, list[dict]] = {row["pk"]: [] for row in rows}
    for child in BookingChild.objects.filter(booking_id__in=list(children)).values(*_REGISTER_CHILD_FIELDS):
        child["present_url"] = record_url("groups:register-child-present", child["pk"])
        children[child["booking_id"]].append(child)
    return [
        {
            "pk": row["pk"],
            # Booking.display_name: the parent's name, or a walk-in's own.
            "display_name": (
                parent_name(row["parent__first_name"], row["parent__preferred_name"], row["parent__last_name"])
                if row["parent_id"] is not None
                else row["attendee_name"]
            ),
            "walk_in": row["walk_in"],
            "transport_needed": row["transport_needed"],
            "status": row["status"],
            "status_label": _STATUS_LABELS[row["status"]],
            "attendance_url": record_url("groups:register-attendance", row["pk"]),
            "children": children[row["pk"]],
        }
        for row in rows
    ]


def _register_context(request: HttpRequest, session: GroupSession) -> dict:
    bookings = register_rows(
        Booking.objects.visible_to(request.user).filter(
            session=session, status__in=[*HOLDS_PLACE, BookingStatus.DID_NOT_ATTEND]
        )
    )
    # Only a drop-in session shows a head count.
    head_count = HeadCount.objects.filter(session=session).first() if session.group.format == Format.DROP_IN else None
    return {
        "session": session,
        "bookings": bookings,
        "children_count": sum(len(b["children"]) for b in bookings),
        "present_count": sum(1 for b in bookings for c in b["children"] if c["present"]),
        "walk_in_form": WalkInForm(session_date=session.date),
        "head_count": head_count,
        "head_count_form": HeadCountForm(
            initial={
                name: getattr(head_count, name)
                for name in ("mothers", "fathers", "other_carers", "children", "needed_interpreter")
            }
            if head_count
            else None
        ),
        "staff": is_staff(request.user),
    }


def register(request: HttpRequest, pk: int) -> HttpResponse:
    require_membership(request)
    session = get_session_for(request.user, pk)
    if fmt := downloads.requested_format(request):
        rows = register_rows(
            Booking.objects.visible_to(request.user).filter(
                session=session, status__in=[*HOLDS_PLACE, BookingStatus.DID_NOT_ATTEND]
            )
        )
        return downloads.download(
            request,
            fmt=fmt,
            title="Register",
            filename=f"session-{session.pk}-register",
            columns=REGISTER_COLUMNS,
            rows=rows,
            filters={"Session": _session_words(session)},
        )
    return render(request, "groups/register.html", _register_context(request, session))


def _register_row_answer(request: HttpRequest, booking_id: int, session_id: int, error: str) -> HttpResponse:
    """After a register change: htmx gets the booking's row again, a plain
    POST goes back to the register (with the refusal as a message)."""
    if request.htmx:
        (row,) = register_rows(Booking.objects.filter(pk=booking_id))
        # 200 even with an error: htmx swaps only successful responses, and the
        # row must show why nothing changed.
        return render(request, "groups/_register_row.html", {"booking": row, "error": error})
    if error:
        messages.error(request, error)
    return redirect("groups:register", session_id)


@require_POST
def register_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    require_membership(request)
    booking = get_booking_for(request.user, pk)
    attended = request.POST.get("attended") == "1"
    error = ""
    try:
        services.booking_mark_attendance(booking=booking, attended=attended, actor=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _register_row_answer(request, booking.pk, booking.session_id, error)


@require_POST
def register_child_present(request: HttpRequest, pk: int) -> HttpResponse:
    require_membership(request)
    child = get_booking_child_for(request.user, pk)
    error = ""
    try:
        services.booking_child_set_present(
            booking_child=child, present=request.POST.get("present") == "1", actor=request.user
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _register_row_answer(request, child.booking_id, child.booking.session_id, error)


@require_POST
def register_walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    require_membership(request)
    session = get_session_for(request.user, pk)
    form = WalkInForm(request.POST, session_date=session.date)
    if form.is_valid():
        try:
            services.booking_create(
                session_id=session.pk,
                actor=request.user,
                attendee_name=form.cleaned_data["attendee_name"],
                attendee_consent=form.cleaned_data["attendee_consent"],
                children=form.children(),
                walk_in=True,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Walk-in added and marked attended.")
            return redirect("groups:register", session.pk)
    context = _register_context(request, session)
    context["walk_in_form"] = form
    return render(request, "groups/register.html", context, status=400)


@require_POST
def register_head_count(request: HttpRequest, pk: int) -> HttpResponse:
    require_membership(request)
    session = get_session_for(request.user, pk)
    form = HeadCountForm(request.POST)
    if form.is_valid():
        try:
            services.head_count_record(session=session, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Head count saved.")
            return redirect("groups:register", session.pk)
    context = _register_context(request, session)
    context["head_count_form"] = form
    return render(request, "groups/register.html", context, status=400)


# --- calendars ------------------------------------------------------------------


def my_calendar(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    # The private address is made when the person asks for it (a POST), so
    # opening the page writes nothing and mints no secret nobody wanted.
    feed = CalendarFeed.objects.filter(user=request.user, organisation_id=membership.organisation_id).first()
    url = request.build_absolute_uri(reverse("groups:private-feed", args=[feed.token])) if feed else ""
    sessions = list(_private_sessions(request.user, membership.organisation_id).upcoming()[:UPCOMING_LIMIT])
    return render(request, "groups/my_calendar.html", {"feed_url": url, "sessions": sessions})


@require_POST
def my_calendar_reset(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    _, made = services.calendar_feed_reset(user=request.user, organisation_id=membership.organisation_id)
    if made:
        messages.success(request, "Your private calendar address is ready: copy it into your phone's calendar.")
    else:
        messages.success(request, "Your calendar has a new private address; the old one no longer works.")
    return redirect("groups:my-calendar")


def _private_sessions(user, organisation_id: int):
    """Sessions this person helps at: as a facilitator or on the crèche rota."""
    from django.db.models import Q

    return (
        GroupSession.objects.filter(organisation_id=organisation_id)
        .filter(Q(group__facilitators=user) | Q(group__creche_adults=user) | Q(creche_adults=user))
        .select_related("group")
        .distinct()
        .order_by("starts_at", "pk")
    )


@login_not_required
@never_cache
def private_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The token is the only key: no session, no login. An unknown or reset
    token is a plain 404 that says nothing about why."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    still_member = feed.user.memberships.filter(organisation_id=feed.organisation_id, is_active=True).exists()
    if not still_member or not feed.user.is_active:
        raise Http404
    since = timezone.now() - timezone.timedelta(days=90)
    sessions = _private_sessions(feed.user, feed.organisation_id).filter(ends_at__gte=since)
    # The person's own planned visits (their matches), from the matching app.
    visits = Visit.objects.filter(
        organisation_id=feed.organisation_id, match__volunteer__user_id=feed.user_id, planned_for__gte=since.date()
    ).order_by("planned_for")
    body = calendar.sessions_calendar(
        name="My groups and visits", sessions=sessions, domain=request.get_host(), visits=visits
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
