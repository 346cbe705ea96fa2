"""Closing a service well (issue 24): every open referral decided before
the closure completes; parents, referrers and volunteers told exactly once;
the service then takes no new referrals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from operations.closures import services
from operations.closures.models import ClosureDecision, ClosureStatus, Outcome, ServiceClosure
from operations.core.audit import AuditEvent
from operations.groups.models import GroupSession, SessionStatus
from operations.notifications.models import Notification
from referrals.models import Referral, Transfer
from referrals.online.models import OnlineReferralSettings
from referrals.workflow import Status
from tests.factories import (
    BookingFactory,
    DirectoryEntryFactory,
    GroupFactory,
    GroupSessionFactory,
    MatchFactory,
    OrganisationFactory,
    ParentFactory,
    ReferralFactory,
    ReferrerFactory,
    ServiceFactory,
)
from tests.referrals.test_api import payload
from volunteers.matching.models import MatchStatus


def _safe_parent(organisation):
    return ParentFactory(
        organisation=organisation, phone="07700 900124", safe_sms=True, contact_safety_recorded_at=timezone.now()
    )


@pytest.fixture
def closing(organisation):
    return ServiceFactory(organisation=organisation, name="Dundee befriending")


@pytest.fixture
def closure(manager, closing):
    return services.closure_plan(
        actor=manager,
        service=closing,
        last_day=timezone.localdate() + dt.timedelta(weeks=4),
        message="Nurture Parents has closed: ask your health visitor about Home-Start.",
    )


@pytest.fixture
def world(organisation, closing):
    """Four open referrals of the closing service, one of each kind of decision to come."""
    referrer = ReferrerFactory(organisation=organisation)
    in_house = ReferralFactory(
        organisation=organisation,
        service=closing,
        status=Status.WAITING,
        referrer=referrer,
        referrer_updates_consent=True,
    )
    elsewhere = ReferralFactory(organisation=organisation, service=closing, status=Status.RECEIVED)
    signposted = ReferralFactory(
        organisation=organisation,
        service=closing,
        status=Status.ASSESSED,
        referrer=ReferrerFactory(organisation=organisation),
        referrer_updates_consent=True,
    )
    match = MatchFactory(
        referral=ReferralFactory(organisation=organisation, service=closing, status=Status.ACTIVE),
    )
    return {"in_house": in_house, "elsewhere": elsewhere, "signposted": signposted, "match": match}


def _decide_all(manager, closure, world, organisation):
    other_service = ServiceFactory(organisation=organisation, name="Perth befriending")
    services.closure_decide(
        actor=manager, closure=closure, referral=world["in_house"], outcome=Outcome.IN_HOUSE, new_service=other_service
    )
    services.closure_decide(
        actor=manager,
        closure=closure,
        referral=world["elsewhere"],
        outcome=Outcome.OTHER_ORGANISATION,
        receiving_organisation=OrganisationFactory(name="Home-Start Dundee"),
        consent=True,
    )
    services.closure_decide(
        actor=manager,
        closure=closure,
        referral=world["signposted"],
        outcome=Outcome.SIGNPOST,
        directory_entry=DirectoryEntryFactory(organisation=organisation, name="Home-Start Dundee"),
    )
    services.closure_decide(
        actor=manager, closure=closure, referral=world["match"].referral, outcome=Outcome.PLANNED_END
    )
    return other_service


def test_completing_is_refused_while_a_referral_is_undecided_and_nothing_is_written(
    manager, closure, world, organisation
):
    services.closure_decide(actor=manager, closure=closure, referral=world["signposted"], outcome=Outcome.PLANNED_END)
    notifications, audits = Notification.objects.count(), AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.closure_complete(actor=manager, closure=closure)

    assert "3 open referrals still have no decision" in str(refused.value)
    closure.refresh_from_db()
    closure.service.refresh_from_db()
    assert closure.status == ClosureStatus.PLANNED
    assert closure.service.is_active
    assert Referral.objects.get(pk=world["signposted"].pk).status == Status.ASSESSED
    assert (Notification.objects.count(), AuditEvent.objects.count()) == (notifications, audits)


def test_a_closed_service_has_every_open_referral_decided_and_everyone_told_once(manager, closure, world, organisation):
    other_service = _decide_all(manager, closure, world, organisation)
    session = GroupSessionFactory(
        group=GroupFactory(organisation=organisation, service=closure.service),
        occurrence=timezone.localdate() + dt.timedelta(days=9),
    )
    booking = BookingFactory(session=session, parent=_safe_parent(organisation))
    future = GroupSession.objects.filter(group=session.group, starts_at__gt=timezone.now()).count()

    services.closure_complete(actor=manager, closure=closure)
    services.closure_complete(actor=manager, closure=closure)  # a second click, or a second request

    closure.refresh_from_db()
    assert closure.status == ClosureStatus.COMPLETED
    assert not Referral.objects.filter(service=closure.service, status__in=[Status.WAITING, Status.ASSESSED]).exists()
    moved = Referral.objects.get(pk=world["in_house"].pk)
    assert moved.service == other_service
    assert moved.status == Status.WAITING
    assert Transfer.objects.filter(referral=world["elsewhere"]).count() == 1
    assert Referral.objects.get(pk=world["signposted"].pk).status == Status.WITHDRAWN
    world["match"].refresh_from_db()
    assert world["match"].status == MatchStatus.ENDED
    assert Referral.objects.get(pk=world["match"].referral_id).status == Status.CLOSED
    assert (
        not GroupSession.objects.filter(group=session.group, starts_at__gt=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .exists()
    )
    # Each told once: the booked parent, the two referrers who asked for updates, the volunteer.
    assert Notification.objects.filter(recipient_parent=booking.parent, kind="session_cancelled").count() == 1
    assert Notification.objects.filter(kind="referrer_note", recipient_address=moved.referrer.email).count() == 1
    signposted_referrer = world["signposted"].referrer.email
    assert Notification.objects.filter(recipient_address=signposted_referrer).count() == 1
    volunteer = world["match"].volunteer.user
    told = Notification.objects.filter(kind="closure_match_ended", recipient_user=volunteer)
    assert told.count() == told.values("channel").distinct().count() >= 1  # once on each of their channels
    assert "Families are still waiting" in told.first().body
    assert Notification.objects.filter(kind="closure_evaluation", recipient_user=manager, channel="in_app").count() == 1
    closure.service.refresh_from_db()
    assert not closure.service.is_active
    assert (
        closure.moved_in_house,
        closure.transferred_out,
        closure.signposted,
        closure.ended_as_planned,
        closure.sessions_cancelled,
        closure.parents_told,
        closure.referrers_told,
        closure.volunteers_told,
    ) == (1, 1, 1, 1, future, 1, 2, 1)


def test_a_transfer_needs_the_parents_consent(manager, closure, world):
    with pytest.raises(ValidationError) as refused:
        services.closure_decide(
            actor=manager,
            closure=closure,
            referral=world["elsewhere"],
            outcome=Outcome.OTHER_ORGANISATION,
            receiving_organisation=OrganisationFactory(),
        )
    assert "consent" in refused.value.message_dict
    assert not ClosureDecision.objects.exists()


def test_only_the_organisations_managers_plan_decide_and_complete(coordinator, other_coordinator, closure, world):
    for actor in (coordinator, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.closure_complete(actor=actor, closure=closure)
        with pytest.raises(PermissionDenied):
            services.closure_decide(
                actor=actor, closure=closure, referral=world["signposted"], outcome=Outcome.PLANNED_END
            )
    assert ServiceClosure.objects.get().status == ClosureStatus.PLANNED


def test_a_service_is_planned_for_closure_once(manager, closure):
    with pytest.raises(ValidationError) as refused:
        services.closure_plan(actor=manager, service=closure.service, last_day=timezone.localdate())
    assert "already planned" in refused.value.message_dict["service"][0]


# --- pages ------------------------------------------------------------------------------


def test_the_closure_page_lists_what_is_undecided_and_refuses_to_complete(manager_client, closure, world):
    page = manager_client.get(reverse("closures:detail", args=[closure.pk]))
    assert "Still to decide (4)" in page.content.decode()

    refused = manager_client.post(reverse("closures:complete", args=[closure.pk]))

    assert refused.status_code == 400
    assert "4 open referrals still have no decision" in refused.content.decode()
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.PLANNED
    assert closure.service.is_active


def test_a_decision_without_its_target_is_a_field_error(manager_client, closure, world):
    answer = manager_client.post(
        reverse("closures:decide", args=[closure.pk]),
        {"referral": world["in_house"].pk, "outcome": Outcome.IN_HOUSE},
    )
    assert answer.status_code == 400
    assert "Choose another of your organisation" in answer.content.decode()
    assert not ClosureDecision.objects.exists()


def test_a_manager_plans_decides_and_completes_through_the_pages(manager_client, manager, organisation, closing):
    referral = ReferralFactory(organisation=organisation, service=closing, status=Status.WAITING)
    planned = manager_client.post(
        reverse("closures:list"),
        {"service": closing.pk, "last_day": (timezone.localdate() + dt.timedelta(days=30)).isoformat()},
    )
    closure = ServiceClosure.objects.get()
    assert planned.status_code == 302
    manager_client.post(
        reverse("closures:decide", args=[closure.pk]), {"referral": referral.pk, "outcome": Outcome.PLANNED_END}
    )
    assert ClosureDecision.objects.get().outcome == Outcome.PLANNED_END
    done = manager_client.post(reverse("closures:complete", args=[closure.pk]), follow=True)
    assert "Support ended as planned" in done.content.decode()
    csv_answer = manager_client.get(reverse("closures:report-csv", args=[closure.pk]))
    rows = csv_answer.content.decode().splitlines()
    assert "Support ended as planned,1" in rows
    assert "Families signposted,0" in rows
    assert AuditEvent.objects.filter(summary="Closure report downloaded").exists()


def test_a_closed_service_is_refused_everywhere_and_the_online_form_signposts(
    manager, coordinator_client, organisation, closure, client
):
    services.closure_complete(actor=manager, closure=closure)
    closing = closure.service

    staff_form = coordinator_client.get(reverse("referrals:referral-new"))
    assert closing.name not in staff_form.content.decode()

    api = coordinator_client.post(
        "/api/v1/referrals/",
        payload(closing),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "service" in api.json()
    assert not Referral.objects.filter(service=closing, parent__last_name="Apitest").exists()

    OnlineReferralSettings.objects.filter(organisation=organisation).update(self_form_open=True)
    online = client.get(reverse("online_referrals:self", args=[organisation.slug]))
    text = online.content.decode()
    assert f"{closing.name} has closed" in text
    assert "ask your health visitor about Home-Start" in text


def test_a_decision_is_in_subject_access_and_goes_with_erasure(manager, closure, world):
    from operations.closures import gdpr

    parent = world["signposted"].parent
    services.closure_decide(actor=manager, closure=closure, referral=world["signposted"], outcome=Outcome.PLANNED_END)
    (section,) = gdpr.subject_access(parent)
    assert "Planned ending before the last day" in str(section.rows)

    gdpr.erase(parent)

    assert not ClosureDecision.objects.filter(referral__parent=parent).exists()
