"""The API's side of issue 21's referrers: a referral says how it came in and
who referred; create and update take a referrer of the caller's directory
(another organisation's is a 400 on the field, nothing written); the
directory's own endpoints for coordinators and managers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals.models import Channel, Referral, Referrer, ReferringOrganisation
from tests.factories import ReferralFactory, ReferrerFactory, ReferringOrganisationFactory
from tests.referrals.test_api import payload, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def morag(organisation):
    team = ReferringOrganisationFactory(organisation=organisation, name="Galashiels health visiting team")
    return ReferrerFactory(organisation=organisation, referring_organisation=team, name="Morag Henderson")


def test_a_referral_reads_how_it_came_in_and_who_referred(coordinator_client, organisation, service, morag):
    referral = ReferralFactory(organisation=organisation, service=service, referrer=morag, channel=Channel.SELF_ONLINE)
    body = coordinator_client.get(reverse("api-referral-detail", args=[referral.pk])).json()
    assert body["channel"] == "self_online"
    assert body["referrer"] == morag.pk
    assert body["referrer_details"] == {
        "id": morag.pk,
        "name": "Morag Henderson",
        "role": "Health visitor",
        "team_id": morag.referring_organisation_id,
        "team": "Galashiels health visiting team",
    }
    without = ReferralFactory(organisation=organisation, service=service)
    body = coordinator_client.get(reverse("api-referral-detail", args=[without.pk])).json()
    assert (body["channel"], body["referrer"], body["referrer_details"]) == ("staff", None, None)


def test_create_with_a_referrer_of_the_directory(coordinator_client, service, morag):
    response = post(coordinator_client, payload(service, referrer=morag.pk, referrer_updates_consent=True))
    assert response.status_code == 201, response.json()
    assert response.json()["referrer_details"]["name"] == "Morag Henderson"
    referral = Referral.objects.get()
    assert (referral.referrer, referral.referrer_updates_consent, referral.channel) == (morag, True, Channel.STAFF)


@pytest.mark.parametrize("whose", ["other_organisation", "deactivated", "missing"])
def test_a_referrer_not_in_the_callers_active_directory_is_a_400_and_nothing_is_written(
    coordinator_client, organisation, other_organisation, service, whose
):
    referrer_id = {
        "other_organisation": lambda: ReferrerFactory(organisation=other_organisation).pk,
        "deactivated": lambda: ReferrerFactory(organisation=organisation, is_active=False).pk,
        "missing": lambda: 999_999,
    }[whose]()
    response = post(coordinator_client, payload(service, referrer=referrer_id))
    assert response.status_code == 400
    assert response.json()["referrer"] == ["Choose an active referrer from your organisation's directory."]
    assert not Referral.objects.exists()


def test_updates_agreed_without_a_referrer_is_a_400(coordinator_client, service):
    response = post(coordinator_client, payload(service, referrer_updates_consent=True))
    assert response.status_code == 400
    assert "referrer_updates_consent" in response.json()
    assert not Referral.objects.exists()


def test_update_changes_the_referrer_but_never_how_it_came_in(
    coordinator_client, organisation, other_organisation, service, morag
):
    referral = ReferralFactory(organisation=organisation, service=service, channel=Channel.PARTNER_API)
    url = reverse("api-referral-detail", args=[referral.pk])
    response = coordinator_client.patch(
        url, {"referrer": morag.pk, "channel": "staff"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    referral.refresh_from_db()
    assert (referral.referrer, referral.channel) == (morag, Channel.PARTNER_API)

    theirs = ReferrerFactory(organisation=other_organisation)
    response = coordinator_client.patch(url, {"referrer": theirs.pk}, content_type="application/json")
    assert response.status_code == 400
    assert "referrer" in response.json()
    referral.refresh_from_db()
    assert referral.referrer == morag


def test_a_deactivated_referrer_stays_on_the_referral_that_names_them(coordinator_client, organisation, service, morag):
    referral = ReferralFactory(organisation=organisation, service=service, referrer=morag)
    morag.is_active = False
    morag.save()
    response = coordinator_client.patch(
        reverse("api-referral-detail", args=[referral.pk]),
        {"referrer": morag.pk, "reason": "Changed"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()


# --- The directory's endpoints -----------------------------------------------------


def test_the_directory_lists_the_callers_referrers_with_their_team(
    coordinator_client, organisation, other_organisation, service, morag
):
    ReferrerFactory(organisation=other_organisation, name="Their Referrer")
    ReferralFactory(organisation=organisation, service=service, referrer=morag)
    ReferrerFactory(organisation=organisation, name="Gone Away", is_active=False)
    rows = coordinator_client.get(reverse("api-referrer-list")).json()["results"]
    assert [row["name"] for row in rows] == ["Gone Away", "Morag Henderson"]
    (row,) = [row for row in rows if row["name"] == "Morag Henderson"]
    assert (row["team"], row["referrals_made"]) == ("Galashiels health visiting team", 1)
    active = coordinator_client.get(reverse("api-referrer-list"), {"is_active": "true", "q": "mor"}).json()
    assert [row["name"] for row in active["results"]] == ["Morag Henderson"]
    by_team = coordinator_client.get(
        reverse("api-referrer-list"), {"referring_organisation": morag.referring_organisation_id}
    ).json()
    assert [row["id"] for row in by_team["results"]] == [morag.pk]


def test_a_team_and_a_person_are_added_through_the_api(coordinator_client, organisation):
    team = coordinator_client.post(
        reverse("api-referring-organisation-list"),
        {"name": " Tweed GP  practice ", "kind": "gp_practice", "phone": "+44 1632 960121"},
        content_type="application/json",
    )
    assert team.status_code == 201, team.json()
    assert (team.json()["name"], team.json()["phone"]) == ("Tweed GP practice", "01632960121")
    person = coordinator_client.post(
        reverse("api-referrer-list"),
        {"name": "Dr Alan Rutherford", "role": "GP", "referring_organisation": team.json()["id"]},
        content_type="application/json",
    )
    assert person.status_code == 201, person.json()
    assert (person.json()["team"], person.json()["referrals_made"]) == ("Tweed GP practice", 0)
    assert Referrer.objects.get().organisation == organisation


@pytest.mark.parametrize(
    ("url_name", "body", "field"),
    [
        ("api-referring-organisation-list", {"name": "galashiels HEALTH visiting team"}, "name"),
        ("api-referring-organisation-list", {"name": "A team", "kind": "nope"}, "kind"),
        ("api-referring-organisation-list", {"name": "A team", "phone": "12345"}, "phone"),
        ("api-referrer-list", {"name": "  "}, "name"),
        ("api-referrer-list", {"name": "A", "email": "nope"}, "email"),
        ("api-referrer-list", {"name": "A", "referring_organisation": 999_999}, "referring_organisation"),
    ],
)
def test_bad_directory_input_is_a_400_naming_the_field_and_nothing_is_written(
    coordinator_client, morag, url_name, body, field
):
    before = (Referrer.objects.count(), ReferringOrganisation.objects.count())
    response = coordinator_client.post(reverse(url_name), body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert (Referrer.objects.count(), ReferringOrganisation.objects.count()) == before


def test_another_organisations_team_is_refused_for_a_referrer(coordinator_client, other_organisation):
    theirs = ReferringOrganisationFactory(organisation=other_organisation)
    response = coordinator_client.post(
        reverse("api-referrer-list"),
        {"name": "A", "referring_organisation": theirs.pk},
        content_type="application/json",
    )
    assert response.json()["referring_organisation"] == ["Choose a team of your organisation's directory."]
    assert not Referrer.objects.exists()


def test_a_referrer_is_deactivated_not_deleted(coordinator_client, morag):
    url = reverse("api-referrer-detail", args=[morag.pk])
    response = coordinator_client.patch(url, {"is_active": False}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert coordinator_client.delete(url).status_code == 405
    assert Referrer.objects.filter(pk=morag.pk).exists()


@pytest.mark.parametrize("url_name", ["api-referrer-list", "api-referring-organisation-list", "api-referral-list"])
def test_query_count_does_not_grow_with_the_directory(
    coordinator_client, organisation, service, url_name, django_assert_num_queries
):
    # 1 session, 2 user, 3 membership, 4 count (the pager), 5 the page.
    for size in (2, 20):
        for _ in range(size):
            referrer = ReferrerFactory(organisation=organisation)
            ReferralFactory(organisation=organisation, service=service, referrer=referrer)
        coordinator_client.get(reverse(url_name))
        with django_assert_num_queries(5):
            assert coordinator_client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(("q", "answer"), [("mor", 200), ("   ", 400), ("mo%09r", 400), ("x" * 101, 400)])
def test_a_search_is_some_text_without_control_characters(coordinator_client, morag, q, answer):
    response = coordinator_client.get(reverse("api-referrer-list") + "?q=" + q)
    assert response.status_code == answer
    if answer == 400:
        assert "q" in response.json()
