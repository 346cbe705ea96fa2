"""Next-supervision dates (one-to-one and group, with the grace period),
supervisor pairings with history, and leaving: the Disclosure Scotland task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from operations.core.audit import AuditEvent
from tests.volunteers.conftest import TODAY
from tests.volunteers.helpers import make_profile
from volunteers import selectors, services
from volunteers.fitness import Reason
from volunteers.models import DisclosureTask, Status, StatusChange, SupervisionSession, SupervisorPairing

pytestmark = pytest.mark.django_db


def rows(user, organisation) -> dict[int, object]:
    return {p.pk: p for p in selectors.volunteers_for(user, organisation_id=organisation.pk)}


def test_a_group_session_counts_for_every_volunteer_in_it(organisation, coordinator, pso):
    first = make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=60)
    second = make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=70)
    services.supervision_session_create(
        organisation=organisation,
        actor=pso,
        supervisor=pso,
        volunteers=[first, second],
        held_on=TODAY - dt.timedelta(days=3),
        mode="in_person",
        duration_minutes=90,
        wellbeing="good",
    )
    found = rows(coordinator, organisation)
    for profile in (first, second):
        assert found[profile.pk].next_supervision_on == TODAY - dt.timedelta(days=3) + dt.timedelta(weeks=6)
        assert found[profile.pk].is_fit


def test_overdue_only_after_the_grace_period_which_the_organisation_can_change(organisation, coordinator, pso):
    in_grace = make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=7 * 8)
    past_grace = make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=7 * 8 + 1)
    found = rows(coordinator, organisation)
    assert found[in_grace.pk].is_fit
    assert [r.code for r in found[past_grace.pk].fitness_reasons] == [Reason.SUPERVISION_OVERDUE]

    settings = selectors.settings_for(organisation.pk)
    settings.supervision_grace_weeks = 0
    settings.save()
    assert not rows(coordinator, organisation)[in_grace.pk].is_fit


def test_changing_supervisor_keeps_the_history_and_shows_the_load(organisation, coordinator, pso):
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    services.supervisor_pair(profile=profile, supervisor=coordinator, actor=coordinator)
    pairings = SupervisorPairing.objects.filter(volunteer=profile).order_by("pk")
    assert [(p.supervisor_id, p.ended_on) for p in pairings] == [(pso.pk, TODAY), (coordinator.pk, None)]
    assert selectors.supervisor_loads(organisation.pk) == {coordinator.pk: 1}


def test_leaving_opens_one_disclosure_scotland_task_and_ends_the_pairing(organisation, coordinator, pso):
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    services.volunteer_change_status(profile=profile, actor=coordinator, status=Status.LEFT, reason="Moved away")

    task = DisclosureTask.objects.get(profile=profile)
    assert task.completed_on is None
    assert task.created_on == TODAY
    assert not SupervisorPairing.objects.filter(volunteer=profile, ended_on__isnull=True).exists()
    change = StatusChange.objects.filter(profile=profile).latest("pk")
    assert (change.from_status, change.to_status, change.reason) == (Status.ACTIVE, Status.LEFT, "Moved away")
    event = AuditEvent.objects.get(object_type="volunteers.VolunteerProfile", action="transition")
    assert profile.user.last_name not in event.summary
    assert profile.user.first_name not in event.summary

    report = selectors.compliance_for(coordinator, organisation_id=organisation.pk)
    assert [t.pk for t in report.disclosure_tasks] == [task.pk]
    services.disclosure_task_complete(task=task, actor=coordinator)
    assert selectors.compliance_for(coordinator, organisation_id=organisation.pk).disclosure_tasks == []


def test_the_disclosure_task_page_flow(organisation, coordinator, coordinator_client, pso):
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    response = coordinator_client.post(
        f"/volunteers/{profile.pk}/status/", {"status": "left", "on": TODAY.isoformat(), "reason": "New job"}
    )
    assert response.status_code == 302
    task = DisclosureTask.objects.get(profile=profile)
    page = coordinator_client.get("/volunteers/compliance/")
    assert f"/volunteers/disclosure-tasks/{task.pk}/done/" in page.content.decode()
    disclosure = page.content.decode().split('id="disclosure-heading"')[1]
    assert f'<a href="{profile.detail_url}">{profile.user}</a>' in disclosure
    coordinator_client.post(f"/volunteers/disclosure-tasks/{task.pk}/done/")
    task.refresh_from_db()
    assert task.completed_on == TODAY


def test_leaving_needs_a_reason_and_writes_nothing_without_one(organisation, coordinator_client, pso):
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    response = coordinator_client.post(f"/volunteers/{profile.pk}/status/", {"status": "left", "on": TODAY})
    assert response.status_code == 200
    assert "Give a reason for leaving." in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == Status.ACTIVE
    assert not DisclosureTask.objects.exists()


def test_becoming_active_starts_the_supervision_clock(organisation, coordinator):
    profile = make_profile(organisation=organisation, today=TODAY, status=Status.IN_TRAINING, supervised_days_ago=None)
    services.volunteer_change_status(profile=profile, actor=coordinator, status=Status.ACTIVE)
    row = rows(coordinator, organisation)[profile.pk]
    assert row.next_supervision_on == TODAY + dt.timedelta(weeks=6)
    assert row.is_fit


def test_pvg_changes_are_audited_without_personal_data(organisation, coordinator):
    profile = make_profile(organisation=organisation, today=TODAY, pvg=False)
    record = services.pvg_record_save(
        profile=profile, actor=coordinator, membership_number="1111222233334444", scheme="both", issued_on=TODAY
    )
    assert record.renewal_due == dt.date(2031, 11, 26)
    services.pvg_record_save(
        profile=profile,
        actor=coordinator,
        membership_number="1111222233334444",
        scheme="children",
        issued_on=TODAY,
    )
    events = AuditEvent.objects.filter(object_type="volunteers.PvgRecord").order_by("pk")
    assert [e.action for e in events] == ["create", "change"]
    assert all("1111" not in e.summary for e in events)


def test_timezone_today_is_frozen():
    assert timezone.localdate() == TODAY
    assert SupervisionSession.objects.count() == 0


def test_matching_guard_refuses_anyone_not_fit_with_every_reason(organisation, pso):
    from django.core.exceptions import ValidationError

    fit = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    services.volunteer_require_fit(profile=fit)
    unfit = make_profile(organisation=organisation, today=TODAY, supervisor=pso, pvg=False, status=Status.PAUSED)
    with pytest.raises(ValidationError) as refused:
        services.volunteer_require_fit(profile=unfit)
    assert refused.value.message_dict["volunteer"] == [
        "Not fit to match: Status is not active.",
        "Not fit to match: PVG record missing.",
    ]


def test_managers_edit_settings_and_courses_of_their_organisation_only_in_admin(
    organisation, other_organisation, manager, manager_client, coordinator_client
):
    mine = selectors.settings_for(organisation.pk)
    theirs = selectors.settings_for(other_organisation.pk)
    assert manager_client.get(f"/admin/volunteers/volunteersettings/{mine.pk}/change/").status_code == 200
    assert manager_client.get(f"/admin/volunteers/volunteersettings/{theirs.pk}/change/").status_code == 302
    listing = manager_client.get("/admin/volunteers/course/").content.decode()
    assert listing.count("Safeguarding") == 1
    assert coordinator_client.get("/admin/volunteers/course/").status_code == 302


def test_expired_training_counts_as_incomplete_and_the_interval_is_a_setting(organisation, coordinator, pso):
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=30)
    record = profile.training_records.first()
    record.expires_on = TODAY - dt.timedelta(days=1)
    record.save()
    row = rows(coordinator, organisation)[profile.pk]
    assert [r.code for r in row.fitness_reasons] == [Reason.CORE_TRAINING_INCOMPLETE]
    assert row.next_supervision_on == TODAY - dt.timedelta(days=30) + dt.timedelta(weeks=6)

    settings = selectors.settings_for(organisation.pk)
    settings.supervision_interval_weeks = 3
    settings.save()
    row = rows(coordinator, organisation)[profile.pk]
    assert row.next_supervision_on == TODAY - dt.timedelta(days=30) + dt.timedelta(weeks=3)
    assert Reason.SUPERVISION_OVERDUE not in [r.code for r in row.fitness_reasons]  # 9 days late, within grace


def test_a_course_with_a_validity_fills_in_its_expiry(organisation, coordinator, pso):
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso, trained=False)
    course = organisation.courses.get(name="Safeguarding")
    course.valid_for_months = 24
    course.save()
    record = services.training_record_add(profile=profile, actor=coordinator, course=course, completed_on=TODAY)
    assert record.expires_on == dt.date(2028, 11, 26)
