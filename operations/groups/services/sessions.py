"""Writes for groups and their sessions: create and change a group, generate
its sessions, move, change or cancel one session, its crèche rota."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Membership, Organisation, Role, User
from operations.groups import recurrence, selectors, signals
from operations.groups.models import (
    MAX_YOUNG_PARENT_AGE_LIMIT,
    MIN_YOUNG_PARENT_AGE_LIMIT,
    YOUNG_PARENT_AGE_LIMIT_MESSAGE,
    Booking,
    BookingChild,
    BookingStatus,
    Format,
    Group,
    GroupSession,
    SessionStatus,
)
from operations.groups.services.bookings import _promote_waiting
from volunteers import selectors as volunteer_selectors

FACILITATOR_ROLES = (Role.VOLUNTEER, Role.PSO)


def _check_people(*, organisation_id: int, users: Sequence[User], field: str, errors: dict) -> None:
    ids = {user.pk for user in users}
    members = set(
        Membership.objects.active()
        .filter(organisation_id=organisation_id, user_id__in=ids, role__in=FACILITATOR_ROLES)
        .values_list("user_id", flat=True)
    )
    if ids - members:
        errors[field] = "Choose volunteers or PSOs of your organisation."


def _check_creche_rota(*, organisation_id: int, users: Sequence[User], errors: dict) -> None:
    """Refuses anyone on a crèche rota who is not fit to work with children
    now (``volunteers.selectors.creche_fitness``), naming them and why."""
    if "creche_adults" in errors or not users:
        return
    reasons = volunteer_selectors.creche_fitness(organisation_id, [user.pk for user in users])
    unfit = [
        f"{user.get_full_name() or user.username} ({'; '.join(r.message for r in reasons[user.pk])})"
        for user in users
        if reasons.get(user.pk)
    ]
    if unfit:
        errors["creche_adults"] = (
            f"Not fit to work with children: {', '.join(unfit)}. The crèche rota takes only active people "
            "with a PVG for children and current core training (safeguarding)."
        )


def _group_errors(*, organisation_id: int, data: dict, facilitators: Sequence[User], creche_adults: Sequence[User]):
    errors: dict[str, str] = {}
    if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
        errors["end_time"] = "A session must end after it starts."
    if data.get("format") == Format.ONLINE and not data.get("joining_link"):
        errors["joining_link"] = "An online group needs a joining link."
    if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
        errors["ends_on"] = "The last date cannot be before the first."
    minimum = selectors.settings_for(organisation_id).minimum_creche_adults
    if data.get("creche_on") and len(creche_adults) < minimum:
        errors["creche_adults"] = f"A crèche needs at least {minimum} adults on the rota."
    service = data.get("service")
    if service is not None and service.organisation_id != organisation_id:
        errors["service"] = "Choose one of your organisation's services."
    _check_people(organisation_id=organisation_id, users=facilitators, field="facilitators", errors=errors)
    _check_people(organisation_id=organisation_id, users=creche_adults, field="creche_adults", errors=errors)
    _check_creche_rota(organisation_id=organisation_id, users=creche_adults, errors=errors)
    limit = data.get("young_parent_age_limit")
    if limit is not None and not MIN_YOUNG_PARENT_AGE_LIMIT <= limit <= MAX_YOUNG_PARENT_AGE_LIMIT:
        errors["young_parent_age_limit"] = YOUNG_PARENT_AGE_LIMIT_MESSAGE
    duplicate = Group.objects.filter(organisation_id=organisation_id, name=data.get("name", ""))
    if data.get("pk"):
        duplicate = duplicate.exclude(pk=data["pk"])
    if duplicate.exists():
        errors["name"] = "Your organisation already has a group with this name."
    if errors:
        raise ValidationError(errors)


def group_check(
    *,
    organisation_id: int,
    data: dict,
    facilitators: Sequence[User] = (),
    creche_adults: Sequence[User] = (),
    group: Group | None = None,
) -> None:
    """Refuses, with field errors, what ``group_create`` (or, for ``group``,
    ``group_update``) would refuse; writes nothing (an import's dry run)."""
    _group_errors(
        organisation_id=organisation_id,
        data={**data, "pk": group.pk if group else None},
        facilitators=facilitators,
        creche_adults=creche_adults,
    )
    candidate = Group(organisation_id=organisation_id, **{name: data[name] for name in GROUP_FIELDS if name in data})
    candidate.full_clean(exclude=["organisation", "service"], validate_unique=False, validate_constraints=False)


GROUP_FIELDS = (
    "service name description audience format stage venue_name venue_address council_area step_free_access "
    "transport_offered joining_link professional_facilitators young_parent_age_limit recurrence weekday week_of_month "
    "start_time end_time "
    "starts_on ends_on adult_places creche_on creche_child_cap is_active"
).split()


@transaction.atomic
def group_create(
    *,
    organisation: Organisation,
    actor: User | None,
    data: dict,
    facilitators: Sequence[User] = (),
    creche_adults: Sequence[User] = (),
    today: date | None = None,
) -> Group:
    """Creates a group and its sessions for the weeks ahead."""
    _group_errors(organisation_id=organisation.pk, data=data, facilitators=facilitators, creche_adults=creche_adults)
    group = Group(organisation=organisation, **{name: data[name] for name in GROUP_FIELDS if name in data})
    group.save()
    group.facilitators.set(facilitators)
    group.creche_adults.set(creche_adults)
    sessions_generate(group=group, today=today)
    audit_log(action=AuditAction.CREATE, actor=actor, obj=group, summary="Group created")
    return group


@transaction.atomic
def group_update(
    *,
    group: Group,
    actor: User | None,
    data: dict,
    facilitators: Sequence[User] = (),
    creche_adults: Sequence[User] = (),
    today: date | None = None,
) -> Group:
    """Changes a group. Future sessions nobody changed by hand follow the new
    times, places and rota; sessions changed by hand keep their changes."""
    _group_errors(
        organisation_id=group.organisation_id,
        data={**data, "pk": group.pk},
        facilitators=facilitators,
        creche_adults=creche_adults,
    )
    for name in GROUP_FIELDS:
        if name in data:
            setattr(group, name, data[name])
    group.save()
    group.facilitators.set(facilitators)
    group.creche_adults.set(creche_adults)
    now = timezone.now()
    followers = list(
        GroupSession.objects.filter(group=group, changed=False, starts_at__gt=now, status=SessionStatus.SCHEDULED)
        .order_by("pk")
        .select_for_update()
    )
    meeting_days = _meeting_days(group, today or timezone.localdate(), [s.occurrence for s in followers])
    for session in followers:
        has_bookings = Booking.objects.filter(session=session).exclude(status=BookingStatus.CANCELLED).exists()
        if session.occurrence not in meeting_days:
            # Off the new schedule (another weekday, past the new end, not running).
            if not has_bookings:
                session.delete()
                continue
            session.changed = True
            session.note = "Kept from the old schedule: it has bookings."
            session.save(update_fields=["changed", "note"])
            continue
        starts_at, ends_at = _session_times(group, session.occurrence)
        moved = starts_at != session.starts_at
        session.starts_at, session.ends_at = starts_at, ends_at
        session.adult_places = group.adult_places
        session.creche_child_cap = group.creche_child_cap
        # Children already booked keep their crèche if the group drops it.
        if group.creche_on or not _children_booked(session):
            session.creche_on = group.creche_on
            session.creche_adult_count = len(creche_adults) if group.creche_on else 0
            session.save()
            session.creche_adults.set(creche_adults if group.creche_on else [])
        else:
            session.save()
        if moved and has_bookings:
            signals.session_changed.send(sender=GroupSession, session_id=session.pk, cancelled=False)
        _promote_waiting(session=session)
    sessions_generate(group=group, today=today)
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=group, summary="Group changed")
    return group


def _meeting_days(group: Group, today: date, known: Sequence[date]) -> set[date]:
    if not group.is_active or not known:
        return set()
    return set(
        recurrence.occurrences(
            rule=group.recurrence,
            weekday=group.weekday,
            week_of_month=group.week_of_month,
            starts_on=group.starts_on,
            ends_on=group.ends_on,
            window_start=min(min(known), today),
            window_end=max(known),
        )
    )


def _session_times(group: Group, day: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(day, group.start_time)),
        timezone.make_aware(datetime.combine(day, group.end_time)),
    )


@transaction.atomic
def sessions_generate(*, group: Group, today: date | None = None) -> int:
    """Creates the group's sessions from today to the organisation's horizon
    (default 12 weeks). Safe to run again: an occurrence that exists, moved
    or cancelled or not, is left alone. Returns how many were created."""
    if not group.is_active:
        return 0
    today = today or timezone.localdate()
    horizon = today + timedelta(weeks=selectors.settings_for(group.organisation_id).weeks_ahead)
    days = list(
        recurrence.occurrences(
            rule=group.recurrence,
            weekday=group.weekday,
            week_of_month=group.week_of_month,
            starts_on=group.starts_on,
            ends_on=group.ends_on,
            window_start=today,
            window_end=horizon,
        )
    )
    existing = set(GroupSession.objects.filter(group=group, occurrence__in=days).values_list("occurrence", flat=True))
    rota = list(group.creche_adults.values_list("pk", flat=True)) if group.creche_on else []
    created = []
    for day in days:
        if day in existing:
            continue
        starts_at, ends_at = _session_times(group, day)
        session, made = GroupSession.objects.get_or_create(
            group=group,
            occurrence=day,
            defaults={
                "organisation_id": group.organisation_id,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "adult_places": group.adult_places,
                "creche_on": group.creche_on and len(rota) >= 2,
                "creche_adult_count": len(rota),
                "creche_child_cap": group.creche_child_cap,
            },
        )
        if made:
            created.append(session)
    if rota and created:
        through = GroupSession.creche_adults.through
        through.objects.bulk_create(
            [through(groupsession_id=s.pk, user_id=user_id) for s in created for user_id in rota],
            ignore_conflicts=True,
        )
    return len(created)


def sessions_generate_all(*, today: date | None = None) -> int:
    """Every active group's sessions for the weeks ahead (the nightly task)."""
    total = 0
    for group in Group.objects.filter(is_active=True).order_by("pk"):
        total += sessions_generate(group=group, today=today)
    return total


def session_update(
    *,
    session: GroupSession,
    actor: User | None,
    starts_at: datetime,
    ends_at: datetime,
    adult_places: int,
    creche_on: bool,
    creche_adults: Sequence[User] = (),
    creche_child_cap: int | None = None,
    note: str = "",
) -> GroupSession:
    """Moves or changes one session without touching the others; a place
    freed by more room is offered to the waiting list at once."""
    errors: dict[str, str] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = "A session must end after it starts."
    minimum = selectors.settings_for(session.organisation_id).minimum_creche_adults
    if creche_on and len(creche_adults) < minimum:
        errors["creche_adults"] = f"A crèche needs at least {minimum} adults on the rota."
    _check_people(organisation_id=session.organisation_id, users=creche_adults, field="creche_adults", errors=errors)
    _check_creche_rota(organisation_id=session.organisation_id, users=creche_adults, errors=errors)
    if session.is_cancelled:
        errors["__all__"] = "This session is cancelled."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = GroupSession.objects.select_for_update().get(pk=session.pk)
        if not creche_on and locked.creche_on and _children_booked(locked):
            raise ValidationError({"creche_on": "Children are booked into this crèche: cancel them first."})
        moved = locked.starts_at != starts_at
        locked.starts_at, locked.ends_at = starts_at, ends_at
        locked.adult_places = adult_places
        locked.creche_on = creche_on
        locked.creche_adult_count = len(creche_adults) if creche_on else 0
        locked.creche_child_cap = creche_child_cap
        locked.note = note
        locked.changed = True
        locked.save()
        locked.creche_adults.set(creche_adults if creche_on else [])
        if moved and starts_at > timezone.now():
            signals.session_changed.send(sender=GroupSession, session_id=locked.pk, cancelled=False)
        _promote_waiting(session=locked)
        audit_log(action=AuditAction.CHANGE, actor=actor, obj=locked, summary="Group session changed")
    return locked


def _children_booked(session: GroupSession) -> bool:
    return (
        BookingChild.objects.filter(booking__session=session).exclude(booking__status=BookingStatus.CANCELLED).exists()
    )


@transaction.atomic
def session_cancel(*, session: GroupSession, actor: User | None, note: str = "") -> GroupSession:
    """Cancels one session; the others are untouched. Bookings stay as they
    were, so the register shows who to tell."""
    locked = GroupSession.objects.select_for_update().get(pk=session.pk)
    if locked.is_cancelled:
        raise ValidationError({"__all__": "This session is already cancelled."})
    locked.status = SessionStatus.CANCELLED
    locked.changed = True
    locked.note = note
    locked.save(update_fields=["status", "changed", "note"])
    if locked.starts_at > timezone.now():
        signals.session_changed.send(sender=GroupSession, session_id=locked.pk, cancelled=True)
    audit_log(action=AuditAction.TRANSITION, actor=actor, obj=locked, summary="Group session cancelled")
    return locked


def session_rota_remove(*, session: GroupSession, person: User, actor: User | None) -> GroupSession:
    """Takes one adult off this session's crèche rota; the session is
    changed through ``session_update``, so its rules (the fewest adults a
    crèche needs, a cancelled session) refuse it the same way."""
    rota = list(session.creche_adults.order_by("pk"))
    if person not in rota:
        raise ValidationError({"creche_adults": f"{person} is not on this session's crèche rota."})
    return session_update(
        session=session,
        actor=actor,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        adult_places=session.adult_places,
        creche_on=session.creche_on,
        creche_adults=[adult for adult in rota if adult != person],
        creche_child_cap=session.creche_child_cap,
        note=session.note,
    )
