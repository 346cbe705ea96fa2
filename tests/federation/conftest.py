"""A federation with three members: two that share their figures (Tweed
Valley Test and Lothian Test) and one that does not (Other Charity), and the
federation's officer, who belongs to no organisation."""

from __future__ import annotations

import pytest
from django.test import Client

from operations.core.models import Federation, Organisation, User
from tests.factories import (
    FederationFactory,
    OrganisationFactory,
    ServiceFactory,
    council_area,
    federation_member,
    federation_officer,
)


@pytest.fixture
def federation(db) -> Federation:
    return FederationFactory(name="Test Perinatal Network", slug="test-perinatal-network")


@pytest.fixture
def second_member(db) -> Organisation:
    return OrganisationFactory(name="Lothian Test", slug="lothian-test", areas=[council_area("S12000019")])


@pytest.fixture
def second_service(second_member):
    return ServiceFactory(organisation=second_member, name="Befriending", end_child_age_months=24)


@pytest.fixture
def members(federation, organisation, second_member, other_organisation) -> dict[str, Organisation]:
    federation_member(organisation, federation, shares=True)
    federation_member(second_member, federation, shares=True)
    federation_member(other_organisation, federation, shares=False)
    return {"tweed": organisation, "lothian": second_member, "other": other_organisation}


@pytest.fixture
def officer(federation) -> User:
    return federation_officer(username="officer", federation=federation)


@pytest.fixture
def officer_client(officer) -> Client:
    client = Client()
    client.force_login(officer)
    return client
