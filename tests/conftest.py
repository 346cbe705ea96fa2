"""Shared fixtures: two organisations and the named personas of the house
style (a coordinator, a volunteer, a manager, a PSO, and a coordinator of
another organisation)."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client

from operations.celery import app as celery_app
from operations.core.models import Organisation, Role, User
from tests.factories import OrganisationFactory, ServiceFactory, council_area, member

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# Tests create many users: a fast hasher keeps the suite quick. Production
# hashing is untouched (settings.py keeps Django's defaults).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if not os.environ.get("REDIS_URL") and not os.environ.get("CELERY_BROKER_URL"):
    # Unit tests publish to memory; the worker tests start their own broker setup.
    celery_app.conf.broker_url = "memory://"
    celery_app.conf.broker_transport_options = {}


USING_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))
USING_REDIS = bool(os.environ.get("REDIS_URL"))


@pytest.fixture(autouse=True)
def _services_for_marked_tests(request) -> None:
    """Tests marked `postgres` or `redis` skip without that service, and
    fail instead under REQUIRE_SERVICES=1 (CI), so a missing service can
    never turn a red run green."""
    missing = []
    if request.node.get_closest_marker("postgres") and not USING_POSTGRES:
        missing.append("PostgreSQL (set DATABASE_URL)")
    if request.node.get_closest_marker("redis") and not USING_REDIS:
        missing.append("Redis (set REDIS_URL)")
    if missing:
        message = "needs " + " and ".join(missing)
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {message}")
        pytest.skip(message)


@pytest.fixture
def organisation(db) -> Organisation:
    return OrganisationFactory(name="Tweed Valley Test", slug="tweed-valley-test", areas=[council_area("S12000026")])


@pytest.fixture
def other_organisation(db) -> Organisation:
    return OrganisationFactory(name="Other Charity", slug="other-charity", areas=[council_area("S12000036")])


@pytest.fixture
def service(organisation):
    return ServiceFactory(organisation=organisation, name="Befriending", end_child_age_months=12)


@pytest.fixture
def other_service(other_organisation):
    return ServiceFactory(organisation=other_organisation, name="Befriending", end_child_age_months=24)


@pytest.fixture
def coordinator(organisation) -> User:
    return member(username="coordinator", organisation=organisation, role=Role.COORDINATOR)


@pytest.fixture
def manager(organisation) -> User:
    return member(username="manager", organisation=organisation, role=Role.MANAGER)


@pytest.fixture
def pso(organisation) -> User:
    return member(username="pso", organisation=organisation, role=Role.PSO)


@pytest.fixture
def volunteer(organisation) -> User:
    return member(username="volunteer", organisation=organisation, role=Role.VOLUNTEER)


@pytest.fixture
def other_coordinator(other_organisation) -> User:
    return member(username="coordinator2", organisation=other_organisation, role=Role.COORDINATOR)


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(coordinator) -> Client:
    return _client_for(coordinator)


@pytest.fixture
def manager_client(manager) -> Client:
    return _client_for(manager)


@pytest.fixture
def pso_client(pso) -> Client:
    return _client_for(pso)


@pytest.fixture
def volunteer_client(volunteer) -> Client:
    return _client_for(volunteer)


@pytest.fixture
def other_coordinator_client(other_coordinator) -> Client:
    return _client_for(other_coordinator)


@pytest.fixture
def federation_officer(organisation, other_organisation):
    """An officer of a federation both organisations belong to and share their
    figures with (the worst case: still no record of either may open); the
    permission matrix and the API's schema run ask as this person too."""
    from tests.factories import FederationFactory, federation_member
    from tests.factories import federation_officer as make_officer

    federation = FederationFactory(name="Matrix Federation", slug="matrix-federation")
    federation_member(organisation, federation, shares=True)
    federation_member(other_organisation, federation, shares=True)
    return make_officer(username="federation-officer", federation=federation)
