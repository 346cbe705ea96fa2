"""Outcome measures due, to coordinators, with frozen time: a baseline once
support has started, a review every 3 months while it lasts, an ending
measure when it ends — each once per period."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from operations.notifications.due_outcomes import outcome_baseline_due, outcome_ending_due, outcome_review_due
from operations.notifications.models import Channel, Notification
from operations.notifications.reminder_settings import reminder_settings_for
from operations.notifications.scan import reminders_scan
from operations.outcomes.models import Assessment, Timepoint
from referrals.models import Referral
from tests.factories import ReferralFactory

TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def supported(organisation, service, *, started_days_ago: int, status: str = "active") -> Referral:
    referral = ReferralFactory(organisation=organisation, service=service)
    Referral.objects.filter(pk=referral.pk).update(
        status=status, support_started_on=TODAY - dt.timedelta(days=started_days_ago)
    )
    referral.refresh_from_db()
    return referral


def measure(referral: Referral, timepoint: str, *, days_ago: int) -> Assessment:
    return Assessment.objects.create(
        organisation_id=referral.organisation_id,
        parent_id=referral.parent_id,
        referral=referral,
        measure="swemwbs",
        timepoint=timepoint,
        taken_on=TODAY - dt.timedelta(days=days_ago),
        responses=[2] * 7,
        item_scores=[3] * 7,
        total=21,
        scoring_version="test",
    )


@pytest.mark.parametrize(("started_days_ago", "due"), [(13, False), (14, True), (42, True), (43, False)])
def test_baseline_due_14_days_after_support_starts_and_not_chased_for_ever(
    organisation, service, started_days_ago, due
):
    referral = supported(organisation, service, started_days_ago=started_days_ago)
    keys = [d.key for d in outcome_baseline_due(TODAY)]
    assert keys == ([f"outcome-baseline:{referral.pk}:{referral.support_started_on}"] if due else [])


def test_no_baseline_reminder_once_a_baseline_is_recorded_or_before_support_starts(organisation, service):
    referral = supported(organisation, service, started_days_ago=20)
    ReferralFactory(organisation=organisation, service=service)  # waiting: support has not started
    measure(referral, Timepoint.BASELINE, days_ago=19)
    assert list(outcome_baseline_due(TODAY)) == []


def test_baseline_days_are_the_organisations_setting(organisation, service):
    supported(organisation, service, started_days_ago=10)
    settings = reminder_settings_for(organisation.pk)
    settings.outcome_baseline_days = 7
    settings.save()
    assert [d.kind for d in outcome_baseline_due(TODAY)] == ["outcome_baseline_due"]


def test_review_due_when_the_last_measure_is_three_months_old_once_per_period(organisation, service):
    referral = supported(organisation, service, started_days_ago=200)
    last = measure(referral, Timepoint.BASELINE, days_ago=80)
    assert list(outcome_review_due(TODAY)) == []
    Assessment.objects.filter(pk=last.pk).update(taken_on=dt.date(2026, 8, 26))  # three months ago today
    assert [d.key for d in outcome_review_due(TODAY)] == [f"outcome-review:{referral.pk}:2026-08-26"]
    # A review taken: the next period starts from it, with its own key.
    measure(referral, Timepoint.REVIEW, days_ago=0)
    assert list(outcome_review_due(TODAY)) == []
    assert [d.key for d in outcome_review_due(dt.date(2027, 2, 26))] == [f"outcome-review:{referral.pk}:{TODAY}"]


def test_review_counts_from_the_start_when_nothing_was_measured_and_not_after_support_ends(organisation, service):
    open_case = supported(organisation, service, started_days_ago=100)
    supported(organisation, service, started_days_ago=100, status="closed")
    assert [d.about for d in outcome_review_due(TODAY)] == [open_case]


def test_ending_measure_due_when_support_ends_until_one_is_recorded(organisation, service):
    referral = supported(organisation, service, started_days_ago=300, status="ending")
    long_closed = supported(organisation, service, started_days_ago=300, status="closed")
    Referral.objects.filter(pk=long_closed.pk).update(status_changed_at=NOW - dt.timedelta(days=40))
    never_supported = ReferralFactory(organisation=organisation, service=service)
    Referral.objects.filter(pk=never_supported.pk).update(status="closed")
    assert [d.key for d in outcome_ending_due(TODAY)] == [f"outcome-ending:{referral.pk}"]
    measure(referral, Timepoint.ENDING, days_ago=0)
    assert list(outcome_ending_due(TODAY)) == []


def test_outcome_reminders_reach_coordinators_once_and_closing_after_ending_does_not_repeat_it(
    organisation, service, coordinator, manager
):
    referral = supported(organisation, service, started_days_ago=300, status="ending")
    assert reminders_scan(today=TODAY) == 2  # in the app and by email
    rows = Notification.objects.filter(kind="outcome_ending_due")
    assert set(rows.values_list("recipient_user_id", "channel")) == {
        (coordinator.pk, Channel.IN_APP),
        (coordinator.pk, Channel.EMAIL),
    }
    Referral.objects.filter(pk=referral.pk).update(status="closed", status_changed_at=NOW)
    assert reminders_scan(today=TODAY + dt.timedelta(days=1)) == 0
