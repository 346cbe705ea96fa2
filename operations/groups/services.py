"""Writes for groups. Capacity is decided in one place, ``booking_create``
and ``_promote_waiting``, under a row lock on the session: two coordinators
(or the API) booking the last place at once are serialised by the database,
so one gets the place and the other the waiting list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import STAFF_ROLES, Membership, Organisation, Role, User
from operations.groups import audience, creche, recurrence, selectors
from operations.groups.models import (
    MAX_YOUNG_PARENT_AGE_LIMIT,
    MIN_YOUNG_PARENT_AGE_LIMIT,
    YOUNG_PARENT_AGE_LIMIT_MESSAGE,
    Booking,
    BookingChild,
    BookingStatus,
    CalendarFeed,
    Format,
    Group,
    GroupSession,
    HeadCount,
    SessionStatus,
    new_calendar_token,
)
from operations.notifications.models import Channel
from operations.notifications.services import notification_write
from referrals.contact import contact_permissions
from referrals.models import Parent
from referrals.services import RESTRICTED_MESSAGE
from volunteers import selectors as volunteer_selectors

FACILITATOR_ROLES = (Role.VOLUNTEER, Role.PSO)
OVERRIDE_REASON_MAX = Booking._meta.get_field("audience_override_reason").max_length


# --- groups and sessions -------------------------------------------------------


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
            _notify_session_change(session=session, cancelled=False)
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
            _notify_session_change(session=locked, cancelled=False)
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
        _notify_session_change(session=locked, cancelled=True)
    audit_log(action=AuditAction.TRANSITION, actor=actor, obj=locked, summary="Group session cancelled")
    return locked


# --- bookings -------------------------------------------------------------------


@dataclass(frozen=True)
class CrecheChild:
    first_name: str
    date_of_birth: date
    child_id: int | None = None


def booking_create(
    *,
    session_id: int,
    actor: User | None,
    parent: Parent | None = None,
    attendee_name: str = "",
    attendee_phone: str = "",
    attendee_consent: bool = False,
    children: Sequence[CrecheChild] = (),
    transport_needed: bool = False,
    walk_in: bool = False,
    audience_override_reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """Books a place, or a waiting-list place when the adult places or the
    crèche's staffing would be exceeded. A walk-in (from the register) is
    marked attended at once and refused when there is no room.

    A known parent outside the group's audience (``audience``) is refused
    unless a coordinator or manager gives ``audience_override_reason``: it is
    kept on the booking and the override is audited. A new attendee has no
    record to check (only a name is held), so the person booking them is
    trusted, as at the door."""
    now = now or timezone.now()
    with transaction.atomic():
        # The lock: every booking, cancellation and promotion of this session
        # queues here, so capacity is read and written by one at a time.
        session = GroupSession.objects.select_for_update().get(pk=session_id)
        group = Group.objects.only("format", "transport_offered", "audience", "young_parent_age_limit").get(
            pk=session.group_id
        )
        override = _booking_errors(
            session=session,
            group=group,
            parent=parent,
            attendee_name=attendee_name,
            attendee_consent=attendee_consent,
            children=children,
            transport_needed=transport_needed,
            walk_in=walk_in,
            actor=actor,
            audience_override_reason=audience_override_reason,
            now=now,
        )
        ratios = selectors.settings_for(session.organisation_id).ratios
        load = selectors.load_of(session, ratios=ratios)
        new = creche.band_counts((child.date_of_birth for child in children), session.date)
        room = creche.fits(
            load.capacity,
            adults_booked=load.adults_booked,
            children_booked=load.children,
            new_children=new,
            ratios=ratios,
        )
        if walk_in and not room:
            raise ValidationError({"__all__": _no_room_reason(session, load, new, ratios)})
        if walk_in:
            status = BookingStatus.ATTENDED
        else:
            status = BookingStatus.BOOKED if room else BookingStatus.WAITING
        booking = Booking(
            organisation_id=session.organisation_id,
            session=session,
            parent=parent,
            attendee_name="" if parent is not None else attendee_name.strip(),
            attendee_phone="" if parent is not None else attendee_phone.strip(),
            attendee_consent=parent is None and attendee_consent,
            transport_needed=transport_needed,
            walk_in=walk_in,
            status=status,
            waiting_since=now if status == BookingStatus.WAITING else None,
            created_at=now,
            created_by=actor,
            audience_override_reason=override,
        )
        try:
            with transaction.atomic():
                booking.save()
        except IntegrityError as exc:
            raise ValidationError({"parent": "This parent is already booked on this session."}) from exc
        BookingChild.objects.bulk_create(
            [
                BookingChild(
                    booking=booking,
                    child_id=child.child_id,
                    first_name=child.first_name.strip(),
                    date_of_birth=child.date_of_birth,
                    present=walk_in,
                )
                for child in children
            ]
        )
        audit_log(
            action=AuditAction.CREATE,
            actor=actor,
            obj=booking,
            summary=f"Group booking {booking.get_status_display().lower()} with {len(children)} crèche place(s)",
        )
        if override:
            # The reason is on the booking (erasable with it); the log says who overrode what, and when.
            audit_log(
                action=AuditAction.CHANGE,
                actor=actor,
                obj=booking,
                summary=f"Booked outside the group's audience ({group.get_audience_display()}) by override",
            )
    return booking


def _booking_errors(
    *,
    session: GroupSession,
    group: Group,
    parent: Parent | None,
    attendee_name: str,
    attendee_consent: bool,
    children: Sequence[CrecheChild],
    transport_needed: bool,
    walk_in: bool,
    actor: User | None,
    audience_override_reason: str,
    now: datetime,
) -> str:
    """Raises the booking's field errors; returns the audience override
    reason to keep ("" when the parent is in the audience)."""
    errors: dict[str, list[str]] = {}
    override = ""

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if session.is_cancelled:
        add("session", "This session is cancelled.")
    elif walk_in and session.date != timezone.localdate(now):
        add("session", "Walk-ins are added on the day of the session.")
    elif not walk_in and session.starts_at <= now:
        add("session", "This session has already started or is over.")
    if group.format == Format.DROP_IN:
        add("session", "Drop-in sessions take head counts, not bookings.")
    if parent is not None:
        if parent.organisation_id != session.organisation_id:
            add("parent", "Choose a parent of your organisation.")
        elif parent.processing_restricted:
            add("parent", RESTRICTED_MESSAGE)
        elif Booking.objects.filter(session=session, parent=parent).exclude(status=BookingStatus.CANCELLED).exists():
            add("parent", "This parent is already booked on this session.")
        else:
            problem = audience.audience_problem(
                audience=group.audience,
                age_limit=group.young_parent_age_limit,
                role=parent.role,
                first_name=parent.preferred_name or parent.first_name,
                date_of_birth=parent.date_of_birth,
                on=session.date,
            )
            reason = audience_override_reason.strip()
            if problem and not reason:
                add("parent", problem)
            elif problem and not _may_override_audience(actor, session.organisation_id):
                add("audience_override_reason", "Only a coordinator can book someone outside the group's audience.")
            elif problem and len(reason) > OVERRIDE_REASON_MAX:
                add("audience_override_reason", f"Keep the reason to {OVERRIDE_REASON_MAX} characters.")
            elif problem:
                override = reason
    else:
        if not attendee_name.strip():
            add("attendee_name", "Choose a known parent, or give the new attendee's name.")
        if not attendee_consent:
            add("attendee_consent", "Ask the attendee's consent to keep their details.")
    if children and not session.creche_on:
        add("children", "This session has no crèche.")
    for child in children:
        if not child.first_name.strip():
            add("children", "Give each child's first name.")
        problem = creche.date_of_birth_problem(child.date_of_birth, session.date)
        if problem:
            add("children", f"{child.first_name or 'A child'}: {problem}")
    if transport_needed and not group.transport_offered:
        add("transport_needed", "This group does not offer transport.")
    if errors:
        raise ValidationError(errors)
    return override


def _may_override_audience(actor: User | None, organisation_id: int) -> bool:
    """Coordinators and managers of the session's organisation; never a
    volunteer or PSO, nor a booking made without a person (an import)."""
    if actor is None:
        return False
    return (
        Membership.objects.active()
        .filter(user_id=actor.pk, organisation_id=organisation_id, role__in=STAFF_ROLES)
        .exists()
    )


def _no_room_reason(session: GroupSession, load: selectors.Load, new: Counter, ratios: creche.Ratios) -> str:
    if load.adults_booked >= session.adult_places:
        return "No adult place is left at this session."
    return "The crèche has no room for these children with the adults on the rota."


def booking_cancel(*, booking: Booking, actor: User | None, now: datetime | None = None) -> list[Booking]:
    """Cancels a booking and offers any freed place to the waiting list:
    the first waiting booking that now fits, then the next, in order.
    Returns the bookings promoted."""
    with transaction.atomic():
        session = GroupSession.objects.select_for_update().get(pk=booking.session_id)
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status == BookingStatus.CANCELLED:
            raise ValidationError({"__all__": "This booking is already cancelled."})
        if locked.status in (BookingStatus.ATTENDED, BookingStatus.DID_NOT_ATTEND):
            raise ValidationError({"__all__": "Attendance is recorded for this booking; it cannot be cancelled."})
        locked.status = BookingStatus.CANCELLED
        locked.cancelled_at = now or timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        audit_log(action=AuditAction.TRANSITION, actor=actor, obj=locked, summary="Group booking cancelled")
        promoted = _promote_waiting(session=session, now=now)
    booking.refresh_from_db()
    return promoted


def _promote_waiting(*, session: GroupSession, now: datetime | None = None) -> list[Booking]:
    """Call with the session row locked. Offers free places in waiting order
    to each booking that fits: a place freed by a baby may go to a waiting
    baby ahead of a three-year-old waiting longer, and the other way round."""
    now = now or timezone.now()
    if session.is_cancelled or session.starts_at <= now:
        return []
    ratios = selectors.settings_for(session.organisation_id).ratios
    load = selectors.load_of(session, ratios=ratios)
    capacity = load.capacity
    adults, children = load.adults_booked, Counter(load.children)
    promoted = []
    waiting = (
        Booking.objects.filter(session=session, status=BookingStatus.WAITING)
        .select_related("parent")
        .prefetch_related("children")
        .order_by("waiting_since", "pk")
    )
    for candidate in waiting:
        if adults >= capacity.adult_places:
            break
        new = creche.band_counts((child.date_of_birth for child in candidate.children.all()), session.date)
        if not creche.fits(capacity, adults_booked=adults, children_booked=children, new_children=new, ratios=ratios):
            continue
        candidate.status = BookingStatus.BOOKED
        candidate.save(update_fields=["status"])
        adults += 1
        children += new
        promoted.append(candidate)
        _notify_place_offered(booking=candidate, session=session)
        audit_log(action=AuditAction.TRANSITION, obj=candidate, summary="Waiting-list place offered")
    return promoted


@dataclass(frozen=True)
class Message:
    """One message in two wordings: naming the group, and neutral for a
    parent whose messages may not name the service."""

    named_subject: str
    named_body: str
    neutral_subject: str
    neutral_body: str


def _safe_channel(booking: Booking) -> tuple[str | None, str, bool]:
    """(channel, address, may name the service) from the parent's contact
    safety; (None, "", False) when nothing is safe or there is no parent."""
    if booking.parent is None:
        return None, "", False
    permissions = contact_permissions(booking.parent)
    if permissions.allows("sms"):
        return Channel.SMS, booking.parent.phone, permissions.may_name_service
    if permissions.allows("email"):
        return Channel.EMAIL, booking.parent.email, permissions.may_name_service
    return None, "", False


def _tell_attendees(
    *,
    bookings: Sequence[Booking],
    session: GroupSession,
    kind: str,
    key: str,
    message: Message,
    fallback: str,
    key_for: Callable[[Booking], str] | None = None,
    tell_coordinators: bool = True,
) -> None:
    """Writes one outbox row per attendee on a safe channel; attendees with
    none are listed (by booking number, no names) to the coordinators in the
    app, so someone tells them by a safe route."""
    organisation = Organisation(pk=session.organisation_id)
    key_for = key_for or (lambda booking: f"{key}-booking-{booking.pk}")
    unreachable = []
    for booking in bookings:
        if booking.parent is not None and booking.parent.processing_restricted:
            # Restricted at the parent's request: kept, never contacted (nor listed to chase).
            continue
        channel, address, named = _safe_channel(booking)
        if channel is None:
            unreachable.append(booking)
            continue
        notification_write(
            key=key_for(booking),
            kind=kind,
            channel=channel,
            organisation=organisation,
            subject=message.named_subject if named else message.neutral_subject,
            body=message.named_body if named else message.neutral_body,
            recipient_address=address,
            recipient_parent=booking.parent,
            names_service=named,
            about=booking,
        )
    if not unreachable or not tell_coordinators:
        return
    numbers = ", ".join(f"#{booking.pk}" for booking in unreachable)
    coordinators = Membership.objects.active().filter(organisation_id=session.organisation_id, role=Role.COORDINATOR)
    for membership in coordinators.order_by("user_id"):
        notification_write(
            key=f"{key}-coordinator-{membership.user_id}",
            kind=kind,
            channel=Channel.IN_APP,
            organisation=organisation,
            recipient_user=User(pk=membership.user_id),
            subject=message.named_subject,
            body=f"{fallback} No safe way to message booking(s) {numbers}: please tell them yourself.",
            about=session,
            link=reverse("groups:register", args=[session.pk]),
        )


def _notify_place_offered(*, booking: Booking, session: GroupSession) -> None:
    """Tells the parent on a channel their contact safety allows, naming the
    group only where they said messages may name the service; with no safe
    channel, the coordinators are asked in the app to tell them."""
    group_name = Group.objects.values_list("name", flat=True).get(pk=session.group_id)
    when = f"{timezone.localtime(session.starts_at):%A %d %B at %H:%M}"
    _tell_attendees(
        bookings=[booking],
        session=session,
        kind="booking_place_offered",
        key=f"booking-offered-{booking.pk}",
        key_for=lambda offered: f"booking-offered-{offered.pk}",
        message=Message(
            named_subject=f"A place at {group_name}",
            named_body=f"Good news: a place has come up for you at {group_name} on {when}. See you there.",
            neutral_subject="A place is now available",
            neutral_body=f"Good news: the place you asked about is now available, on {when}. See you then.",
        ),
        fallback=f"A waiting-list place on {group_name}, {when}, was offered.",
    )


#: Whom a cancelled or moved session is told about: everyone booked or waiting.
TOLD_OF_CHANGES = (BookingStatus.BOOKED, BookingStatus.WAITING)


def _notify_session_change(*, session: GroupSession, cancelled: bool) -> None:
    """Tells everyone booked or waiting that this session is cancelled or moved."""
    bookings = list(
        Booking.objects.filter(session=session, status__in=TOLD_OF_CHANGES).select_related("parent").order_by("pk")
    )
    if not bookings:
        return
    group_name = Group.objects.values_list("name", flat=True).get(pk=session.group_id)
    when = f"{timezone.localtime(session.starts_at):%A %d %B at %H:%M}"
    if cancelled:
        key, kind = f"session-cancelled-{session.pk}", "session_cancelled"
        message = Message(
            named_subject=f"{group_name} is cancelled",
            named_body=f"Sorry: {group_name} on {when} is cancelled. We will be in touch about the next one.",
            neutral_subject="Cancelled",
            neutral_body=f"Sorry: the meeting on {when} is cancelled. We will be in touch.",
        )
        fallback = f"{group_name} on {when} is cancelled."
    else:
        # The new start time is part of the key: moving twice tells twice.
        key, kind = f"session-moved-{session.pk}-{int(session.starts_at.timestamp())}", "session_moved"
        message = Message(
            named_subject=f"{group_name} has moved",
            named_body=f"{group_name} has moved to {when}. Your place is kept.",
            neutral_subject="New time",
            neutral_body=f"The meeting you are booked on has moved to {when}. Your place is kept.",
        )
        fallback = f"{group_name} has moved to {when}."
    _tell_attendees(bookings=bookings, session=session, kind=kind, key=key, message=message, fallback=fallback)


@transaction.atomic
def booking_mark_attendance(
    *, booking: Booking, attended: bool, actor: User | None, today: date | None = None
) -> Booking:
    """Ticks a booked person attended, or did not attend, from the day of the session on."""
    locked = Booking.objects.select_for_update().select_related("session").get(pk=booking.pk)
    if locked.status not in (BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.DID_NOT_ATTEND):
        raise ValidationError({"status": "Only a booked place can be marked attended or not."})
    if locked.session.is_cancelled:
        raise ValidationError({"status": "This session is cancelled."})
    if locked.session.date > (today or timezone.localdate()):
        raise ValidationError({"status": "Attendance can be marked from the day of the session."})
    locked.status = BookingStatus.ATTENDED if attended else BookingStatus.DID_NOT_ATTEND
    locked.save(update_fields=["status"])
    if not attended:
        locked.children.update(present=False)
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=locked, summary=f"Attendance: {locked.status}")
    booking.status = locked.status
    return locked


@transaction.atomic
def booking_child_set_present(*, booking_child: BookingChild, present: bool, actor: User | None) -> BookingChild:
    booking = booking_child.booking
    if present and booking.status not in (BookingStatus.BOOKED, BookingStatus.ATTENDED):
        raise ValidationError({"present": "Only a child with a booked place can be in the crèche."})
    BookingChild.objects.filter(pk=booking_child.pk).update(present=present)
    booking_child.present = present
    return booking_child


@transaction.atomic
def head_count_record(
    *,
    session: GroupSession,
    actor: User | None,
    mothers: int,
    fathers: int,
    other_carers: int,
    children: int,
    needed_interpreter: int,
    today: date | None = None,
) -> HeadCount:
    """Records a drop-in session's head count (no names)."""
    errors: dict[str, str] = {}
    if Group.objects.filter(pk=session.group_id).values_list("format", flat=True).get() != Format.DROP_IN:
        errors["__all__"] = "Head counts are for drop-in sessions; this group takes bookings."
    elif session.date > (today or timezone.localdate()):
        errors["__all__"] = "A head count can be recorded from the day of the session."
    values = {"mothers": mothers, "fathers": fathers, "other_carers": other_carers, "children": children}
    for name, value in {**values, "needed_interpreter": needed_interpreter}.items():
        if value < 0:
            errors[name] = "Give a number of 0 or more."
    if needed_interpreter > mothers + fathers + other_carers:
        errors["needed_interpreter"] = "More adults needed an interpreter than came."
    if errors:
        raise ValidationError(errors)
    count, _ = HeadCount.objects.update_or_create(
        session=session,
        defaults={
            **values,
            "needed_interpreter": needed_interpreter,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=session, summary="Drop-in head count recorded")
    return count


# --- calendar feeds -----------------------------------------------------------


def calendar_feed_for(*, user: User, organisation_id: int) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user, organisation_id=organisation_id)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User, organisation_id: int) -> CalendarFeed:
    """A new token: every subscription to the old address stops working."""
    feed = calendar_feed_for(user=user, organisation_id=organisation_id)
    feed.token = new_calendar_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    audit_log(action=AuditAction.CHANGE, actor=user, obj=feed, summary="Private calendar address reset")
    return feed


def session_reminders_write(
    *,
    now: datetime | None = None,
    hours_before: Callable[[int], int | None] | None = None,
    horizon_hours: int = 24,
) -> int:
    """Reminds everyone booked on a session starting within 24 hours, on a
    channel their contact safety allows (neutral wording where the service
    may not be named); people with no safe channel get no message, and the
    coordinators are asked in the app to remind them by a safe route. One key per
    booking and start time: a moved session is reminded again, a re-run
    never twice. Returns the bookings considered.

    ``hours_before(organisation_id)`` is how long ahead an organisation
    reminds (None: it does not); ``horizon_hours`` the longest of those."""
    now = now or timezone.now()
    hours_before = hours_before or (lambda _organisation_id: 24)
    sessions = GroupSession.objects.filter(
        status=SessionStatus.SCHEDULED, starts_at__gt=now, starts_at__lte=now + timedelta(hours=horizon_hours)
    ).select_related("group")
    considered = 0
    for session in sessions:
        hours = hours_before(session.organisation_id)
        if hours is None or session.starts_at > now + timedelta(hours=hours):
            continue
        bookings = list(session.bookings.filter(status=BookingStatus.BOOKED).select_related("parent"))
        if not bookings:
            continue
        considered += len(bookings)
        when = f"{timezone.localtime(session.starts_at):%A %d %B at %H:%M}"
        _tell_attendees(
            bookings=bookings,
            session=session,
            kind="session_reminder",
            key=f"session-reminder-{session.pk}-{session.starts_at:%Y%m%d%H%M}",
            key_for=lambda booking, session=session: f"session-reminder-{booking.pk}-{session.starts_at:%Y%m%d%H%M}",
            message=Message(
                named_subject=f"Reminder: {session.group.name}",
                named_body=f"A reminder that {session.group.name} meets {when}. We look forward to seeing you.",
                neutral_subject="A reminder",
                neutral_body=f"A reminder of your appointment {when}.",
            ),
            # Parents with no safe channel are listed to the coordinators (by booking number) to remind by hand.
            fallback=f"{session.group.name} meets {when}; the other parents booked are being reminded.",
        )
    return considered


# --- what a destructive action will do, asked first; undoing a cancellation ----

#: How long "Undo" is offered after a booking is cancelled.
UNDO_WINDOW = timedelta(minutes=2)


@dataclass(frozen=True)
class Reach:
    """How a message to some bookings would go, as ``_tell_attendees`` sends it."""

    told: int = 0  # on a channel their contact safety allows
    unreachable: int = 0  # no safe channel: the coordinators are asked to tell them
    restricted: int = 0  # processing restricted at their request: nobody contacts them


def attendees_reach(bookings: Sequence[Booking]) -> Reach:
    """Reads only: who a message to these bookings would reach, and how."""
    told = unreachable = restricted = 0
    for booking in bookings:
        if booking.parent is not None and booking.parent.processing_restricted:
            restricted += 1
        elif _safe_channel(booking)[0] is None:
            unreachable += 1
        else:
            told += 1
    return Reach(told=told, unreachable=unreachable, restricted=restricted)


def session_cancel_reach(*, session: GroupSession, now: datetime | None = None) -> Reach | None:
    """Who cancelling this session would tell; None when it has started (nobody is told)."""
    if session.starts_at <= (now or timezone.now()):
        return None
    bookings = Booking.objects.filter(session=session, status__in=TOLD_OF_CHANGES).select_related("parent")
    return attendees_reach(list(bookings))


def booking_restore(*, booking: Booking, actor: User | None, now: datetime | None = None) -> Booking:
    """Undoes a cancellation made in the last ``UNDO_WINDOW``: the booking
    holds its place again if the session still has room for it, under the
    same lock and the same rules as ``booking_create``; otherwise it is
    refused (the place may have gone to the waiting list) and nothing changes."""
    now = now or timezone.now()
    with transaction.atomic():
        session = GroupSession.objects.select_for_update().get(pk=booking.session_id)
        locked = Booking.objects.select_for_update(of=("self",)).select_related("parent").get(pk=booking.pk)
        if locked.status != BookingStatus.CANCELLED:
            raise ValidationError({"__all__": "This booking is not cancelled."})
        if locked.cancelled_at is None or now - locked.cancelled_at > UNDO_WINDOW:
            minutes = int(UNDO_WINDOW.total_seconds() // 60)
            raise ValidationError(
                {"__all__": f"A cancellation can be undone for {minutes} minutes only: book the place again instead."}
            )
        group = Group.objects.only("format", "transport_offered", "audience", "young_parent_age_limit").get(
            pk=session.group_id
        )
        children = [
            CrecheChild(first_name=child.first_name, date_of_birth=child.date_of_birth, child_id=child.child_id)
            for child in locked.children.order_by("pk")
        ]
        _booking_errors(
            session=session,
            group=group,
            parent=locked.parent,
            attendee_name=locked.attendee_name,
            attendee_consent=locked.attendee_consent or locked.parent_id is not None,
            children=children,
            transport_needed=locked.transport_needed,
            walk_in=locked.walk_in,
            # A booking made by a coordinator's override comes back with its reason.
            actor=actor,
            audience_override_reason=locked.audience_override_reason,
            now=now,
        )
        ratios = selectors.settings_for(session.organisation_id).ratios
        load = selectors.load_of(session, ratios=ratios)
        new = creche.band_counts((child.date_of_birth for child in children), session.date)
        if not creche.fits(
            load.capacity, adults_booked=load.adults_booked, children_booked=load.children, new_children=new,
            ratios=ratios,
        ):  # fmt: skip
            reason = _no_room_reason(session, load, new, ratios)
            raise ValidationError({"__all__": f"The place has gone since: {reason} Book again for the waiting list."})
        locked.status = BookingStatus.BOOKED
        locked.cancelled_at = None
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", "cancelled_at"])
        except IntegrityError as exc:
            raise ValidationError({"__all__": "This parent is already booked on this session."}) from exc
        audit_log(action=AuditAction.TRANSITION, actor=actor, obj=locked, summary="Group booking cancellation undone")
    booking.refresh_from_db()
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
