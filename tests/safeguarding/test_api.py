"""The concerns API (/api/v1/concerns/): raising one once however often it
is sent, the worklist and its filters, one concern with its timeline (its
reading audited), acknowledging, planning and closing it; what a volunteer
who raised one reads (its status, never the notes); each refusal, with
nothing written; and the other organisation, which finds nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from operations.core.audit import AuditEvent
from operations.core.models import Role
from tests.factories import ConcernFactory, MatchFactory, member
from tests.volunteers.helpers import make_profile
from volunteers.safeguarding import services
from volunteers.safeguarding.models import Concern, ConcernEvent, ConcernStatus

pytestmark = pytest.mark.django_db

PLAN_NOTE = "Called the health visitor; she will visit on Thursday"
CLOSE_NOTE = "Health visitor saw her; GP appointment booked"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def profile(organisation, volunteer, pso):
    """The persona volunteer's profile, supervised by the persona PSO."""
    return make_profile(organisation=organisation, user=volunteer, today=timezone.localdate(), supervisor=pso)


@pytest.fixture
def match(organisation, profile, coordinator):
    return MatchFactory(organisation=organisation, volunteer=profile, status="active", confirmed_by=coordinator)


@pytest.fixture
def concern(volunteer, match) -> Concern:
    data = {"match": match, "about": "parent", "kind": "mental_health", "urgency": "today"}
    return services.concern_raise(actor=volunteer, data={**data, "details": "She said she cannot cope"})


def raised(**overrides) -> dict:
    return {
        "about": "parent",
        "kind": "mental_health",
        "urgency": "today",
        "details": "Crying all through the visit",
        **overrides,
    }


def written() -> tuple[int, int, int]:
    return Concern.objects.count(), ConcernEvent.objects.count(), AuditEvent.objects.count()


# --- Raising ------------------------------------------------------------------


def test_a_volunteer_raises_a_concern_once_however_often_it_is_sent(volunteer, match):
    key = str(uuid.uuid4())
    client = api(volunteer)
    first = client.post("/api/v1/concerns/", raised(match=match.pk, client_key=key), format="json")
    assert first.status_code == 201, first.content
    concern = Concern.objects.get()
    assert (concern.match, concern.raised_by, concern.status) == (match, volunteer, ConcernStatus.NEW)
    assert first.json()["id"] == concern.pk
    assert [event["kind"] for event in first.json()["events"]] == ["raised"]

    before = written()
    again = client.post("/api/v1/concerns/", raised(match=match.pk, client_key=key), format="json")
    assert again.status_code == 200
    assert again.json()["id"] == concern.pk
    assert written() == before


def test_a_key_someone_else_sent_is_refused_and_nothing_is_written(volunteer, coordinator, match):
    key = str(uuid.uuid4())
    api(volunteer).post("/api/v1/concerns/", raised(match=match.pk, client_key=key), format="json")
    before = written()
    response = api(coordinator).post("/api/v1/concerns/", raised(match=match.pk, client_key=key), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["client_key"]
    assert "Crying" not in response.content.decode()
    assert written() == before


def test_raising_without_the_three_answers_is_refused_naming_them(volunteer, match):
    response = api(volunteer).post("/api/v1/concerns/", {"match": match.pk}, format="json")
    assert response.status_code == 400
    assert {"about", "kind", "urgency", "details"} <= response.json().keys()
    response = api(volunteer).post("/api/v1/concerns/", raised(kind="nonsense", match=match.pk), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]
    assert not Concern.objects.exists()


def test_a_concern_about_a_family_needs_the_family_and_only_ones_own(organisation, volunteer, match):
    client = api(volunteer)
    response = client.post("/api/v1/concerns/", raised(), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["match"]
    stranger = MatchFactory(organisation=organisation, status="active")
    response = client.post("/api/v1/concerns/", raised(match=stranger.pk), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["match"]
    assert not Concern.objects.exists()
    # About themself, no family is needed.
    response = client.post("/api/v1/concerns/", raised(about="volunteer"), format="json")
    assert response.status_code == 201
    assert Concern.objects.get().volunteer.user == volunteer


def test_an_id_too_large_for_the_database_is_a_field_error_not_a_500(coordinator, concern):
    huge = 2**70
    response = api(coordinator).post("/api/v1/concerns/", raised(match=huge), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["match"]
    response = api(coordinator).post(
        f"/api/v1/concerns/{concern.pk}/plan/", {"owner": huge, "note": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "owner" in response.json()


# --- Reading --------------------------------------------------------------------


def test_the_worklist_puts_the_unacknowledged_first_then_the_most_urgent_and_oldest(coordinator, match):
    now = timezone.now()
    week_old = ConcernFactory(match=match, urgency="this_week", raised_at=now - dt.timedelta(days=3))
    danger = ConcernFactory(match=match, urgency="danger_now", raised_at=now - dt.timedelta(minutes=5))
    today_old = ConcernFactory(match=match, urgency="today", raised_at=now - dt.timedelta(days=1))
    today_new = ConcernFactory(match=match, urgency="today", raised_at=now - dt.timedelta(hours=1))
    oldest = ConcernFactory(match=match, urgency="danger_now", raised_at=now - dt.timedelta(days=9))
    services.concern_acknowledge(actor=coordinator, concern=oldest)

    listed = api(coordinator).get("/api/v1/concerns/").json()["results"]
    assert [row["id"] for row in listed] == [danger.pk, today_old.pk, today_new.pk, week_old.pk, oldest.pk]


def test_the_list_filters_by_status_urgency_and_owner(coordinator, manager, match):
    planned = ConcernFactory(match=match, urgency="today")
    services.concern_plan(
        actor=coordinator,
        concern=planned,
        owner=manager,
        follow_up_on=timezone.localdate() + dt.timedelta(days=7),
        note=PLAN_NOTE,
    )
    fresh = ConcernFactory(match=match, urgency="danger_now")
    client = api(coordinator)

    def ids(query: dict) -> list[int]:
        response = client.get("/api/v1/concerns/", query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids({"status": "planned"}) == [planned.pk]
    assert ids({"status": "new"}) == [fresh.pk]
    assert ids({"urgency": "danger_now"}) == [fresh.pk]
    assert ids({"owner": manager.pk}) == [planned.pk]
    assert ids({"owner": coordinator.pk}) == []
    for wrong in ({"status": "open"}, {"urgency": "soon"}, {"owner": "me"}):
        response = client.get("/api/v1/concerns/", wrong)
        assert response.status_code == 400
        assert list(response.json()) == list(wrong)


def test_reading_a_concern_shows_its_timeline_and_is_audited(coordinator, manager, concern):
    services.concern_plan(
        actor=coordinator,
        concern=concern,
        owner=manager,
        follow_up_on=timezone.localdate() + dt.timedelta(days=3),
        note=PLAN_NOTE,
    )
    body = api(manager).get(f"/api/v1/concerns/{concern.pk}/").json()
    assert body["details"] == "She said she cannot cope"
    assert (body["status"], body["owner"], body["owner_name"]) == ("planned", manager.pk, manager.get_full_name())
    assert [event["kind"] for event in body["events"]] == ["raised", "acknowledged", "planned"]
    assert body["events"][2]["note"] == PLAN_NOTE
    assert body["events"][1]["actor_name"] == coordinator.get_full_name()
    assert AuditEvent.objects.filter(action="view", actor=manager, object_id=str(concern.pk)).exists()


def test_the_volunteer_who_raised_it_reads_its_status_never_the_notes(volunteer, coordinator, concern):
    services.concern_plan(
        actor=coordinator,
        concern=concern,
        owner=coordinator,
        follow_up_on=timezone.localdate() + dt.timedelta(days=3),
        note=PLAN_NOTE,
    )
    services.concern_close(actor=coordinator, concern=concern, outcome="health", note=CLOSE_NOTE)
    client = api(volunteer)
    listed = client.get("/api/v1/concerns/")
    one = client.get(f"/api/v1/concerns/{concern.pk}/")
    for response in (listed, one):
        text = response.content.decode()
        for hidden in (PLAN_NOTE, CLOSE_NOTE, '"outcome"', '"owner', '"note"'):
            assert hidden not in text
    body = one.json()
    assert body["status"] == "closed"
    assert body["acknowledged_by_name"] == coordinator.get_full_name()
    assert body["details"] == "She said she cannot cope"  # what they sent themself
    assert [event["kind"] for event in body["events"]] == ["raised", "acknowledged", "planned", "closed"]
    assert all(set(event) == {"kind", "at"} for event in body["events"])
    assert [row["status"] for row in listed.json()["results"]] == ["closed"]


def test_a_pso_sees_their_supervisees_concerns_with_the_notes_and_works_them(pso, concern):
    client = api(pso)
    assert [row["id"] for row in client.get("/api/v1/concerns/").json()["results"]] == [concern.pk]
    response = client.post(f"/api/v1/concerns/{concern.pk}/acknowledge/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["acknowledged_by"]) == ("acknowledged", pso.pk)


def test_another_organisation_finds_nothing(other_coordinator, concern):
    client = api(other_coordinator)
    assert client.get("/api/v1/concerns/").json()["count"] == 0
    assert client.get(f"/api/v1/concerns/{concern.pk}/").status_code == 404
    before = written()
    for step in ("acknowledge", "plan", "close"):
        assert client.post(f"/api/v1/concerns/{concern.pk}/{step}/", {}, format="json").status_code == 404
    assert written() == before


# --- Working a concern -------------------------------------------------------------


def test_acknowledging_records_who_and_when_once(coordinator, manager, concern):
    response = api(coordinator).post(f"/api/v1/concerns/{concern.pk}/acknowledge/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["acknowledged_by"]) == ("acknowledged", coordinator.pk)
    assert body["events"][-1]["kind"] == "acknowledged"
    events = ConcernEvent.objects.count()
    # Acknowledged again, by someone else: nothing changes.
    again = api(manager).post(f"/api/v1/concerns/{concern.pk}/acknowledge/").json()
    assert again["acknowledged_by"] == coordinator.pk
    assert ConcernEvent.objects.count() == events


def test_the_volunteer_who_raised_it_cannot_work_it_and_nothing_is_written(volunteer, manager, concern):
    client = api(volunteer)
    before = written()
    follow_up = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    bodies = {
        "acknowledge": {},
        "plan": {"owner": manager.pk, "follow_up_on": follow_up, "note": "I will ring her"},
        "close": {"outcome": "advice", "note": "Sorted"},
    }
    for step, body in bodies.items():
        response = client.post(f"/api/v1/concerns/{concern.pk}/{step}/", body, format="json")
        assert response.status_code == 403, step
        assert "supervisor" in response.json()["detail"]
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert written() == before


def test_planning_needs_an_owner_of_the_organisation_a_date_and_a_note(
    organisation, coordinator, volunteer, other_coordinator, concern
):
    client = api(coordinator)
    url = f"/api/v1/concerns/{concern.pk}/plan/"
    before = written()
    response = client.post(url, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"owner", "follow_up_on", "note"}
    soon = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    for owner in (volunteer, other_coordinator):
        response = client.post(url, {"owner": owner.pk, "follow_up_on": soon, "note": PLAN_NOTE}, format="json")
        assert response.status_code == 400
        assert list(response.json()) == ["owner"]
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"owner": coordinator.pk, "follow_up_on": past, "note": PLAN_NOTE}, format="json")
    assert list(response.json()) == ["follow_up_on"]
    assert written() == before

    pso_owner = member(username="sg-owner-pso", organisation=organisation, role=Role.PSO)
    response = client.post(url, {"owner": pso_owner.pk, "follow_up_on": soon, "note": PLAN_NOTE}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["owner"], body["follow_up_on"]) == ("planned", pso_owner.pk, soon)
    assert [event["kind"] for event in body["events"]] == ["raised", "acknowledged", "planned"]


def test_closing_needs_an_outcome_and_a_note_and_then_it_is_closed(coordinator, concern):
    client = api(coordinator)
    url = f"/api/v1/concerns/{concern.pk}/close/"
    before = written()
    response = client.post(url, {"outcome": "", "note": " "}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"outcome", "note"}
    response = client.post(url, {"outcome": "sorted", "note": CLOSE_NOTE}, format="json")
    assert list(response.json()) == ["outcome"]
    assert written() == before

    response = client.post(url, {"outcome": "social_work", "note": CLOSE_NOTE}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["outcome"], body["closed_by"]) == ("closed", "social_work", coordinator.pk)
    assert body["events"][-1]["note"] == CLOSE_NOTE
    assert client.get("/api/v1/concerns/", {"status": "new"}).json()["results"] == []

    # Closed is closed: no step changes it again.
    before = written()
    for step, data in (("acknowledge", {}), ("close", {"outcome": "advice", "note": "Again"})):
        response = client.post(f"/api/v1/concerns/{concern.pk}/{step}/", data, format="json")
        assert response.status_code == 400
        assert list(response.json()) == ["concern"]
    assert written() == before


# --- Query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "volunteer"])
def test_the_list_and_a_concern_read_a_fixed_number_of_queries(request, persona, match, coordinator):
    user = request.getfixturevalue(persona)
    client = api(user)
    client.get("/api/v1/concerns/")  # warm-up: the first request fills per-process caches
    counts = []
    for copies in (2, 12):
        for _ in range(copies):
            made = ConcernFactory(match=match)
            services.concern_acknowledge(actor=coordinator, concern=made)
        with CaptureQueriesContext(connection) as listed:
            assert client.get("/api/v1/concerns/").status_code == 200
        with CaptureQueriesContext(connection) as one:
            assert client.get(f"/api/v1/concerns/{made.pk}/").status_code == 200
        counts.append((len(listed), len(one)))
    assert counts[0] == counts[1]
