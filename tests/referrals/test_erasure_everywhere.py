"""Erasure reaches everything that refers to the parent: after it, no text
column of any table holds her names, phone, email, postcode or the words
written about her (the audit event of the erasure itself stays)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.notifications.models import Channel
from operations.notifications.services import notification_write
from referrals import services as referral_services
from tests.factories import (
    AssessmentFactory,
    BookingChildFactory,
    BookingFactory,
    ConcernEventFactory,
    ConcernFactory,
    ConflictOfInterestFactory,
    ContactLogFactory,
    MatchReviewFactory,
    SafetyAlertFactory,
    VisitFactory,
    council_area,
)
from tests.groups.helpers import first_session, make_group
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services as matching_services

NEEDLES = {
    "first name": "Morag",
    "last name": "Quigleyson",
    "phone": "07700900461",
    "email": "morag.q@example.org",
    "postcode": "TD9 7ZZ",
    "contact-log note": "partner shouted at the health visitor",
    "visit place": "Wilton Lodge Park café",
    "concern": "bruise on her arm",
    "concern note": "phoned the health visitor about Morag",
    "review": "slept better since the visits",
    "conflict": "lives next door to the volunteer",
    "child": "Wee Callum",
    "booking name": "Morag Q",
    "closing note": "moved to Hawick",
    "referrer": "Dr Fettes",
}


def text_hits(needle: str) -> list[str]:
    """Every table and column whose stored text holds ``needle``."""
    hits = []
    for model in apps.get_models():
        text_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if not text_fields:
            continue
        for row in model._default_manager.values_list(*text_fields):
            for name, value in zip(text_fields, row, strict=True):
                text = value if isinstance(value, str) else json.dumps(value)
                if needle.lower() in (text or "").lower():
                    hits.append(f"{model._meta.label}.{name}")
    return hits


@pytest.fixture
def parent_everywhere(organisation, service, coordinator, volunteer):
    area = council_area("S12000026")
    referral = waiting_referral(
        organisation=organisation,
        service=service,
        area=area,
        first_name=NEEDLES["first name"],
        phone=NEEDLES["phone"],
        email=NEEDLES["email"],
        postcode=NEEDLES["postcode"],
        safe_sms=True,
        may_name_service=True,
        contact_safety_recorded_at=timezone.now(),
        lawful_basis_article9="not_for_profit",
    )
    parent = referral.parent
    type(parent).objects.filter(pk=parent.pk).update(last_name=NEEDLES["last name"])
    referral.referrer_name = NEEDLES["referrer"]
    referral.save(update_fields=["referrer_name"])
    parent.children.update(name=NEEDLES["child"])
    profile = fit_volunteer(organisation=organisation, areas=[area], user=volunteer)
    match = matching_services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )
    match.closing_note = NEEDLES["closing note"]
    match.save(update_fields=["closing_note"])
    today = timezone.localdate()
    log = ContactLogFactory(
        organisation=organisation,
        match=match,
        logged_by=volunteer,
        contact_date=today,
        duration_minutes=60,
        mode="home_visit",
        note=NEEDLES["contact-log note"],
    )
    concern = ConcernFactory(organisation=organisation, match=match, contact_log=log, details=NEEDLES["concern"])
    ConcernEventFactory(concern=concern, kind="raised")
    ConcernEventFactory(concern=concern, kind="planned", note=NEEDLES["concern note"])
    VisitFactory(organisation=organisation, match=match, planned_for=today, place=NEEDLES["visit place"])
    MatchReviewFactory(match=match, held_on=today, notes=NEEDLES["review"], next_review_on=today)
    ConflictOfInterestFactory(organisation=organisation, parent=parent, volunteer=profile, note=NEEDLES["conflict"])
    session = first_session(make_group(organisation))
    booking = BookingFactory(
        organisation=organisation,
        session=session,
        parent=parent,
        attendee_name=NEEDLES["booking name"],
        attendee_phone=NEEDLES["phone"],
        status="booked",
    )
    BookingChildFactory(booking=booking, first_name=NEEDLES["child"], date_of_birth=dt.date(2026, 3, 1))
    assessment = AssessmentFactory(
        organisation=organisation,
        parent=parent,
        referral=referral,
        measure="epds",
        timepoint="baseline",
        taken_on=today,
        responses=[0] * 10,
        item_scores=[0] * 10,
        total=0,
    )
    SafetyAlertFactory(
        organisation=organisation,
        parent=parent,
        assessment=assessment,
        item_number=10,
        item_score=3,
        action_taken=f"Rang {NEEDLES['first name']} back",
    )
    notification_write(
        key="session-reminder-booking-1",
        kind="session_reminder",
        channel=Channel.SMS,
        organisation=organisation,
        subject=f"{NEEDLES['first name']}, your group is tomorrow",
        body="See you at 10:00.",
        recipient_address=NEEDLES["phone"],
        recipient_parent=parent,
        names_service=True,
    )
    return parent


@pytest.mark.django_db
def test_erasure_leaves_no_trace_of_the_parent_in_any_table(parent_everywhere, manager):
    before = {label: text_hits(needle) for label, needle in NEEDLES.items()}
    assert all(before.values()), {label: hits for label, hits in before.items() if not hits}  # all planted

    referral_services.parent_erase(actor=manager, parent=parent_everywhere)

    after = {label: text_hits(needle) for label, needle in NEEDLES.items()}
    assert after == {label: [] for label in NEEDLES}
    assert AuditEvent.objects.filter(summary="Parent record erased").count() == 1
