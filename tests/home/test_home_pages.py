"""Every role's home page makes the same number of queries at two sizes of
data, and at most 20 (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from operations.core.models import Role
from tests.factories import ChildFactory, ConcernFactory, ReferralFactory, ServiceFactory, VisitFactory, council_area
from tests.groups.helpers import make_group, rota
from tests.home.queries import HOME_QUERIES
from tests.matching.helpers import fit_volunteer, waiting_referral
from tests.volunteers.helpers import make_profile
from volunteers.matching import services

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def _grow(organisation, service, coordinator, pso, volunteer, n: int) -> None:
    area = council_area("S12000026")
    for index in range(n):
        # New and waiting past target; ending soon with a birth to confirm; past its end.
        ReferralFactory(organisation=organisation, service=service, received_on=TODAY - dt.timedelta(days=30))
        ending = ReferralFactory(
            organisation=organisation, service=service, status="waiting", eligibility_end=TODAY + dt.timedelta(days=20)
        )
        ChildFactory(parent=ending.parent, due_date=TODAY - dt.timedelta(days=10))
        ReferralFactory(
            organisation=organisation, service=service, status="active", eligibility_end=TODAY - dt.timedelta(days=3)
        )
        make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=[5, 70][index % 2])
        make_group(organisation, facilitators=[volunteer, pso], creche_adults=rota(organisation))
        for user in (volunteer, pso):
            referral = waiting_referral(organisation=organisation, service=service, area=area)
            match = services.match_confirm(
                actor=coordinator,
                organisation_id=organisation.pk,
                referral_id=referral.pk,
                volunteer_id=user.volunteer_profiles.get().pk,
            )
            VisitFactory(organisation=organisation, match=match, planned_for=TODAY + dt.timedelta(days=2))
            # An open concern on each family: on the staff homes and the PSO's own.
            ConcernFactory(match=match, owner=coordinator)


@time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MANAGER, Role.PSO, Role.VOLUNTEER])
def test_each_home_makes_the_same_queries_at_two_sizes(
    request, organisation, service, coordinator, pso, volunteer, role, django_assert_num_queries
):
    area = council_area("S12000026")
    for user in (volunteer, pso):
        fit_volunteer(organisation=organisation, areas=[area], user=user, max_caseload=20)
    client = request.getfixturevalue(f"{role}_client")
    for size in (1, 4):
        _grow(organisation, service, coordinator, pso, volunteer, size)
        client.get(reverse("home"))  # warm-up: the first view fills per-process caches
        with django_assert_num_queries(HOME_QUERIES[role]):  # named in tests/home/queries.py
            assert client.get(reverse("home")).status_code == 200
    page = client.get(reverse("home")).content.decode()
    # The panels had rows to show: a referral past its end, or a family's next visit.
    assert (": ended " if role in (Role.COORDINATOR, Role.MANAGER) else "next visit") in page


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MANAGER])
def test_a_home_page_works_with_forty_services_some_ended(request, organisation, service, role):
    # The kept statements allowed at most 22 dates: 21 services made these pages a 500 (issue 28).
    for index in range(40):
        ServiceFactory(organisation=organisation, name=f"Service {index}", is_active=index % 3 != 0)
    ReferralFactory(organisation=organisation, service=service, received_on=TODAY)
    client = request.getfixturevalue(f"{role}_client")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Service 38" in response.content.decode()
