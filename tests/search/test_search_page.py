"""The search box: parents by name in any order, part of a name, postcode and
phone in any format; volunteers, PSOs and groups by name; referrals and
records by number; each only as the searcher may see them; the parent list
searches the same way."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from operations.core.audit import AuditAction, AuditEvent
from referrals import services
from referrals.models import Parent
from tests.factories import (
    GroupFactory,
    ParentFactory,
    ReferralFactory,
    UserFactory,
    VolunteerProfileFactory,
)
from tests.factories.volunteers import SupervisorPairingFactory

SEARCH = reverse("search:results")


def search(client, text: str):
    return client.get(SEARCH, {"q": text})


def parents_found(response) -> list[int]:
    return [parent.pk for parent in response.context.get("parents") or []]


@pytest.fixture
def yasmin(coordinator, organisation, service) -> Parent:
    """Taken in as intake takes a parent in (the service writes her search text)."""
    referral = services.referral_create(
        actor=coordinator,
        organisation=organisation,
        service=service,
        parent_data={"first_name": "Yasmin", "last_name": "Turnbull", "postcode": "td7 4eg", "phone": "07700 900123"},
        referral_data={"source": "self"},
    )
    return referral.parent


@pytest.fixture
def others(organisation) -> list[Parent]:
    return [
        ParentFactory(organisation=organisation, first_name="Yasmin", last_name="Abernethy", postcode="TD1 1AB"),
        ParentFactory(organisation=organisation, first_name="Beth", last_name="Turnbull", postcode="TD9 7HJ"),
    ]


# --- parents ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Yasmin Turnbull", "turnbull yasmin", "TURNBULL YASMIN", "yasmin turn"])
def test_her_full_name_in_either_order_finds_her_alone(coordinator_client, yasmin, others, typed):
    response = search(coordinator_client, typed)
    assert response.status_code == 200
    assert parents_found(response) == [yasmin.pk]
    assert reverse("referrals:parent-detail", args=[yasmin.pk]) in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["td74eg", "TD7 4EG", "td7 4eg"])
def test_her_postcode_with_or_without_the_space_finds_her(coordinator_client, yasmin, others, typed):
    assert parents_found(search(coordinator_client, typed)) == [yasmin.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["07700 900123", "+44 7700 900123", "07700900123", "(07700) 900-123"])
def test_her_phone_number_in_any_format_finds_her(coordinator_client, yasmin, others, typed):
    assert parents_found(search(coordinator_client, typed)) == [yasmin.pk]


@pytest.mark.django_db
def test_a_preferred_name_and_part_of_a_name_find_a_parent(coordinator_client, organisation):
    parent = ParentFactory(organisation=organisation, first_name="Elizabeth", preferred_name="Libby", last_name="Usher")
    assert parents_found(search(coordinator_client, "libby")) == [parent.pk]
    assert parents_found(search(coordinator_client, "lizab ush")) == [parent.pk]
    page = search(coordinator_client, "libby").text
    assert "Libby Usher" in page
    assert "(Elizabeth Usher)" in page


@pytest.mark.django_db
def test_accents_and_case_are_ignored(coordinator_client, organisation):
    zoe = ParentFactory(organisation=organisation, first_name="Zoë", last_name="Ó Briain")
    zoe_plain = ParentFactory(organisation=organisation, first_name="Zoe", last_name="Hislop")
    assert set(parents_found(search(coordinator_client, "zoe"))) == {zoe.pk, zoe_plain.pk}
    assert set(parents_found(search(coordinator_client, "ZOË"))) == {zoe.pk, zoe_plain.pk}
    assert parents_found(search(coordinator_client, "zoë briain")) == [zoe.pk]


@pytest.mark.django_db
def test_the_parent_list_searches_the_same_way(coordinator_client, yasmin, others):
    for typed in ("Yasmin Turnbull", "turnbull yasmin", "td74eg", "+44 7700 900123"):
        response = coordinator_client.get(reverse("referrals:parent-list"), {"q": typed})
        assert [parent.pk for parent in response.context["parents"]] == [yasmin.pk], typed
    everyone = coordinator_client.get(reverse("referrals:parent-list"))
    assert len(everyone.context["parents"]) == 3


@pytest.mark.django_db
def test_a_changed_name_is_found_by_the_new_name_only(coordinator, coordinator_client, yasmin):
    services.parent_update(actor=coordinator, parent=yasmin, data={"last_name": "Inglis"})
    assert parents_found(search(coordinator_client, "yasmin inglis")) == [yasmin.pk]
    assert parents_found(search(coordinator_client, "turnbull")) == []


@pytest.mark.django_db
def test_an_erased_parent_is_found_by_nothing_she_was(manager, manager_client, yasmin):
    services.parent_erase(actor=manager, parent=yasmin)
    for typed in ("yasmin", "turnbull", "td74eg", "07700900123", "erased"):
        assert parents_found(search(manager_client, typed)) == [], typed


# --- record numbers -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_referral_number_finds_the_referral_and_a_record_number_the_parent(coordinator_client, yasmin):
    referral = yasmin.referrals.get()
    response = search(coordinator_client, f"#{referral.pk}")
    assert response.context["referral"] == referral
    assert reverse("referrals:referral-detail", args=[referral.pk]) in response.text
    assert parents_found(search(coordinator_client, str(yasmin.pk))) == [yasmin.pk]


# --- who sees what ------------------------------------------------------------------


@pytest.mark.django_db
def test_another_organisations_parent_never_appears(
    coordinator_client, other_coordinator_client, yasmin, other_organisation, other_service
):
    twin = ParentFactory(organisation=other_organisation, first_name="Yasmin", last_name="Turnbull", postcode="TD7 4EG")
    other_referral = ReferralFactory(organisation=other_organisation, service=other_service, parent=twin)
    assert parents_found(search(coordinator_client, "yasmin turnbull")) == [yasmin.pk]
    assert parents_found(search(other_coordinator_client, "yasmin turnbull")) == [twin.pk]
    # Guessing the other organisation's numbers finds nothing either.
    assert search(coordinator_client, f"#{other_referral.pk}").context["referral"] is None
    assert parents_found(search(coordinator_client, str(twin.pk))) == []


@pytest.mark.django_db
def test_a_volunteer_finds_no_parent_and_no_referral(volunteer, volunteer_client, yasmin, organisation):
    VolunteerProfileFactory(organisation=organisation, user=volunteer)
    for typed in ("yasmin turnbull", "td74eg", "07700 900123", f"#{yasmin.referrals.get().pk}", str(yasmin.pk)):
        response = search(volunteer_client, typed)
        assert response.status_code == 200
        assert "parents" not in response.context
        assert response.context.get("referral") is None
        assert "Turnbull" not in response.text


@pytest.mark.django_db
def test_volunteers_and_psos_are_found_by_name_as_far_as_each_may_see(
    coordinator_client, volunteer_client, pso, pso_client, volunteer, organisation, other_organisation
):
    # A first name no generated name contains, so "ysolde" finds only these.
    ann = VolunteerProfileFactory(organisation=organisation, user=UserFactory(first_name="Ysolde", last_name="Smith"))
    VolunteerProfileFactory(organisation=organisation, user=UserFactory(first_name="Ysolde", last_name="Jones"))
    VolunteerProfileFactory(organisation=other_organisation, user=UserFactory(first_name="Ysolde", last_name="Smith"))
    own = VolunteerProfileFactory(organisation=organisation, user=volunteer)
    SupervisorPairingFactory(volunteer=ann, supervisor=pso)

    def people(client, typed):
        return [person.pk for person in search(client, typed).context["people"]]

    assert people(coordinator_client, "smith ysolde") == [ann.pk]
    assert len(people(coordinator_client, "ysolde")) == 2
    # A PSO sees her supervisees; a volunteer only herself.
    assert people(pso_client, "ysolde") == [ann.pk]
    assert people(volunteer_client, "ysolde") == []
    assert people(volunteer_client, volunteer.last_name or volunteer.username) == [own.pk]


@pytest.mark.django_db
def test_groups_are_found_by_name_as_far_as_each_may_see(coordinator_client, volunteer_client, organisation, service):
    group = GroupFactory(organisation=organisation, service=service, name="Bumps and Babies Galashiels")
    assert [g.pk for g in search(coordinator_client, "galashiels bumps").context["groups"]] == [group.pk]
    # The volunteer helps at no group: she finds none.
    assert search(volunteer_client, "galashiels").context["groups"] == []


# --- the audit ----------------------------------------------------------------------


@pytest.mark.django_db
def test_searching_writes_nothing_and_opening_a_parent_found_is_audited(coordinator_client, yasmin):
    before = AuditEvent.objects.count()
    response = search(coordinator_client, "yasmin turnbull")
    assert AuditEvent.objects.count() == before
    coordinator_client.get(reverse("referrals:parent-detail", args=[yasmin.pk]))
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(yasmin.pk)).count() == 1
    assert response.status_code == 200


# --- bad input ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_search_finds_nothing_and_says_nothing_is_wrong(coordinator_client, yasmin):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = coordinator_client.get(SEARCH, params)
        assert response.status_code == 200
        assert "parents" not in response.context
        assert "Nothing found" not in response.text


@pytest.mark.django_db
def test_a_very_long_search_is_refused_with_a_message(coordinator_client, yasmin):
    before = AuditEvent.objects.count()
    response = search(coordinator_client, "yasmin " * 40)
    assert response.status_code == 400
    assert "at most 100 characters" in response.text
    assert "parents" not in response.context
    assert AuditEvent.objects.count() == before
    listed = coordinator_client.get(reverse("referrals:parent-list"), {"q": "yasmin " * 40})
    assert listed.status_code == 200
    assert "at most 100 characters" in listed.text
    assert list(listed.context["parents"]) == []


@pytest.mark.django_db
def test_odd_characters_are_searched_for_not_obeyed(coordinator_client, yasmin):
    for typed in ("%", "_", "' OR 1=1 --", "\\", "#", "##41", "+44", "😀"):
        assert search(coordinator_client, typed).status_code == 200, typed
        assert parents_found(search(coordinator_client, typed)) == [], typed


# --- the top bar --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["coordinator_client", "manager_client", "pso_client", "volunteer_client"])
def test_every_role_has_the_search_box(request, client_name):
    page = request.getfixturevalue(client_name).get(reverse("home")).text
    assert 'role="search"' in page
    assert f'action="{SEARCH}"' in page


# --- query count --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_results(coordinator_client, organisation, service):
    def add(count: int, start: int) -> None:
        for index in range(start, start + count):
            ParentFactory(organisation=organisation, first_name=f"Morag{index}", last_name="Swinton")
            VolunteerProfileFactory(
                organisation=organisation, user=UserFactory(first_name=f"Morag{index}", last_name="Veitch")
            )
            GroupFactory(organisation=organisation, service=service, name=f"Morag's group {index}")

    add(1, 0)
    search(coordinator_client, "morag")
    with CaptureQueriesContext(connection) as one:
        response = search(coordinator_client, "morag")
    assert len(response.context["parents"]) == 1
    add(14, 1)
    with CaptureQueriesContext(connection) as fifteen:
        response = search(coordinator_client, "morag")
    assert len(response.context["parents"]) == len(response.context["people"]) == 15
    assert len(response.context["groups"]) == 15
    assert len(fifteen) == len(one)


@pytest.mark.django_db
def test_a_volunteer_list_filters_by_name(coordinator_client, organisation):
    ann = VolunteerProfileFactory(organisation=organisation, user=UserFactory(first_name="Ann", last_name="Smith"))
    VolunteerProfileFactory(organisation=organisation, user=UserFactory(first_name="Ann", last_name="Jones"))
    zoe = VolunteerProfileFactory(organisation=organisation, user=UserFactory(first_name="Zoë", last_name="Smith"))
    page = coordinator_client.get(reverse("volunteers:list"), {"name": "smith"}).context["page"]
    assert {person.pk for person in page.object_list} == {ann.pk, zoe.pk}
    assert page.paginator.count == 2
    page = coordinator_client.get(reverse("volunteers:list"), {"name": "zoe"}).context["page"]
    assert [person.pk for person in page.object_list] == [zoe.pk]


@pytest.mark.django_db
def test_a_member_of_no_organisation_is_refused(client):
    lost = UserFactory(username="lost")
    client.force_login(lost)
    assert search(client, "yasmin").status_code == 403
