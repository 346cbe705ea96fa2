"""Scale data for groups: 5,000 sessions and 100,000 bookings at full scale,
bulk inserted across every organisation. The referrals app leaves no parent
ids in ``context.extra`` yet, so bookings are minimal attendee bookings
(name and consent, no parent); about a third bring crèche children."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from operations.core.models import Membership, Role
from operations.core.scale import BATCH, ScaleContext
from operations.groups.models import (
    Audience,
    Booking,
    BookingChild,
    BookingStatus,
    Format,
    Group,
    GroupSession,
)

GROUPS_PER_ORGANISATION = 3
PAST_SHARE = 0.7  # most sessions have happened: registers hold attendance


def seed(context: ScaleContext) -> None:
    total_sessions = context.count("group_sessions", minimum=GROUPS_PER_ORGANISATION)
    total_bookings = context.count("bookings")
    rng = context.rng
    today = timezone.localdate()
    now = timezone.now()

    helpers = _helpers_by_organisation([o.pk for o in context.organisations])
    groups: list[Group] = []
    for organisation in context.organisations:
        service = next(s for s in context.services[organisation.pk] if s.kind == "group")
        for index in range(GROUPS_PER_ORGANISATION):
            groups.append(
                Group(
                    organisation=organisation,
                    service=service,
                    name=["Parent and baby group", "Crèche group", "Dads' group"][index],
                    audience=[Audience.PARENTS_AND_CARERS, Audience.MOTHERS, Audience.FATHERS][index],
                    format=Format.IN_PERSON,
                    venue_name="Community hall",
                    weekday=index + 1,
                    start_time=dt.time(10, 0),
                    end_time=dt.time(11, 30),
                    starts_on=today - dt.timedelta(weeks=104),
                    adult_places=20,
                    creche_on=index == 1,
                    transport_offered=index == 1,
                )
            )
    Group.objects.bulk_create(groups)
    facilitator_rows, rota_rows = [], []
    for group in groups:
        people = helpers.get(group.organisation_id, [])
        facilitator_rows += [Group.facilitators.through(group_id=group.pk, user_id=u) for u in people]
        if group.creche_on:
            rota_rows += [Group.creche_adults.through(group_id=group.pk, user_id=u) for u in people]
    Group.facilitators.through.objects.bulk_create(facilitator_rows)
    Group.creche_adults.through.objects.bulk_create(rota_rows)

    base, extra = divmod(max(total_sessions, len(groups)), len(groups))
    sessions: list[GroupSession] = []
    for number, group in enumerate(groups):
        # The remainder goes one each to the first groups: exactly the total.
        per_group = base + (1 if number < extra else 0)
        past = int(per_group * PAST_SHARE)
        first = group.starts_on + dt.timedelta(days=(group.weekday - group.starts_on.weekday()) % 7)
        first = max(first, today - dt.timedelta(weeks=past))
        first += dt.timedelta(days=(group.weekday - first.weekday()) % 7)
        creche_people = len(helpers.get(group.organisation_id, [])) if group.creche_on else 0
        for week in range(per_group):
            day = first + dt.timedelta(weeks=week)
            starts = timezone.make_aware(dt.datetime.combine(day, group.start_time))
            sessions.append(
                GroupSession(
                    organisation_id=group.organisation_id,
                    group=group,
                    occurrence=day,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=90),
                    adult_places=group.adult_places,
                    creche_on=group.creche_on and creche_people >= 2,
                    creche_adult_count=creche_people if group.creche_on and creche_people >= 2 else 0,
                )
            )
    GroupSession.objects.bulk_create(sessions, batch_size=BATCH)
    rota = [
        GroupSession.creche_adults.through(groupsession_id=s.pk, user_id=u)
        for s in sessions
        if s.creche_on
        for u in helpers.get(s.organisation_id, [])
    ]
    GroupSession.creche_adults.through.objects.bulk_create(rota, batch_size=BATCH)

    base, extra = divmod(max(total_bookings, len(sessions)), len(sessions))
    bookings: list[Booking] = []
    creche_flags: list[tuple[int, dt.date]] = []
    for number, session in enumerate(sessions):
        is_past = session.starts_at < now
        for index in range(base + (1 if number < extra else 0)):
            if index >= session.adult_places:
                status = BookingStatus.CANCELLED if is_past else BookingStatus.WAITING
            elif is_past:
                status = rng.choice(
                    [BookingStatus.ATTENDED] * 8 + [BookingStatus.DID_NOT_ATTEND, BookingStatus.CANCELLED]
                )
            else:
                status = rng.choice([BookingStatus.BOOKED] * 9 + [BookingStatus.CANCELLED])
            bookings.append(
                Booking(
                    organisation_id=session.organisation_id,
                    session=session,
                    attendee_name=f"Attendee {index + 1}",
                    attendee_consent=True,
                    status=status,
                    waiting_since=session.starts_at - dt.timedelta(days=3) if status == BookingStatus.WAITING else None,
                    created_at=session.starts_at - dt.timedelta(days=rng.randint(1, 20)),
                )
            )
            # Only a few children per session, within two rostered adults.
            creche_flags.append((session.creche_on and index < 5, session.occurrence))
        if len(bookings) >= BATCH:
            _flush(bookings, creche_flags, rng)
            bookings, creche_flags = [], []
    _flush(bookings, creche_flags, rng)
    context.log(
        f"  groups: {len(groups)} groups, {len(sessions)} sessions, {max(total_bookings, len(sessions))} bookings"
    )


def _flush(bookings: list[Booking], creche_flags: list, rng) -> None:
    Booking.objects.bulk_create(bookings)
    children = [
        BookingChild(
            booking=booking,
            first_name="Child",
            date_of_birth=day - dt.timedelta(days=rng.randint(60, 1400)),
            present=booking.status == BookingStatus.ATTENDED,
        )
        for booking, (with_child, day) in zip(bookings, creche_flags, strict=True)
        if with_child
    ]
    BookingChild.objects.bulk_create(children)


def _helpers_by_organisation(organisation_ids: list[int]) -> dict[int, list[int]]:
    helpers: dict[int, list[int]] = {}
    rows = (
        Membership.objects.filter(organisation_id__in=organisation_ids, role__in=[Role.VOLUNTEER, Role.PSO])
        .order_by("organisation_id", "user_id")
        .values_list("organisation_id", "user_id")
    )
    for organisation_id, user_id in rows:
        helpers.setdefault(organisation_id, []).append(user_id)
    return helpers
