"""The optional lived-experience question of the online forms: the
organisation's own list (offered by the volunteers layer), and what is
ticked lands on the new referral's matching needs, where the candidates
page shows it and the scoring uses it."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from referrals.models import Parent, Referral
from referrals.online.models import OnlineSubmission, Outcome
from tests.factories import LivedExperienceFactory, ParentFactory, ReferralFactory
from tests.online_referrals.conftest import professional_form, self_form, without_tokens
from volunteers.matching import selectors
from volunteers.matching.models import MatchingNeeds
from volunteers.matching.services import matching_needs_from_online_form
from volunteers.models import LivedExperience

pytestmark = pytest.mark.django_db

QUESTION = "Would you like a volunteer who has been through something similar? (optional)"


@pytest.fixture
def baby_loss(organisation):
    return LivedExperienceFactory(organisation=organisation, name="Baby loss")


@pytest.fixture
def birth_trauma(organisation):
    return LivedExperienceFactory(organisation=organisation, name="Birth trauma")


@pytest.fixture
def elsewhere(other_organisation):
    return LivedExperienceFactory(organisation=other_organisation, name="Only at the other charity")


def self_url(organisation) -> str:
    return reverse("online_referrals:self", args=[organisation.slug])


def test_the_form_asks_with_the_organisations_own_list(client, organisation, forms_open, baby_loss, elsewhere):
    page = client.get(self_url(organisation)).content.decode()
    assert QUESTION in page
    assert f'value="{baby_loss.pk}"' in page
    assert "Baby loss" in page
    assert "Only at the other charity" not in page
    professional = client.get(reverse("online_referrals:professional", args=[organisation.slug])).content.decode()
    assert "Would she like a volunteer who has been through something similar? (optional)" in professional


def test_no_list_no_question(client, organisation, forms_open):
    LivedExperience.objects.filter(organisation=organisation).delete()
    assert "been through something similar" not in client.get(self_url(organisation)).content.decode()


def test_what_she_ticks_is_on_her_referrals_matching_needs_and_the_candidates_page(
    client, organisation, service, forms_open, baby_loss, birth_trauma, coordinator_client
):
    client.post(self_url(organisation), self_form(service, lived_experience=[baby_loss.pk]))

    referral = Referral.objects.get()
    assert list(referral.matching_needs.lived_experience.all()) == [baby_loss]
    page = coordinator_client.get(reverse("matching:candidates", args=[referral.pk])).content.decode()
    assert "Lived experience asked for: Baby loss." in page
    # The scoring reads it as the coordinator's own choice would be read.
    (facts,) = selectors.parent_facts([selectors.referrals_with_needs(Referral.objects).get()])
    assert facts.lived_experience == frozenset({baby_loss.pk})


def test_a_health_visitor_asks_for_the_family(client, organisation, service, forms_open, baby_loss, birth_trauma):
    url = reverse("online_referrals:professional", args=[organisation.slug])
    client.post(url, professional_form(service, lived_experience=[baby_loss.pk, birth_trauma.pk]))
    needs = Referral.objects.get().matching_needs
    assert set(needs.lived_experience.all()) == {baby_loss, birth_trauma}


def test_nothing_ticked_nothing_recorded(client, organisation, service, forms_open, baby_loss):
    client.post(self_url(organisation), self_form(service))
    assert Referral.objects.count() == 1
    assert not MatchingNeeds.objects.exists()


def test_an_id_of_another_organisation_is_refused_on_the_form_and_nothing_is_written(
    client, organisation, service, forms_open, baby_loss, elsewhere
):
    response = client.post(self_url(organisation), self_form(service, lived_experience=[elsewhere.pk]))
    assert "Choose from the list." in response.content.decode()
    assert not OnlineSubmission.objects.exists()
    assert not Referral.objects.exists()


def test_the_matching_layer_ignores_ids_that_are_not_the_organisations(
    client, organisation, service, forms_open, baby_loss, elsewhere
):
    client.post(self_url(organisation), self_form(service))
    submission = OnlineSubmission.objects.get()
    matching_needs_from_online_form(submission_id=submission.pk, lived_experience_ids=[baby_loss.pk, elsewhere.pk])
    assert list(submission.referral.matching_needs.lived_experience.all()) == [baby_loss]
    # Only someone else's: nothing recorded on another referral.
    other = ReferralFactory(organisation=organisation, service=service)
    OnlineSubmission.objects.filter(pk=submission.pk).update(referral=other)
    matching_needs_from_online_form(submission_id=submission.pk, lived_experience_ids=[elsewhere.pk])
    assert not MatchingNeeds.objects.filter(referral=other).exists()


def test_spam_records_nothing(client, organisation, service, forms_open, baby_loss):
    client.post(
        self_url(organisation), self_form(service, lived_experience=[baby_loss.pk], website="http://spam.example")
    )
    assert OnlineSubmission.objects.get().outcome == Outcome.SPAM
    assert not MatchingNeeds.objects.exists()


def test_a_held_duplicate_records_nothing_on_the_open_referral(client, organisation, service, forms_open, baby_loss):
    parent = ParentFactory(organisation=organisation, first_name="Isla", last_name="Onlinetest")
    Parent.objects.filter(pk=parent.pk).update(date_of_birth=date(1996, 4, 2))
    existing = ReferralFactory(organisation=organisation, parent=parent, service=service)

    client.post(self_url(organisation), self_form(service, lived_experience=[baby_loss.pk]))

    held = OnlineSubmission.objects.get()
    assert (held.outcome, held.referral) == (Outcome.HELD, existing)
    assert not MatchingNeeds.objects.filter(referral=existing).exists()
    # The coordinator reading the held form still sees what was asked.
    assert held.answers[QUESTION] == "Baby loss"


def test_the_page_after_sending_is_the_same_whatever_was_ticked(client, organisation, service, forms_open, baby_loss):
    ticked = client.post(self_url(organisation), self_form(service, lived_experience=[baby_loss.pk]))
    plain = client.post(self_url(organisation), self_form(service, first_name="Nobody", last_name="Known"))
    assert without_tokens(ticked) == without_tokens(plain)
