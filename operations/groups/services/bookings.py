"""Writes for bookings. Capacity is decided in one place, ``booking_create``
and ``_promote_waiting``, under a row lock on the session: two coordinators
(or the API) booking the last place at once are serialised by the database,
so one gets the place and the other the waiting list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import STAFF_ROLES, Membership, User
from operations.groups import audience, creche, selectors, signals
from operations.groups.models import (
    Booking,
    BookingChild,
    BookingStatus,
    Format,
    Group,
    GroupSession,
    HeadCount,
)
from referrals.models import Child, Parent
from referrals.services import RESTRICTED_MESSAGE

OVERRIDE_REASON_MAX = Booking._meta.get_field("audience_override_reason").max_length


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
        # A child picked from the parent's record is booked as the record says, never as the caller typed it.
        children = _as_recorded(children, parent=parent, organisation_id=session.organisation_id)
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


def _as_recorded(children: Sequence[CrecheChild], *, parent: Parent | None, organisation_id: int) -> list[CrecheChild]:
    """``children`` with each recorded child's name and date of birth read
    from her record; refused when a recorded child is not this parent's, not
    of this organisation, not yet born, lost, or chosen twice."""
    wanted = [child.child_id for child in children if child.child_id is not None]
    if not wanted:
        return list(children)
    records = {}
    if parent is not None:
        records = {
            child.pk: child
            for child in Child.objects.filter(
                pk__in=wanted,
                parent_id=parent.pk,
                parent__organisation_id=organisation_id,
                birth_date__isnull=False,
                loss_date__isnull=True,
            ).only("pk", "name", "birth_date")
        }
    if len(set(wanted)) != len(wanted):
        raise ValidationError({"children": "Each recorded child can be booked once."})
    if any(child_id not in records for child_id in wanted):
        raise ValidationError({"children": "Choose children recorded for this parent."})
    return [
        child
        if child.child_id is None
        else CrecheChild(
            first_name=records[child.child_id].name.strip() or "Baby",
            date_of_birth=records[child.child_id].birth_date,
            child_id=child.child_id,
        )
        for child in children
    ]


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


def booking_confirm(*, booking: Booking, actor: User | None, now: datetime | None = None) -> bool:
    """The parent says she is coming (a YES to her session reminder).
    Refused for a booking that no longer holds a place or a session that has
    begun; confirming twice keeps the first confirmation. Returns whether
    this call confirmed it."""
    now = now or timezone.now()
    with transaction.atomic():
        # Only the booking is locked (its parent may be none: an outer join PostgreSQL will not lock).
        locked = Booking.objects.select_for_update(of=("self",)).select_related("session", "parent").get(pk=booking.pk)
        if locked.parent is not None and locked.parent.processing_restricted:
            raise ValidationError({"__all__": RESTRICTED_MESSAGE})
        if locked.status != BookingStatus.BOOKED:
            raise ValidationError({"__all__": "This booking does not hold a place any more."})
        if locked.session.is_cancelled or locked.session.starts_at <= now:
            raise ValidationError({"__all__": "This session is cancelled or has begun."})
        if locked.confirmed_at is not None:
            return False
        locked.confirmed_at = now
        locked.save(update_fields=["confirmed_at"])
        audit_log(
            action=AuditAction.TRANSITION, actor=actor, obj=locked, summary="Group booking confirmed by the parent"
        )
    booking.refresh_from_db()
    return True


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
        signals.place_offered.send(sender=Booking, booking_id=candidate.pk, session_id=session.pk)
        audit_log(action=AuditAction.TRANSITION, obj=candidate, summary="Waiting-list place offered")
    return promoted


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
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=locked, summary=f"Attendance: {locked.get_status_display()}")
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


#: How long "Undo" is offered after a booking is cancelled.
UNDO_WINDOW = timedelta(minutes=2)


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
