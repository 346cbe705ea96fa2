"""The messages of the safeguarding loop: who is told when a concern is
raised (and in which words), the names the inbox adds for those who may see
the concern, opening a notification, escalation when nobody acknowledges in
time, the raiser told it was heard and closed, and a volunteer's own
wellbeing concern from supervision."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from operations.core.models import Role
from operations.notifications.models import Channel, Notification, Status
from operations.notifications.services import notification_send
from tests.factories import SupervisorPairingFactory, member
from tests.notifications.conftest import sent_sms
from volunteers.models import Wellbeing
from volunteers.safeguarding import selectors
from volunteers.safeguarding import services as safeguarding
from volunteers.safeguarding.escalation import escalate_at
from volunteers.safeguarding.models import (
    About,
    Concern,
    ConcernEvent,
    ConcernStatus,
    EventKind,
    Kind,
    Outcome,
    SafeguardingSettings,
    Urgency,
)
from volunteers.services import supervision_session_create

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
ON_CALL = "07700900999"
DETAILS = "She said she feels unsafe at home."


@pytest.fixture
def lead(organisation):
    return member(username="lead", organisation=organisation, role=Role.PSO)


@pytest.fixture
def deputy(organisation):
    return member(username="deputy", organisation=organisation, role=Role.PSO)


@pytest.fixture
def config(organisation, lead, deputy) -> SafeguardingSettings:
    config = SafeguardingSettings.objects.get(organisation=organisation)
    config.leads.set([lead])
    config.deputy = deputy
    config.on_call_phone = ON_CALL
    config.save()
    return config


@pytest.fixture
def supervisor(pso, match):
    SupervisorPairingFactory(volunteer=match.volunteer, organisation=match.organisation, supervisor=pso)
    return pso


def raise_concern(actor, match, urgency=Urgency.DANGER_NOW, **data) -> Concern:
    return safeguarding.concern_raise(
        actor=actor,
        data={"about": About.PARENT, "kind": Kind.DOMESTIC_ABUSE, "urgency": urgency, "details": DETAILS}
        | {"match": match}
        | data,
    )


def told(kind: str) -> set[tuple[int | None, str]]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_user_id", "channel"))


def both_channels(*users) -> set[tuple[int, str]]:
    return {(user.pk, channel) for user in users for channel in (Channel.IN_APP, Channel.EMAIL)}


def deliver_in_app() -> None:
    """As a worker would: in-app rows are delivered by being marked sent."""
    Notification.objects.filter(channel=Channel.IN_APP).update(status=Status.SENT, sent_at=timezone.now())


# --- Raised: who, how, in which words ------------------------------------------------


def test_a_concern_goes_at_once_to_the_leads_the_supervisor_and_the_coordinators_but_not_the_raiser(
    config, lead, supervisor, coordinator, manager, volunteer, match, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        concern = raise_concern(volunteer, match)
    assert told("concern_raised") == both_channels(lead, supervisor, coordinator) | {(None, Channel.SMS)}
    sms = Notification.objects.get(kind="concern_raised", channel=Channel.SMS)
    assert sms.recipient_address == ON_CALL
    assert len(callbacks) == 7, "every row is handed to a worker when the concern commits"
    rows = Notification.objects.filter(kind="concern_raised")
    assert {row.link for row in rows} == {f"/concerns/{concern.pk}/"}
    assert sms.body == f"Concern #{concern.pk} — someone may be in danger now. Open the app to acknowledge it: " + (
        f"/concerns/{concern.pk}/"
    )
    # Email and SMS leave the service: nobody is named, nothing seen is told.
    parent, volunteer_user = match.parent, match.volunteer.user
    for row in rows:
        text = row.subject + row.body
        for personal in (
            parent.first_name,
            parent.last_name,
            volunteer_user.first_name,
            volunteer_user.last_name,
            "unsafe",
            "abuse",
        ):
            assert personal not in text


def test_the_raiser_is_not_told_of_their_own_concern_and_a_lead_told_once_in_each_role(
    config, lead, coordinator, other_coordinator, match, organisation
):
    # A coordinator who is also a lead raises it: the other coordinators hear, not them.
    second = member(username="coordinator-b", organisation=organisation, role=Role.COORDINATOR)
    config.leads.set([lead, coordinator])
    raise_concern(coordinator, match, urgency=Urgency.THIS_WEEK)
    assert told("concern_raised") == both_channels(lead, second)


def test_a_concern_for_today_texts_the_on_call_phone_and_one_for_this_week_does_not(config, volunteer, match):
    today = raise_concern(volunteer, match, urgency=Urgency.TODAY)
    assert Notification.objects.filter(key=f"concern-raised:{today.pk}:on-call:sms").exists()
    week = raise_concern(volunteer, match, urgency=Urgency.THIS_WEEK)
    assert not Notification.objects.filter(about_id=str(week.pk), channel=Channel.SMS).exists()


def test_without_an_on_call_phone_no_sms_is_written(config, lead, volunteer, coordinator, match):
    config.on_call_phone = ""
    config.save()
    raise_concern(volunteer, match)
    assert told("concern_raised") == both_channels(lead, coordinator)


def test_a_concern_sent_twice_is_announced_once(config, volunteer, coordinator, match):
    key = "2f0b3c4e-0000-4000-8000-000000000001"
    first = raise_concern(volunteer, match, client_key=key)
    rows = Notification.objects.count()
    again = raise_concern(volunteer, match, client_key=key)
    assert again.pk == first.pk
    assert Notification.objects.count() == rows
    # And the step announced again (a retried signal) writes nothing new either.
    from operations.notifications.concerns import concern_raised

    concern_raised(first)
    assert Notification.objects.count() == rows


def test_no_message_survives_a_concern_that_rolled_back(config, volunteer, coordinator, match):
    def failing_request():
        with transaction.atomic():
            raise_concern(volunteer, match)
            raise RuntimeError("the request failed after the concern was written")

    with pytest.raises(RuntimeError):
        failing_request()
    assert not Concern.objects.exists()
    assert not Notification.objects.filter(kind="concern_raised").exists()


def test_the_on_call_sms_goes_at_night_when_a_parents_would_wait(config, volunteer, match, sms_file):
    concern = raise_concern(volunteer, match)
    sms = Notification.objects.get(kind="concern_raised", channel=Channel.SMS)
    night = dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)
    Notification.objects.filter(pk=sms.pk).update(due_at=night)
    assert notification_send(notification_id=sms.pk, now=night) == Status.SENT
    assert [message["to"] for message in sent_sms(sms_file)] == [ON_CALL]
    assert f"Concern #{concern.pk}" in json.dumps(sent_sms(sms_file))


def test_an_email_goes_to_a_lead_who_turned_reminder_emails_off(config, lead, volunteer, match):
    from operations.notifications.models import NotificationPreference

    NotificationPreference.objects.create(user=lead, email=False)
    raise_concern(volunteer, match)
    assert (lead.pk, Channel.EMAIL) in told("concern_raised")


# --- In the app: names for those who may see it; opening it ------------------------------


def test_the_inbox_names_the_parent_and_volunteer_to_those_who_may_see_the_concern(
    config, lead, supervisor, coordinator, volunteer, match, client
):
    match.parent.preferred_name = "Ro"
    match.parent.save()
    volunteer.first_name, volunteer.last_name = "Jane", "Volunteer"
    volunteer.save()
    raise_concern(volunteer, match)
    deliver_in_app()
    client.force_login(coordinator)
    page = client.get(reverse("notifications:centre")).content.decode()
    assert "Parent: Ro · Volunteer: Jane Volunteer" in page
    # Worked out when shown: the rows themselves hold no names.
    assert not Notification.objects.filter(body__contains="Ro ").exists()
    assert not Notification.objects.filter(body__contains="Jane").exists()

    # The supervisor sees it while the volunteer is theirs; not once the pairing ended.
    client.force_login(supervisor)
    assert "Parent: Ro" in client.get(reverse("notifications:centre")).content.decode()
    from volunteers.models import SupervisorPairing

    SupervisorPairing.objects.filter(supervisor=supervisor).update(ended_on=timezone.localdate())
    page = client.get(reverse("notifications:centre")).content.decode()
    assert "Concern #" in page
    assert "Parent: Ro" not in page
    assert "Jane Volunteer" not in page


def test_opening_a_notification_reads_it_and_goes_to_the_concern(config, coordinator, volunteer, match, client):
    concern = raise_concern(volunteer, match)
    deliver_in_app()
    row = Notification.objects.get(kind="concern_raised", recipient_user=coordinator, channel=Channel.IN_APP)
    client.force_login(coordinator)
    assert reverse("notifications:open", args=[row.pk]) in client.get(reverse("notifications:centre")).content.decode()
    assert client.get(reverse("notifications:open", args=[row.pk])).status_code == 405  # a GET writes nothing
    response = client.post(reverse("notifications:open", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/concerns/{concern.pk}/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_only_its_recipient_can_open_a_notification(config, coordinator, lead, volunteer, match, client):
    raise_concern(volunteer, match)
    deliver_in_app()
    row = Notification.objects.get(kind="concern_raised", recipient_user=coordinator, channel=Channel.IN_APP)
    client.force_login(lead)
    assert client.post(reverse("notifications:open", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_a_notification_pointing_elsewhere_opens_the_inbox(coordinator, organisation, client):
    from tests.factories import NotificationFactory

    row = NotificationFactory(
        organisation=organisation,
        recipient_user=coordinator,
        channel=Channel.IN_APP,
        status=Status.SENT,
        sent_at=timezone.now(),
        link="https://evil.example/",
    )
    client.force_login(coordinator)
    response = client.post(reverse("notifications:open", args=[row.pk]))
    assert response["Location"] == reverse("notifications:centre")
    row.refresh_from_db()
    assert row.read_at is not None


# --- Escalation ---------------------------------------------------------------------------


FRIDAY_4PM = dt.datetime(2028, 3, 3, 16, 0, tzinfo=LONDON)
MONDAY = dt.date(2028, 3, 6)


def test_escalation_times_follow_the_defaults(config, volunteer, match):
    with time_machine.travel(FRIDAY_4PM, tick=False):
        danger = raise_concern(volunteer, match, urgency=Urgency.DANGER_NOW)
        today = raise_concern(volunteer, match, urgency=Urgency.TODAY)
        week = raise_concern(volunteer, match, urgency=Urgency.THIS_WEEK)
    assert danger.escalate_at == FRIDAY_4PM + dt.timedelta(minutes=30)
    # One working hour on Friday, three on Monday morning.
    assert today.escalate_at == dt.datetime.combine(MONDAY, dt.time(12, 0), tzinfo=LONDON)
    # Sixteen working hours: Friday's last hour, Monday, and Tuesday until 16:00.
    assert week.escalate_at == dt.datetime(2028, 3, 7, 16, 0, tzinfo=LONDON)
    tuesday_10am = dt.datetime(2028, 3, 7, 10, 0, tzinfo=LONDON)
    assert escalate_at(tuesday_10am, Urgency.THIS_WEEK, config) == dt.datetime(2028, 3, 9, 10, 0, tzinfo=LONDON)


def test_changed_settings_change_when_a_concern_escalates(config, volunteer, match):
    config.danger_now_minutes = 10
    config.today_working_hours = 2
    config.this_week_working_days = 1
    config.save()
    with time_machine.travel(FRIDAY_4PM, tick=False):
        danger = raise_concern(volunteer, match, urgency=Urgency.DANGER_NOW)
        today = raise_concern(volunteer, match, urgency=Urgency.TODAY)
        week = raise_concern(volunteer, match, urgency=Urgency.THIS_WEEK)
    assert danger.escalate_at == FRIDAY_4PM + dt.timedelta(minutes=10)
    assert today.escalate_at == dt.datetime.combine(MONDAY, dt.time(10, 0), tzinfo=LONDON)
    assert week.escalate_at == dt.datetime.combine(MONDAY, dt.time(16, 0), tzinfo=LONDON)


def test_a_concern_nobody_acknowledged_escalates_once_to_the_managers_and_the_deputy(
    config, manager, deputy, lead, coordinator, volunteer, match, django_capture_on_commit_callbacks
):
    concern = raise_concern(volunteer, match)
    assert safeguarding.concerns_escalate(now=concern.escalate_at - dt.timedelta(seconds=1)) == 0
    assert not Notification.objects.filter(kind="concern_escalated").exists()
    with django_capture_on_commit_callbacks() as callbacks:
        assert safeguarding.concerns_escalate(now=concern.escalate_at) == 1
    assert told("concern_escalated") == both_channels(manager, deputy) | {(None, Channel.SMS)}
    assert callbacks
    assert safeguarding.concerns_escalate(now=concern.escalate_at + dt.timedelta(hours=1)) == 0
    assert Notification.objects.filter(kind="concern_escalated").count() == 5
    assert concern.events.filter(kind=EventKind.ESCALATED).count() == 1
    for row in Notification.objects.filter(kind="concern_escalated"):
        assert row.key.startswith(f"concern-escalated:{concern.pk}:")
        assert match.parent.first_name not in row.body
        assert "unsafe" not in row.body


def test_an_escalated_concern_for_today_texts_nobody(config, manager, deputy, volunteer, match):
    concern = raise_concern(volunteer, match, urgency=Urgency.TODAY)
    safeguarding.concerns_escalate(now=concern.escalate_at)
    assert told("concern_escalated") == both_channels(manager, deputy)


def test_a_concern_acknowledged_in_time_never_escalates(config, manager, coordinator, volunteer, match):
    concern = raise_concern(volunteer, match)
    safeguarding.concern_acknowledge(actor=coordinator, concern=concern)
    assert safeguarding.concerns_escalate(now=concern.escalate_at + dt.timedelta(days=3)) == 0
    assert not Notification.objects.filter(kind="concern_escalated").exists()
    assert not concern.events.filter(kind=EventKind.ESCALATED).exists()


def test_the_escalation_task_runs_the_sweep(config, manager, volunteer, match):
    from volunteers.safeguarding.tasks import escalate_concerns

    concern = raise_concern(volunteer, match)
    Concern.objects.filter(pk=concern.pk).update(escalate_at=timezone.now() - dt.timedelta(minutes=1))
    assert escalate_concerns.apply().get() == 1
    assert escalate_concerns.apply().get() == 0


def test_the_beat_runs_the_escalation_every_minute():
    from operations.celery import app

    entry = app.conf.beat_schedule["concerns-escalate"]
    assert entry == {"task": "volunteers.safeguarding.tasks.escalate_concerns", "schedule": 60.0}


# --- The raiser told --------------------------------------------------------------------


def test_the_raiser_is_told_in_the_app_who_received_it_and_that_it_was_closed(config, coordinator, volunteer, match):
    coordinator.first_name = "Morag"
    coordinator.save()
    concern = raise_concern(volunteer, match)
    safeguarding.concern_acknowledge(actor=coordinator, concern=concern)
    safeguarding.concern_acknowledge(actor=coordinator, concern=concern)  # twice: told once
    received = Notification.objects.get(kind="concern_acknowledged")
    assert (received.recipient_user_id, received.channel) == (volunteer.pk, Channel.IN_APP)
    assert received.subject == "Your concern was received by Morag"
    assert received.link == reverse("safeguarding:concern-mine")

    safeguarding.concern_close(
        actor=coordinator, concern=concern, outcome=Outcome.SOCIAL_WORK, note="Social work called the family."
    )
    closed = Notification.objects.get(kind="concern_closed")
    assert (closed.recipient_user_id, closed.channel) == (volunteer.pk, Channel.IN_APP)
    assert closed.body == f"Concern #{concern.pk} was closed: action was taken. Thank you for raising it."
    assert "Social work" not in closed.body  # never the notes, nor the outcome's detail
    assert not Notification.objects.filter(kind__in=["concern_acknowledged", "concern_closed"]).exclude(
        channel=Channel.IN_APP
    )


def test_closing_a_new_concern_tells_the_raiser_it_was_received_and_closed(config, coordinator, volunteer, match):
    concern = raise_concern(volunteer, match, urgency=Urgency.THIS_WEEK)
    safeguarding.concern_close(
        actor=coordinator, concern=concern, outcome=Outcome.NO_FURTHER_ACTION, note="Spoke to the volunteer."
    )
    assert Notification.objects.filter(kind="concern_acknowledged", recipient_user=volunteer).exists()
    closed = Notification.objects.get(kind="concern_closed", recipient_user=volunteer)
    assert "no further action was needed" in closed.body


def test_nobody_is_told_of_their_own_acknowledgement(config, coordinator, match):
    concern = raise_concern(coordinator, match, urgency=Urgency.THIS_WEEK)
    safeguarding.concern_acknowledge(actor=coordinator, concern=concern)
    assert not Notification.objects.filter(kind="concern_acknowledged").exists()


# --- A volunteer's own wellbeing, from supervision ---------------------------------------


def test_concern_follow_up_in_supervision_opens_a_concern_owned_by_the_supervisor(
    config, lead, coordinator, supervisor, volunteer, match, organisation
):
    profile = match.volunteer
    supervision_session_create(
        organisation=organisation,
        actor=supervisor,
        supervisor=supervisor,
        volunteers=[profile],
        held_on=timezone.localdate(),
        mode="phone",
        duration_minutes=45,
        notes="Struggling since a hard visit.",
        wellbeing=Wellbeing.CONCERN,
    )
    concern = Concern.objects.get()
    assert (concern.about, concern.volunteer_id, concern.parent_id) == (About.VOLUNTEER, profile.pk, None)
    assert concern.owner_id == supervisor.pk
    assert concern.status == ConcernStatus.ACKNOWLEDGED
    assert concern.acknowledged_by_id == supervisor.pk
    assert list(ConcernEvent.objects.filter(concern=concern).values_list("kind", flat=True)) == [
        EventKind.RAISED,
        EventKind.ACKNOWLEDGED,
    ]
    # The leads and coordinators are told; the supervisor who wrote it is not.
    assert told("concern_raised") == both_channels(lead, coordinator)
    # Acknowledged already: it does not escalate.
    assert safeguarding.concerns_escalate(now=timezone.now() + dt.timedelta(days=30)) == 0
    # The volunteer did not raise it: their "My concerns" does not list it.
    assert list(selectors.own_concerns(volunteer)) == []
    assert list(selectors.own_concerns(supervisor)) == [concern]
