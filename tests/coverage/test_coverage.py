"""Coverage by council area, as a manager reads it: counts, rates per 1,000
births, median waits, suppression for publication, and the births form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from operations.core.audit import AuditEvent
from operations.coverage.models import AreaBirths
from referrals.workflow import Status
from tests.dashboard.helpers import PERIOD, PUBLISHED, referral, supported
from tests.factories import AreaBirthsFactory, OrganisationFactory, ReferralFactory, council_area, member

pytestmark = pytest.mark.django_db

BORDERS, GLASGOW = "S12000026", "S12000049"


def page(client, **params) -> str:
    response = client.get(reverse("coverage:index"), {**PERIOD, **params})
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, name: str) -> str:
    return html.split(f'<th scope="row">{name}', 1)[1].split("</tr>", 1)[0]


def test_counts_rates_and_median_wait_by_the_parents_council_area(manager_client, organisation, service):
    borders = council_area(BORDERS)
    for days in (10, 20, 30):
        made = referral(organisation, service, council_area=borders, started_on=dt.date(2026, 3, 1))
        made.received_on = dt.date(2026, 3, 1) - dt.timedelta(days=days)
        made.save(update_fields=["received_on"])
        supported(made)
    for _ in range(2):
        ReferralFactory(
            organisation=organisation,
            service=service,
            parent__organisation=organisation,
            parent__council_area=borders,
            status=Status.WAITING,
            received_on=dt.date(2026, 4, 1),
        )
    AreaBirthsFactory(organisation=organisation, council_area=borders, year=2025, births=1000)

    html = page(manager_client)
    row = row_of(html, "Scottish Borders")
    # 5 referrals received (3 started, 2 waiting); 1,000 births: 5.0 per 1,000.
    assert ">5<" in row
    assert "5.0 per 1,000" in row
    assert "3.0 per 1,000" in row  # 3 parents supported
    assert "2.0 per 1,000" in row  # 2 waiting today
    assert "20.0" in row  # the median of 10, 20 and 30 days
    assert "1000" in row
    assert "2025" in row
    assert "Scottish Borders: 5" in html  # the hexagon's title


def test_for_publication_small_counts_hide_and_give_no_rate_or_median(manager_client, organisation, service):
    borders = council_area(BORDERS)
    for _ in range(3):
        referral(organisation, service, council_area=borders, started_on=dt.date(2026, 3, 1))
    AreaBirthsFactory(organisation=organisation, council_area=borders, year=2025, births=1000)

    html = page(manager_client, **{**PUBLISHED})
    row = row_of(html, "Scottish Borders")
    assert "&lt;10" in row
    assert "3.0 per 1,000" not in row  # it would give the 3 back
    assert "0.0 per 1,000" in row  # nobody waiting: a true zero is shown
    assert "Scottish Borders: &lt;10" in html
    assert "url(#hidden-count)" in html


def test_only_the_organisations_own_records_count(manager_client, organisation, service):
    other = OrganisationFactory()
    highland = council_area("S12000017")
    ReferralFactory(
        organisation=other, parent__organisation=other, parent__council_area=highland, received_on=dt.date(2026, 2, 1)
    )
    AreaBirthsFactory(organisation=other, council_area=highland, year=2025, births=900)
    html = page(manager_client)
    assert "Highland" not in html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "900" not in html


def test_every_area_is_drawn_and_the_organisations_areas_are_outlined(manager_client, organisation):
    organisation.council_areas.add(council_area(GLASGOW))
    html = page(manager_client)
    assert html.count("<polygon") == 32
    assert "Glasgow City: —" not in html  # listed in the table, with its zeroes
    assert "Glasgow City: 0 (one of your areas)" in html


def test_an_unknown_measure_is_a_field_error_not_a_map(manager_client):
    html = page(manager_client, measure="everything")
    assert "Select a valid choice" in html
    assert "<polygon" not in html


def test_a_manager_enters_births_and_a_blank_removes_one(manager_client, organisation, manager):
    url = reverse("coverage:births") + "?year=2025"
    glasgow, borders = council_area(GLASGOW), council_area(BORDERS)
    response = manager_client.post(url, {f"area_{glasgow.pk}": "5800", f"area_{borders.pk}": "1050"})
    assert response.status_code == 302
    assert dict(AreaBirths.objects.filter(organisation=organisation).values_list("council_area_id", "births")) == {
        glasgow.pk: 5800,
        borders.pk: 1050,
    }
    event = AuditEvent.objects.filter(organisation=organisation).latest("pk")
    assert event.summary == "Births by council area for 2025: 2 figures changed"

    manager_client.post(url, {f"area_{glasgow.pk}": "5800", f"area_{borders.pk}": ""})
    assert list(AreaBirths.objects.filter(organisation=organisation).values_list("council_area_id", flat=True)) == [
        glasgow.pk
    ]


def test_bad_births_are_field_errors_and_nothing_is_saved(manager_client, organisation):
    glasgow, borders = council_area(GLASGOW), council_area(BORDERS)
    url = reverse("coverage:births") + "?year=2025"
    response = manager_client.post(url, {f"area_{glasgow.pk}": "5800", f"area_{borders.pk}": "-4"})
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    response = manager_client.post(url, {f"area_{glasgow.pk}": "lots"})
    assert "Enter a whole number" in response.content.decode()
    assert not AreaBirths.objects.exists()


def test_coordinators_and_volunteers_cannot_open_coverage(client, organisation):
    for role in ("coordinator", "volunteer"):
        client.force_login(member(username=f"coverage-{role}", organisation=organisation, role=role))
        assert client.get(reverse("coverage:index")).status_code == 403
        assert client.get(reverse("coverage:births")).status_code == 403
