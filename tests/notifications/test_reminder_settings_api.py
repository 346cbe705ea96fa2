"""The reminder settings through the API: managers read and change their own
organisation's, through the same rules as the page (ranges, paired reminders
in order, switches); a bad value is a 400 naming the field and nothing is
written; every change is audited."""

from __future__ import annotations

import pytest

from operations.core.audit import AuditEvent
from operations.notifications.models import ReminderSettings
from operations.notifications.reminder_settings import reminder_settings_for

URL = "/api/v1/reminder-settings/"


def put(client, body: dict):
    return client.put(URL, body, content_type="application/json")


def patch(client, body: dict):
    return client.patch(URL, body, content_type="application/json")


def full_body(**overrides) -> dict:
    defaults = ReminderSettings()
    body = {name: getattr(defaults, name) for name in ReminderSettingsFields}
    body["turned_off"] = []
    body.update(overrides)
    return body


ReminderSettingsFields = [
    "visit_hours_before", "contact_log_hours_after", "session_hours_before", "supervision_days_before",
    "pvg_first_months_before", "pvg_second_months_before", "training_days_before",
    "eligibility_first_weeks_before", "eligibility_second_weeks_before", "birth_overdue_days",
    "match_review_days_before", "outcome_baseline_days", "outcome_review_months", "outcome_ending_days",
    "quiet_match_days",
]  # fmt: skip


@pytest.mark.django_db
def test_a_manager_reads_the_defaults(manager_client):
    body = manager_client.get(URL).json()
    assert body["visit_hours_before"] == 24
    assert body["pvg_first_months_before"] == 3
    assert body["turned_off"] == []
    assert set(ReminderSettingsFields) <= body.keys()


@pytest.mark.django_db
def test_a_manager_changes_one_setting_and_turns_a_reminder_off(manager_client, organisation):
    response = patch(manager_client, {"visit_hours_before": 48, "turned_off": ["births_to_confirm"]})
    assert response.status_code == 200, response.json()
    assert response.json()["visit_hours_before"] == 48
    stored = reminder_settings_for(organisation.pk)
    assert stored.visit_hours_before == 48
    assert stored.contact_log_hours_after == 48  # untouched by a PATCH
    assert stored.turned_off == ["births_to_confirm"]
    event = AuditEvent.objects.filter(summary__startswith="Reminder settings").latest("pk")
    assert "Planned visit: hours before: 48" in event.summary
    assert "turned off: Birth to confirm after the due date (to coordinators)" in event.summary


@pytest.mark.django_db
def test_put_replaces_every_setting(manager_client, organisation):
    patch(manager_client, {"turned_off": ["births_to_confirm"]})
    response = put(manager_client, full_body(training_days_before=60))
    assert response.status_code == 200, response.json()
    stored = reminder_settings_for(organisation.pk)
    assert stored.training_days_before == 60
    assert stored.turned_off == []
    missing = full_body()
    del missing["birth_overdue_days"]
    response = put(manager_client, missing)
    assert response.status_code == 400
    assert "birth_overdue_days" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"visit_hours_before": 0}, "visit_hours_before"),
        ({"visit_hours_before": 500}, "visit_hours_before"),
        ({"visit_hours_before": "soon"}, "visit_hours_before"),
        ({"visit_hours_before": 24.5}, "visit_hours_before"),
        ({"visit_hours_before": None}, "visit_hours_before"),
        ({"pvg_first_months_before": 2, "pvg_second_months_before": 2}, "pvg_second_months_before"),
        (
            {"eligibility_first_weeks_before": 4, "eligibility_second_weeks_before": 6},
            "eligibility_second_weeks_before",
        ),
        ({"turned_off": ["concerns"]}, "turned_off"),
        ({"turned_off": "births_to_confirm"}, "turned_off"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(manager_client, organisation, body, field):
    before = reminder_settings_for(organisation.pk)
    response = patch(manager_client, body)
    assert response.status_code == 400
    assert field in response.json()
    after = ReminderSettings.objects.get(organisation=organisation)
    assert [getattr(after, name) for name in ReminderSettingsFields] == [
        getattr(before, name) for name in ReminderSettingsFields
    ]
    assert after.turned_off == before.turned_off
    assert not AuditEvent.objects.filter(summary__startswith="Reminder settings").exists()


@pytest.mark.django_db
def test_a_body_that_is_not_an_object_is_a_400(manager_client):
    response = manager_client.patch(URL, [1, 2], content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_each_manager_sees_only_their_own_organisation(manager_client, organisation, other_organisation):
    other = reminder_settings_for(other_organisation.pk)
    other.visit_hours_before = 100
    other.save()
    assert manager_client.get(URL).json()["visit_hours_before"] == 24
    patch(manager_client, {"visit_hours_before": 12})
    other.refresh_from_db()
    assert other.visit_hours_before == 100


@pytest.mark.django_db
def test_only_managers(client, volunteer_client, pso_client, coordinator_client, organisation):
    assert client.get(URL).status_code in (401, 403)
    for member in (volunteer_client, pso_client, coordinator_client):
        assert member.get(URL).status_code == 403
        assert patch(member, {"visit_hours_before": 12}).status_code == 403
    assert ReminderSettings.objects.get(organisation=organisation).visit_hours_before == 24
