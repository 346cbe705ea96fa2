"""NUL and other control characters are refused in one place
(operations.core.middleware.RefuseControlCharacters): a 400 naming the
field, nothing written, never a 500 from the database."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referrals.models import Parent
from tests.factories import ParentFactory

QUERY_URLS = [
    "/api/v1/referrals/?status=%00",
    "/api/v1/matches/?status=%00",
    "/api/v1/assessments/?measure=%00",
    "/api/v1/assessments/?timepoint=%00",
    "/referrals/parents/?q=%00",
    "/notifications/log/?kind=%00",
    "/referrals/parents/?q=ab%01c",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", QUERY_URLS)
def test_a_control_character_in_a_query_is_a_400_naming_the_field(coordinator_client, url):
    response = coordinator_client.get(url)
    assert response.status_code == 400
    field = url.split("?")[1].split("=")[0]
    if url.startswith("/api/"):
        assert response.json() == {field: ["Remove the control character from this value: it cannot be stored."]}
    else:
        assert field in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_json_body_is_a_400_on_that_field_and_nothing_is_written(coordinator_client, organisation):
    parent = ParentFactory(organisation=organisation, postcode="TD1 1AA")
    response = coordinator_client.patch(
        f"/api/v1/parents/{parent.pk}/",
        data=json.dumps({"postcode": "TD1 1AB", "council_area": "\u0000"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["council_area"]
    assert Parent.objects.get(pk=parent.pk).postcode == "TD1 1AA"

    before = coordinator_client.get("/api/v1/volunteers/").json()["count"]
    response = coordinator_client.post(
        "/api/v1/volunteers/",
        data=json.dumps({"council_areas": ["\u0000"]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["council_areas"]
    assert coordinator_client.get("/api/v1/volunteers/").json()["count"] == before


@pytest.mark.django_db
def test_a_nul_in_a_form_is_a_400_and_nothing_is_written(coordinator_client, organisation):
    parent = ParentFactory(organisation=organisation, first_name="Isla")
    response = coordinator_client.post(
        reverse("referrals:parent-edit", args=[parent.pk]), {"first_name": "Is\x00la", "last_name": "Example"}
    )
    assert response.status_code == 400
    assert Parent.objects.get(pk=parent.pk).first_name == "Isla"


@pytest.mark.django_db
def test_line_breaks_and_tabs_in_a_text_box_are_not_refused(coordinator_client):
    response = coordinator_client.get("/referrals/parents/", {"q": "Isla"})
    assert response.status_code == 200
    assert (
        coordinator_client.post(reverse("referrals:referral-new"), {"reason": "line one\r\nline two\tend"}).status_code
        != 400
    )


@pytest.mark.django_db
# GETs change nothing, so one signed-in client serves every example.
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(max_codepoint=0x7F), min_size=1, max_size=8))
def test_any_query_text_is_answered_without_a_500(coordinator_client, text):
    for url in ("/referrals/parents/", "/api/v1/referrals/", "/notifications/log/"):
        response = coordinator_client.get(url, {"q": text, "status": text, "kind": text})
        assert response.status_code in (200, 400), (url, repr(text), response.status_code)
