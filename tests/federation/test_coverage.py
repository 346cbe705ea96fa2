"""The federation's coverage: the sharing members' referrals pooled by the
parents' council areas, suppressed, with the members' births for the rates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.dashboard.helpers import PERIOD, referral
from tests.factories import AreaBirthsFactory, council_area

pytestmark = pytest.mark.django_db

BORDERS, EDINBURGH, MIDLOTHIAN = "S12000026", "S12000036", "S12000019"


def page(client, **params) -> str:
    response = client.get(reverse("federation:coverage"), {**PERIOD, **params})
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, name: str) -> str:
    return html.split(f'<th scope="row">{name}', 1)[1].split("</tr>", 1)[0]


def test_sharing_members_are_pooled_by_area_and_suppressed(
    officer_client, members, service, second_service, other_service
):
    borders, edinburgh = council_area(BORDERS), council_area(EDINBURGH)
    for _ in range(7):
        referral(members["tweed"], service, council_area=borders)
    for _ in range(5):
        referral(members["lothian"], second_service, council_area=borders)
    for _ in range(3):
        referral(members["lothian"], second_service, council_area=edinburgh)
    for _ in range(11):
        # Shown alone it would give Edinburgh's 3 away from the total: the smallest shown is hidden instead.
        referral(members["lothian"], second_service, council_area=council_area(MIDLOTHIAN))
    for _ in range(30):
        referral(members["other"], other_service, council_area=edinburgh)  # does not share
    AreaBirthsFactory(organisation=members["tweed"], council_area=borders, year=2025, births=1000)
    AreaBirthsFactory(organisation=members["lothian"], council_area=borders, year=2025, births=1200)

    html = page(officer_client, mode="internal")
    assert "For publication" in html
    borders_row = row_of(html, "Scottish Borders")
    assert ">12<" in borders_row  # 7 + 5, pooled
    assert "10.0 per 1,000" in borders_row  # 12 of the larger 1,200 births entered
    assert "&lt;10" in row_of(html, "City of Edinburgh")  # 3, not 33
    assert "suppressed" in row_of(html, "Midlothian")
    assert "Scottish Borders: 12 (a sharing member's area)" in html
    assert "Other Charity" not in html


def test_the_coverage_pages_are_the_officers_only(manager_client, officer_client, members):
    assert manager_client.get(reverse("federation:coverage")).status_code == 403
    assert officer_client.get(reverse("coverage:index")).status_code == 403
    assert officer_client.get(reverse("coverage:births")).status_code == 403
