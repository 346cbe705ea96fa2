"""Field-level restrictions, proven across every page and API response a
persona can reach (issue 9, "Access, proven").

- The PVG membership number: coordinators and managers only.
- Supervision notes (and the wellbeing check): the session's supervisor,
  coordinators and managers only; never a person who attended, whether a
  volunteer or a PSO being supervised, and never a PSO about a supervisee's
  session someone else held.
- A profile's coordinator notes and preferences: coordinators and managers only.

``tests/volunteers/test_access.py`` checks the detail page and the detail
endpoint of one volunteer's profile. These tests sweep everything each
persona can open (home, lists, detail pages, every profile and session, the
API lists and details, and the browsable API), so a restricted value that
leaks through a list, a panel or a second view of the same record fails here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from operations.core.models import Role
from tests.factories import member
from tests.volunteers.helpers import make_profile
from volunteers import services
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

PERSONAS = ("volunteer", "pso", "coordinator", "manager", "other_coordinator")

VOLUNTEER_PVG = "PVG0000000000011"
PSO_PVG = "PVG0000000000022"
MATE_PVG = "PVG0000000000033"
VOLUNTEER_NOTE, VOLUNTEER_PREFS = "COORD-NOTE-ON-VOLUNTEER", "PREFS-OF-VOLUNTEER"
PSO_NOTE, PSO_PREFS = "COORD-NOTE-ON-PSO", "PREFS-OF-PSO"
MATE_NOTE, MATE_PREFS = "COORD-NOTE-ON-MATE", "PREFS-OF-MATE"
# Supervision notes, by who held the session and whom it was for.
BY_PSO = "NOTES-HELD-BY-PSO-GROUP"  # the PSO supervising the volunteer and a second supervisee
BY_COORDINATOR = "NOTES-HELD-BY-COORDINATOR"  # a coordinator standing in, for the PSO's supervisee
ABOUT_PSO = "NOTES-ON-THE-PSO"  # the PSO being supervised by a coordinator

PVG_NUMBERS = (VOLUNTEER_PVG, PSO_PVG, MATE_PVG)
PROFILE_SECRETS = (VOLUNTEER_NOTE, VOLUNTEER_PREFS, PSO_NOTE, PSO_PREFS, MATE_NOTE, MATE_PREFS)
SUPERVISION_NOTES = (BY_PSO, BY_COORDINATOR, ABOUT_PSO)


@dataclass
class Records:
    volunteer: VolunteerProfile  # the persona volunteer, supervised by the persona PSO
    pso: VolunteerProfile  # the persona PSO's own profile, supervised by the coordinator
    mate: VolunteerProfile  # a second supervisee of the PSO
    sessions: dict[str, int]  # notes -> session id


def _profile(organisation, user, supervisor, *, pvg: str, note: str, prefs: str) -> VolunteerProfile:
    profile = make_profile(
        organisation=organisation,
        user=user,
        today=timezone.localdate(),
        supervisor=supervisor,
        supervised_days_ago=None,
        coordinator_notes=note,
        preferences=prefs,
        gender="female",
    )
    profile.pvg.membership_number = pvg
    profile.pvg.save()
    return profile


def _session(organisation, supervisor, volunteers, notes: str) -> int:
    return services.supervision_session_create(
        organisation=organisation,
        actor=supervisor,
        supervisor=supervisor,
        volunteers=volunteers,
        held_on=timezone.localdate(),
        mode="video",
        duration_minutes=60,
        wellbeing="concern",
        notes=notes,
    ).pk


@pytest.fixture
def records(organisation, volunteer, pso, coordinator, manager, other_coordinator) -> Records:
    own = _profile(organisation, volunteer, pso, pvg=VOLUNTEER_PVG, note=VOLUNTEER_NOTE, prefs=VOLUNTEER_PREFS)
    pso_own = _profile(organisation, pso, coordinator, pvg=PSO_PVG, note=PSO_NOTE, prefs=PSO_PREFS)
    mate_user = member(username="mate", organisation=organisation, role=Role.VOLUNTEER)
    mate = _profile(organisation, mate_user, pso, pvg=MATE_PVG, note=MATE_NOTE, prefs=MATE_PREFS)
    sessions = {
        BY_PSO: _session(organisation, pso, [own, mate], BY_PSO),
        BY_COORDINATOR: _session(organisation, coordinator, [own], BY_COORDINATOR),
        ABOUT_PSO: _session(organisation, coordinator, [pso_own], ABOUT_PSO),
    }
    return Records(volunteer=own, pso=pso_own, mate=mate, sessions=sessions)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _urls(records: Records) -> list[str]:
    profiles = [records.volunteer.pk, records.pso.pk, records.mate.pk]
    sessions = list(records.sessions.values())
    pages = [
        "/",
        "/volunteers/",
        "/volunteers/compliance/",
        "/notifications/",
        *[f"/volunteers/{pk}/" for pk in profiles],
        *[f"/volunteers/supervision/{pk}/" for pk in sessions],
    ]
    api = [
        "/api/v1/volunteers/",
        "/api/v1/supervisions/",
        *[f"/api/v1/volunteers/{pk}/" for pk in profiles],
        *[f"/api/v1/supervisions/{pk}/" for pk in sessions],
    ]
    # The browsable API renders the same data (and its forms) as HTML.
    return pages + api + [f"{url}?format=api" for url in api]


def _must_reach(user, records: Records) -> set[str]:
    """What the sweep must open for a persona, so that finding nothing proves something."""
    if user.active_organisation_id != records.volunteer.organisation_id:
        return {"/", "/volunteers/", "/api/v1/volunteers/", "/api/v1/supervisions/"}
    if user.active_membership.role == Role.VOLUNTEER:
        own = records.volunteer.pk
        attended = [records.sessions[BY_PSO], records.sessions[BY_COORDINATOR]]
        return {
            "/",
            f"/volunteers/{own}/",
            f"/api/v1/volunteers/{own}/",
            f"/api/v1/volunteers/{own}/?format=api",
            *[f"/volunteers/supervision/{pk}/" for pk in attended],
            *[f"/api/v1/supervisions/{pk}/" for pk in attended],
        }
    # The PSO: their own record, their supervisees and every session of the sweep.
    profiles = [records.pso.pk, records.volunteer.pk, records.mate.pk]
    return {
        "/",
        "/volunteers/",
        *[f"/volunteers/{pk}/" for pk in profiles],
        *[f"/api/v1/volunteers/{pk}/" for pk in profiles],
        *[f"/volunteers/supervision/{pk}/" for pk in records.sessions.values()],
        *[f"/api/v1/supervisions/{pk}/?format=api" for pk in records.sessions.values()],
    }


def reachable(user, records: Records) -> dict[str, str]:
    """Every URL of the sweep the user may open (200), with its body."""
    client = _client(user)
    bodies = {}
    for url in _urls(records):
        response = client.get(url)
        assert response.status_code in (200, 403, 404), f"{url}: {response.status_code}"
        if response.status_code == 200:
            bodies[url] = response.content.decode()
    unreached = _must_reach(user, records) - bodies.keys()
    assert not unreached, f"the sweep could not open {sorted(unreached)}"
    return bodies


def leaks(bodies: dict[str, str], secrets) -> list[str]:
    return [f"{secret} in {url}" for url, body in bodies.items() for secret in secrets if secret in body]


# --- PVG membership numbers -----------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "manager"])
def test_coordinators_and_managers_read_every_pvg_number_in_pages_and_api_lists(request, records, persona):
    user = request.getfixturevalue(persona)
    client = _client(user)
    for profile, number in [(records.volunteer, VOLUNTEER_PVG), (records.pso, PSO_PVG), (records.mate, MATE_PVG)]:
        assert number in client.get(f"/volunteers/{profile.pk}/").content.decode()
    listed = {row["id"]: row for row in client.get("/api/v1/volunteers/").json()["results"]}
    assert listed[records.volunteer.pk]["pvg"]["membership_number"] == VOLUNTEER_PVG
    assert listed[records.pso.pk]["pvg"]["membership_number"] == PSO_PVG
    assert listed[records.mate.pk]["pvg"]["membership_number"] == MATE_PVG


@pytest.mark.parametrize("persona", ["volunteer", "pso", "other_coordinator"])
def test_no_pvg_number_reaches_volunteers_psos_or_another_organisation(request, records, persona):
    bodies = reachable(request.getfixturevalue(persona), records)
    assert not leaks(bodies, PVG_NUMBERS)


def test_a_pso_reads_pvg_status_but_not_the_number_of_their_own_record_and_supervisees(pso, records):
    client = _client(pso)
    listed = {row["id"]: row for row in client.get("/api/v1/volunteers/").json()["results"]}
    assert set(listed) == {records.volunteer.pk, records.pso.pk, records.mate.pk}
    for row in listed.values():
        assert row["pvg"]["renewal_due"]  # the check is shown, the number is not
        assert "membership_number" not in row["pvg"]
    assert PSO_PVG not in client.get(f"/volunteers/{records.pso.pk}/").content.decode()


# --- Coordinator notes and preferences ------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "manager"])
def test_coordinators_and_managers_read_notes_and_preferences_in_pages_and_api_lists(request, records, persona):
    client = _client(request.getfixturevalue(persona))
    assert PSO_NOTE in client.get(f"/volunteers/{records.pso.pk}/").content.decode()
    assert PSO_PREFS in client.get(f"/volunteers/{records.pso.pk}/").content.decode()
    listed = {row["id"]: row for row in client.get("/api/v1/volunteers/").json()["results"]}
    assert listed[records.mate.pk]["coordinator_notes"] == MATE_NOTE
    assert listed[records.mate.pk]["preferences"] == MATE_PREFS
    assert listed[records.mate.pk]["gender"] == "female"


@pytest.mark.parametrize("persona", ["volunteer", "pso", "other_coordinator"])
def test_notes_and_preferences_never_reach_volunteers_psos_or_another_organisation(request, records, persona):
    bodies = reachable(request.getfixturevalue(persona), records)
    assert not leaks(bodies, PROFILE_SECRETS)


@pytest.mark.parametrize("persona", ["volunteer", "pso"])
def test_restricted_profile_fields_are_left_out_of_api_lists_not_blanked(request, records, persona):
    rows = _client(request.getfixturevalue(persona)).get("/api/v1/volunteers/").json()["results"]
    assert rows, "the persona sees at least their own profile"
    for row in rows:
        assert {"coordinator_notes", "preferences", "gender"}.isdisjoint(row)


# --- Supervision notes ----------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "manager"])
def test_coordinators_and_managers_read_every_supervision_note(request, records, persona):
    client = _client(request.getfixturevalue(persona))
    for notes, pk in records.sessions.items():
        assert notes in client.get(f"/volunteers/supervision/{pk}/").content.decode()
    listed = {row["id"]: row for row in client.get("/api/v1/supervisions/").json()["results"]}
    assert {listed[pk]["notes"] for pk in records.sessions.values()} == set(SUPERVISION_NOTES)


def test_the_supervisor_reads_the_notes_of_the_sessions_they_held_only(pso, records):
    client = _client(pso)
    held = records.sessions[BY_PSO]
    assert BY_PSO in client.get(f"/volunteers/supervision/{held}/").content.decode()
    assert BY_PSO in client.get(f"/volunteers/{records.volunteer.pk}/").content.decode()
    listed = {row["id"]: row for row in client.get("/api/v1/supervisions/").json()["results"]}
    assert listed[held]["notes"] == BY_PSO
    assert listed[held]["wellbeing"] == "concern"
    # A supervisee's session a coordinator held, and the PSO's own supervision:
    # the PSO may open both, but reads neither's notes nor wellbeing check.
    for notes in (BY_COORDINATOR, ABOUT_PSO):
        pk = records.sessions[notes]
        assert client.get(f"/volunteers/supervision/{pk}/").status_code == 200
        assert {"notes", "wellbeing"}.isdisjoint(listed[pk])
    bodies = reachable(pso, records)
    assert not leaks(bodies, (BY_COORDINATOR, ABOUT_PSO))


def test_a_volunteer_who_attended_never_reads_the_notes(volunteer, records):
    client = _client(volunteer)
    attended = [records.sessions[BY_PSO], records.sessions[BY_COORDINATOR]]
    listed = {row["id"]: row for row in client.get("/api/v1/supervisions/").json()["results"]}
    assert set(listed) == set(attended), "the volunteer sees the sessions they attended, and only those"
    for pk in attended:
        assert client.get(f"/volunteers/supervision/{pk}/").status_code == 200
        assert {"notes", "wellbeing"}.isdisjoint(listed[pk])
    assert not leaks(reachable(volunteer, records), SUPERVISION_NOTES)


def test_another_organisation_reads_no_supervision_note(other_coordinator, records):
    bodies = reachable(other_coordinator, records)
    assert not leaks(bodies, SUPERVISION_NOTES)
    assert _client(other_coordinator).get("/api/v1/supervisions/").json()["results"] == []
