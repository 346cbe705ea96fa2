"""The daily scan's rules of the safeguarding loop: a concern's owner
reminded on its follow-up date, and a match gone quiet (no contact logged
for 21 days by default) reminded to the coordinators and the volunteer's
supervisor, once per quiet spell."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.notifications import due
from operations.notifications.models import Channel, Notification
from operations.notifications.reminder_settings import ReminderConfig, reminder_settings_for
from operations.notifications.scan import reminders_scan
from tests.factories import ContactLogFactory, SupervisorPairingFactory
from volunteers.safeguarding import services as safeguarding
from volunteers.safeguarding.models import About, Kind, Urgency

pytestmark = pytest.mark.django_db


def rows(kind: str) -> set[tuple[int, str]]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_user_id", "channel"))


def both_channels(*users) -> set[tuple[int, str]]:
    return {(user.pk, channel) for user in users for channel in (Channel.IN_APP, Channel.EMAIL)}


# --- A concern's follow-up ----------------------------------------------------------------


@pytest.fixture
def planned(coordinator, pso, volunteer, match):
    concern = safeguarding.concern_raise(
        actor=volunteer,
        data={
            "about": About.PARENT,
            "kind": Kind.BABY_WELFARE,
            "urgency": Urgency.TODAY,
            "details": "The baby was not feeding.",
            "match": match,
        },
    )
    follow_up_on = timezone.localdate() + dt.timedelta(days=3)
    return safeguarding.concern_plan(
        actor=coordinator, concern=concern, owner=pso, follow_up_on=follow_up_on, note="Call the health visitor."
    )


def test_the_owner_is_reminded_on_the_follow_up_date_once(planned, pso, coordinator):
    day = planned.follow_up_on
    reminders_scan(today=day - dt.timedelta(days=1))
    assert not rows("concern_follow_up")
    reminders_scan(today=day)
    assert rows("concern_follow_up") == both_channels(pso)
    reminder = Notification.objects.filter(kind="concern_follow_up").first()
    assert reminder.key.startswith(f"concern-follow-up:{planned.pk}:{day}:")
    assert reminder.link == reverse("safeguarding:concern-detail", args=[planned.pk])
    assert "health visitor" not in reminder.body
    assert planned.match.parent.first_name not in reminder.body
    reminders_scan(today=day)
    reminders_scan(today=day + dt.timedelta(days=1))  # still planned: not told again for the same date
    assert Notification.objects.filter(kind="concern_follow_up").count() == 2


def test_a_new_follow_up_date_is_a_new_reminder_and_a_closed_concern_none(planned, pso, coordinator):
    reminders_scan(today=planned.follow_up_on)
    later = planned.follow_up_on + dt.timedelta(days=7)
    replanned = safeguarding.concern_plan(
        actor=coordinator, concern=planned, owner=pso, follow_up_on=later, note="Check again next week."
    )
    reminders_scan(today=later)
    assert Notification.objects.filter(kind="concern_follow_up", key__contains=f":{later}:").count() == 2
    safeguarding.concern_close(actor=coordinator, concern=replanned, outcome="advice", note="All well now.")
    assert not list(due.concern_follow_ups(later + dt.timedelta(days=7), ReminderConfig.load()))


def test_an_organisation_can_turn_follow_up_reminders_off(planned, organisation):
    settings = reminder_settings_for(organisation.pk)
    settings.turned_off = ["concern_follow_ups"]
    settings.save()
    reminders_scan(today=planned.follow_up_on)
    assert not rows("concern_follow_up")


def test_a_restriction_of_processing_does_not_stop_a_follow_up(planned):
    type(planned.parent).objects.filter(pk=planned.parent_id).update(processing_restricted=True)
    assert [found.key for found in due.concern_follow_ups(planned.follow_up_on, ReminderConfig.load())] == [
        f"concern-follow-up:{planned.pk}:{planned.follow_up_on}"
    ]


# --- A match gone quiet ---------------------------------------------------------------------


@pytest.fixture
def supervisor(pso, match):
    SupervisorPairingFactory(volunteer=match.volunteer, organisation=match.organisation, supervisor=pso)
    return pso


TODAY = timezone.localdate() + dt.timedelta(days=60)


def test_a_match_with_no_contact_for_21_days_is_reminded_to_coordinators_and_supervisor_once(
    match, coordinator, supervisor, volunteer, manager
):
    last = TODAY - dt.timedelta(days=21)
    ContactLogFactory(match=match, contact_date=last - dt.timedelta(days=10))
    ContactLogFactory(match=match, contact_date=last)
    reminders_scan(today=TODAY - dt.timedelta(days=1))
    assert not rows("quiet_match")
    reminders_scan(today=TODAY)
    assert rows("quiet_match") == both_channels(coordinator, supervisor)
    reminder = Notification.objects.filter(kind="quiet_match").first()
    assert reminder.key.startswith(f"quiet-match:{match.pk}:{last}:")
    assert reminder.link == reverse("matching:match-detail", args=[match.pk])
    assert f"since {last.day} " in reminder.body
    assert match.parent.first_name not in reminder.body
    # The same quiet spell, scanned again on later days: reminded once.
    reminders_scan(today=TODAY + dt.timedelta(days=1))
    reminders_scan(today=TODAY + dt.timedelta(days=10))
    assert Notification.objects.filter(kind="quiet_match").count() == 4


def test_a_contact_ends_the_quiet_spell_and_the_next_one_is_reminded_again(match, coordinator):
    ContactLogFactory(match=match, contact_date=TODAY - dt.timedelta(days=30))
    reminders_scan(today=TODAY)
    ContactLogFactory(match=match, contact_date=TODAY)
    reminders_scan(today=TODAY + dt.timedelta(days=20))
    assert Notification.objects.filter(kind="quiet_match").count() == 2
    reminders_scan(today=TODAY + dt.timedelta(days=21))
    assert Notification.objects.filter(kind="quiet_match").count() == 4
    assert Notification.objects.filter(kind="quiet_match", key__contains=f":{TODAY}:").count() == 2


def test_a_match_never_contacted_is_quiet_from_its_confirmation(match, coordinator):
    confirmed = timezone.localdate(match.confirmed_at)
    assert not list(due.quiet_matches(confirmed + dt.timedelta(days=20), ReminderConfig.load()))
    found = list(due.quiet_matches(confirmed + dt.timedelta(days=21), ReminderConfig.load()))
    assert [item.key for item in found] == [f"quiet-match:{match.pk}:{confirmed}"]
    assert "no contact logged yet" in found[0].body


def test_the_organisation_sets_how_many_days_make_a_match_quiet(match, coordinator, organisation):
    settings = reminder_settings_for(organisation.pk)
    settings.quiet_match_days = 30
    settings.save()
    ContactLogFactory(match=match, contact_date=TODAY - dt.timedelta(days=25))
    reminders_scan(today=TODAY)
    assert not rows("quiet_match")
    reminders_scan(today=TODAY + dt.timedelta(days=5))
    assert rows("quiet_match") == both_channels(coordinator)


def test_ended_matches_restricted_parents_and_switched_off_organisations_are_not_reminded(
    match, coordinator, organisation
):
    ContactLogFactory(match=match, contact_date=TODAY - dt.timedelta(days=40))
    type(match.parent).objects.filter(pk=match.parent_id).update(processing_restricted=True)
    assert not list(due.quiet_matches(TODAY, ReminderConfig.load()))
    type(match.parent).objects.filter(pk=match.parent_id).update(processing_restricted=False)
    type(match).objects.filter(pk=match.pk).update(
        status="ended", ended_on=TODAY - dt.timedelta(days=39), ending_type="planned"
    )
    assert not list(due.quiet_matches(TODAY, ReminderConfig.load()))
    type(match).objects.filter(pk=match.pk).update(status="active", ended_on=None, ending_type="")
    settings = reminder_settings_for(organisation.pk)
    settings.turned_off = ["quiet_matches"]
    settings.save()
    reminders_scan(today=TODAY)
    assert not rows("quiet_match")


# --- The setting ---------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "accepted"), [(6, False), (7, True), (21, True), (90, True), (91, False)])
def test_quiet_match_days_are_between_7_and_90_on_the_page_and_in_the_api(manager_client, organisation, days, accepted):
    response = manager_client.patch(
        "/api/v1/reminder-settings/", {"quiet_match_days": days}, content_type="application/json"
    )
    assert (response.status_code == 200) is accepted, response.json()
    stored = reminder_settings_for(organisation.pk).quiet_match_days
    assert stored == (days if accepted else 21)
    if not accepted:
        assert "quiet_match_days" in response.json()


def test_the_settings_page_shows_the_quiet_match_setting_with_its_default(manager_client):
    page = manager_client.get(reverse("notifications:settings")).content.decode()
    assert "Match gone quiet: days without a logged contact" in page
    assert 'name="quiet_match_days" value="21"' in page
