"""Pages: decorators, one access helper, one form, one service call, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from operations.core import downloads
from operations.core.access import require_membership, role_required, staff_required
from operations.core.dates import short_date
from operations.core.downloads import Column
from operations.core.forms import apply_service_errors
from operations.core.models import STAFF_ROLES, Role
from operations.core.page_panels import panels_for
from volunteers import fitness, forms, selectors, services
from volunteers.access import (
    find_own_profile_for,
    get_disclosure_task_for,
    get_own_action_for,
    get_own_profile_for,
    get_session_for,
    get_volunteer_for,
)
from volunteers.models import (
    Status,
    SupervisionAction,
    SupervisionSession,
    SupervisorPairing,
    VolunteerProfile,
)

staff_or_pso = role_required(Role.COORDINATOR, Role.MANAGER, Role.PSO)
supervisors = role_required(Role.COORDINATOR, Role.MANAGER, Role.PSO)
#: "My details" is for the people matched with families; staff use the profile pages.
matched_people = role_required(Role.VOLUNTEER, Role.PSO)

#: Rows per page of the volunteer list: every row costs render time.
VOLUNTEER_PAGE_SIZE = 25


def _fitness_words(person) -> str:
    if person.is_fit:
        return "Fit to match"
    return "; ".join(reason.message for reason in person.fitness_reasons)


#: The volunteer list's download: the page's columns, for everyone the filters find.
VOLUNTEER_COLUMNS = [
    Column("Name", lambda person: person.name),
    Column("Kind", lambda person: person.kind_labels),
    Column("Status", lambda person: person.status_label),
    Column("Areas", lambda person: person.area_names),
    Column("Languages", lambda person: person.languages),
    Column("Supervisor", lambda person: person.supervisor_name),
    Column("Next supervision", lambda person: person.next_supervision_on),
    Column("Fit to match", lambda person: person.is_fit),
    Column("Why not", lambda person: "" if person.is_fit else _fitness_words(person)),
]

#: The compliance report's download: its four tables as one, a row per thing to do.
#: Rows are (check, person's name, detail, date, state).
COMPLIANCE_COLUMNS = [
    Column("Check", lambda row: row[0]),
    Column("Person", lambda row: row[1]),
    Column("Course or supervisor", lambda row: row[2]),
    Column("Due, expires or left on", lambda row: row[3]),
    Column("State", lambda row: row[4]),
]


def _compliance_rows(report: selectors.Compliance):
    for person, due, label in report.pvg:
        yield ("PVG", person.name, "", due, label)
    for person, course, expires, label in report.training:
        yield ("Training", person.name, course, expires, label)
    for person, due, label in report.supervision:
        yield ("Supervision", person.name, person.supervisor_name, due, label)
    for task in report.disclosure_tasks:
        yield ("Tell Disclosure Scotland", task.name, "", task.created_on, "Left: not yet told")


@staff_or_pso
def volunteer_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    filter_form = forms.VolunteerFilterForm(
        request.GET or None, areas=membership.organisation.council_areas.values_list("pk", "name")
    )
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    if fmt := downloads.requested_format(request):
        return downloads.download(
            request,
            fmt=fmt,
            title="Volunteers and PSOs",
            filename="volunteers",
            columns=VOLUNTEER_COLUMNS,
            rows=selectors.volunteers_all(request.user, organisation_id=membership.organisation_id, filters=filters),
            filters=downloads.filters_described(filter_form) if filters else {},
        )
    page = selectors.volunteers_page(
        request.user,
        organisation_id=membership.organisation_id,
        filters=filters,
        number=request.GET.get("page"),
        per_page=VOLUNTEER_PAGE_SIZE,
    )
    return render(request, "volunteers/volunteer_list.html", {"page": page, "filter_form": filter_form})


def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = require_membership(request)
    profile = get_volunteer_for(request.user, pk)
    (profile,) = selectors.evaluate(
        selectors.with_checks(VolunteerProfile.objects.filter(pk=profile.pk)).prefetch_related(
            "lived_experience", "references"
        ),
        settings=selectors.settings_for(membership.organisation_id),
        required=selectors.required_course_ids(membership.organisation_id),
    )
    sessions = (
        SupervisionSession.objects.visible_to(request.user)
        .filter(volunteers=profile)
        .select_related("supervisor")
        .prefetch_related(
            "volunteers__user", Prefetch("actions", queryset=SupervisionAction.objects.select_related("owner"))
        )
    )
    is_staff = membership.role in STAFF_ROLES
    for session in sessions:
        session.show_notes = is_staff or session.supervisor_id == request.user.pk
    context = {
        "profile": profile,
        "pvg": selectors._pvg_of(profile),
        "is_staff": is_staff,
        "sessions": sessions,
        "pairings": SupervisorPairing.objects.filter(volunteer=profile).select_related("supervisor"),
        "status_changes": profile.status_changes.select_related("changed_by"),
        "disclosure_tasks": profile.disclosure_tasks.all() if is_staff else [],
        "availability": fitness.availability_grid(profile.availability),
        "part_labels": [label for _, label in fitness.PARTS_OF_DAY],
        # Her current families come from matching (a higher app) through its page_panels.py.
        "panels": panels_for("volunteer", request, profile),
    }
    return render(request, "volunteers/volunteer_detail.html", context)


def _form_page(request: HttpRequest, form, *, title: str, profile=None, formset=None) -> HttpResponse:
    return render(
        request, "volunteers/form.html", {"form": form, "title": title, "profile": profile, "formset": formset}
    )


@staff_required
def volunteer_create(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    form = forms.VolunteerCreateForm(request.POST or None, organisation_id=membership.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.volunteer_create(
                organisation=membership.organisation, actor=request.user, **form.service_values()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Profile created.")
            return redirect("volunteers:detail", profile.pk)
    return _form_page(request, form, title="New volunteer or PSO")


@staff_required
def volunteer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_volunteer_for(request.user, pk)
    form = forms.ProfileForm(
        request.POST or None, organisation_id=profile.organisation_id, initial=forms.ProfileForm.initial_for(profile)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_update(profile=profile, actor=request.user, **form.service_values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Profile saved.")
            return redirect("volunteers:detail", profile.pk)
    return _form_page(request, form, title="Edit profile", profile=profile)


@staff_required
def volunteer_status(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_volunteer_for(request.user, pk)
    form = forms.StatusForm(request.POST or None, initial={"status": profile.status, "on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_change_status(profile=profile, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if form.cleaned_data["status"] == Status.LEFT:
                messages.info(request, "Status changed. A task to tell Disclosure Scotland is open.")
            else:
                messages.success(request, "Status changed.")
            return redirect("volunteers:detail", profile.pk)
    return _form_page(request, form, title="Change status", profile=profile)


@staff_required
def pvg_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_volunteer_for(request.user, pk)
    pvg = selectors._pvg_of(profile)
    initial = (
        {
            "membership_number": pvg.membership_number,
            "scheme": pvg.scheme,
            "issued_on": pvg.issued_on,
            "renewal_due": pvg.renewal_due,
        }
        if pvg
        else {}
    )
    form = forms.PvgForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.pvg_record_save(profile=profile, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "PVG record saved.")
            return redirect("volunteers:detail", profile.pk)
    return _form_page(request, form, title="PVG record", profile=profile)


@staff_required
def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_volunteer_for(request.user, pk)
    form = forms.TrainingForm(request.POST or None, organisation_id=profile.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_record_add(profile=profile, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Training recorded.")
            return redirect("volunteers:detail", profile.pk)
    return _form_page(request, form, title="Record training", profile=profile)


@staff_required
def reference_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_volunteer_for(request.user, pk)
    form = forms.ReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reference_add(profile=profile, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Reference recorded.")
            return redirect("volunteers:detail", profile.pk)
    return _form_page(request, form, title="Add a reference", profile=profile)


@staff_required
def pairing_change(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_volunteer_for(request.user, pk)
    loads = selectors.supervisor_loads(profile.organisation_id)
    form = forms.PairingForm(request.POST or None, organisation_id=profile.organisation_id, loads=loads)
    if request.method == "POST" and form.is_valid():
        try:
            services.supervisor_pair(profile=profile, actor=request.user, supervisor=form.cleaned_data["supervisor"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Supervisor changed.")
            return redirect("volunteers:detail", profile.pk)
    return _form_page(request, form, title="Choose a supervisor", profile=profile)


@supervisors
def supervision_new(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    is_staff = membership.role in STAFF_ROLES
    volunteers = (
        VolunteerProfile.objects.visible_to(request.user)
        .exclude(user_id=request.user.pk)
        .exclude(status=Status.LEFT)
        .select_related("user")
    )
    initial = {"held_on": timezone.localdate()}
    if request.GET.get("volunteer"):
        initial["volunteers"] = [request.GET["volunteer"]]
    form = forms.SupervisionForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        organisation_id=membership.organisation_id,
        volunteers=volunteers,
        is_staff=is_staff,
    )
    owners = forms.owners_for(
        membership.organisation_id, supervisors=form.fields["supervisor"].queryset, volunteers=volunteers
    )
    formset = forms.ActionFormSet(request.POST or None, prefix="actions", form_kwargs={"owners": owners})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        actions = [row for row in formset.cleaned_data if row.get("description")]
        try:
            session = services.supervision_session_create(
                organisation=membership.organisation, actor=request.user, actions=actions, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Supervision logged.")
            return redirect("volunteers:supervision-detail", session.pk)
    return render(request, "volunteers/supervision_form.html", {"form": form, "formset": formset})


def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = require_membership(request)
    session = get_session_for(request.user, pk)
    actions = list(session.actions.all())
    if membership.role not in STAFF_ROLES and session.supervisor_id != request.user.pk:
        # A volunteer sees their own actions, never the group's other actions.
        actions = [action for action in actions if action.owner_id == request.user.pk]
    return render(
        request,
        "volunteers/supervision_detail.html",
        {"session": session, "show_notes": session.notes_visible_to(request.user), "actions": actions},
    )


@staff_required
def compliance(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    report = selectors.compliance_for(request.user, organisation_id=membership.organisation_id)
    if fmt := downloads.requested_format(request):
        return downloads.download(
            request,
            fmt=fmt,
            title="Compliance",
            filename="compliance",
            columns=COMPLIANCE_COLUMNS,
            rows=_compliance_rows(report),
        )
    return render(request, "volunteers/compliance.html", {"report": report})


@staff_required
@require_POST
def disclosure_task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_disclosure_task_for(request.user, pk)
    try:
        services.disclosure_task_complete(task=task, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Marked as told to Disclosure Scotland.")
    return redirect("volunteers:compliance")


@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    require_membership(request)
    action = get_own_action_for(request.user, pk)
    services.supervision_action_done(action=action, actor=request.user)
    messages.success(request, "Action marked as done.")
    return redirect("home")


def _my_details_page(
    request: HttpRequest, profile: VolunteerProfile, *, details_form=None, break_form=None
) -> HttpResponse:
    details_form = details_form or forms.OwnDetailsForm(initial=forms.OwnDetailsForm.initial_for(profile))
    # The grid's rows: each weekday with its (checkbox, part of day); the cells come in the grid's order.
    cells = iter(details_form["availability"])
    week = [(day, [(next(cells), part) for _, part in fitness.PARTS_OF_DAY]) for _, day in fitness.WEEKDAYS]
    context = {
        "profile": profile,
        "details_form": details_form,
        "week": week,
        "break_form": break_form or forms.BreakForm(),
        "checks": selectors.own_checks(profile),
    }
    return render(request, "volunteers/my_details.html", context)


@matched_people
def my_details(request: HttpRequest) -> HttpResponse:
    """Her own week, areas and languages, her break and her checks."""
    profile = find_own_profile_for(request.user)
    if profile is None:
        # Reached from the top bar before a coordinator has made her record.
        return render(request, "volunteers/my_details_missing.html")
    form = forms.OwnDetailsForm(request.POST or None, initial=forms.OwnDetailsForm.initial_for(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_own_details_save(profile=profile, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Your details are saved: matching uses them from now on.")
            return redirect("volunteers:me")
    return _my_details_page(request, profile, details_form=form)


@matched_people
@require_POST
def my_break(request: HttpRequest) -> HttpResponse:
    profile = get_own_profile_for(request.user)
    form = forms.BreakForm(request.POST)
    if form.is_valid():
        try:
            profile = services.volunteer_break_start(
                profile=profile,
                actor=request.user,
                until=form.cleaned_data["unavailable_until"],
                reason=form.cleaned_data["unavailable_reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"You are on a break. Back in matching on {short_date(profile.unavailable_until)}."
            )
            return redirect("volunteers:me")
    return _my_details_page(request, profile, break_form=form)


@matched_people
@require_POST
def my_break_end(request: HttpRequest) -> HttpResponse:
    profile = get_own_profile_for(request.user)
    try:
        services.volunteer_break_end(profile=profile, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Welcome back: you are in matching again from today.")
    return redirect("volunteers:me")
