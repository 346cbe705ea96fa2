"""Property-based API testing from the OpenAPI schema (schemathesis): every
operation, with generated valid and invalid input, as a manager of one
organisation. No input may produce a 500, and every response must conform to
the schema. Bounded (examples per operation) so CI stays quick.

The operations are driven from inside one test (rather than schemathesis's
pytest plugin) so that they share the test database and its transaction."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks

from operations.core.models import Role
from tests.factories import ServiceFactory, member

MAX_EXAMPLES = 10
# No 500s; bodies and content types as documented; input that breaks the
# schema is refused with a 4xx. (Schema-valid input may still be refused by a
# business rule — a duplicate name, wrong credentials — so "positive data
# accepted" is not checked.)
CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.content_type_conformance,
    checks.negative_data_rejection,
]


@pytest.fixture
def keep_connection_open():
    # Like Django's test client: keep the test's database connection (and its
    # transaction) open across requests served by the real WSGI handler.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_no_server_errors_and_responses_match_the_schema(organisation, keep_connection_open):
    manager = member(username="schema-manager", organisation=organisation, role=Role.MANAGER)
    ServiceFactory(organisation=organisation, name="Befriending")
    headers = {"Authorization": f"Token {Token.objects.create(user=manager).key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), headers=headers)

    failures: dict[str, str] = {}
    seen: dict[int, int] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20, "the schema lost its operations"
    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case) -> None:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            seen[response.status_code] = seen.get(response.status_code, 0) + 1

        try:
            exercise()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every operation's failure
            failures[f"{operation.method.upper()} {operation.path}"] = " | ".join(str(exc).strip().splitlines()[:12])[
                :900
            ]
    assert any(200 <= code < 300 for code in seen), seen
    assert 400 in seen, seen
    assert not failures, "\n".join(f"{name}: {error}" for name, error in failures.items())
