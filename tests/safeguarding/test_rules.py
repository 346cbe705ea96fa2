"""The rules of the safeguarding loop, in its services: who sees a concern,
who may work it, what each step refuses (and that a refusal writes
nothing), a concern kept once however often it is sent, and escalation
exactly once."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.core.models import Role
from tests.factories import (
    ConcernFactory,
    MatchFactory,
    SupervisorPairingFactory,
    VolunteerProfileFactory,
    member,
)
from volunteers.matching.services import contact_log_create
from volunteers.safeguarding import services
from volunteers.safeguarding.models import Concern, ConcernEvent, ConcernStatus, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(organisation, volunteer):
    profile = VolunteerProfileFactory(organisation=organisation, user=volunteer)
    return MatchFactory(referral__organisation=organisation, volunteer=profile)


def answers(match, **extra) -> dict:
    return {
        "match": match,
        "about": "parent",
        "kind": "mental_health",
        "urgency": "today",
        "details": "She said she could not see the point of going on.",
    } | extra


def test_who_sees_a_concern(organisation, other_organisation, match, volunteer, coordinator, pso) -> None:
    mine = services.concern_raise(actor=volunteer, data=answers(match))
    other_family = ConcernFactory(match=MatchFactory(referral__organisation=organisation))
    elsewhere = ConcernFactory(match=MatchFactory(referral__organisation=other_organisation))

    def seen(user) -> set[int]:
        return set(Concern.objects.visible_to(user).values_list("pk", flat=True))

    assert seen(coordinator) == {mine.pk, other_family.pk}
    assert seen(volunteer) == {mine.pk}
    assert seen(pso) == set()  # not their supervisee (yet)
    SupervisorPairingFactory(volunteer=match.volunteer, supervisor=pso)
    assert seen(pso) == {mine.pk}
    lead = member(username="lead-pso", organisation=organisation, role=Role.PSO)
    services.settings_for(organisation.pk).leads.add(lead)
    assert seen(lead) == {mine.pk, other_family.pk}
    assert elsewhere.pk not in seen(lead) | seen(coordinator)


def test_raising_refuses_what_it_must_and_writes_nothing(organisation, match, volunteer) -> None:
    stranger = member(username="another-volunteer", organisation=organisation, role=Role.VOLUNTEER)
    with pytest.raises(ValidationError) as refused:
        services.concern_raise(actor=stranger, data=answers(match))
    assert "own families" in str(refused.value.message_dict["match"])
    with pytest.raises(ValidationError) as refused:
        services.concern_raise(actor=volunteer, data=answers(match, about="", kind="x", urgency=None, details=" "))
    assert set(refused.value.message_dict) == {"about", "kind", "urgency", "details"}
    with pytest.raises(ValidationError) as refused:
        services.concern_raise(actor=volunteer, data=answers(None))
    assert "family" in str(refused.value.message_dict["match"])
    assert not Concern.objects.exists()
    assert not ConcernEvent.objects.exists()


def test_the_same_concern_sent_twice_is_kept_once(match, volunteer) -> None:
    key = uuid.uuid4()
    first = services.concern_raise(actor=volunteer, data=answers(match, client_key=key))
    again = services.concern_raise(actor=volunteer, data=answers(match, client_key=key))
    assert first.pk == again.pk
    assert Concern.objects.count() == 1
    assert ConcernEvent.objects.count() == 1


def test_a_concern_about_the_volunteer_needs_no_family(volunteer, match) -> None:
    concern = services.concern_raise(actor=volunteer, data=answers(None, about="volunteer"))
    assert (concern.parent, concern.volunteer) == (None, match.volunteer)


def test_a_ticked_contact_log_raises_a_concern_in_its_transaction(match, volunteer) -> None:
    log = contact_log_create(
        actor=volunteer,
        match=match,
        data={
            "contact_date": timezone.localdate(),
            "duration_minutes": 30,
            "mode": "phone",
            "has_concern": True,
            "note": "Worried",
        },
    )
    concern = Concern.objects.get()
    assert (concern.contact_log, concern.source, concern.urgency, concern.details) == (
        log,
        Source.CONTACT_LOG,
        "this_week",
        "Worried",
    )


def test_a_volunteer_cannot_work_a_concern(match, volunteer) -> None:
    concern = services.concern_raise(actor=volunteer, data=answers(match))
    for step in (
        lambda: services.concern_acknowledge(actor=volunteer, concern=concern),
        lambda: services.concern_close(actor=volunteer, concern=concern, outcome="advice", note="Done"),
    ):
        with pytest.raises(ValidationError):
            step()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert list(concern.events.values_list("kind", flat=True)) == ["raised"]


def test_each_step_refuses_bad_input_and_writes_nothing(match, volunteer, coordinator) -> None:
    concern = services.concern_raise(actor=volunteer, data=answers(match))
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.concern_plan(
            actor=coordinator,
            concern=concern,
            owner=volunteer,
            follow_up_on=timezone.localdate() - dt.timedelta(days=1),
            note="",
        )
    assert set(refused.value.message_dict) == {"owner", "follow_up_on", "note"}
    with pytest.raises(ValidationError) as refused:
        services.concern_close(actor=coordinator, concern=concern, outcome="", note=" ")
    assert set(refused.value.message_dict) == {"outcome", "note"}
    concern.refresh_from_db()
    assert (concern.status, concern.events.count(), AuditEvent.objects.count()) == ("new", 1, audits)


def test_the_loop_from_new_to_closed(match, volunteer, coordinator) -> None:
    concern = services.concern_raise(actor=volunteer, data=answers(match))
    services.concern_acknowledge(actor=coordinator, concern=concern)
    services.concern_acknowledge(actor=coordinator, concern=concern)  # twice: nothing more
    services.concern_plan(
        actor=coordinator,
        concern=concern,
        owner=coordinator,
        follow_up_on=timezone.localdate() + dt.timedelta(days=3),
        note="Calling her GP",
    )
    services.concern_close(actor=coordinator, concern=concern, outcome="health", note="GP seeing her today")
    with pytest.raises(ValidationError):
        services.concern_close(actor=coordinator, concern=concern, outcome="advice", note="again")
    concern.refresh_from_db()
    assert (concern.status, concern.acknowledged_by, concern.outcome) == ("closed", coordinator, "health")
    assert list(concern.events.values_list("kind", flat=True)) == ["raised", "acknowledged", "planned", "closed"]


def test_escalation_happens_once_and_not_after_acknowledging(match, volunteer, coordinator) -> None:
    late = services.concern_raise(actor=volunteer, data=answers(match, urgency="danger_now"))
    heard = services.concern_raise(actor=volunteer, data=answers(match, urgency="danger_now"))
    services.concern_acknowledge(actor=coordinator, concern=heard)
    assert late.escalate_at == late.raised_at + dt.timedelta(minutes=30)
    after = late.escalate_at + dt.timedelta(seconds=1)
    assert services.concerns_escalate(now=late.escalate_at - dt.timedelta(seconds=1)) == 0
    assert services.concerns_escalate(now=after) == 1
    assert services.concerns_escalate(now=after + dt.timedelta(minutes=5)) == 0
    assert ConcernEvent.objects.filter(kind="escalated").count() == 1
    assert not heard.events.filter(kind="escalated").exists()


def test_only_a_manager_names_the_leads_and_a_volunteer_cannot_be_one(organisation, coordinator, manager, volunteer):
    config = services.settings_for(organisation.pk)
    with pytest.raises(ValidationError):
        services.safeguarding_settings_save(actor=coordinator, config=config, data={}, leads=[coordinator], deputy=None)
    with pytest.raises(ValidationError) as refused:
        services.safeguarding_settings_save(actor=manager, config=config, data={}, leads=[volunteer], deputy=None)
    assert "leads" in refused.value.message_dict
    assert not config.leads.exists()
    services.safeguarding_settings_save(
        actor=manager, config=config, data={"danger_now_minutes": 15}, leads=[coordinator], deputy=manager
    )
    config.refresh_from_db()
    assert (list(config.leads.all()), config.deputy, config.danger_now_minutes) == ([coordinator], manager, 15)
