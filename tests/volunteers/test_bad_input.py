"""Bad input gets a clear field error and nothing is written, on the pages
and through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from operations.core.audit import AuditEvent
from operations.core.models import Role
from tests.factories import member
from tests.volunteers.conftest import TODAY
from tests.volunteers.helpers import make_profile
from volunteers.models import PvgRecord, SupervisionAction, SupervisionSession, VolunteerProfile

pytestmark = pytest.mark.django_db

TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def profile(organisation, pso):
    return make_profile(organisation=organisation, today=TODAY, supervisor=pso, pvg=False, supervised_days_ago=None)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"issued_on": TOMORROW}, "issued_on", "cannot be in the future"),
        ({"issued_on": "2024-05-01", "renewal_due": "2024-04-01"}, "renewal_due", "must be after the date of issue"),
    ],
)
def test_pvg_refusals_on_the_page_and_in_the_api(profile, coordinator, coordinator_client, data, field, message):
    body = {"membership_number": "1234567812345678", "scheme": "both", **data}
    page = coordinator_client.post(f"/volunteers/{profile.pk}/pvg/", body)
    assert page.status_code == 200
    assert message in page.content.decode()
    response = api(coordinator).put(f"/api/v1/volunteers/{profile.pk}/pvg/", body, format="json")
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not PvgRecord.objects.exists()
    assert not AuditEvent.objects.filter(object_type="volunteers.PvgRecord").exists()


def session_body(profile, supervisor, **changes) -> dict:
    return {
        "supervisor": supervisor.pk,
        "volunteers": [profile.pk],
        "held_on": TODAY.isoformat(),
        "mode": "phone",
        "duration_minutes": 45,
        "wellbeing": "good",
        "notes": "",
        **changes,
    }


def page_body(profile, supervisor, **changes) -> dict:
    body = session_body(profile, supervisor, **changes)
    body.update(
        {
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-MIN_NUM_FORMS": "0",
            "actions-MAX_NUM_FORMS": "10",
        }
    )
    return body


def test_a_supervision_session_is_logged_from_the_page(profile, pso, pso_client):
    body = page_body(profile, pso, **{"actions-0-description": "Call back", "actions-0-owner": profile.user_id})
    response = pso_client.post("/volunteers/supervision/new/", body)
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert list(session.volunteers.all()) == [profile]
    assert session.actions.get().owner == profile.user


def test_a_supervision_dated_in_the_future_is_refused(profile, pso, pso_client):
    page = pso_client.post("/volunteers/supervision/new/", page_body(profile, pso, held_on=TOMORROW))
    assert "cannot be dated in the future" in page.content.decode()
    response = api(pso).post("/api/v1/supervisions/", session_body(profile, pso, held_on=TOMORROW), format="json")
    assert response.status_code == 400
    assert "held_on" in response.json()
    assert not SupervisionSession.objects.exists()


def test_a_supervisor_must_be_a_pso_or_coordinator_of_the_same_organisation(
    organisation, profile, coordinator, coordinator_client, other_coordinator, manager
):
    volunteer_user = member(username="not-a-supervisor", organisation=organisation, role=Role.VOLUNTEER)
    for supervisor in (other_coordinator, volunteer_user, manager):
        response = api(coordinator).post("/api/v1/supervisions/", session_body(profile, supervisor), format="json")
        assert response.status_code == 400, supervisor
        assert "PSO or coordinator of this organisation" in response.json()["supervisor"][0]
    # The page offers only valid supervisors: a forged choice is refused too.
    page = coordinator_client.post("/volunteers/supervision/new/", page_body(profile, other_coordinator))
    assert page.status_code == 200
    assert "is-invalid" in page.content.decode()
    pairing = coordinator_client.post(f"/volunteers/{profile.pk}/supervisor/", {"supervisor": volunteer_user.pk})
    assert pairing.status_code == 200
    assert not SupervisionSession.objects.exists()
    assert profile.pairings.count() == 1


def test_an_action_owner_outside_the_session_is_refused(organisation, profile, pso, coordinator):
    outsider = member(username="outsider", organisation=organisation, role=Role.VOLUNTEER)
    body = session_body(profile, pso, actions=[{"description": "x", "owner": outsider.pk}])
    response = api(pso).post("/api/v1/supervisions/", body, format="json")
    assert response.status_code == 400
    assert "actions" in response.json()
    assert not SupervisionSession.objects.exists()
    assert not SupervisionAction.objects.exists()


def test_a_volunteer_cannot_log_supervision(profile, pso, volunteer):
    assert api(volunteer).post("/api/v1/supervisions/", session_body(profile, pso), format="json").status_code == 403


@pytest.mark.parametrize(("value", "ok"), [(-1, False), (11, False), (0, True), (10, True)])
def test_maximum_caseload_between_zero_and_the_settable_limit(profile, coordinator, coordinator_client, value, ok):
    response = api(coordinator).patch(f"/api/v1/volunteers/{profile.pk}/", {"max_caseload": value}, format="json")
    assert response.status_code == (200 if ok else 400)
    if not ok:
        assert "between 0 and 10" in response.json()["max_caseload"][0]
    profile.refresh_from_db()
    assert profile.max_caseload == (value if ok else 2)


def test_the_caseload_limit_is_a_setting(profile, coordinator):
    from volunteers.selectors import settings_for

    settings = settings_for(profile.organisation_id)
    settings.max_caseload_limit = 15
    settings.save()
    response = api(coordinator).patch(f"/api/v1/volunteers/{profile.pk}/", {"max_caseload": 12}, format="json")
    assert response.status_code == 200


def test_availability_outside_the_grid_is_refused(profile, coordinator, coordinator_client):
    response = api(coordinator).patch(
        f"/api/v1/volunteers/{profile.pk}/", {"availability": ["mon_am", "mon_night"]}, format="json"
    )
    assert response.status_code == 400
    assert "mon_night" in response.json()["availability"][0]
    page = coordinator_client.post(
        f"/volunteers/{profile.pk}/edit/", {"kinds": ["befriender"], "max_caseload": 2, "availability": ["xx_am"]}
    )
    assert page.status_code == 200
    assert "is not one of the available choices" in page.content.decode()
    profile.refresh_from_db()
    assert profile.availability == []


def test_creating_a_profile_with_a_new_account(organisation, coordinator, coordinator_client):
    response = coordinator_client.post(
        "/volunteers/new/",
        {
            "username": "new-befriender",
            "first_name": "Nova",
            "last_name": "Test",
            "email": "nova@example.org",
            "role": "volunteer",
            "kinds": ["befriender", "birth_companion"],
            "max_caseload": 2,
            "availability": ["mon_am", "fri_eve"],
        },
    )
    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(user__username="new-befriender")
    assert not profile.user.has_usable_password()
    assert profile.user.memberships.get().role == Role.VOLUNTEER
    assert profile.status == "applicant"


def test_creating_through_the_api_with_bad_input_writes_nothing(coordinator):
    before = VolunteerProfile.objects.count()
    response = api(coordinator).post(
        "/api/v1/volunteers/",
        {"username": "x1", "kinds": ["befriender"], "max_caseload": 99, "availability": ["mon_xx"]},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"max_caseload", "availability"}
    assert VolunteerProfile.objects.count() == before
    assert not VolunteerProfile.objects.filter(user__username="x1").exists()


def test_a_profile_cannot_pull_in_someone_from_another_organisation(coordinator, other_coordinator, volunteer):
    response = api(coordinator).post(
        "/api/v1/volunteers/", {"user": other_coordinator.pk, "kinds": ["befriender"]}, format="json"
    )
    assert response.status_code == 400
    assert "member of your organisation" in response.json()["user"][0]
    assert other_coordinator.memberships.count() == 1
    assert not VolunteerProfile.objects.exists()
    created = api(coordinator).post(
        "/api/v1/volunteers/", {"user": volunteer.pk, "kinds": ["befriender"]}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["fit_to_match"] is False
