"""Working a concern through the pages: the worklist, one concern with its
timeline, acknowledge -> plan -> close, who may do each, and the manager's
safeguarding settings. Each refusal is checked for what was not written."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditAction, AuditEvent
from operations.core.models import Role
from tests.factories import MatchFactory, member
from tests.factories.safeguarding import ConcernFactory, SafeguardingSettingsFactory
from tests.factories.volunteers import SupervisorPairingFactory, VolunteerProfileFactory
from volunteers.safeguarding.models import (
    Concern,
    ConcernEvent,
    ConcernStatus,
    EventKind,
    Outcome,
    SafeguardingSettings,
    Urgency,
)

pytestmark = pytest.mark.django_db

#: 14 Feb 2028 14:05 in Scotland (GMT in February).
NOW = dt.datetime(2028, 2, 14, 14, 5, tzinfo=dt.UTC)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _match_of(user, organisation, **parent):
    """An active match of ``user`` (a volunteer or PSO) with a family of ``organisation``."""
    profile = VolunteerProfileFactory(organisation=organisation, user=user)
    return MatchFactory(
        referral__organisation=organisation,
        **{f"referral__parent__{name}": value for name, value in parent.items()},
        volunteer=profile,
    )


@pytest.fixture
def family(organisation, volunteer):
    return _match_of(volunteer, organisation, first_name="Amelia", preferred_name="Amy")


@pytest.fixture
def concern(family) -> Concern:
    concern = ConcernFactory(match=family, urgency=Urgency.TODAY, details="Said she has not slept for days")
    ConcernEvent.objects.create(concern=concern, kind=EventKind.RAISED, actor=concern.raised_by, at=concern.raised_at)
    return concern


def _audit(concern) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(concern.pk), summary__startswith="Concern")
        .order_by("pk")
        .values_list("summary", flat=True)
    )


def _url(name: str, concern) -> str:
    return reverse(f"safeguarding:concern-{name}", args=[concern.pk])


# --- The whole loop -----------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_coordinator_works_a_concern_from_new_to_closed(coordinator, manager, volunteer):
    coordinator_client = _client(coordinator)  # signed in at the travelled time: the session is fresh
    family = _match_of(volunteer, coordinator.active_organisation, first_name="Amelia", preferred_name="Amy")
    concern = ConcernFactory(match=family, urgency=Urgency.DANGER_NOW, raised_at=timezone.now())
    ConcernEvent.objects.create(concern=concern, kind=EventKind.RAISED, actor=volunteer, at=concern.raised_at)

    worklist = coordinator_client.get(reverse("safeguarding:concern-list")).content.decode()
    assert concern.get_absolute_url() in worklist
    assert "Someone is in danger now" in worklist
    assert "14 Feb 2028 14:05" in worklist
    assert family.parent.display_name in worklist
    assert reverse("referrals:parent-detail", args=[family.parent_id]) in worklist
    assert reverse("referrals:referral-detail", args=[family.referral_id]) in worklist
    assert reverse("matching:match-detail", args=[family.pk]) in worklist
    assert reverse("volunteers:detail", args=[family.volunteer_id]) in worklist

    page = coordinator_client.get(concern.get_absolute_url())
    assert page.status_code == 200
    assert "Acknowledge this concern" in page.content.decode()
    viewed = AuditEvent.objects.get(action=AuditAction.VIEW, object_id=str(concern.pk))
    assert viewed.summary == f"Concern {concern.pk} viewed"  # names the record, never the family

    assert coordinator_client.post(_url("acknowledge", concern)).status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.acknowledged_by) == (ConcernStatus.ACKNOWLEDGED, coordinator)

    follow_up = dt.date(2028, 2, 21)
    response = coordinator_client.post(
        _url("plan", concern), {"owner": manager.pk, "follow_up_on": "2028-02-21", "note": "Call the health visitor."}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.owner, concern.follow_up_on) == (ConcernStatus.PLANNED, manager, follow_up)

    response = coordinator_client.post(
        _url("close", concern), {"outcome": Outcome.HEALTH, "note": "Health visitor is visiting today."}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.outcome, concern.closed_by) == (ConcernStatus.CLOSED, Outcome.HEALTH, coordinator)

    page = coordinator_client.get(concern.get_absolute_url()).content.decode()
    for shown in (
        "Raised",
        "Acknowledged",
        "Action planned",
        "Closed",
        "Call the health visitor.",
        "Health visitor is visiting today.",
        "Referred to GP, midwife or health visitor",
        "21 Feb 2028",
        str(manager),
    ):
        assert shown in page
    assert "Acknowledge this concern" not in page  # a closed concern offers no steps
    assert list(concern.events.values_list("kind", flat=True)) == [
        EventKind.RAISED,
        EventKind.ACKNOWLEDGED,
        EventKind.PLANNED,
        EventKind.CLOSED,
    ]
    assert _audit(concern) == [
        f"Concern {concern.pk} viewed",
        f"Concern {concern.pk} acknowledged",
        f"Concern {concern.pk} action planned",
        f"Concern {concern.pk} closed",
        f"Concern {concern.pk} viewed",
    ]


def test_each_form_on_the_concern_page_labels_its_own_fields(coordinator_client, concern):
    # Both forms have a note: each label must point at its own box.
    page = coordinator_client.get(concern.get_absolute_url()).content.decode()
    assert page.count('id="id_plan_note"') == 1
    assert page.count('id="id_close_note"') == 1
    assert 'id="id_note"' not in page


def test_planning_a_new_concern_acknowledges_it_too(coordinator_client, coordinator, concern):
    follow_up = timezone.localdate() + dt.timedelta(days=3)
    coordinator_client.post(
        _url("plan", concern), {"owner": coordinator.pk, "follow_up_on": follow_up.isoformat(), "note": "Ring her."}
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.PLANNED
    assert concern.acknowledged_by == coordinator
    assert list(concern.events.values_list("kind", flat=True)) == [
        EventKind.RAISED,
        EventKind.ACKNOWLEDGED,
        EventKind.PLANNED,
    ]


def test_an_escalated_concern_says_so_on_its_timeline(coordinator_client, concern):
    ConcernEvent.objects.create(concern=concern, kind=EventKind.ESCALATED, actor=None)
    Concern.objects.filter(pk=concern.pk).update(escalated_at=timezone.now())
    page = coordinator_client.get(concern.get_absolute_url()).content.decode()
    assert "Escalated: not acknowledged in time" in page
    assert "Sent automatically to the manager and the deputy lead" in page


# --- Refusals: field errors, nothing written ----------------------------------


def test_closing_without_an_outcome_or_a_note_is_refused_and_writes_nothing(coordinator_client, concern):
    response = coordinator_client.post(_url("close", concern), {"outcome": "", "note": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the outcome." in page
    assert "Say what was done." in page
    assert "Nothing was saved" in page  # said at the top, where the page opens on a phone
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert list(concern.events.values_list("kind", flat=True)) == [EventKind.RAISED]
    assert _audit(concern) == []


def test_an_unknown_outcome_is_refused(coordinator_client, concern):
    response = coordinator_client.post(_url("close", concern), {"outcome": "sorted", "note": "Done."})
    assert response.status_code == 400
    assert "Choose the outcome." in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW


def test_a_plan_without_a_fit_owner_or_a_date_comes_back_with_field_errors(
    coordinator_client, coordinator, volunteer, concern
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = coordinator_client.post(
        _url("plan", concern), {"owner": volunteer.pk, "follow_up_on": yesterday.isoformat(), "note": "Ring her."}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a coordinator, manager or PSO of your organisation." in page  # a volunteer owns no follow-up
    concern.refresh_from_db()
    assert (concern.status, concern.owner) == (ConcernStatus.NEW, None)
    assert concern.events.count() == 1

    response = coordinator_client.post(_url("plan", concern), {"owner": coordinator.pk, "follow_up_on": "", "note": ""})
    assert response.status_code == 400
    assert "Give the date to follow it up." in response.content.decode()
    assert "Say what action is planned." in response.content.decode()
    assert concern.events.count() == 1


def test_a_follow_up_in_the_past_is_refused_by_the_service(coordinator_client, coordinator, concern):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = coordinator_client.post(
        _url("plan", concern), {"owner": coordinator.pk, "follow_up_on": yesterday.isoformat(), "note": "Ring her."}
    )
    assert response.status_code == 400
    assert "The follow-up date cannot be in the past." in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert concern.events.count() == 1


def test_a_closed_concern_takes_no_more_steps(coordinator_client, coordinator, concern):
    coordinator_client.post(_url("close", concern), {"outcome": Outcome.ADVICE, "note": "Advice given."})
    events = concern.events.count()
    response = coordinator_client.post(
        _url("plan", concern),
        {"owner": coordinator.pk, "follow_up_on": timezone.localdate().isoformat(), "note": "Again."},
        follow=True,
    )
    assert "This concern is already closed." in response.content.decode()
    coordinator_client.post(_url("close", concern), {"outcome": Outcome.POLICE, "note": "Again."})
    concern.refresh_from_db()
    assert (concern.status, concern.outcome) == (ConcernStatus.CLOSED, Outcome.ADVICE)
    assert concern.events.count() == events


@pytest.mark.parametrize(
    ("step", "data"),
    [
        ("acknowledge", {}),
        ("plan", {"follow_up_on": "2099-01-01", "note": "Mine now."}),
        ("close", {"outcome": Outcome.NO_FURTHER_ACTION, "note": "Fine."}),
    ],
)
def test_the_volunteer_who_raised_it_cannot_work_it(volunteer_client, volunteer, concern, step, data):
    if step == "plan":
        data["owner"] = volunteer.pk
    response = volunteer_client.post(_url(step, concern), data)
    assert response.status_code in (403, 404)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert concern.events.count() == 1
    assert _audit(concern) == []


def test_the_volunteer_who_raised_it_never_sees_the_notes(volunteer_client, coordinator_client, coordinator, concern):
    coordinator_client.post(_url("close", concern), {"outcome": Outcome.SOCIAL_WORK, "note": "Social work called."})
    response = volunteer_client.get(concern.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == reverse("safeguarding:concern-mine")
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(concern.pk), actor=concern.raised_by)
    # Nor does the worklist open for them: their own concerns are on "My concerns".
    response = volunteer_client.get(reverse("safeguarding:concern-list"))
    assert response["Location"] == reverse("safeguarding:concern-mine")


def test_a_pso_works_their_supervisees_concerns_and_no_one_elses(organisation, pso, pso_client, concern):
    # Not (yet) the supervisor: the concern is out of sight.
    assert pso_client.get(concern.get_absolute_url()).status_code == 404
    assert pso_client.post(_url("acknowledge", concern)).status_code == 404
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert concern not in pso_client.get(reverse("safeguarding:concern-list")).context["page"].object_list

    SupervisorPairingFactory(volunteer=concern.volunteer, supervisor=pso)
    page = pso_client.get(concern.get_absolute_url())
    assert page.status_code == 200
    # A PSO opens the volunteer's profile, never the parent's staff record.
    assert reverse("volunteers:detail", args=[concern.volunteer_id]) in page.content.decode()
    assert reverse("referrals:parent-detail", args=[concern.parent_id]) not in page.content.decode()
    assert pso_client.post(_url("acknowledge", concern)).status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.acknowledged_by) == (ConcernStatus.ACKNOWLEDGED, pso)


def test_a_pso_who_is_a_lead_works_every_concern(organisation, pso, pso_client, concern):
    SafeguardingSettingsFactory(organisation=organisation).leads.add(pso)
    assert concern in pso_client.get(reverse("safeguarding:concern-list")).context["page"].object_list
    assert pso_client.post(_url("acknowledge", concern)).status_code == 302
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ACKNOWLEDGED


def test_another_organisations_concern_is_not_found(other_coordinator_client, concern):
    assert other_coordinator_client.get(concern.get_absolute_url()).status_code == 404
    for step in ("acknowledge", "plan", "close"):
        assert other_coordinator_client.post(_url(step, concern), {"outcome": "advice", "note": "x"}).status_code == 404
    listed = other_coordinator_client.get(reverse("safeguarding:concern-list")).context["page"].object_list
    assert concern not in listed
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert concern.events.count() == 1


# --- The worklist -------------------------------------------------------------


@pytest.fixture
def worklist(organisation, volunteer, coordinator, manager):
    """Four open concerns of different ages and urgencies, and a closed one."""
    family = _match_of(volunteer, organisation)
    now = timezone.now()

    def raised(days: float, urgency: str, **fields) -> Concern:
        return ConcernFactory(match=family, urgency=urgency, raised_at=now - dt.timedelta(days=days), **fields)

    worked = {"status": ConcernStatus.ACKNOWLEDGED, "acknowledged_at": now, "acknowledged_by": coordinator}
    return {
        "old_this_week": raised(9, Urgency.THIS_WEEK),
        "danger_now": raised(0.05, Urgency.DANGER_NOW),
        "today": raised(2, Urgency.TODAY),
        "acknowledged_danger": raised(5, Urgency.DANGER_NOW, owner=manager, **worked),
        "closed": raised(
            40, Urgency.TODAY, **(worked | {"status": ConcernStatus.CLOSED, "closed_at": now, "outcome": "advice"})
        ),
    }


def _listed(client: Client, **filters) -> list[Concern]:
    response = client.get(reverse("safeguarding:concern-list"), filters)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_the_worklist_puts_unacknowledged_first_then_most_urgent_then_oldest(coordinator_client, worklist):
    assert _listed(coordinator_client) == [
        worklist["danger_now"],
        worklist["today"],
        worklist["old_this_week"],
        worklist["acknowledged_danger"],
    ]


def test_the_worklist_filters(coordinator_client, manager, worklist):
    assert _listed(coordinator_client, status="closed") == [worklist["closed"]]
    assert len(_listed(coordinator_client, status="all")) == 5
    assert _listed(coordinator_client, urgency=Urgency.DANGER_NOW) == [
        worklist["danger_now"],
        worklist["acknowledged_danger"],
    ]
    assert _listed(coordinator_client, owner=manager.pk) == [worklist["acknowledged_danger"]]
    assert _listed(coordinator_client, age="7") == [
        worklist["danger_now"],
        worklist["today"],
        worklist["acknowledged_danger"],
    ]
    assert _listed(coordinator_client, age="older-7") == [worklist["old_this_week"]]
    assert _listed(coordinator_client, age="older-30", status="all") == [worklist["closed"]]


def test_a_filter_that_no_longer_applies_falls_back_rather_than_failing(coordinator_client, worklist):
    # A bookmarked owner who left, a status that never existed.
    assert len(_listed(coordinator_client, owner=999999, status="open")) == 4
    assert len(_listed(coordinator_client, status="sorted")) == 4


def test_the_worklist_shows_the_age_in_words(coordinator_client, worklist):
    page = coordinator_client.get(reverse("safeguarding:concern-list")).content.decode()
    assert "1\xa0hour ago" in page  # raised 0.05 days (72 minutes) ago
    assert "1\xa0week ago" in page  # 9 days: the largest unit is enough for a worklist


def test_the_worklist_makes_the_same_queries_at_two_sizes(organisation, volunteer, coordinator_client):
    family = _match_of(volunteer, organisation)
    counts = []
    for size in (1, 10):
        ConcernFactory.create_batch(size, match=family, owner=family.confirmed_by)
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(reverse("safeguarding:concern-list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Settings -----------------------------------------------------------------


def _settings_data(**changes) -> dict:
    return {
        "emergency_number": "999",
        "emergency_instructions": "Call 999 now.",
        "on_call_phone": "07700 900123",
        "on_call_instructions": "Then ring the on-call phone.",
        "danger_now_minutes": "20",
        "today_working_hours": "3",
        "this_week_working_days": "1",
        **changes,
    }


def test_a_manager_saves_the_safeguarding_settings(organisation, manager_client, manager, coordinator, pso):
    page = manager_client.get(reverse("safeguarding:settings"))
    assert page.status_code == 200
    assert f"{coordinator} (Coordinator)" in page.content.decode()
    response = manager_client.post(
        reverse("safeguarding:settings"), _settings_data(leads=[coordinator.pk, pso.pk], deputy=manager.pk)
    )
    assert response.status_code == 302
    config = SafeguardingSettings.objects.get(organisation=organisation)
    assert set(config.leads.all()) == {coordinator, pso}
    assert config.deputy == manager
    assert (config.on_call_phone, config.danger_now_minutes, config.today_working_hours) == ("07700 900123", 20, 3)
    assert AuditEvent.objects.filter(summary="Safeguarding settings changed", actor=manager).exists()


def test_a_coordinator_cannot_open_or_change_the_settings(organisation, coordinator_client, coordinator):
    assert coordinator_client.get(reverse("safeguarding:settings")).status_code == 403
    response = coordinator_client.post(reverse("safeguarding:settings"), _settings_data(leads=[coordinator.pk]))
    assert response.status_code == 403
    config = SafeguardingSettings.objects.get(organisation=organisation)
    assert not config.leads.exists()
    assert config.danger_now_minutes == 30


def test_a_volunteer_cannot_be_a_lead(organisation, manager_client, coordinator, volunteer):
    response = manager_client.post(
        reverse("safeguarding:settings"), _settings_data(leads=[coordinator.pk, volunteer.pk], deputy=volunteer.pk)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Leads are coordinators, managers or PSOs of your organisation." in page
    assert "The deputy is a coordinator, manager or PSO of your organisation." in page
    config = SafeguardingSettings.objects.get(organisation=organisation)
    assert not config.leads.exists()
    assert config.deputy is None
    assert config.on_call_phone == ""


def test_settings_out_of_range_and_without_a_lead_are_refused(organisation, manager_client):
    response = manager_client.post(reverse("safeguarding:settings"), _settings_data(danger_now_minutes="1"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Name at least one designated safeguarding lead." in page
    assert "greater than or equal to 5" in page
    assert SafeguardingSettings.objects.get(organisation=organisation).danger_now_minutes == 30


def test_the_settings_are_linked_for_managers_only(manager_client, coordinator_client):
    settings_url = reverse("safeguarding:settings")
    assert settings_url in manager_client.get(reverse("safeguarding:concern-list")).content.decode()
    assert settings_url in manager_client.get(reverse("notifications:log")).content.decode()
    assert settings_url not in coordinator_client.get(reverse("safeguarding:concern-list")).content.decode()


# --- Home panels and navigation -------------------------------------------------


def test_the_coordinators_home_shows_the_concern_and_the_worklist(coordinator_client, concern):
    page = coordinator_client.get(reverse("home")).content.decode()
    assert 'id="concerns-panel-heading">Concerns' in page
    assert concern.get_absolute_url() in page
    assert "Today" in page
    assert "New: not acknowledged" in page
    assert f'href="{reverse("safeguarding:concern-list")}"' in page


def test_a_supervisors_home_shows_their_supervisees_open_concerns(pso, pso_client, concern):
    assert concern.get_absolute_url() not in pso_client.get(reverse("home")).content.decode()
    SupervisorPairingFactory(volunteer=concern.volunteer, supervisor=pso)
    assert concern.get_absolute_url() in pso_client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(("role", "shown"), [(Role.COORDINATOR, True), (Role.PSO, True), (Role.VOLUNTEER, False)])
def test_the_concerns_link_is_in_the_navigation_of_those_who_work_them(organisation, role, shown):
    user = member(username=f"nav-{role}", organisation=organisation, role=role)
    page = _client(user).get(reverse("home")).content.decode()
    assert (f'href="{reverse("safeguarding:concern-list")}">Concerns</a>' in page) is shown
