"""The federation officer's roll-up: the members that share, per member and
together, always suppressed; nothing of a member that does not share; a
fixed number of queries whatever the number of members."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from operations.core.models import ServiceKind
from tests.dashboard.helpers import PERIOD, referral, supported
from tests.factories import OrganisationFactory, ServiceFactory, federation_member, member

pytestmark = pytest.mark.django_db


def rollup(client, **params) -> str:
    response = client.get(reverse("federation:rollup"), {**PERIOD, **params})
    assert response.status_code == 200
    return response.content.decode()


def member_row(html: str, name: str) -> str:
    return html.split(f'<th scope="row">{name}</th>', 1)[1].split("</tr>", 1)[0]


def headline(html: str, words: str) -> str:
    return html.split(f"{words}</dt>", 1)[1].split("</dd>", 1)[0].rsplit(">", 1)[1]


def cells(row: str) -> list[str]:
    return [cell.split("</td>", 1)[0] for cell in row.split('<td class="text-end">')[1:]]


def test_the_officer_sees_each_sharing_member_and_the_total_suppressed(
    officer_client, members, service, second_service, other_service
):
    for _ in range(12):
        supported(referral(members["tweed"], service))
    for _ in range(3):
        referral(members["lothian"], second_service)
    for _ in range(20):
        referral(members["other"], other_service)  # does not share: never counted

    html = rollup(officer_client)
    assert "Test Perinatal Network: roll-up" in html
    assert "For publication" in html
    # Per member: Lothian's 3 referrals under the threshold, and Tweed's 12
    # hidden too, or the total (15) would give Lothian's away.
    tweed, lothian = cells(member_row(html, "Tweed Valley Test")), cells(member_row(html, "Lothian Test"))
    assert lothian[0] == "&lt;10"
    assert tweed[0] == "suppressed"
    assert tweed[3] == "12"  # parents supported: Lothian has none
    assert lothian[3] == "0"
    # Together: 15 referrals, not 35; the member that does not share is not named.
    assert headline(html, "Referrals received") == "15"
    assert "Other Charity" not in html
    assert "2 of 3 members" in html
    # By health board too (the parents' council areas have none here: "Not recorded").
    assert "Parents reached by health board" in html
    # A federation sees no concerns and no spending.
    assert "Concerns and safeguarding" not in html
    assert "Volunteer expenses" not in html


def test_there_is_no_way_to_ask_for_exact_figures(officer_client, members, second_service):
    for _ in range(3):
        referral(members["lothian"], second_service)
    html = rollup(officer_client, mode="internal")
    assert headline(html, "Referrals received") == "&lt;10"
    assert "Internal: exact figures" not in html


def test_a_member_that_stops_sharing_disappears_from_the_roll_up(
    officer_client, client, members, service, second_service
):
    for _ in range(12):
        referral(members["tweed"], service)
    for _ in range(11):
        referral(members["lothian"], second_service)
    assert headline(rollup(officer_client), "Referrals received") == "23"

    lothian_manager = member(username="lothian-manager", organisation=members["lothian"], role="manager")
    client.force_login(lothian_manager)
    assert client.post(reverse("federation:sharing"), {"share": "no"}).status_code == 302

    html = rollup(officer_client)
    assert headline(html, "Referrals received") == "12"
    assert "Lothian Test" not in html


def test_no_member_sharing_shows_no_figures_but_says_why(officer_client, federation, organisation):
    federation_member(organisation, federation, shares=False)
    html = rollup(officer_client)
    assert "None of the 1 member" in html
    assert "Referrals received</dt>" not in html


def test_the_kind_of_service_filters_across_members(officer_client, members, service, second_member):
    groups = ServiceFactory(organisation=second_member, name="Groups", kind=ServiceKind.GROUP)
    for _ in range(12):
        referral(members["tweed"], service)  # befriending
    for _ in range(10):
        referral(second_member, groups)
    assert headline(rollup(officer_client, service_kind=ServiceKind.GROUP), "Referrals received") == "10"
    assert headline(rollup(officer_client, service_kind=ServiceKind.BEFRIENDING), "Referrals received") == "12"
    bad = officer_client.get(reverse("federation:rollup"), {**PERIOD, "service_kind": "nonsense"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_a_bad_period_is_a_field_error_not_a_500(officer_client, members):
    response = officer_client.get(reverse("federation:rollup"), {"date_from": "2026-06-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()


#: On PostgreSQL the figures are counted planned for their dates: a savepoint, SET LOCAL and its release.
PLANNING = 3 if connection.vendor == "postgresql" else 0


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("federation:rollup"), PERIOD).status_code == 200
    return len(captured)


def test_the_roll_up_runs_the_same_queries_for_two_members_or_eight(
    officer_client, members, service, second_service, federation
):
    referral(members["tweed"], service)
    referral(members["lothian"], second_service)
    two = _count_queries(officer_client)
    for index in range(6):
        branch = OrganisationFactory(name=f"Branch {index}", slug=f"branch-{index}")
        federation_member(branch, federation, shares=True)
        supported(referral(branch, ServiceFactory(organisation=branch)))
    eight = _count_queries(officer_client)
    assert eight == two
    # Session, user, officer, sharing members, member count; 9 pooled figures, 5 per-member ones.
    assert two <= 20 + PLANNING


def test_the_officer_is_refused_every_organisation_page_and_the_api(officer_client, members):
    for url in [
        reverse("dashboard:index"),
        reverse("coverage:index"),
        reverse("referrals:board"),
        reverse("federation:sharing"),
        "/api/v1/referrals/",
        "/api/v1/organisations/",
    ]:
        assert officer_client.get(url).status_code in (403, 404), url


def test_the_officers_home_is_the_roll_up_and_the_bar_shows_only_federation_pages(officer_client, members):
    response = officer_client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("federation:rollup")
    html = rollup(officer_client)
    nav = html.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("federation:rollup")}"' in nav
    assert f'href="{reverse("federation:coverage")}"' in nav
    assert "Federation officer at Test Perinatal Network" in nav
    assert reverse("referrals:board") not in nav
    assert 'role="search"' not in html  # the search box searches an organisation's records


@pytest.mark.parametrize("persona", ["manager_client", "coordinator_client", "volunteer_client"])
def test_people_of_an_organisation_cannot_open_the_federation_pages(request, persona, members):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("federation:rollup")).status_code == 403
    assert client.get(reverse("federation:coverage")).status_code == 403


def test_an_inactive_officer_is_refused(officer_client, officer, members):
    officer.federation_memberships.update(is_active=False)
    assert officer_client.get(reverse("federation:rollup")).status_code == 403
