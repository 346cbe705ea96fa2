"""The referrer directory's pages (/referrals/referrers/): list and search,
add and edit a team or a person, deactivate, merge a flagged duplicate;
another organisation's entries are never listed nor reachable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals.models import Referral, Referrer, ReferringOrganisation
from tests.factories import ReferralFactory, ReferrerFactory, ReferringOrganisationFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("referrals:referrers")


@pytest.fixture
def directory(organisation, service):
    midwives = ReferringOrganisationFactory(
        organisation=organisation, name="Borders General Hospital midwifery", kind="midwifery"
    )
    visitors = ReferringOrganisationFactory(organisation=organisation, name="Galashiels health visiting team")
    fiona = ReferrerFactory(organisation=organisation, referring_organisation=midwives, name="Fiona Gilmour")
    ReferrerFactory(organisation=organisation, referring_organisation=midwives, name="fiona  gilmour", email="")
    morag = ReferrerFactory(organisation=organisation, referring_organisation=visitors, name="Morag Henderson")
    for _ in range(3):
        ReferralFactory(organisation=organisation, service=service, referrer=fiona)
    return {"midwives": midwives, "visitors": visitors, "fiona": fiona, "morag": morag}


def _section(page: str, heading: str) -> str:
    return page.split(heading, 1)[1].split("</section>", 1)[0]


def _listed(response) -> str:
    """The directory's teams and people (not the duplicates flagged above them)."""
    return response.content.decode().split('id="directory"', 1)[1]


def test_the_directory_lists_teams_with_their_people_and_how_many_referrals_each_made(
    coordinator_client, directory, other_organisation
):
    ReferrerFactory(organisation=other_organisation, name="Someone Elsewhere")
    page = coordinator_client.get(DIRECTORY).content.decode()
    midwives = _section(page, "Borders General Hospital midwifery</h2>")
    assert "Fiona Gilmour" in midwives
    assert "Morag Henderson" not in midwives
    fiona_row = midwives.split("Fiona Gilmour</a>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="text-end">3</td>' in fiona_row
    assert "Midwifery team" in midwives
    assert "Someone Elsewhere" not in page


def test_search_finds_people_by_name_and_by_their_team(coordinator_client, directory):
    by_name = _listed(coordinator_client.get(DIRECTORY, {"q": "  MORAG "}))
    assert "Morag Henderson" in by_name
    assert "Fiona Gilmour" not in by_name
    by_team = _listed(coordinator_client.get(DIRECTORY, {"q": "galashiels"}))
    assert "Morag Henderson" in by_team
    assert "Borders General Hospital midwifery</h2>" not in by_team


def test_a_search_too_long_is_a_field_error_listing_nobody(coordinator_client, directory):
    response = coordinator_client.get(DIRECTORY, {"q": "x" * 101})
    assert "Search for at most 100 characters" in response.content.decode()
    assert "Fiona Gilmour" not in _listed(response)


def test_deactivated_people_and_teams_are_listed_only_when_asked(coordinator_client, directory):
    morag, visitors = directory["morag"], directory["visitors"]
    morag.is_active = False
    morag.save()
    visitors.is_active = False
    visitors.save()
    assert "Morag Henderson" not in coordinator_client.get(DIRECTORY).content.decode()
    shown = coordinator_client.get(DIRECTORY, {"inactive": "on"}).content.decode()
    assert 'Morag Henderson</a> <span class="badge text-bg-secondary">Deactivated</span>' in shown


def test_likely_duplicates_are_flagged_with_a_link_to_merge(coordinator_client, directory):
    page = coordinator_client.get(DIRECTORY).content.decode()
    flagged = _section(page, 'id="duplicates-heading"')
    assert "same name in the same team" in flagged
    duplicate = Referrer.objects.get(name="fiona  gilmour")
    merge = reverse("referrals:referrer-merge", args=[duplicate.pk]) + f"?keep={directory['fiona'].pk}"
    assert merge in flagged


def test_a_coordinator_adds_a_team_and_a_person_in_it(coordinator_client, organisation):
    response = coordinator_client.post(
        reverse("referrals:referring-organisation-new"),
        {"name": "Tweed GP practice", "kind": "gp_practice", "email": "", "phone": "01632 960121"},
    )
    team = ReferringOrganisation.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#team-{team.pk}")
    assert team.phone == "01632960121"

    form = coordinator_client.get(reverse("referrals:referrer-new"), {"team": team.pk}).content.decode()
    assert f'<option value="{team.pk}" selected>Tweed GP practice</option>' in form
    response = coordinator_client.post(
        reverse("referrals:referrer-new"),
        {"name": "Dr Alan Rutherford", "role": "GP", "referring_organisation": team.pk, "phone": "+44 1632 960122"},
    )
    person = Referrer.objects.get(organisation=organisation)
    assert response["Location"] == reverse("referrals:referrer-detail", args=[person.pk])
    assert (person.referring_organisation, person.phone) == (team, "01632960122")


def test_a_team_name_already_in_the_directory_is_a_field_error_and_nothing_is_added(coordinator_client, directory):
    response = coordinator_client.post(
        reverse("referrals:referring-organisation-new"), {"name": "galashiels HEALTH visiting team", "kind": "other"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["This team is already in the directory."]
    assert ReferringOrganisation.objects.count() == 2


def test_a_bad_phone_is_a_field_error_and_nothing_is_added(coordinator_client, organisation):
    response = coordinator_client.post(reverse("referrals:referrer-new"), {"name": "A Referrer", "phone": "12345"})
    assert "UK phone number" in response.context["form"].errors["phone"][0]
    assert not Referrer.objects.exists()


def test_another_organisations_team_is_not_offered_nor_accepted(coordinator_client, organisation, other_organisation):
    theirs = ReferringOrganisationFactory(organisation=other_organisation, name="Their Team")
    assert "Their Team" not in coordinator_client.get(reverse("referrals:referrer-new")).content.decode()
    response = coordinator_client.post(
        reverse("referrals:referrer-new"), {"name": "A Referrer", "referring_organisation": theirs.pk}
    )
    assert (
        "Choose a team from your organisation's directory." in response.context["form"].errors["referring_organisation"]
    )
    assert not Referrer.objects.exists()


def test_editing_deactivates_a_referrer_who_then_leaves_the_referral_form(coordinator_client, directory):
    morag = directory["morag"]
    response = coordinator_client.post(
        reverse("referrals:referrer-edit", args=[morag.pk]),
        {"name": morag.name, "role": "Health visitor", "referring_organisation": directory["visitors"].pk},
    )  # "is_active" unticked
    assert response.status_code == 302
    morag.refresh_from_db()
    assert morag.is_active is False
    assert "Morag Henderson" not in coordinator_client.get(reverse("referrals:referral-new")).content.decode()


def test_the_referrers_page_lists_the_referrals_they_made(coordinator_client, directory, other_coordinator_client):
    fiona = directory["fiona"]
    page = coordinator_client.get(reverse("referrals:referrer-detail", args=[fiona.pk])).content.decode()
    assert "Referrals made (3)" in page
    for referral in Referral.objects.filter(referrer=fiona):
        assert reverse("referrals:referral-detail", args=[referral.pk]) in page
    assert "Possibly the same person as" in page
    assert other_coordinator_client.get(reverse("referrals:referrer-detail", args=[fiona.pk])).status_code == 404


def test_merging_from_the_page_moves_the_referrals_and_says_so(coordinator_client, directory, organisation, service):
    fiona = directory["fiona"]
    duplicate = Referrer.objects.get(name="fiona  gilmour")
    ReferralFactory(organisation=organisation, service=service, referrer=duplicate)
    url = reverse("referrals:referrer-merge", args=[duplicate.pk])
    page = coordinator_client.get(url, {"keep": fiona.pk}).content.decode()
    assert "fiona  gilmour has 1 referral:" in page
    assert f'<option value="{fiona.pk}" selected>Fiona Gilmour' in page

    response = coordinator_client.post(url, {"keep": fiona.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("referrals:referrer-detail", args=[fiona.pk])
    assert "Merged into Fiona Gilmour: 1 referral moved, duplicate removed." in response.content.decode()
    assert Referral.objects.filter(referrer=fiona).count() == 4
    assert not Referrer.objects.filter(pk=duplicate.pk).exists()


def test_merging_into_another_organisations_referrer_is_refused_and_nothing_changes(
    coordinator_client, directory, other_organisation
):
    theirs = ReferrerFactory(organisation=other_organisation)
    fiona = directory["fiona"]
    response = coordinator_client.post(reverse("referrals:referrer-merge", args=[fiona.pk]), {"keep": theirs.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["keep"] == ["Choose a referrer of your organisation's directory."]
    assert Referral.objects.filter(referrer=fiona).count() == 3
    assert Referrer.objects.filter(pk__in=[fiona.pk, theirs.pk]).count() == 2


def test_merging_teams_from_the_page(coordinator_client, directory, organisation):
    copy = ReferringOrganisationFactory(organisation=organisation, name="Galashiels  health visiting team")
    person = ReferrerFactory(organisation=organisation, referring_organisation=copy)
    page = coordinator_client.get(DIRECTORY).content.decode()
    assert reverse("referrals:referring-organisation-merge", args=[copy.pk]) in _section(
        page, 'id="duplicates-heading"'
    )
    response = coordinator_client.post(
        reverse("referrals:referring-organisation-merge", args=[copy.pk]), {"keep": directory["visitors"].pk}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.referring_organisation == directory["visitors"]
    assert not ReferringOrganisation.objects.filter(pk=copy.pk).exists()


def _fill(organisation, service, size: int) -> None:
    for index in range(size):
        team = ReferringOrganisationFactory(organisation=organisation)
        for _ in range(2):
            person = ReferrerFactory(organisation=organisation, referring_organisation=team, email=f"p{index}@x.org")
            ReferralFactory(organisation=organisation, service=service, referrer=person)


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # 1 session, 2 user, 3 membership, 4 people with their teams and counts, 5 teams,
        # 6 people and 7 teams for the duplicates, 8 the bell.
        ("referrals:referrers", 8),
        # 1 session, 2 user, 3 membership, 4 the referrer, 5 their referrals, 6 the
        # people for the duplicates, 7 the bell.
        ("referrals:referrer-detail", 7),
    ],
)
def test_query_count_does_not_grow_with_the_directory(
    coordinator_client, organisation, service, url_name, queries, django_assert_num_queries
):
    fiona = ReferrerFactory(organisation=organisation)
    url = reverse(url_name, args=[fiona.pk]) if url_name.endswith("detail") else reverse(url_name)
    for size in (2, 20):
        _fill(organisation, service, size)
        ReferralFactory(organisation=organisation, service=service, referrer=fiona)
        coordinator_client.get(url)  # warm-up
        with django_assert_num_queries(queries):
            assert coordinator_client.get(url).status_code == 200
