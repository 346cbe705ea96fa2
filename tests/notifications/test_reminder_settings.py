"""Reminder offsets and on/off switches per organisation: the manager's
page (ranges, pairs in order, audited, nothing saved on bad input) and the
due rules reading them — each organisation its own, loaded once per scan."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from operations.core.audit import AuditEvent
from operations.notifications.due import (
    contact_logs_missing,
    eligibility_ending,
    pvg_renewals,
    visits_tomorrow,
)
from operations.notifications.models import Notification, ReminderSettings
from operations.notifications.reminder_settings import SWITCHES, ReminderConfig, reminder_settings_for
from operations.notifications.scan import RULES, reminders_scan
from referrals.models import Referral
from tests.factories import ReferralFactory, VisitFactory
from tests.volunteers.helpers import make_profile
from volunteers.models import PvgRecord

TODAY = dt.date(2026, 11, 26)
URL = reverse("notifications:settings")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def form_data(**overrides) -> dict:
    defaults = ReminderSettings()
    data = {
        name: getattr(defaults, name)
        for name in (
            "visit_hours_before contact_log_hours_after session_hours_before supervision_days_before "
            "pvg_first_months_before pvg_second_months_before training_days_before eligibility_first_weeks_before "
            "eligibility_second_weeks_before birth_overdue_days match_review_days_before outcome_baseline_days "
            "outcome_review_months outcome_ending_days quiet_match_days"
        ).split()
    }
    data["send"] = list(SWITCHES)
    data.update(overrides)
    return data


# --- The page --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_defaults_from_the_issue_and_creates_them_on_first_use(manager_client, organisation):
    response = manager_client.get(URL)
    assert response.status_code == 200
    settings = ReminderSettings.objects.get(organisation=organisation)
    assert (settings.visit_hours_before, settings.contact_log_hours_after, settings.session_hours_before) == (
        24,
        48,
        24,
    )
    assert (settings.pvg_first_months_before, settings.pvg_second_months_before) == (3, 1)
    assert (settings.eligibility_first_weeks_before, settings.eligibility_second_weeks_before) == (8, 4)
    assert (settings.supervision_days_before, settings.training_days_before, settings.birth_overdue_days) == (
        7,
        30,
        14,
    )
    assert settings.turned_off == []
    assert "Planned visit: hours before" in response.content.decode()


@pytest.mark.django_db
def test_a_manager_changes_offsets_and_turns_a_reminder_off_and_it_is_audited(manager_client, organisation):
    send = [name for name in SWITCHES if name != "births_to_confirm"]
    response = manager_client.post(URL, form_data(visit_hours_before=48, pvg_first_months_before=2, send=send))
    assert response.status_code == 302
    settings = ReminderSettings.objects.get(organisation=organisation)
    assert (settings.visit_hours_before, settings.pvg_first_months_before) == (48, 2)
    assert settings.turned_off == ["births_to_confirm"]
    event = AuditEvent.objects.get(object_type="notifications.ReminderSettings")
    # In the page's words, not field or switch names.
    assert "Planned visit: hours before: 48" in event.summary
    assert f"turned off: {SWITCHES['births_to_confirm']}" in event.summary
    assert "_" not in event.summary


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"visit_hours_before": 0}, "visit_hours_before", "greater than or equal to 1"),
        ({"training_days_before": 400}, "training_days_before", "less than or equal to 180"),
        ({"supervision_days_before": "soon"}, "supervision_days_before", "Enter a whole number"),
        ({"pvg_first_months_before": 2, "pvg_second_months_before": 2}, "pvg_second_months_before", "fewer months"),
        (
            {"eligibility_first_weeks_before": 4, "eligibility_second_weeks_before": 6},
            "eligibility_second_weeks_before",
            "fewer weeks",
        ),
        ({"send": ["no_such_reminder"]}, "send", "Select a valid choice"),
    ],
)
def test_bad_values_get_field_errors_and_change_nothing(manager_client, organisation, overrides, field, message):
    manager_client.get(URL)
    response = manager_client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert ReminderSettings.objects.get(organisation=organisation).pvg_second_months_before == 1
    assert ReminderSettings.objects.get(organisation=organisation).turned_off == []
    assert not AuditEvent.objects.filter(object_type="notifications.ReminderSettings").exists()


@pytest.mark.django_db
def test_coordinators_cannot_change_reminder_settings(coordinator_client, organisation):
    assert coordinator_client.post(URL, form_data(visit_hours_before=72)).status_code == 403
    assert ReminderSettings.objects.get(organisation=organisation).visit_hours_before == 24


@pytest.mark.django_db
def test_a_manager_edits_only_their_own_organisations_settings(manager_client, organisation, other_organisation):
    other = reminder_settings_for(other_organisation.pk)
    manager_client.post(URL, form_data(visit_hours_before=72))
    other.refresh_from_db()
    assert other.visit_hours_before == 24
    assert ReminderSettings.objects.get(organisation=organisation).visit_hours_before == 72


# --- The rules read them ---------------------------------------------------------


def test_every_rule_has_a_switch():
    # The rules, and the two reminders to parents (written by due.PARENT_WRITERS).
    assert {rule.__name__ for rule in RULES} | {"session_reminders", "parent_visit_reminders"} == set(SWITCHES)


def set_pvg_renewal(profile, days: int) -> None:
    PvgRecord.objects.filter(profile=profile).update(renewal_due=TODAY + dt.timedelta(days=days))


@pytest.mark.django_db
def test_pvg_offsets_are_each_organisations_own(organisation, other_organisation):
    ours = make_profile(organisation=organisation, today=TODAY)
    theirs = make_profile(organisation=other_organisation, today=TODAY)
    set_pvg_renewal(ours, 80)
    set_pvg_renewal(theirs, 80)
    settings = reminder_settings_for(organisation.pk)
    settings.pvg_first_months_before, settings.pvg_second_months_before = 2, 1
    settings.save()
    dues = {due.organisation_id: due.kind for due in pvg_renewals(TODAY)}
    assert dues == {other_organisation.pk: "pvg_renewal_3m"}  # 80 days is not yet 2 months' notice
    set_pvg_renewal(ours, 60)
    assert {due.kind for due in pvg_renewals(TODAY) if due.organisation_id == organisation.pk} == {"pvg_renewal_2m"}


@pytest.mark.django_db
def test_eligibility_offsets_follow_the_organisation(organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service, status="active")
    Referral.objects.filter(pk=referral.pk).update(eligibility_end=TODAY + dt.timedelta(weeks=10))
    assert list(eligibility_ending(TODAY)) == []
    settings = reminder_settings_for(organisation.pk)
    settings.eligibility_first_weeks_before, settings.eligibility_second_weeks_before = 12, 10
    settings.save()
    assert [due.kind for due in eligibility_ending(TODAY)] == ["eligibility_end_12w", "eligibility_end_10w"]


@pytest.mark.django_db
def test_visit_and_contact_log_hours_round_to_whole_days(match):

    in_two_days = VisitFactory(organisation=match.organisation, match=match, planned_for=TODAY + dt.timedelta(days=2))
    three_days_ago = VisitFactory(
        organisation=match.organisation, match=match, planned_for=TODAY - dt.timedelta(days=3)
    )
    assert list(visits_tomorrow(TODAY)) == []
    assert [due.about for due in contact_logs_missing(TODAY)] == [three_days_ago]
    settings = reminder_settings_for(match.organisation_id)
    settings.visit_hours_before, settings.contact_log_hours_after = 36, 96  # 2 days, 4 days
    settings.save()
    assert [due.about for due in visits_tomorrow(TODAY)] == [in_two_days]
    assert list(contact_logs_missing(TODAY)) == []


@pytest.mark.django_db
def test_a_reminder_turned_off_is_not_written_and_other_organisations_still_get_theirs(
    organisation, other_organisation, coordinator, other_coordinator
):
    for org in (organisation, other_organisation):
        set_pvg_renewal(make_profile(organisation=org, today=TODAY), 20)
    settings = reminder_settings_for(organisation.pk)
    settings.turned_off = ["pvg_renewals"]
    settings.save()
    reminders_scan(today=TODAY)
    assert set(Notification.objects.filter(kind__startswith="pvg_").values_list("organisation_id", flat=True)) == {
        other_organisation.pk
    }


@pytest.mark.django_db
def test_the_scan_reads_the_settings_once_however_many_organisations(organisation, other_organisation):
    reminder_settings_for(organisation.pk)
    reminder_settings_for(other_organisation.pk)
    with CaptureQueriesContext(connection) as captured:
        reminders_scan(today=TODAY)
    table = ReminderSettings._meta.db_table
    assert sum(table in query["sql"] for query in captured.captured_queries) == 1


def test_organisations_without_settings_use_the_defaults_and_windows_cover_every_organisation():
    wide = ReminderSettings(organisation_id=1, training_days_before=90, birth_overdue_days=7)
    config = ReminderConfig({1: wide})
    assert config.of(2).training_days_before == 30
    assert config.widest("training_days_before") == 90
    assert config.narrowest("birth_overdue_days") == 7


@pytest.mark.django_db
def test_managers_find_the_settings_from_the_notification_log_and_coordinators_do_not(
    manager_client, coordinator_client
):
    log = reverse("notifications:log")
    assert URL in manager_client.get(log).content.decode()
    assert URL not in coordinator_client.get(log).content.decode()
