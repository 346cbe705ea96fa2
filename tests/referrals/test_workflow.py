"""The referral workflow: allowed and refused transitions (table) and the service."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from operations.core.audit import AuditEvent
from referrals import services
from referrals.models import ReferralTransition
from referrals.workflow import Status, transition_error
from tests.factories import ReferralFactory

ALLOWED = [
    ("received", "contacted", ""),
    ("contacted", "assessed", ""),
    ("assessed", "waiting", ""),
    ("waiting", "matched", ""),
    ("matched", "active", ""),
    ("matched", "waiting", "Volunteer moved away"),
    ("active", "ending", "Baby turns one soon"),
    ("ending", "closed", ""),
    ("received", "not_eligible", "Lives outside our area"),
    ("waiting", "declined", "Found other support"),
    ("active", "withdrawn", "Moved away"),
]
REFUSED = [
    ("received", "active", "", "to_status"),
    ("received", "matched", "", "to_status"),
    ("waiting", "contacted", "", "to_status"),
    ("closed", "received", "", "to_status"),
    ("declined", "waiting", "", "to_status"),
    ("withdrawn", "withdrawn", "x", "to_status"),
    ("received", "declined", "", "reason"),
    ("matched", "waiting", "  ", "reason"),
    ("received", "nonsense", "", "to_status"),
]


@pytest.mark.parametrize(("source", "target", "reason"), ALLOWED)
def test_allowed_transitions(source, target, reason):
    assert transition_error(source, target, reason) == {}


@pytest.mark.parametrize(("source", "target", "reason", "field"), REFUSED)
def test_refused_transitions_say_why(source, target, reason, field):
    errors = transition_error(source, target, reason)
    assert list(errors) == [field]


def test_refusal_names_the_allowed_moves():
    message = transition_error("received", "active", "")["to_status"]
    assert "cannot move to active" in message
    assert "contacted" in message


@pytest.mark.django_db
def test_the_whole_path_records_who_and_when(coordinator, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service)
    services.parent_record_contact_safety(actor=coordinator, parent=referral.parent, data={"safe_phone": True})
    for target in ["contacted", "assessed", "waiting", "matched", "active"]:
        referral = services.referral_transition(actor=coordinator, referral=referral, to_status=target)
    referral = services.referral_transition(
        actor=coordinator, referral=referral, to_status="ending", reason="Planned ending"
    )
    referral = services.referral_transition(actor=coordinator, referral=referral, to_status="closed")
    assert referral.status == Status.CLOSED
    assert referral.support_started_on is not None
    moves = list(ReferralTransition.objects.filter(referral=referral).values_list("to_status", "by__username"))
    assert moves[-1] == ("closed", "coordinator")
    assert len(moves) == 7
    assert AuditEvent.objects.filter(action="transition", object_id=str(referral.pk)).count() == 7


@pytest.mark.django_db
def test_a_refused_transition_writes_nothing(coordinator, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service)
    with pytest.raises(ValidationError) as excinfo:
        services.referral_transition(actor=coordinator, referral=referral, to_status="active")
    assert "to_status" in excinfo.value.message_dict
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    assert not ReferralTransition.objects.filter(referral=referral).exists()
    assert not AuditEvent.objects.filter(action="transition").exists()
