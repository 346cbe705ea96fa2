"""What a matched volunteer sees of her family's contact details (issue 23):
the organisation chooses nothing (the default), the phone number, or the
phone number and the address. Only the volunteer of an open match sees
them, on the family page and through the API; each view is audited; a PSO's
and a coordinator's pages do not change."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditEvent
from referrals.models import Parent
from tests.factories import MatchFactory, MatchingSettingsFactory, ParentFactory, ReferralFactory
from tests.volunteers.helpers import make_profile
from volunteers.matching.models import MatchStatus, VolunteerContactDetails

pytestmark = pytest.mark.django_db

PHONE = "07700 900123"
TEL = 'href="tel:07700900123"'
STREET = "4 Mill Lane"


def set_setting(organisation, value: str) -> None:
    MatchingSettingsFactory(organisation=organisation)
    organisation.matching_settings.volunteer_contact_details = value
    organisation.matching_settings.save()


def family_of(organisation, user, *, status=MatchStatus.ACTIVE):
    profile = user.volunteer_profiles.filter(organisation=organisation).first() or make_profile(
        organisation=organisation, user=user, today=timezone.localdate()
    )
    parent = ParentFactory(
        organisation=organisation,
        preferred_name="Eilidh",
        phone=PHONE,
        address_line_1=STREET,
        town="Hawick",
        postcode="TD9 0AA",
        safe_sms=True,
        safe_phone=True,
        best_contact_times="only after 10am",
        contact_safety_recorded_at=timezone.now(),
    )
    referral = ReferralFactory(organisation=organisation, parent=parent)
    return MatchFactory(organisation=organisation, referral=referral, parent=parent, volunteer=profile, status=status)


def page(client, match) -> str:
    response = client.get(reverse("matching:match-detail", args=[match.pk]))
    assert response.status_code == 200
    return response.content.decode()


def seen_events(match):
    return AuditEvent.objects.filter(action="view", object_type="referrals.Parent", object_id=str(match.parent_id))


def api_contact(client, match):
    response = client.get(f"/api/v1/matches/{match.pk}/")
    assert response.status_code == 200
    return response.json()["parent_contact"]


def test_by_default_the_volunteer_sees_no_contact_details(organisation, volunteer, volunteer_client):
    match = family_of(organisation, volunteer)
    shown = page(volunteer_client, match)
    assert PHONE not in shown
    assert STREET not in shown
    # The safe-contact answers read in words all the same.
    assert "Text message: yes; email: no; phone call: yes; voicemail: no. Best times: only after 10am." in shown
    assert api_contact(volunteer_client, match) is None
    assert not seen_events(match).exists()


def test_phone_only_shows_a_tel_link_with_the_safe_contact_words(organisation, volunteer, volunteer_client):
    set_setting(organisation, VolunteerContactDetails.PHONE)
    match = family_of(organisation, volunteer)
    shown = page(volunteer_client, match)
    assert TEL in shown
    assert STREET not in shown
    contact = api_contact(volunteer_client, match)
    assert contact["phone"] == PHONE
    assert contact["address"] == ""
    assert contact["safe_contact"].startswith("Text message: yes;")
    # Each view is audited, without the number or the name in the entry.
    events = list(seen_events(match))
    assert len(events) == 2
    assert {event.actor_username for event in events} == {volunteer.username}
    for event in events:
        assert PHONE not in event.summary
        assert "Eilidh" not in event.summary


def test_phone_and_address_shows_both(organisation, volunteer, volunteer_client):
    set_setting(organisation, VolunteerContactDetails.PHONE_AND_ADDRESS)
    match = family_of(organisation, volunteer)
    shown = page(volunteer_client, match)
    assert TEL in shown
    assert f"{STREET}, Hawick, TD9 0AA" in shown
    assert api_contact(volunteer_client, match)["address"] == f"{STREET}, Hawick, TD9 0AA"
    assert seen_events(match).count() == 2


def test_an_ended_match_shows_nothing(organisation, volunteer, volunteer_client):
    set_setting(organisation, VolunteerContactDetails.PHONE_AND_ADDRESS)
    match = family_of(organisation, volunteer, status=MatchStatus.ENDED)
    shown = page(volunteer_client, match)
    assert PHONE not in shown
    assert STREET not in shown
    assert api_contact(volunteer_client, match) is None
    assert not seen_events(match).exists()


def test_another_volunteer_sees_nothing(organisation, volunteer, volunteer_client):
    set_setting(organisation, VolunteerContactDetails.PHONE_AND_ADDRESS)
    someone_else = make_profile(organisation=organisation, today=timezone.localdate()).user
    match = family_of(organisation, someone_else)
    assert volunteer_client.get(reverse("matching:match-detail", args=[match.pk])).status_code == 404
    assert volunteer_client.get(f"/api/v1/matches/{match.pk}/").status_code == 404
    listed = volunteer_client.get("/api/v1/matches/").json()["results"]
    assert all(row["parent_contact"] is None for row in listed)
    assert not seen_events(match).exists()


def test_the_list_gives_her_own_families_numbers(organisation, volunteer, volunteer_client):
    set_setting(organisation, VolunteerContactDetails.PHONE)
    match = family_of(organisation, volunteer)
    rows = volunteer_client.get("/api/v1/matches/").json()["results"]
    assert [(row["id"], row["parent_contact"]["phone"]) for row in rows] == [(match.pk, PHONE)]


@pytest.mark.parametrize("role", ["pso", "coordinator"])
def test_a_pso_and_a_coordinator_are_unaffected(request, organisation, role):
    set_setting(organisation, VolunteerContactDetails.PHONE_AND_ADDRESS)
    user = request.getfixturevalue(role)
    client = request.getfixturevalue(f"{role}_client")
    # The PSO's own family; the coordinator looks at the same match.
    match = family_of(organisation, request.getfixturevalue("pso"))
    shown = page(client, match)
    assert TEL not in shown
    assert STREET not in shown
    assert api_contact(client, match) is None
    assert not seen_events(match).filter(actor_id=user.pk).exists()


def test_no_number_recorded_shows_nothing_and_audits_nothing(organisation, volunteer, volunteer_client):
    set_setting(organisation, VolunteerContactDetails.PHONE)
    match = family_of(organisation, volunteer)
    Parent.objects.filter(pk=match.parent_id).update(phone="", safe_sms=False, safe_phone=False)
    assert 'href="tel:' not in page(volunteer_client, match)
    assert not seen_events(match).exists()


def test_managers_change_the_setting_in_administration(manager_client, organisation):
    MatchingSettingsFactory(organisation=organisation)
    settings = organisation.matching_settings
    url = reverse("admin:matching_matchingsettings_change", args=[settings.pk])
    form = manager_client.get(url)
    assert form.status_code == 200
    assert "What volunteers see of a parent&#x27;s contact details" in form.content.decode()
    assert "The phone number and the address" in form.content.decode()
