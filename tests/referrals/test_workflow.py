"""The referral workflow: allowed and refused transitions (table) and the service."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from operations.core.audit import AuditEvent
from referrals import services
from referrals.models import ReferralTransition
from referrals.workflow import Status, allowed_targets, transition_error
from tests.factories import ReferralFactory

ALLOWED = [
    ("received", "contacted", ""),
    ("contacted", "assessed", ""),
    ("assessed", "waiting", ""),
    ("matched", "waiting", "Volunteer moved away"),
    ("active", "ending", "Baby turns one soon"),
    ("ending", "closed", ""),
    ("received", "not_eligible", "Lives outside our area"),
    ("waiting", "declined", "Found other support"),
    ("active", "withdrawn", "Moved away"),
]
REFUSED = [
    ("received", "ending", "", "to_status"),
    # Entered only through matching (a confirmed match, the first contact).
    ("waiting", "matched", "", "to_status"),
    ("matched", "active", "", "to_status"),
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
    message = transition_error("received", "ending", "")["to_status"]
    assert "cannot move to ending" in message
    assert "contacted" in message


def test_only_matching_enters_matched_and_active():
    assert "candidates page" in transition_error("waiting", "matched", "")["to_status"]
    assert "first contact" in transition_error("matched", "active", "")["to_status"]
    assert transition_error("waiting", "matched", "", by_match=True) == {}
    assert transition_error("matched", "active", "", by_match=True) == {}
    # Matching still follows the table: a received referral is not matched.
    assert "cannot move to matched" in transition_error("received", "matched", "", by_match=True)["to_status"]
    assert "matched" not in allowed_targets("waiting")
    assert "active" not in allowed_targets("matched")
    assert allowed_targets("waiting", by_match=True)[0] == "matched"


@pytest.mark.django_db
def test_the_whole_path_records_who_and_when(coordinator, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service)
    services.parent_record_contact_safety(actor=coordinator, parent=referral.parent, data={"safe_phone": True})
    for target in ["contacted", "assessed", "waiting"]:
        referral = services.referral_transition(actor=coordinator, referral=referral, to_status=target)
    for target in ["matched", "active"]:  # what confirming a match and its first contact log do
        referral = services.referral_follow_match(actor=coordinator, referral=referral, to_status=target, reason="")
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
