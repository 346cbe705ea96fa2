"""The places where the OpenAPI schema and the API disagreed (issue 28), each
pinned by a fast test; ``test_schemathesis.py`` finds the rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from operations.core.api_schema import TIME_OF_DAY
from operations.groups import services as group_services
from tests.groups.helpers import first_session, make_group
from tests.security.matrix import OBJECTS
from tests.security.test_permission_matrix import World

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def component(schema: dict, name: str) -> dict:
    return schema["components"]["schemas"][name]


def parameters(schema: dict, path: str) -> dict[str, dict]:
    return {parameter["name"]: parameter["schema"] for parameter in schema["paths"][path]["get"]["parameters"]}


@pytest.fixture
def world(organisation, other_organisation, volunteer, pso, coordinator, manager, other_coordinator) -> World:
    users = {
        "volunteer": volunteer,
        "pso": pso,
        "coordinator": coordinator,
        "manager": manager,
        "other_coordinator": other_coordinator,
    }
    return World(organisation, other_organisation, users, {})


def test_a_match_not_ended_has_a_blank_ending_type_and_the_schema_allows_it(schema, world, volunteer):
    match = OBJECTS["match"](world)
    body = api(volunteer).get(f"/api/v1/matches/{match.pk}/").json()
    assert body["ending_type"] == ""
    allowed = [
        ref["$ref"].rsplit("/", 1)[1] for ref in component(schema, "Match")["properties"]["ending_type"]["oneOf"]
    ]
    assert "BlankEnum" in allowed


def test_a_facilitators_booking_has_every_field_the_schema_requires(schema, organisation, volunteer):
    session = first_session(make_group(organisation, facilitators=[volunteer]))
    group_services.booking_create(session_id=session.pk, actor=None, attendee_name="Ann", attendee_consent=True)
    row = api(volunteer).get("/api/v1/bookings/").json()["results"][0]
    assert set(component(schema, "Booking")["required"]) <= row.keys()
    assert "attendee_phone" not in row
    assert "parent" not in row


def test_a_volunteer_does_not_see_wellbeing_and_the_schema_does_not_require_it(schema, world, volunteer):
    session = OBJECTS["supervision_session"](world)
    row = api(volunteer).get(f"/api/v1/supervisions/{session.pk}/").json()
    assert "wellbeing" not in row
    assert "notes" not in row
    read = component(schema, "SupervisionRead")
    assert set(read["required"]) <= row.keys()
    assert "wellbeing" in read["properties"]
    assert "wellbeing" in component(schema, "Supervision")["required"]  # writing one still needs it


def test_a_volunteer_reads_what_the_concern_schema_requires_and_not_the_notes(schema, world, volunteer):
    concern = OBJECTS["concern"](world)  # raised by the persona volunteer
    row = api(volunteer).get(f"/api/v1/concerns/{concern.pk}/").json()
    assert set(component(schema, "ConcernDetail")["required"]) <= row.keys()
    assert {"owner", "outcome", "raised_by_name"}.isdisjoint(row)
    assert {"owner", "outcome"} <= component(schema, "ConcernDetail")["properties"].keys()
    assert "note" in component(schema, "ConcernEvent")["properties"]
    assert set(component(schema, "ConcernEvent")["required"]) == {"kind", "at"}


def test_the_concern_list_documents_its_filters_and_choices(schema):
    documented = parameters(schema, "/api/v1/concerns/")
    assert {"status", "urgency", "owner", "page"} <= documented.keys()
    assert documented["urgency"]["pattern"] == "^(danger_now|today|this_week)$"
    raising = component(schema, "ConcernRaise")
    assert set(raising["required"]) == {"about", "kind", "urgency", "details"}
    assert "mental_health" in raising["properties"]["kind"]["pattern"]
    created = schema["paths"]["/api/v1/concerns/"]["post"]["responses"]
    assert {"200", "201"} <= created.keys()  # 200: the same client_key sent again


def test_the_referral_list_documents_its_filters(schema):
    documented = parameters(schema, "/api/v1/referrals/")
    assert {"status", "service", "council_area", "urgency", "page"} <= documented.keys()
    assert documented["page"]["minimum"] == 1


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/referrals/", {"page": ""}),
        ("/api/v1/referrals/", {"page": "0"}),
        ("/api/v1/referrals/", {"status": ""}),
        ("/api/v1/assessments/", {"timepoint": ""}),
        ("/api/v1/assessments/", {"timepoint": "someday"}),
        ("/api/v1/matches/", {"status": "nope"}),
        ("/api/v1/concerns/", {"status": ""}),
        ("/api/v1/concerns/", {"urgency": "soon"}),
        ("/api/v1/concerns/", {"owner": "0"}),
        ("/api/v1/group-sessions/", {"upcoming": "maybe"}),
        ("/api/v1/bookings/", {"session": "x"}),
        ("/api/v1/conflicts/", {"parent": "-1"}),
        ("/api/v1/match-reviews/", {"match": "1.5"}),
        ("/api/v1/dashboard/", {"date_to": ""}),
    ],
)
def test_an_invalid_filter_or_page_is_a_400_naming_it(manager, path, query):
    response = api(manager).get(path, query)
    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_a_page_past_the_end_is_a_404(manager):
    assert api(manager).get("/api/v1/referrals/", {"page": 2}).status_code == 404


def test_a_json_value_of_another_type_than_documented_is_a_400_naming_it(manager):
    client = api(manager)
    response = client.post("/api/v1/directory/", {"name": 5}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    response = client.post("/api/v1/services/", {"name": "Doulas", "end_child_age_months": "12"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["end_child_age_months"]


def test_a_reminder_name_that_is_not_text_is_a_400_not_a_500(manager):
    response = api(manager).patch("/api/v1/reminder-settings/", {"turned_off": [{}]}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["turned_off"]


def test_a_path_under_the_api_that_names_no_operation_is_a_json_404(manager):
    response = api(manager).get("/api/v1/referrals/1.5/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_every_operation_documents_its_refusals(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "400" in responses, (method, path)
            if operation.get("security") != [{}]:
                assert responses["401"]["headers"]["WWW-Authenticate"]["required"], (method, path)
                assert "403" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)


def test_a_time_of_day_is_documented_as_it_is_written(schema, organisation, manager):
    start = component(schema, "Group")["properties"]["start_time"]
    assert "format" not in start
    assert start["pattern"] == TIME_OF_DAY
    make_group(organisation, starts_on=timezone.localdate() + dt.timedelta(days=7))
    row = api(manager).get("/api/v1/groups/").json()["results"][0]
    assert row["start_time"] == "10:00:00"
