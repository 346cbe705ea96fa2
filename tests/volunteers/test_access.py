"""Who sees what: restricted fields hidden (pages and API), a PSO sees
their supervisees, a volunteer only themselves, and no other organisation."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from operations.core.models import Role
from tests.factories import member
from tests.volunteers.conftest import TODAY
from tests.volunteers.helpers import make_profile
from volunteers import services

pytestmark = pytest.mark.django_db

NUMBER = "1234000000000077"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def people(organisation, pso, volunteer):
    """The volunteer persona, supervised by the PSO, with restricted data;
    and a second volunteer supervised by someone else."""
    own = make_profile(
        organisation=organisation,
        user=volunteer,
        today=TODAY,
        supervisor=pso,
        coordinator_notes="COORD-ONLY-NOTE",
        preferences="PREFS-ONLY",
    )
    own.pvg.membership_number = NUMBER
    own.pvg.save()
    other_supervisor = member(username="pso-b", organisation=organisation, role=Role.PSO)
    stranger = make_profile(organisation=organisation, today=TODAY, supervisor=other_supervisor)
    return own, stranger


@pytest.mark.parametrize("persona", ["coordinator", "manager"])
def test_staff_see_restricted_fields_on_the_page_and_in_the_api(request, people, persona):
    own, _ = people
    user = request.getfixturevalue(persona)
    page = request.getfixturevalue(f"{persona}_client").get(f"/volunteers/{own.pk}/").content.decode()
    assert NUMBER in page
    assert "COORD-ONLY-NOTE" in page
    assert "SECRET-NOTES" in page
    body = api(user).get(f"/api/v1/volunteers/{own.pk}/").json()
    assert body["pvg"]["membership_number"] == NUMBER
    assert body["coordinator_notes"] == "COORD-ONLY-NOTE"
    sessions = api(user).get("/api/v1/supervisions/").json()["results"]
    assert sessions[0]["notes"] == "SECRET-NOTES"


@pytest.mark.parametrize("persona", ["pso", "volunteer"])
def test_pso_and_volunteer_never_see_pvg_number_or_coordinator_notes(request, people, persona):
    own, _ = people
    user = request.getfixturevalue(persona)
    page = request.getfixturevalue(f"{persona}_client").get(f"/volunteers/{own.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert NUMBER not in html
    assert "COORD-ONLY-NOTE" not in html
    assert "PREFS-ONLY" not in html
    body = api(user).get(f"/api/v1/volunteers/{own.pk}/").json()
    assert "membership_number" not in body["pvg"]
    assert "coordinator_notes" not in body
    assert "preferences" not in body
    assert body["pvg"]["renewal_due"]  # the check itself is not secret


def test_the_supervisor_reads_their_notes_but_the_volunteer_never_does(people, pso, volunteer, volunteer_client):
    session = people[0].supervision_sessions.get()
    assert api(pso).get(f"/api/v1/supervisions/{session.pk}/").json()["notes"] == "SECRET-NOTES"
    body = api(volunteer).get(f"/api/v1/supervisions/{session.pk}/").json()
    assert "notes" not in body
    assert "wellbeing" not in body
    assert "SECRET-NOTES" not in volunteer_client.get(f"/volunteers/supervision/{session.pk}/").content.decode()
    assert "SECRET-NOTES" not in volunteer_client.get(f"/volunteers/{people[0].pk}/").content.decode()


def test_a_volunteer_sees_only_themselves(people, volunteer, volunteer_client):
    own, stranger = people
    assert [row["id"] for row in api(volunteer).get("/api/v1/volunteers/").json()["results"]] == [own.pk]
    assert api(volunteer).get(f"/api/v1/volunteers/{stranger.pk}/").status_code == 404
    assert volunteer_client.get(f"/volunteers/{stranger.pk}/").status_code == 404
    assert volunteer_client.get("/volunteers/").status_code == 403
    assert volunteer_client.get("/volunteers/compliance/").status_code == 403
    stranger_session = stranger.supervision_sessions.get()
    assert api(volunteer).get(f"/api/v1/supervisions/{stranger_session.pk}/").status_code == 404


def test_a_volunteer_in_group_supervision_sees_only_their_own_actions(organisation, people, pso, volunteer):
    own, _ = people
    other = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    session = services.supervision_session_create(
        organisation=organisation,
        actor=pso,
        supervisor=pso,
        volunteers=[own, other],
        held_on=TODAY,
        mode="video",
        duration_minutes=60,
        wellbeing="good",
        notes="GROUP-NOTES",
        actions=[
            {"description": "MINE", "owner": volunteer, "due_on": TODAY},
            {"description": "THEIRS", "owner": other.user, "due_on": TODAY},
        ],
    )
    body = api(volunteer).get(f"/api/v1/supervisions/{session.pk}/").json()
    assert [a["description"] for a in body["actions"]] == ["MINE"]
    home = APIClient()
    home.force_login(volunteer)
    html = home.get("/").content.decode()
    assert "MINE" in html
    assert "THEIRS" not in html
    assert "GROUP-NOTES" not in html


def test_a_pso_sees_their_supervisees_only(people, pso, pso_client):
    own, stranger = people
    ids = [row["id"] for row in api(pso).get("/api/v1/volunteers/").json()["results"]]
    assert ids == [own.pk]
    assert pso_client.get(f"/volunteers/{stranger.pk}/").status_code == 404
    listing = pso_client.get("/volunteers/").content.decode()
    assert str(own.user) in listing
    assert str(stranger.user) not in listing
    assert str(own.user) in pso_client.get("/").content.decode()


def test_pso_cannot_change_records_through_the_api_or_pages(people, pso, pso_client):
    own, _ = people
    response = api(pso).patch(f"/api/v1/volunteers/{own.pk}/", {"max_caseload": 5}, format="json")
    assert response.status_code == 403
    assert pso_client.get(f"/volunteers/{own.pk}/pvg/").status_code == 403
    own.refresh_from_db()
    assert own.max_caseload == 2


def test_no_other_organisation_through_pages_or_api(people, other_coordinator, other_coordinator_client):
    own, _ = people
    assert other_coordinator_client.get(f"/volunteers/{own.pk}/").status_code == 404
    assert other_coordinator_client.get(f"/volunteers/{own.pk}/edit/").status_code == 404
    assert str(own.user) not in other_coordinator_client.get("/volunteers/").content.decode()
    assert str(own.user) not in other_coordinator_client.get("/volunteers/compliance/").content.decode()
    assert api(other_coordinator).get("/api/v1/volunteers/").json()["results"] == []
    assert api(other_coordinator).get(f"/api/v1/volunteers/{own.pk}/").status_code == 404
    assert api(other_coordinator).get("/api/v1/supervisions/").json()["results"] == []
    response = api(other_coordinator).post(f"/api/v1/volunteers/{own.pk}/status/", {"status": "left", "reason": "x"})
    assert response.status_code == 404


def test_api_reports_fit_to_match_with_reasons_read_only(organisation, coordinator, pso):
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso, pvg=False)
    body = api(coordinator).get(f"/api/v1/volunteers/{profile.pk}/").json()
    assert body["fit_to_match"] is False
    assert [r["code"] for r in body["fitness_reasons"]] == ["pvg_missing"]
    api(coordinator).patch(f"/api/v1/volunteers/{profile.pk}/", {"fit_to_match": True}, format="json")
    assert api(coordinator).get(f"/api/v1/volunteers/{profile.pk}/").json()["fit_to_match"] is False
