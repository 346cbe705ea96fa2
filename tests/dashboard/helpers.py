"""Builders for dashboard tests: referrals, matches, assessments and group
attendance on fixed dates (fictional people only)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from operations.core.models import Organisation, Service
from operations.groups.models import BookingStatus, Group, GroupSession
from referrals.models import Referral
from referrals.workflow import Status
from tests.factories import (
    AssessmentFactory,
    BookingChildFactory,
    BookingFactory,
    ConcernFactory,
    ContactLogFactory,
    GroupSessionFactory,
    HeadCountFactory,
    MatchFactory,
    ParentFactory,
    ReferralFactory,
)
from tests.volunteers.helpers import make_profile
from volunteers.expenses.models import ClaimStatus, ExpenseCategory, ExpenseClaim, Kind
from volunteers.matching.models import Match, MatchStatus
from volunteers.safeguarding.models import Concern, ConcernStatus

#: The period most tests ask about.
FROM, TO = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
PERIOD = {"date_from": FROM.isoformat(), "date_to": TO.isoformat()}
#: The page shows exact figures unless asked for the suppressed ones (issue 22).
PUBLISHED = {**PERIOD, "mode": "publication"}

_numbers = itertools.count(1)


def referral(
    organisation: Organisation,
    service: Service,
    *,
    received_on: dt.date = dt.date(2026, 2, 10),
    source: str = "midwife",
    started_on: dt.date | None = None,
    **parent_fields,
) -> Referral:
    parent = ParentFactory(organisation=organisation, **parent_fields)
    return ReferralFactory(
        organisation=organisation,
        parent=parent,
        service=service,
        source=source,
        received_on=received_on,
        status=Status.ACTIVE if started_on else Status.RECEIVED,
        support_started_on=started_on,
    )


def consenting_referral(organisation: Organisation, service: Service, **fields) -> Referral:
    return referral(
        organisation,
        service,
        evaluation_consent_given_on=dt.date(2026, 1, 5),
        lawful_basis_article6="consent",
        lawful_basis_article9="explicit_consent",
        **fields,
    )


def before_and_after(made: Referral, *, measure: str, baseline: int, latest: int, review: int | None = None) -> None:
    """A baseline in January and a latest assessment in May (a review in March if given)."""
    AssessmentFactory(referral=made, measure=measure, score_total=baseline, taken_on=dt.date(2026, 1, 20))
    if review is not None:
        AssessmentFactory(
            referral=made, measure=measure, score_total=review, timepoint="review", taken_on=dt.date(2026, 3, 20)
        )
    AssessmentFactory(
        referral=made, measure=measure, score_total=latest, timepoint="ending", taken_on=dt.date(2026, 5, 20)
    )


def supported(made: Referral, *, started_on: dt.date = dt.date(2026, 3, 1), minutes: int = 60) -> Match:
    """A match with one contact log, active since ``started_on``."""
    volunteer = make_profile(organisation=made.organisation, today=timezone.localdate())
    match = MatchFactory(referral=made, volunteer=volunteer, status=MatchStatus.ACTIVE, started_on=started_on)
    ContactLogFactory(match=match, contact_date=started_on, duration_minutes=minutes, mode="phone")
    return match


def group_session_with(
    organisation: Organisation,
    service: Service,
    *,
    day: dt.date,
    attended: list,
    children_present: int = 0,
    drop_in_adults: int = 0,
) -> GroupSession:
    """A held session on ``day``: bookings attended by the given parents (the
    first bringing ``children_present`` children), plus a drop-in head count."""
    # Made directly: the service would generate a season of sessions, each "held".
    group = Group.objects.create(
        organisation=organisation,
        service=service,
        name=f"Tea and Tots {next(_numbers)}",
        weekday=day.weekday(),
        start_time=dt.time(10),
        end_time=dt.time(11, 30),
        starts_on=day,
    )
    zone = timezone.get_current_timezone()
    session = GroupSessionFactory(
        group=group,
        occurrence=day,
        starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=zone),
        ends_at=dt.datetime.combine(day, dt.time(11, 30), tzinfo=zone),
        adult_places=20,
    )
    for index, parent in enumerate(attended):
        booking = BookingFactory(
            session=session, parent=parent, attendee_name="", attendee_consent=False, status=BookingStatus.ATTENDED
        )
        if index == 0:
            for _ in range(children_present):
                BookingChildFactory(
                    booking=booking, first_name="Bairn", date_of_birth=day - dt.timedelta(days=400), present=True
                )
    if drop_in_adults:
        HeadCountFactory(session=session, mothers=drop_in_adults, fathers=0, children=0)
    return session


#: When the concerns of most tests are raised: inside PERIOD.
RAISED_AT = dt.datetime(2026, 2, 10, 10, 0, tzinfo=dt.UTC)


def concern(
    match: Match,
    *,
    raised_at: dt.datetime = RAISED_AT,
    acknowledged_after: dt.timedelta | None = None,
    outcome: str = "",
    **fields,
) -> Concern:
    """A concern on ``match``: new, or acknowledged ``acknowledged_after`` it
    was raised, and closed with ``outcome`` if given."""
    worked = {}
    if acknowledged_after is not None or outcome:
        acknowledged_at = raised_at + (acknowledged_after or dt.timedelta(minutes=10))
        worked = {"status": ConcernStatus.ACKNOWLEDGED, "acknowledged_at": acknowledged_at}
        if outcome:
            worked.update(status=ConcernStatus.CLOSED, outcome=outcome, closed_at=acknowledged_at)
    return ConcernFactory(match=match, raised_at=raised_at, **worked, **fields)


def approved_expense(
    match: Match, *, spent_on: dt.date, kind: str = Kind.MILEAGE, pence: int = 450, category: str = "Parking"
) -> ExpenseClaim:
    """An approved claim of ``match``'s volunteer for its first contact: 10 miles at 45p unless told."""
    log = match.contact_logs.first()
    cost = kind == Kind.OUT_OF_POCKET
    return ExpenseClaim.objects.create(
        organisation=match.organisation,
        volunteer=match.volunteer,
        kind=kind,
        contact_log=log,
        service_id=match.referral.service_id,
        spent_on=spent_on,
        miles=None if cost else 10,
        pence_per_mile=None if cost else 45,
        category=ExpenseCategory.objects.get(organisation=match.organisation, name=category) if cost else None,
        amount_pence=pence,
        status=ClaimStatus.APPROVED,
    )
