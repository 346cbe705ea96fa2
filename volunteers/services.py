"""Writes: each service checks its rules, raises a ValidationError with
field errors when input is bad (nothing is written), and audits changes to
PVG records and statuses. Audit summaries name records, never people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log, audit_log_many
from operations.core.dates import short_date
from operations.core.models import CouncilArea, Membership, Organisation, Role, User
from operations.core.months import add_months_clamped
from volunteers import fitness, signals
from volunteers.models import (
    DEFAULT_COURSES,
    DEFAULT_LIVED_EXPERIENCE,
    Course,
    DisclosureTask,
    Kind,
    LivedExperience,
    PvgRecord,
    PvgScheme,
    Reference,
    Status,
    StatusChange,
    SupervisionAction,
    SupervisionMode,
    SupervisionSession,
    SupervisorPairing,
    TrainingRecord,
    VolunteerProfile,
    VolunteerSettings,
    Wellbeing,
)
from volunteers.selectors import fitness_of, settings_for

#: Roles that may supervise volunteers.
SUPERVISOR_ROLES = (Role.PSO, Role.COORDINATOR)

PROFILE_FIELDS = (
    "kinds",
    "phone",
    "email",
    "localities",
    "languages",
    "availability",
    "gender",
    "max_caseload",
    "preferences",
    "coordinator_notes",
)


def organisation_defaults_create(*, organisation_id: int) -> None:
    """A new organisation's volunteer settings, with the default required
    courses and lived-experience vocabulary (it can edit both afterwards)."""
    VolunteerSettings.objects.get_or_create(organisation_id=organisation_id)
    if not Course.objects.filter(organisation_id=organisation_id).exists():
        Course.objects.bulk_create(
            [Course(organisation_id=organisation_id, name=name, is_required=True) for name in DEFAULT_COURSES]
        )
    if not LivedExperience.objects.filter(organisation_id=organisation_id).exists():
        LivedExperience.objects.bulk_create(
            [LivedExperience(organisation_id=organisation_id, name=name) for name in DEFAULT_LIVED_EXPERIENCE]
        )


def volunteer_require_fit(*, profile: VolunteerProfile, field: str = "volunteer") -> None:
    """Refuses (ValidationError naming every reason) anyone not fit to match.
    The matching issue calls this inside its own transaction."""
    reasons = fitness_of(profile)
    if reasons:
        raise ValidationError({field: [f"Not fit to match: {reason.message}." for reason in reasons]})


def _profile_errors(*, organisation_id: int, values: dict, limit: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "max_caseload" in values:
        limit = settings_for(organisation_id).max_caseload_limit if limit is None else limit
        caseload = values["max_caseload"]
        if caseload is None or caseload < 0 or caseload > limit:
            errors["max_caseload"] = f"Maximum caseload must be between 0 and {limit}."
    if "availability" in values:
        cells = values["availability"]
        if not isinstance(cells, list) or not all(isinstance(cell, str) for cell in cells):
            errors["availability"] = "Availability must be a list of cells such as mon_am."
        else:
            bad = fitness.invalid_availability_cells(cells)
            if bad:
                errors["availability"] = (
                    f"Not on the weekday × morning/afternoon/evening grid: {', '.join(bad[:5])}. "
                    "Use cells such as mon_am, wed_pm, sat_eve."
                )
    if "kinds" in values:
        kinds = values["kinds"]
        valid = set(Kind.values)
        if not isinstance(kinds, list) or not kinds or not all(kind in valid for kind in kinds):
            errors["kinds"] = f"Choose one or more of: {', '.join(Kind.values)}."
    return errors


def _check_same_organisation(*, organisation_id: int, lived_experience: Iterable) -> dict[str, str]:
    errors = {}
    if any(item.organisation_id != organisation_id for item in lived_experience):
        errors["lived_experience"] = "Choose from your organisation's list."
    return errors


@transaction.atomic
def volunteer_create(
    *,
    organisation: Organisation,
    actor: User,
    user: User | None = None,
    username: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    role: str = Role.VOLUNTEER,
    council_areas: Sequence = (),
    lived_experience: Sequence = (),
    **values,
) -> VolunteerProfile:
    """A profile for an existing user, or for a new one (unusable password:
    they set it through password reset)."""
    errors = _profile_errors(organisation_id=organisation.pk, values={**values, "kinds": values.get("kinds", [])})
    errors.update(_check_same_organisation(organisation_id=organisation.pk, lived_experience=lived_experience))
    if role not in (Role.VOLUNTEER, Role.PSO):
        errors["role"] = "A profile is for a volunteer or a PSO."
    if user is None:
        if not username:
            errors["username"] = "Give a username for the new account."
        elif User.objects.filter(username__iexact=username).exists():
            errors["username"] = "That username is taken."
    elif not Membership.objects.filter(
        user=user, organisation=organisation, is_active=True, role__in=(Role.VOLUNTEER, Role.PSO)
    ).exists():
        # Never a way to pull someone from another organisation into this one.
        errors["user"] = "Choose a volunteer or PSO who is a member of your organisation."
    elif VolunteerProfile.objects.filter(organisation=organisation, user=user).exists():
        errors["user"] = "This person already has a profile here."
    if errors:
        raise ValidationError(errors)
    if user is None:
        user = User(username=username, first_name=first_name, last_name=last_name, email=email)
        user.set_unusable_password()
        user.active_organisation = organisation
        user.save()
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
    values.setdefault("email", email)
    profile = VolunteerProfile.objects.create(
        organisation=organisation,
        user=user,
        status=Status.APPLICANT,
        status_changed_on=timezone.localdate(),
        **{key: value for key, value in values.items() if key in PROFILE_FIELDS},
    )
    profile.council_areas.set(council_areas)
    profile.lived_experience.set(lived_experience)
    StatusChange.objects.create(
        profile=profile, to_status=Status.APPLICANT, changed_on=profile.status_changed_on, changed_by=actor
    )
    audit_log(action=AuditAction.CREATE, actor=actor, obj=profile, summary="Volunteer profile created")
    return profile


@dataclass
class NewVolunteer:
    """One person for :func:`volunteers_create_many` (an import's row)."""

    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    values: dict  # PROFILE_FIELDS values (kinds, phone, availability, max_caseload...)
    council_areas: Sequence = ()  # CouncilArea ids
    status: str = Status.APPLICANT
    status_on: dt.date | None = None
    status_reason: str = ""
    pvg: tuple | None = None  # (membership number, scheme, issued on, renewal due or None)
    training: Sequence = ()  # (Course, completed on)
    reference: tuple | None = None  # (name, relationship, received on or None)


def _many_errors(person: NewVolunteer, *, organisation_id: int, limit: int, today: dt.date) -> dict[str, str]:
    """The rules of volunteer_create, volunteer_change_status, pvg_record_save,
    training_record_add and reference_add, for one person."""
    values = {**person.values, "kinds": person.values.get("kinds", [])}
    errors = _profile_errors(organisation_id=organisation_id, values=values, limit=limit)
    if person.role not in (Role.VOLUNTEER, Role.PSO):
        errors["role"] = "A profile is for a volunteer or a PSO."
    if not person.username:
        errors["username"] = "Give a username for the new account."
    if person.status not in Status.values:
        errors["status"] = "Choose a status from the list."
    elif person.status != Status.APPLICANT:
        if (person.status_on or today) > today:
            errors["on"] = "The date of a status change cannot be in the future."
        if person.status == Status.LEFT and not person.status_reason.strip():
            errors["reason"] = "Give a reason for leaving."
    if person.pvg:
        number, scheme, issued, renewal = person.pvg
        if not number.strip():
            errors["membership_number"] = "Give the PVG scheme membership number."
        if scheme not in PvgScheme.values:
            errors["scheme"] = "Choose children, adults or both."
        if issued > today:
            errors["issued_on"] = "The PVG date cannot be in the future."
        if renewal is not None and renewal <= issued:
            errors["renewal_due"] = "The renewal date must be after the date of issue."
    for course, completed in person.training:
        if course.organisation_id != organisation_id:
            errors["course"] = "Choose one of your organisation's courses."
        if completed > today:
            errors["completed_on"] = "The completion date cannot be in the future."
    if person.reference:
        name, relationship, received = person.reference
        if not name.strip():
            errors["name"] = "Give the referee's name."
        if not relationship.strip():
            errors["relationship"] = "Say how the referee knows them."
        if received is not None and received > today:
            errors["received_on"] = "The date received cannot be in the future."
    return errors


@transaction.atomic
def volunteers_create_many(
    *, organisation: Organisation, actor: User | None, people: Sequence[NewVolunteer]
) -> list[VolunteerProfile]:
    """Many new people at once (an import): the same rules and the same rows
    and audit entries as volunteer_create followed by volunteer_change_status,
    pvg_record_save, training_record_add and reference_add for each, written
    with a fixed number of queries. Any refusal refuses them all (a
    ValidationError naming the person's position) and writes nothing."""
    if not people:
        return []
    today = timezone.localdate()
    limit = settings_for(organisation.pk).max_caseload_limit
    for position, person in enumerate(people):
        errors = _many_errors(person, organisation_id=organisation.pk, limit=limit, today=today)
        if errors:
            raise ValidationError({f"person {position + 1}: {key}": value for key, value in errors.items()})
    wanted = [person.username.lower() for person in people]
    if len(set(wanted)) != len(wanted) or _case_variants(wanted).exists():
        raise ValidationError({"username": "That username is taken."})
    users = []
    for person in people:
        user = User(
            username=person.username, first_name=person.first_name, last_name=person.last_name, email=person.email
        )
        user.set_unusable_password()
        user.active_organisation = organisation
        users.append(user)
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=organisation, role=person.role)
            for user, person in zip(users, people, strict=True)
        ]
    )
    profiles = []
    for user, person in zip(users, people, strict=True):
        on = today if person.status == Status.APPLICANT else person.status_on or today
        profile = VolunteerProfile(
            organisation=organisation,
            user=user,
            status=person.status,
            status_changed_on=on,
            **{key: value for key, value in {"email": person.email, **person.values}.items() if key in PROFILE_FIELDS},
        )
        if person.status == Status.ACTIVE:
            profile.active_since = on
        profiles.append(profile)
    VolunteerProfile.objects.bulk_create(profiles)
    Through = VolunteerProfile.council_areas.through
    Through.objects.bulk_create(
        [
            Through(volunteerprofile_id=profile.pk, councilarea_id=area)
            for profile, person in zip(profiles, people, strict=True)
            for area in dict.fromkeys(person.council_areas)
        ]
    )
    changes, tasks, pvgs, trainings, references = [], [], [], [], []
    audits: list[tuple] = []
    for profile, person in zip(profiles, people, strict=True):
        changes.append(StatusChange(profile=profile, to_status=Status.APPLICANT, changed_on=today, changed_by=actor))
        audits.append((AuditAction.CREATE, profile, "Volunteer profile created"))
        if person.status != Status.APPLICANT:
            changes.append(
                StatusChange(
                    profile=profile,
                    from_status=Status.APPLICANT,
                    to_status=person.status,
                    changed_on=profile.status_changed_on,
                    reason=person.status_reason,
                    changed_by=actor,
                )
            )
            label = Status(person.status).label
            audits.append((AuditAction.TRANSITION, profile, f"Volunteer status {Status.APPLICANT.label} → {label}"))
            if person.status == Status.LEFT:
                tasks.append(
                    DisclosureTask(organisation=organisation, profile=profile, created_on=profile.status_changed_on)
                )
        if person.pvg:
            number, scheme, issued, renewal = person.pvg
            pvgs.append(
                PvgRecord(
                    profile=profile,
                    membership_number=number.strip(),
                    scheme=scheme,
                    issued_on=issued,
                    renewal_due=renewal or fitness.pvg_default_renewal_due(issued),
                )
            )
        for course, completed in person.training:
            expires = add_months_clamped(completed, course.valid_for_months) if course.valid_for_months else None
            trainings.append(TrainingRecord(profile=profile, course=course, completed_on=completed, expires_on=expires))
        if person.reference:
            name, relationship, received = person.reference
            references.append(Reference(profile=profile, name=name, relationship=relationship, received_on=received))
    StatusChange.objects.bulk_create(changes)
    DisclosureTask.objects.bulk_create(tasks)
    PvgRecord.objects.bulk_create(pvgs)
    TrainingRecord.objects.bulk_create(trainings)
    Reference.objects.bulk_create(references)
    audits += [(AuditAction.CREATE, record, "PVG record recorded") for record in pvgs]
    audits += [(AuditAction.CREATE, record, "Training") for record in trainings]
    audit_log_many(actor=actor, organisation=organisation, entries=audits)
    return profiles


def _case_variants(names: list[str]):
    """A query of usernames equal to any of ``names`` ignoring case (one query)."""
    from django.db.models.functions import Lower

    return User.objects.annotate(lowered=Lower("username")).filter(lowered__in=names).values("username")


@transaction.atomic
def volunteer_update(
    *,
    profile: VolunteerProfile,
    actor: User,
    council_areas: Sequence | None = None,
    lived_experience: Sequence | None = None,
    **values,
) -> VolunteerProfile:
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    errors = _profile_errors(organisation_id=profile.organisation_id, values=values)
    errors.update(
        _check_same_organisation(organisation_id=profile.organisation_id, lived_experience=lived_experience or [])
    )
    if errors:
        raise ValidationError(errors)
    for key, value in values.items():
        setattr(profile, key, value)
    profile.save()
    if council_areas is not None:
        profile.council_areas.set(council_areas)
    if lived_experience is not None:
        profile.lived_experience.set(lived_experience)
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=profile, summary="Volunteer profile changed")
    return profile


def _require_herself(*, profile: VolunteerProfile, actor: User) -> None:
    """ "My details" are hers alone: staff change a profile on its edit page."""
    if profile.user_id != actor.pk:
        raise PermissionDenied("Only the volunteer herself changes her details here.")


def _tidy_languages(text: str) -> str:
    """ "english,polish , English" -> "english, polish": one separator, no
    repeats (compared without case), so matching's word split finds each."""
    kept: dict[str, str] = {}
    for part in text.split(","):
        word = " ".join(part.split())
        if word:
            kept.setdefault(word.lower(), word)
    return ", ".join(kept.values())


def _cells_in_words(cells: Iterable[str]) -> str:
    labels = dict(fitness.AVAILABILITY_CHOICES)
    return ", ".join(labels[cell] for cell in fitness.AVAILABILITY_CELLS if cell in set(cells))


@transaction.atomic
def volunteer_own_details_save(
    *,
    profile: VolunteerProfile,
    actor: User,
    availability: list[str],
    council_areas: Sequence[CouncilArea],
    languages: str,
) -> VolunteerProfile:
    """A volunteer or PSO keeps her own week, council areas and languages.

    Matching reads them fresh on every page and proposal, so a change counts
    at once. The audit entry says which of the three changed (and, for the
    week, which times in words); languages and areas are not spelt out."""
    _require_herself(profile=profile, actor=actor)
    errors = _profile_errors(organisation_id=profile.organisation_id, values={"availability": availability})
    languages = _tidy_languages(languages or "")
    if len(languages) > VolunteerProfile._meta.get_field("languages").max_length:
        errors["languages"] = "Keep the list of languages under 200 characters."
    if any(not isinstance(area, CouncilArea) for area in council_areas):
        errors["council_areas"] = "Choose council areas from the list."
    if errors:
        raise ValidationError(errors)
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    before_cells, after_cells = set(profile.availability), set(availability)
    before_areas = set(profile.council_areas.values_list("pk", flat=True))
    changed = []
    if before_cells != after_cells:
        added, removed = _cells_in_words(after_cells - before_cells), _cells_in_words(before_cells - after_cells)
        said = "; ".join(part for part in (added and f"added {added}", removed and f"removed {removed}") if part)
        changed.append(f"availability ({said})")
    if before_areas != {area.pk for area in council_areas}:
        changed.append("council areas")
    if languages != profile.languages:
        changed.append("languages")
    if not changed:
        return profile
    # The grid's order, whatever order the cells came in: the profile page reads it so.
    profile.availability = [cell for cell in fitness.AVAILABILITY_CELLS if cell in after_cells]
    profile.languages = languages
    profile.save(update_fields=["availability", "languages"])
    profile.council_areas.set(council_areas)
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=profile, summary=f"Own details changed: {', '.join(changed)}")
    return profile


@transaction.atomic
def volunteer_break_start(
    *, profile: VolunteerProfile, actor: User, until: dt.date, reason: str = "", today: dt.date | None = None
) -> VolunteerProfile:
    """She pauses herself: out of matching (candidates, proposals, confirming
    a match) until ``until``, the day she is back (``fitness.on_break``).
    Her coordinators and supervisor are told; the reason is for coordinators
    only and is never written to the audit log or a message."""
    _require_herself(profile=profile, actor=actor)
    today = today or timezone.localdate()
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    errors: dict[str, str] = {}
    if until is None:
        errors["unavailable_until"] = "Choose the day you will be back."
    elif refusal := fitness.break_refusal(today=today, until=until):
        errors["unavailable_until"] = refusal
    reason = (reason or "").strip()
    if len(reason) > VolunteerProfile._meta.get_field("unavailable_reason").max_length:
        errors["unavailable_reason"] = "Keep the reason under 300 characters."
    if profile.status == Status.LEFT:
        errors["unavailable_until"] = "You have left the service: there is no matching to pause."
    if errors:
        raise ValidationError(errors)
    profile.unavailable_until = until
    profile.unavailable_reason = reason
    profile.save(update_fields=["unavailable_until", "unavailable_reason"])
    event = audit_log(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=profile,
        summary=f"Paused from matching: back on {short_date(until)}",
    )
    signals.volunteer_break_changed.send(sender=VolunteerProfile, profile_id=profile.pk, event_id=event.pk)
    return profile


@transaction.atomic
def volunteer_break_end(*, profile: VolunteerProfile, actor: User, today: dt.date | None = None) -> VolunteerProfile:
    """She ends her break early: back in matching today; her coordinators
    and supervisor are told."""
    _require_herself(profile=profile, actor=actor)
    today = today or timezone.localdate()
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    if not fitness.on_break(today=today, unavailable_until=profile.unavailable_until):
        raise ValidationError({"unavailable_until": "You are not on a break."})
    profile.unavailable_until = None
    profile.unavailable_reason = ""
    profile.save(update_fields=["unavailable_until", "unavailable_reason"])
    event = audit_log(
        action=AuditAction.CHANGE, actor=actor, obj=profile, summary="Break ended early: back in matching"
    )
    signals.volunteer_break_changed.send(sender=VolunteerProfile, profile_id=profile.pk, event_id=event.pk)
    return profile


@transaction.atomic
def volunteer_change_status(
    *, profile: VolunteerProfile, actor: User, status: str, reason: str = "", on: dt.date | None = None
) -> VolunteerProfile:
    """Moves a person to a new lifecycle status with its date and reason.

    Leaving ends the supervisor pairing and opens a task to tell Disclosure
    Scotland that the person left a regulated role."""
    on = on or timezone.localdate()
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    if status not in Status.values:
        raise ValidationError({"status": "Choose a status from the list."})
    if status == profile.status:
        raise ValidationError({"status": f"The status is already {profile.get_status_display().lower()}."})
    if on > timezone.localdate():
        raise ValidationError({"on": "The date of a status change cannot be in the future."})
    if status == Status.LEFT and not reason.strip():
        raise ValidationError({"reason": "Give a reason for leaving."})
    StatusChange.objects.create(
        profile=profile, from_status=profile.status, to_status=status, changed_on=on, reason=reason, changed_by=actor
    )
    previous = profile.status
    profile.status = status
    profile.status_changed_on = on
    if status == Status.ACTIVE:
        profile.active_since = on
    profile.save(update_fields=["status", "status_changed_on", "active_since"])
    if status == Status.LEFT:
        SupervisorPairing.objects.filter(volunteer=profile, ended_on__isnull=True).update(ended_on=on)
        if not DisclosureTask.objects.filter(profile=profile, completed_on__isnull=True).exists():
            DisclosureTask.objects.create(organisation_id=profile.organisation_id, profile=profile, created_on=on)
    audit_log(
        action=AuditAction.TRANSITION,
        actor=actor,
        obj=profile,
        summary=f"Volunteer status {Status(previous).label} → {Status(status).label}",
    )
    return profile


@transaction.atomic
def disclosure_task_complete(*, task: DisclosureTask, actor: User) -> DisclosureTask:
    if task.completed_on is not None:
        raise ValidationError({"task": "This task is already done."})
    task.completed_on = timezone.localdate()
    task.completed_by = actor
    task.save(update_fields=["completed_on", "completed_by"])
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=task, summary="Disclosure Scotland notified")
    return task


@transaction.atomic
def pvg_record_save(
    *,
    profile: VolunteerProfile,
    actor: User,
    membership_number: str,
    scheme: str,
    issued_on: dt.date,
    renewal_due: dt.date | None = None,
) -> PvgRecord:
    """Records or updates a person's PVG membership (audited)."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not membership_number.strip():
        errors["membership_number"] = "Give the PVG scheme membership number."
    if scheme not in PvgScheme.values:
        errors["scheme"] = "Choose children, adults or both."
    if issued_on > today:
        errors["issued_on"] = "The PVG date cannot be in the future."
    if renewal_due is None:
        renewal_due = fitness.pvg_default_renewal_due(issued_on)
    elif renewal_due <= issued_on:
        errors["renewal_due"] = "The renewal date must be after the date of issue."
    if errors:
        raise ValidationError(errors)
    record, created = PvgRecord.objects.update_or_create(
        profile=profile,
        defaults={
            "membership_number": membership_number.strip(),
            "scheme": scheme,
            "issued_on": issued_on,
            "renewal_due": renewal_due,
        },
    )
    audit_log(
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        actor=actor,
        obj=record,
        organisation=profile.organisation_id,
        summary="PVG record recorded" if created else "PVG record changed",
    )
    return record


@transaction.atomic
def training_record_add(
    *, profile: VolunteerProfile, actor: User, course: Course, completed_on: dt.date, expires_on: dt.date | None = None
) -> TrainingRecord:
    errors: dict[str, str] = {}
    if course.organisation_id != profile.organisation_id:
        errors["course"] = "Choose one of your organisation's courses."
    if completed_on > timezone.localdate():
        errors["completed_on"] = "The completion date cannot be in the future."
    if expires_on is None and course.valid_for_months:
        expires_on = add_months_clamped(completed_on, course.valid_for_months)
    if expires_on is not None and expires_on <= completed_on:
        errors["expires_on"] = "The expiry date must be after completion."
    if errors:
        raise ValidationError(errors)
    record = TrainingRecord.objects.create(
        profile=profile, course=course, completed_on=completed_on, expires_on=expires_on
    )
    audit_log(
        action=AuditAction.CREATE, actor=actor, obj=record, organisation=profile.organisation_id, summary="Training"
    )
    return record


@transaction.atomic
def reference_add(
    *, profile: VolunteerProfile, actor: User, name: str, relationship: str, received_on: dt.date | None = None
) -> Reference:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Give the referee's name."
    if not relationship.strip():
        errors["relationship"] = "Say how the referee knows them."
    if received_on is not None and received_on > timezone.localdate():
        errors["received_on"] = "The date received cannot be in the future."
    if errors:
        raise ValidationError(errors)
    return Reference.objects.create(profile=profile, name=name, relationship=relationship, received_on=received_on)


def is_supervisor_in(*, user: User | None, organisation_id: int) -> bool:
    """A PSO or coordinator with an active membership of the organisation."""
    if user is None:
        return False
    return Membership.objects.filter(
        user_id=user.pk, organisation_id=organisation_id, is_active=True, role__in=SUPERVISOR_ROLES
    ).exists()


@transaction.atomic
def supervisor_pair(
    *, profile: VolunteerProfile, supervisor: User, actor: User, on: dt.date | None = None
) -> SupervisorPairing:
    """Pairs a volunteer with a supervisor; the previous pairing ends today
    and stays in the history."""
    on = on or timezone.localdate()
    if not is_supervisor_in(user=supervisor, organisation_id=profile.organisation_id):
        raise ValidationError({"supervisor": "The supervisor must be a PSO or coordinator of this organisation."})
    if supervisor.pk == profile.user_id:
        raise ValidationError({"supervisor": "Nobody supervises themselves."})
    if profile.status == Status.LEFT:
        raise ValidationError({"supervisor": "This person has left."})
    current = SupervisorPairing.objects.select_for_update().filter(volunteer=profile, ended_on__isnull=True).first()
    if current is not None:
        if current.supervisor_id == supervisor.pk:
            raise ValidationError({"supervisor": "This is already their supervisor."})
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    pairing = SupervisorPairing.objects.create(
        organisation_id=profile.organisation_id, volunteer=profile, supervisor=supervisor, started_on=on
    )
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=profile, summary="Supervisor pairing changed")
    return pairing


@transaction.atomic
def supervision_session_create(
    *,
    organisation: Organisation,
    actor: User,
    supervisor: User | None,
    volunteers: Sequence[VolunteerProfile],
    held_on: dt.date,
    mode: str,
    duration_minutes: int,
    notes: str = "",
    wellbeing: str,
    actions: Sequence[dict] = (),
) -> SupervisionSession:
    """Logs one session for one volunteer or several (group supervision).

    ``actions`` are dicts with ``description``, ``owner`` (a user: the
    supervisor or one of the volunteers) and ``due_on``."""
    errors: dict[str, str] = {}
    if not is_supervisor_in(user=supervisor, organisation_id=organisation.pk):
        errors["supervisor"] = "The supervisor must be a PSO or coordinator of this organisation."
    if not volunteers:
        errors["volunteers"] = "Choose at least one volunteer."
    elif any(v.organisation_id != organisation.pk for v in volunteers):
        errors["volunteers"] = "Choose volunteers of this organisation."
    elif supervisor is not None and any(v.user_id == supervisor.pk for v in volunteers):
        errors["volunteers"] = "The supervisor cannot be one of the volunteers."
    if held_on > timezone.localdate():
        errors["held_on"] = "A supervision session cannot be dated in the future."
    if mode not in SupervisionMode.values:
        errors["mode"] = "Choose in person, video call or phone."
    if duration_minutes is None or not 5 <= duration_minutes <= 480:
        errors["duration_minutes"] = "Duration must be between 5 and 480 minutes."
    if wellbeing not in Wellbeing.values:
        errors["wellbeing"] = "Choose how the volunteer is doing."
    participants = {v.user_id for v in volunteers} | ({supervisor.pk} if supervisor else set())
    # A volunteer who has left can still be on an old pairing: her action would go to nobody.
    current = set(
        Membership.objects.filter(
            organisation_id=organisation.pk, is_active=True, user_id__in=participants
        ).values_list("user_id", flat=True)
    )
    for action in actions:
        if not str(action.get("description", "")).strip():
            errors["actions"] = "Each action needs a description."
        elif action.get("owner") is None or action["owner"].pk not in participants:
            errors["actions"] = "Each action's owner must be the supervisor or one of the volunteers."
        elif action["owner"].pk not in current:
            errors["actions"] = (
                f"{action['owner']} is no longer a member of this organisation: choose a current person."
            )
    if errors:
        raise ValidationError(errors)
    session = SupervisionSession.objects.create(
        organisation=organisation,
        supervisor=supervisor,
        held_on=held_on,
        mode=mode,
        duration_minutes=duration_minutes,
        notes=notes,
        wellbeing=wellbeing,
    )
    session.volunteers.set(volunteers)
    for action in actions:
        SupervisionAction.objects.create(
            session=session, description=action["description"], owner=action["owner"], due_on=action.get("due_on")
        )
    audit_log(action=AuditAction.CREATE, actor=actor, obj=session, summary="Supervision session logged")
    if wellbeing == Wellbeing.CONCERN:
        signals.supervision_concern_noted.send(sender=SupervisionSession, session=session, volunteers=list(volunteers))
    return session


@transaction.atomic
def supervision_action_done(*, action: SupervisionAction, actor: User) -> SupervisionAction:
    if action.done_on is None:
        action.done_on = timezone.localdate()
        action.save(update_fields=["done_on"])
    return action
