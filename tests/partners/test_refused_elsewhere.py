"""A partner token opens the partner API and nothing else: every other API
operation in the schema answers it as it answers nobody (401), and the
pages do not take it as a sign-in."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import PartnerCredentialFactory

pytestmark = pytest.mark.django_db

PARTNER_PREFIX = "/api/v1/partner/"


def other_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), re.sub(r"{[^}]+}", "1", path))
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"} and not path.startswith(PARTNER_PREFIX)
    ]


def test_the_schema_has_operations_besides_the_partner_api():
    assert len(other_operations()) > 50


def test_every_other_api_operation_refuses_a_partner_token(organisation):
    credential = PartnerCredentialFactory(organisation=organisation)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {credential.token}")
    assert client.get(f"{PARTNER_PREFIX}referrals/").status_code == 200
    answered = {}
    for method, path in other_operations():
        response = client.generic(method, path, data="{}", content_type="application/json")
        answered[f"{method} {path}"] = response.status_code
    # Signing in for a staff token takes no token at all: refused for want of a username.
    assert answered.pop("POST /api/v1/auth/token/") == 400
    let_in = {operation: status for operation, status in answered.items() if status != 401}
    assert let_in == {}


def test_a_partner_token_is_no_sign_in_for_the_pages(organisation):
    credential = PartnerCredentialFactory(organisation=organisation)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {credential.token}")
    for path in ("/", "/referrals/", "/partners/", "/admin/", "/api/docs/"):
        response = client.get(path)
        assert response.status_code in (302, 401, 403), path
        if response.status_code == 302:
            assert "login" in response["Location"], path


def test_the_schema_documents_the_partner_api_with_its_own_token_and_examples():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["components"]["securitySchemes"]["partnerToken"]["scheme"] == "bearer"
    create = schema["paths"][f"{PARTNER_PREFIX}referrals/"]["post"]
    assert create["security"] == [{"partnerToken": []}]
    (key,) = [parameter for parameter in create["parameters"] if parameter["name"] == "Idempotency-Key"]
    assert (key["in"], key["required"]) == ("header", True)
    assert "examples" in create["requestBody"]["content"]["application/json"]
    assert {"201", "401", "409", "422"} <= create["responses"].keys()
    assert create["responses"]["401"]["headers"]["WWW-Authenticate"]["description"] == "``Bearer``"
    read = schema["paths"][f"{PARTNER_PREFIX}referrals/{{id}}/"]["get"]
    assert "examples" in read["responses"]["200"]["content"]["application/json"]
    schemas = schema["components"]["schemas"]
    assert schemas["PartnerReferral"]["properties"]["last_changed_on"]["format"] == "date"
