"""referrals_create_many (an import's bulk path): the same rules, rows and
audit entries as referral_create followed by referral_transition for each
move; one refusal refuses the whole list and nothing is written; its
queries do not grow with the list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from operations.core.audit import AuditEvent
from referrals import services
from referrals.models import Referral, ReferralTransition
from referrals.workflow import Status
from tests.factories import ChildFactory, ParentFactory, ReferralFactory, ReferrerFactory, ServiceFactory

pytestmark = pytest.mark.django_db

WAITING = ((Status.CONTACTED, ""), (Status.ASSESSED, ""), (Status.WAITING, ""))


def family(organisation, *, born_days_ago: int = 60, safe: bool = True, **fields):
    parent = ParentFactory(
        organisation=organisation, contact_safety_recorded_at=timezone.now() if safe else None, **fields
    )
    ChildFactory(parent=parent, due_date=None, birth_date=timezone.localdate() - timedelta(days=born_days_ago))
    return parent


def details(referrer=None, **changes) -> dict:
    return {
        "received_on": timezone.localdate() - timedelta(days=20),
        "reason": "Low mood",
        "urgency": "2",
        "source": "health_visitor",
        "channel": "staff",
        "referrer": referrer,
        "referrer_name": referrer.name if referrer else "",
        **changes,
    }


def one_by_one(coordinator, organisation, new: services.NewReferral) -> Referral:
    referral = services.referral_create(
        actor=coordinator,
        organisation=organisation,
        service=new.service,
        referral_data=new.referral_data,
        parent=new.parent,
        eligibility_override_reason=new.eligibility_override_reason,
        record_not_eligible=new.record_not_eligible,
    )
    for to_status, reason in new.moves:
        referral = services.referral_transition(
            actor=coordinator, referral=referral, to_status=to_status, reason=reason
        )
    return referral


def written(referral: Referral) -> dict:
    """What the services wrote for a referral, without its ids and times."""
    referral.refresh_from_db()
    fields = (
        "status",
        "source",
        "channel",
        "referrer_id",
        "referrer_name",
        "referrer_updates_consent",
        "reason",
        "urgency",
        "received_on",
        "eligibility_start",
        "eligibility_end",
        "eligibility_estimated",
        "eligibility_reason",
        "eligibility_override_reason",
        "eligibility_override_by_id",
        "created_by_id",
        "service_id",
        "organisation_id",
    )
    return {
        "referral": {field: getattr(referral, field) for field in fields},
        "override_at_set": referral.eligibility_override_at is not None,
        "transitions": [
            (t.from_status, t.to_status, t.reason, t.by_id)
            for t in ReferralTransition.objects.filter(referral=referral)
        ],
        "audit": [
            (event.action, event.summary, event.actor_id, event.organisation_id)
            for event in AuditEvent.objects.filter(
                object_type="referrals.Referral", object_id=str(referral.pk)
            ).order_by("pk")
        ],
    }


@pytest.mark.parametrize(
    ("born_days_ago", "changes"),
    [
        (60, {"moves": WAITING}),
        (60, {"moves": ((Status.DECLINED, "Imported: moved away"),)}),
        (60, {"moves": ((Status.CONTACTED, ""), (Status.WITHDRAWN, "Imported"))}),
        (60, {"moves": ((Status.NOT_ELIGIBLE, "Imported: lives outside the area"),)}),
        (800, {"record_not_eligible": True}),
        (800, {"eligibility_override_reason": "Second baby due", "moves": WAITING[:2]}),
    ],
)
def test_it_writes_what_the_single_services_write(organisation, service, coordinator, born_days_ago, changes):
    referrer = ReferrerFactory(organisation=organisation)
    singles, bulk = [], []
    for _ in range(2):
        singles.append(
            services.NewReferral(
                family(organisation, born_days_ago=born_days_ago), service, details(referrer), **changes
            )
        )
        bulk.append(
            services.NewReferral(
                family(organisation, born_days_ago=born_days_ago), service, details(referrer), **changes
            )
        )
    expected = [written(one_by_one(coordinator, organisation, new)) for new in singles]

    made = services.referrals_create_many(actor=coordinator, organisation=organisation, referrals=bulk)

    assert [written(referral) for referral in made] == expected
    assert [referral.parent_id for referral in made] == [new.parent.pk for new in bulk]


def test_agreed_updates_are_recorded_with_the_referral(organisation, service, coordinator):
    referrer = ReferrerFactory(organisation=organisation)
    new = services.NewReferral(family(organisation), service, details(referrer, referrer_updates_consent=True), WAITING)

    (referral,) = services.referrals_create_many(actor=coordinator, organisation=organisation, referrals=[new])

    assert written(referral)["referral"]["referrer_updates_consent"] is True


def nothing_written() -> None:
    assert not Referral.objects.exists()
    assert not ReferralTransition.objects.exists()
    assert not AuditEvent.objects.filter(object_type="referrals.Referral").exists()


def refused(organisation, service, coordinator, bad: services.NewReferral, field: str) -> None:
    good = services.NewReferral(family(organisation), service, details(), WAITING)
    with pytest.raises(ValidationError) as refusal:
        services.referrals_create_many(actor=coordinator, organisation=organisation, referrals=[good, bad])
    assert f"referral 2: {field}" in refusal.value.message_dict, refusal.value.message_dict
    nothing_written()
    # The single services refuse it too, with the same field.
    with pytest.raises(ValidationError) as single, transaction.atomic():
        one_by_one(coordinator, organisation, bad)
    assert field in single.value.message_dict


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda o, s: services.NewReferral(family(o, safe=False), s, details(), WAITING), "to_status"),
        (lambda o, s: services.NewReferral(family(o), s, details(), ((Status.WAITING, ""),)), "to_status"),
        (lambda o, s: services.NewReferral(family(o), s, details(), ((Status.DECLINED, ""),)), "reason"),
        (lambda o, s: services.NewReferral(family(o), s, details(), ((Status.MATCHED, ""),)), "to_status"),
        (lambda o, s: services.NewReferral(family(o, born_days_ago=800), s, details()), "eligibility_override_reason"),
        (
            lambda o, s: services.NewReferral(
                family(o, born_days_ago=800), s, details(), eligibility_override_reason="x", record_not_eligible=True
            ),
            "eligibility_override_reason",
        ),
        (
            lambda o, s: services.NewReferral(family(o), s, details(received_on=timezone.localdate() + timedelta(1))),
            "received_on",
        ),
        (
            lambda o, s: services.NewReferral(family(o), s, details(referrer_updates_consent=True)),
            "referrer_updates_consent",
        ),
        (lambda o, s: services.NewReferral(family(o, processing_restricted=True), s, details()), "parent"),
        (
            lambda o, s: services.NewReferral(family(o), ServiceFactory(is_active=False, organisation=o), details()),
            "service",
        ),
        (lambda o, s: services.NewReferral(family(o), ServiceFactory(), details()), "service"),
        (lambda o, s: services.NewReferral(ParentFactory(), s, details()), "parent"),
    ],
)
def test_one_refusal_refuses_them_all_and_nothing_is_written(organisation, service, coordinator, make, field):
    refused(organisation, service, coordinator, make(organisation, service), field)


def test_a_parent_with_an_open_referral_for_the_service_is_refused(organisation, service, coordinator):
    parent = family(organisation)
    ReferralFactory(organisation=organisation, parent=parent, service=service)
    good = services.NewReferral(family(organisation), service, details(), WAITING)
    with pytest.raises(ValidationError) as refusal:
        services.referrals_create_many(
            actor=coordinator,
            organisation=organisation,
            referrals=[good, services.NewReferral(parent, service, details())],
        )
    assert "referral 2: service" in refusal.value.message_dict
    assert Referral.objects.count() == 1
    assert not ReferralTransition.objects.exists()


def test_two_open_referrals_of_the_list_for_one_parent_and_service_are_refused(organisation, service, coordinator):
    parent = family(organisation)
    declined = services.NewReferral(parent, service, details(), ((Status.DECLINED, "Imported"),))
    waiting = services.NewReferral(parent, service, details(), WAITING)
    with pytest.raises(ValidationError) as refusal:
        services.referrals_create_many(
            actor=coordinator, organisation=organisation, referrals=[declined, waiting, waiting]
        )
    assert list(refusal.value.message_dict) == ["referral 3: service"]
    nothing_written()
    # A referral that ended leaves the way open, as one by one.
    made = services.referrals_create_many(actor=coordinator, organisation=organisation, referrals=[declined, waiting])
    assert [referral.status for referral in made] == [Status.DECLINED, Status.WAITING]


def test_its_queries_do_not_grow_with_the_list(organisation, service, coordinator):
    referrer = ReferrerFactory(organisation=organisation)
    counts = {}
    for size in (3, 12):
        wanted = [services.NewReferral(family(organisation), service, details(referrer), WAITING) for _ in range(size)]
        with CaptureQueriesContext(connection) as queries:
            services.referrals_create_many(actor=coordinator, organisation=organisation, referrals=wanted)
        counts[size] = len(queries)
    assert counts[3] == counts[12], counts
