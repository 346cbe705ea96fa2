"""Who may open what, proven for every route and every persona.

The routes come from Django's URL resolver and the OpenAPI schema, so a new
page or endpoint cannot escape: without a row in ``tests/security/matrix/`` (its app's module)
the completeness tests below fail and name it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from drf_spectacular.generators import SchemaGenerator

from tests.security.matrix import API, LOGIN, OBJECTS, PAGES, PERSONAS, REDIRECT, REFUSED, Case

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def resolver_routes() -> dict[str, str]:
    """Every URL pattern: its name (namespace:name), or its route when unnamed -> route."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                key = f"{namespace}{pattern.name}" if pattern.name else route
                found.setdefault(key, route)

    walk(get_resolver().url_patterns, "", "")
    return found


def schema_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    ]


def url_names_in_schema() -> set[str]:
    names = set()
    for _, path in schema_operations():
        names.add(resolve(re.sub(r"{[^}]+}", "1", path)).view_name)
    return names


def test_every_page_route_has_a_row():
    in_schema = url_names_in_schema()
    routes = {key for key in resolver_routes() if key not in in_schema}
    missing = sorted(routes - PAGES.keys())
    stale = sorted(PAGES.keys() - routes)
    assert not missing, (
        f"Routes without a row: {missing}. Add them to the matrix: PAGES of the app's module in tests/security/matrix/."
    )
    assert not stale, f"Rows for routes that no longer exist: {stale}. Remove them from tests/security/matrix/."


def test_every_api_operation_has_a_row():
    operations = {f"{method} {path}" for method, path in schema_operations()}
    missing = sorted(operations - API.keys())
    stale = sorted(API.keys() - operations)
    assert not missing, (
        f"API operations without a row: {missing}. "
        "Add them to the matrix: API of the app's module in tests/security/matrix/."
    )
    assert not stale, f"Rows for API operations that no longer exist: {stale}. Remove them from tests/security/matrix/."


def test_every_row_answers_for_every_persona():
    for key, cases in [*PAGES.items(), *API.items()]:
        for case in cases:
            assert len(case.expect) == len(PERSONAS), key


# --- Asking every route as every persona ----------------------------------


@dataclass
class World:
    organisation: Any
    other_organisation: Any
    users: dict[str, Any]
    made: dict[str, Any]

    def value(self, name: str) -> Any:
        """An object from OBJECTS (made once, its pk) or the literal itself."""
        if name not in OBJECTS:
            return name
        if name not in self.made:
            self.made[name] = OBJECTS[name](self)
        made = self.made[name]
        return getattr(made, "pk", made)

    def fill(self, template: str) -> str:
        return re.sub(r"{(\w+)}", lambda match: str(self.value(match.group(1))), template)

    def body_value(self, value: Any) -> Any:
        """A request body's value: "{object}" alone is the object's id as a
        JSON number (the API refuses a number sent as text), else as ``fill``."""
        if not isinstance(value, str):
            return value
        whole = re.fullmatch(r"{(\w+)}", value)
        return self.value(whole.group(1)) if whole else self.fill(value)


@pytest.fixture
def world(
    settings,
    organisation,
    other_organisation,
    volunteer,
    pso,
    coordinator,
    manager,
    other_coordinator,
    federation_officer,
) -> World:
    users = {
        "volunteer": volunteer,
        "pso": pso,
        "coordinator": coordinator,
        "manager": manager,
        "other_coordinator": other_coordinator,
        "federation_officer": federation_officer,
    }
    return World(organisation, other_organisation, users, {})


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def outcome(response) -> int | str:
    if response.status_code == 302:
        location = urlsplit(response["Location"]).path
        return LOGIN if location in {reverse("login"), reverse("admin:login")} else REDIRECT
    return response.status_code


def ask(world: World, persona: str, method: str, url: str, data: dict | None) -> int | str:
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    body = {key: world.body_value(value) for key, value in (data or {}).items()}
    if url.startswith("/api/") and method != "GET":
        return outcome(client.generic(method, url, data=_json(body), content_type="application/json"))
    if method == "POST":
        return outcome(client.post(url, body))
    return outcome(client.generic(method, url))


def _json(body: dict) -> str:
    import json

    return json.dumps(body)


def check(world: World, key: str, case: Case, url_for) -> None:
    mismatches = []
    for persona, expected in zip(PERSONAS, case.expect, strict=True):
        got = ask(world, persona, case.method, url_for(), case.data)
        if got != expected and not (expected == REFUSED and got in (403, 404)):
            mismatches.append(f"{persona}: expected {expected}, got {got}")
    assert not mismatches, f"{case.method} {key} {case.note}: " + "; ".join(mismatches)


PAGE_CASES = [
    pytest.param(key, case, id=f"{case.method} {key} #{i}")
    for key, cases in PAGES.items()
    for i, case in enumerate(cases)
]
API_CASES = [pytest.param(key, case, id=f"{key} #{i}") for key, cases in API.items() for i, case in enumerate(cases)]


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "case"), PAGE_CASES)
def test_page_answers(world, key, case):
    def url_for() -> str:
        if case.path:
            return world.fill(case.path)
        return reverse(key, args=[world.value(arg) for arg in case.args])

    check(world, key, case, url_for)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "case"), API_CASES)
def test_api_answers(world, key, case):
    method, path = key.split(" ", 1)
    assert method == case.method or case.method == "GET", "set method in the key, not in the case"
    api_case = Case(**{**case.__dict__, "method": method})
    check(
        world,
        key,
        api_case,
        lambda: world.fill(re.sub(r"{(\w+)}", lambda m: "{" + case.params[m.group(1)] + "}", path)),
    )


def test_a_route_without_a_row_fails_naming_it(monkeypatch):
    monkeypatch.delitem(PAGES, "audit-log")
    with pytest.raises(AssertionError, match=r"Routes without a row: \['audit-log'\]\. Add them to the matrix"):
        test_every_page_route_has_a_row()


def test_an_api_operation_without_a_row_fails_naming_it(monkeypatch):
    monkeypatch.delitem(API, "PATCH /api/v1/services/{id}/")
    with pytest.raises(AssertionError, match=r"PATCH /api/v1/services/\{id\}/"):
        test_every_api_operation_has_a_row()


# --- A GET request writes nothing -------------------------------------------

#: Tables a GET may write: the audit log (reading a record is audited) and
#: the session (its idle clock); nothing a person owns.
WRITES_ALLOWED_ON_GET = ("core_auditevent", "django_session")
#: Pages that may write one more table, and why.
WRITES_ALLOWED_ON_PAGE = {
    # The authenticator being enrolled: its secret key must outlive the page
    # that shows the QR code, and django-otp throttles wrong codes on the
    # device row. Made once on the first visit, reused on the next ones.
    "two-factor-setup": ("otp_totp_totpdevice",),
}
WRITING = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def writes_by(world: World, persona: str, url: str, allowed: tuple[str, ...] = ()) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    written = []
    for query in captured.captured_queries:
        found = WRITING.match(query["sql"])
        if found and found.group(2).lower() not in (*WRITES_ALLOWED_ON_GET, *allowed):
            written.append(f"{found.group(1).upper()} {found.group(2)}")
    return written


GET_CASES = [
    pytest.param(key, case, id=f"GET {key} #{i}")
    for key, cases in [*PAGES.items(), *API.items()]
    for i, case in enumerate(cases)
    if case.method == "GET" and not key.startswith(("POST ", "PUT ", "PATCH ", "DELETE "))
]


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "case"), GET_CASES)
def test_a_get_request_writes_nothing(world, key, case):
    """Opening a page or reading the API changes nothing but the audit log and
    the session: settings are made when an organisation is created, not on
    first read."""
    if key.startswith("GET "):
        path = key.split(" ", 1)[1]
        url = world.fill(re.sub(r"{(\w+)}", lambda m: "{" + case.params[m.group(1)] + "}", path))
    elif case.path:
        url = world.fill(case.path)
    else:
        url = reverse(key, args=[world.value(arg) for arg in case.args])
    allowed = WRITES_ALLOWED_ON_PAGE.get(key, ())
    found = {persona: writes_by(world, persona, url, allowed) for persona in PERSONAS}
    found = {persona: sorted(set(writes)) for persona, writes in found.items() if writes}
    assert not found, f"GET {url} wrote: {found}"
