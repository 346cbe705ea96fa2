"""What is due, with frozen time: each rule, the keys that make a re-run
write nothing new, and recipients' email preferences."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from operations.notifications.due import (
    births_to_confirm,
    contact_logs_missing,
    eligibility_ending,
    match_reviews_due,
    pvg_renewals,
    referrals_not_contacted,
    supervision_due,
    training_expiring,
    visits_tomorrow,
)
from operations.notifications.models import Channel, Notification
from operations.notifications.scan import reminders_scan
from referrals.models import Referral
from tests.factories import (
    ChildFactory,
    NotificationPreferenceFactory,
    ReferralFactory,
    TrainingRecordFactory,
    VisitFactory,
)
from tests.volunteers.helpers import make_profile
from volunteers.models import Course, PvgRecord, Status

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def set_pvg_renewal(profile, days: int) -> PvgRecord:
    PvgRecord.objects.filter(profile=profile).update(renewal_due=TODAY + dt.timedelta(days=days))
    return PvgRecord.objects.get(profile=profile)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_left", "occasions"),
    [(120, []), (92, ["3m"]), (40, ["3m"]), (31, ["3m", "1m"]), (1, ["3m", "1m"]), (0, ["3m", "1m"]), (-1, [])],
)
def test_pvg_renewal_is_due_three_months_and_one_month_before(organisation, days_left, occasions):
    profile = make_profile(organisation=organisation, today=TODAY)
    set_pvg_renewal(profile, days_left)
    assert [due.kind.rsplit("_", 1)[1] for due in pvg_renewals(TODAY)] == occasions


@pytest.mark.django_db
def test_pvg_reminders_ignore_people_who_have_left(organisation):
    profile = make_profile(organisation=organisation, today=TODAY, status=Status.LEFT)
    set_pvg_renewal(profile, 20)
    assert list(pvg_renewals(TODAY)) == []


@pytest.mark.django_db
def test_required_training_expiring_within_30_days_unless_renewed(organisation):
    profile = make_profile(organisation=organisation, today=TODAY, trained=False)
    course = Course.objects.filter(organisation=organisation, is_required=True).first()
    record = TrainingRecordFactory(
        profile=profile,
        course=course,
        completed_on=TODAY - dt.timedelta(days=700),
        expires_on=TODAY + dt.timedelta(days=20),
    )
    assert [due.key for due in training_expiring(TODAY)] == [f"training-expiring:{record.pk}:{record.expires_on}"]
    TrainingRecordFactory(profile=profile, course=course, completed_on=TODAY - dt.timedelta(days=1))
    assert list(training_expiring(TODAY)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("supervised_days_ago", "kind"),
    [
        (30, None),
        (35, "supervision_due"),
        (42, "supervision_due"),
        (43, "supervision_overdue"),
        (90, "supervision_overdue"),
    ],
)
def test_supervision_due_within_7_days_then_overdue_to_volunteer_and_supervisor(
    organisation, pso, supervised_days_ago, kind
):
    profile = make_profile(
        organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=supervised_days_ago
    )
    dues = list(supervision_due(TODAY))
    assert [due.kind for due in dues] == ([kind] if kind else [])
    if kind:
        assert set(dues[0].user_ids) == {profile.user_id, pso.pk}


@pytest.mark.django_db
def test_scan_writes_each_reminder_once_per_recipient_and_channel_and_rerunning_writes_nothing(
    organisation, coordinator, manager
):
    profile = make_profile(organisation=organisation, today=TODAY)
    set_pvg_renewal(profile, 20)  # both the 3-month and the 1-month reminder
    NotificationPreferenceFactory(user=coordinator, email=False)
    first = reminders_scan(today=TODAY)
    rows = Notification.objects.filter(kind__startswith="pvg_renewal")
    # Coordinators only (not the manager), in-app always, email turned off by this coordinator.
    assert set(rows.values_list("recipient_user_id", "channel")) == {(coordinator.pk, Channel.IN_APP)}
    assert rows.count() == 2
    assert first == Notification.objects.count()
    assert reminders_scan(today=TODAY) == 0
    assert reminders_scan(today=TODAY + dt.timedelta(days=1)) == 0  # same occasion on another day


@pytest.mark.django_db
def test_a_new_renewal_date_is_a_new_reminder(organisation, coordinator):
    profile = make_profile(organisation=organisation, today=TODAY)
    set_pvg_renewal(profile, 60)
    reminders_scan(today=TODAY)
    set_pvg_renewal(profile, 80)
    assert reminders_scan(today=TODAY) > 0


@pytest.mark.django_db
def test_reminder_text_names_no_one(organisation, coordinator):
    profile = make_profile(organisation=organisation, today=TODAY)
    set_pvg_renewal(profile, 20)
    reminders_scan(today=TODAY)
    for notification in Notification.objects.all():
        assert profile.user.first_name not in notification.body
        assert profile.user.last_name not in notification.body


# --- Referrals -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_left", "occasions"),
    [(70, []), (56, ["8w"]), (29, ["8w"]), (28, ["8w", "4w"]), (0, ["8w", "4w"]), (-3, [])],
)
def test_eligibility_ending_reminds_8_and_4_weeks_before(organisation, service, days_left, occasions):
    referral = ReferralFactory(organisation=organisation, service=service, status="active")
    Referral.objects.filter(pk=referral.pk).update(eligibility_end=TODAY + dt.timedelta(days=days_left))
    assert [due.kind.rsplit("_", 1)[1] for due in eligibility_ending(TODAY)] == occasions


@pytest.mark.django_db
def test_closed_referrals_get_no_ending_reminder(organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service, status="closed")
    Referral.objects.filter(pk=referral.pk).update(eligibility_end=TODAY + dt.timedelta(days=10))
    assert list(eligibility_ending(TODAY)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("days_past_due", "due"), [(14, False), (15, True)])
def test_birth_to_confirm_two_weeks_after_the_due_date(organisation, days_past_due, due):
    ChildFactory(parent__organisation=organisation, due_date=TODAY - dt.timedelta(days=days_past_due))
    assert len(list(births_to_confirm(TODAY))) == (1 if due else 0)


@pytest.mark.django_db
def test_referral_not_contacted_within_the_working_day_target(organisation, service):
    # 26 Nov 2026 is a Thursday; 10 working days back is Thursday 12 Nov.
    on_time = ReferralFactory(organisation=organisation, service=service, received_on=dt.date(2026, 11, 12))
    late = ReferralFactory(organisation=organisation, service=service, received_on=dt.date(2026, 11, 11))
    contacted = ReferralFactory(
        organisation=organisation, service=service, received_on=dt.date(2026, 11, 1), status="contacted"
    )
    keys = [due.key for due in referrals_not_contacted(TODAY)]
    assert keys == [f"not-contacted:{late.pk}"]
    assert on_time.pk != contacted.pk


# --- Matches, visits, contact logs ----------------------------------------------


def plan_visit(match, day):

    return VisitFactory(organisation=match.organisation, match=match, planned_for=day)


@pytest.mark.django_db
def test_a_visit_tomorrow_reminds_the_volunteer(match, volunteer):
    plan_visit(match, TODAY + dt.timedelta(days=1))
    plan_visit(match, TODAY + dt.timedelta(days=2))
    dues = list(visits_tomorrow(TODAY))
    assert len(dues) == 1
    assert dues[0].user_ids == (volunteer.pk,)


@pytest.mark.django_db
def test_a_missing_contact_log_is_asked_for_48_hours_after_the_visit(match, volunteer):
    plan_visit(match, TODAY - dt.timedelta(days=1))
    visit = plan_visit(match, TODAY - dt.timedelta(days=2))
    assert [due.key for due in contact_logs_missing(TODAY)] == [f"log-missing:{visit.pk}"]
    from volunteers.matching import services as matching_services

    type(match).objects.filter(pk=match.pk).update(confirmed_at=timezone.now() - dt.timedelta(days=10))
    match.refresh_from_db()

    matching_services.contact_log_create(
        actor=volunteer,
        match=match,
        data={"contact_date": TODAY - dt.timedelta(days=2), "duration_minutes": 30, "mode": "phone"},
    )
    assert list(contact_logs_missing(TODAY)) == []


@pytest.mark.django_db
def test_an_overdue_match_review_reminds_coordinators(match):
    type(match).objects.filter(pk=match.pk).update(next_review_on=TODAY - dt.timedelta(days=1))
    dues = list(match_reviews_due(TODAY))
    assert [due.kind for due in dues] == ["match_review_due"]


@pytest.mark.django_db
def test_eligibility_ending_also_reminds_the_matched_volunteer(match, volunteer):
    Referral.objects.filter(pk=match.referral_id).update(eligibility_end=TODAY + dt.timedelta(days=20))
    dues = list(eligibility_ending(TODAY))
    assert {due.user_ids for due in dues} == {(volunteer.pk,)}
