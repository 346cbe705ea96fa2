"""A concern in a contact log reaches the coordinators at once: the outbox
rows are written in the same transaction as the concern and handed to a
worker when it commits — and vanish with it if it rolls back."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from operations.notifications.models import Channel, Notification
from tests.factories import council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services
from volunteers.matching.models import Concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(coordinator, organisation, service, volunteer):
    area = council_area("S12000026")
    referral = waiting_referral(organisation=organisation, service=service, area=area, first_name="Rhona")
    profile = fit_volunteer(organisation=organisation, areas=[area], user=volunteer)
    return services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )


def log_concern(volunteer, match):
    return services.contact_log_create(
        actor=volunteer,
        match=match,
        data={
            "contact_date": timezone.localdate(),
            "duration_minutes": 30,
            "mode": "phone",
            "has_concern": True,
            "note": "She said she feels unsafe at home.",
        },
    )


def test_a_concern_notifies_every_coordinator_at_once_without_its_words(
    coordinator, manager, volunteer, match, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        log_concern(volunteer, match)
    rows = Notification.objects.filter(kind="concern_raised")
    assert set(rows.values_list("recipient_user_id", "channel")) == {
        (coordinator.pk, Channel.IN_APP),
        (coordinator.pk, Channel.EMAIL),
    }
    assert callbacks, "the rows are handed to a worker on commit, not left to the beat"
    for row in rows:
        assert "unsafe" not in row.body  # the concern's words stay in the record, not in messages


def test_no_notification_survives_a_rolled_back_concern(coordinator, volunteer, match):
    def failing_request():
        with transaction.atomic():
            log_concern(volunteer, match)
            raise RuntimeError("the request failed after the concern was written")

    with pytest.raises(RuntimeError):
        failing_request()
    assert not Concern.objects.exists()
    assert not Notification.objects.filter(kind="concern_raised").exists()
