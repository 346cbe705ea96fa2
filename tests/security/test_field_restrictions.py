"""Field-level restrictions, proven across every page and API response a
persona can reach (issue 9, "Access, proven").

- The PVG membership number: coordinators and managers only.
- Supervision notes (and the wellbeing check): the session's supervisor,
  coordinators and managers only; never a person who attended, whether a
  volunteer or a PSO being supervised, and never a PSO about a supervisee's
  session someone else held.
- A profile's coordinator notes and preferences: coordinators and managers only.
- A family's phone, email, address and postcode never reach the volunteer or
  PSO matched with it (nor anything of another volunteer's family).

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


# --- A family's contact details on a volunteer's match (matching, issue 5) ---
# A volunteer or PSO opens their own matches only, and even there reads what
# they need to meet the family (first name, area and town, safe channels,
# language), never the parent's phone, email, address or postcode: contact
# goes through the safe channels the coordinator recorded. Nothing of another
# volunteer's family reaches them at all.

OWN_FAMILY_FIRST_NAME = "Rhonawyn"
OWN_FAMILY_SECRETS = ("07700 900123", "rhonawyn.secret@example.org", "17 Hiddenlane Row", "Flat Secretside", "TD1 9ZZ")
MATE_FAMILY = ("Morwennabel", "Quillstrand", "07700 900456", "morwenna.secret@example.org", "99 Elsewhere Wynd")
MATE_LOG_NOTE = "MATE-CONTACT-LOG-NOTE"
OWN_LOG_NOTE = "OWN-CONTACT-LOG-NOTE"


@dataclass
class Families:
    own: int  # the persona volunteer's match
    mate: int  # a match of another volunteer of the same organisation (supervised by the persona PSO too)


@pytest.fixture
def families(organisation, service, coordinator, volunteer, pso) -> Families:
    from tests.factories import council_area
    from tests.matching.helpers import fit_volunteer, waiting_referral
    from volunteers.matching import services as matching

    area = council_area("S12000026")
    own_phone, own_email, own_line_1, own_line_2, own_postcode = OWN_FAMILY_SECRETS
    own_referral = waiting_referral(
        organisation=organisation,
        service=service,
        area=area,
        first_name=OWN_FAMILY_FIRST_NAME,
        phone=own_phone,
        email=own_email,
        address_line_1=own_line_1,
        address_line_2=own_line_2,
        postcode=own_postcode,
    )
    mate_first, mate_last, mate_phone, mate_email, mate_line_1 = MATE_FAMILY
    mate_referral = waiting_referral(
        organisation=organisation,
        service=service,
        area=area,
        first_name=mate_first,
        preferred_name=mate_last,
        phone=mate_phone,
        email=mate_email,
        address_line_1=mate_line_1,
    )
    own_profile = fit_volunteer(organisation=organisation, areas=[area], user=volunteer, supervisor=pso)
    mate_user = member(username="matchmate", organisation=organisation, role=Role.VOLUNTEER)
    mate_profile = fit_volunteer(organisation=organisation, areas=[area], user=mate_user, supervisor=pso)
    matches = {}
    for name, referral, profile, actor, note in [
        ("own", own_referral, own_profile, volunteer, OWN_LOG_NOTE),
        ("mate", mate_referral, mate_profile, mate_user, MATE_LOG_NOTE),
    ]:
        match = matching.match_confirm(
            actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
        )
        today = timezone.localdate()
        matching.contact_log_create(
            actor=actor,
            match=match,
            data={"contact_date": today, "duration_minutes": 30, "mode": "phone", "note": note},
        )
        matching.visit_plan(actor=actor, match=match, data={"planned_for": today, "place": f"{note}-PLACE"})
        matches[name] = match.pk
    return Families(own=matches["own"], mate=matches["mate"])


def _family_urls(families: Families) -> list[str]:
    pages = ["/", "/matching/matches/"]
    api = ["/api/v1/matches/", "/api/v1/visits/", "/api/v1/contact-logs/"]
    for pk in (families.own, families.mate):
        pages += [f"/matching/matches/{pk}/", f"/matching/matches/{pk}/log/", f"/matching/matches/{pk}/visits/new/"]
        api += [f"/api/v1/matches/{pk}/"]
    return pages + api + [f"{url}?format=api" for url in api]


def _family_bodies(user, families: Families, must_reach: set[str]) -> dict[str, str]:
    client = _client(user)
    bodies = {}
    for url in _family_urls(families):
        response = client.get(url)
        assert response.status_code in (200, 403, 404), f"{url}: {response.status_code}"
        if response.status_code == 200:
            bodies[url] = response.content.decode()
    unreached = must_reach - bodies.keys()
    assert not unreached, f"the sweep could not open {sorted(unreached)}"
    return bodies


def test_a_volunteer_reads_their_family_without_its_contact_details_and_nothing_of_another(volunteer, families):
    own = families.own
    must_reach = {
        f"/matching/matches/{own}/",
        f"/matching/matches/{own}/log/",
        f"/api/v1/matches/{own}/",
        f"/api/v1/matches/{own}/?format=api",
        "/api/v1/matches/",
        "/api/v1/contact-logs/",
        "/api/v1/visits/",
    }
    bodies = _family_bodies(volunteer, families, must_reach)
    # The sweep reached the family: the volunteer reads the name and their own log.
    assert OWN_FAMILY_FIRST_NAME in bodies[f"/matching/matches/{own}/"]
    assert OWN_LOG_NOTE in bodies[f"/matching/matches/{own}/"]
    assert not leaks(bodies, OWN_FAMILY_SECRETS)
    assert not leaks(bodies, (*MATE_FAMILY, MATE_LOG_NOTE))
    assert f"/matching/matches/{families.mate}/" not in bodies
    assert f"/api/v1/matches/{families.mate}/" not in bodies


def test_the_match_endpoint_leaves_contact_fields_out(volunteer, families):
    client = _client(volunteer)
    detail = client.get(f"/api/v1/matches/{families.own}/").json()
    assert detail["parent_name"] == OWN_FAMILY_FIRST_NAME
    assert {"phone", "email", "address_line_1", "address_line_2", "postcode", "parent"}.isdisjoint(detail)
    listed = client.get("/api/v1/matches/").json()["results"]
    assert [row["id"] for row in listed] == [families.own]
    assert {row["match"] for row in client.get("/api/v1/contact-logs/").json()["results"]} == {families.own}
    assert {row["match"] for row in client.get("/api/v1/visits/").json()["results"]} == {families.own}


def test_a_pso_reads_nothing_of_their_supervisees_families(pso, families):
    bodies = _family_bodies(pso, families, {"/", "/matching/matches/", "/api/v1/matches/"})
    assert not leaks(bodies, (OWN_FAMILY_FIRST_NAME, *OWN_FAMILY_SECRETS, OWN_LOG_NOTE))
    assert not leaks(bodies, (*MATE_FAMILY, MATE_LOG_NOTE))
    assert _client(pso).get("/api/v1/matches/").json()["results"] == []


def test_another_organisation_reads_nothing_of_the_families(other_coordinator, families):
    bodies = _family_bodies(other_coordinator, families, {"/", "/matching/matches/", "/api/v1/matches/"})
    assert not leaks(bodies, (OWN_FAMILY_FIRST_NAME, *OWN_FAMILY_SECRETS, OWN_LOG_NOTE))
    assert not leaks(bodies, (*MATE_FAMILY, MATE_LOG_NOTE))
