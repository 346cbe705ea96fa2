"""No choice offered in a form names another organisation's people or records.

The permission matrix proves that another organisation's record is "not
found". A form can still leak one: a select whose choices are every user
or every row of the installation. Page forms and the browsable API's forms
(DRF renders one for each write a caller may attempt) are both checked,
for the least and the most privileged persona of the organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from operations.groups import services
from tests.factories import (
    ChildFactory,
    CourseFactory,
    DirectoryEntryFactory,
    LivedExperienceFactory,
    MatchFactory,
    ParentFactory,
    ReferralFactory,
    ReferrerFactory,
    ReferringOrganisationFactory,
)
from tests.volunteers.helpers import make_profile
from volunteers.matching.models import Match
from volunteers.selectors import settings_for

pytestmark = pytest.mark.django_db

OTHER_PERSON = "Zebedee Otherorg"
OTHER_VOCABULARY = "OTHER-ORG-EXPERIENCE"
OTHER_COURSE = "OTHER-ORG-COURSE"
OTHER_SERVICE = "OTHER-ORG-SERVICE"
OTHER_DIRECTORY = "OTHER-ORG-DIRECTORY-ENTRY"
OTHER_REFERRER = "OTHER-ORG-REFERRER"
OTHER_TEAM = "OTHER-ORG-REFERRING-TEAM"
OTHER_NAMES = (OTHER_PERSON, OTHER_VOCABULARY, OTHER_COURSE, OTHER_SERVICE, OTHER_DIRECTORY, OTHER_REFERRER, OTHER_TEAM)


@pytest.fixture
def records(organisation, other_organisation, service, volunteer, pso, other_coordinator) -> dict[str, int]:
    """Records of the personas' organisation, and named records of the other one."""
    other_coordinator.first_name, other_coordinator.last_name = OTHER_PERSON.split()
    other_coordinator.save()
    settings_for(other_organisation.pk)
    LivedExperienceFactory(organisation=other_organisation, name=OTHER_VOCABULARY)
    CourseFactory(organisation=other_organisation, name=OTHER_COURSE)
    other_organisation.services.create(name=OTHER_SERVICE, kind="befriending", end_child_age_months=12)
    other_profile = make_profile(
        organisation=other_organisation, today=timezone.localdate(), supervisor=other_coordinator
    )
    DirectoryEntryFactory(organisation=other_organisation, name=OTHER_DIRECTORY)
    ReferrerFactory(
        organisation=other_organisation,
        name=OTHER_REFERRER,
        referring_organisation=ReferringOrganisationFactory(organisation=other_organisation, name=OTHER_TEAM),
    )
    referrer = ReferrerFactory(organisation=organisation, name="Own referrer")
    other_service = other_organisation.services.get(name=OTHER_SERVICE)
    other_referral = ReferralFactory(organisation=other_organisation, service=other_service)
    other_match = _match(other_organisation, other_referral, other_profile)

    profile = make_profile(organisation=organisation, user=volunteer, today=timezone.localdate(), supervisor=pso)
    parent = ParentFactory(organisation=organisation)
    referral = ReferralFactory(organisation=organisation, parent=parent, service=service)
    DirectoryEntryFactory(organisation=organisation, name="Own directory entry")
    group = _group(organisation, volunteer)
    session = group.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    booking = services.booking_create(session_id=session.pk, actor=None, parent=parent)
    return {
        "group": group.pk,
        "group_session": session.pk,
        "booking": booking.pk,
        "profile": profile.pk,
        "session": profile.supervision_sessions.get().pk,
        "parent": parent.pk,
        "child": ChildFactory(parent=parent).pk,
        "referral": referral.pk,
        "match": _match(organisation, referral, profile).pk,
        "other_match": other_match.pk,
        "referrer": referrer.pk,
        "team": referrer.referring_organisation_id,
    }


def _match(organisation, referral, profile) -> Match:
    return MatchFactory(
        organisation=organisation, referral=referral, parent=referral.parent, volunteer=profile, status="active"
    )


def _group(organisation, facilitator):
    from operations.core.models import ServiceKind
    from tests.factories import ServiceFactory

    return services.group_create(
        organisation=organisation,
        actor=None,
        data={
            "service": ServiceFactory(organisation=organisation, name="Forms groups", kind=ServiceKind.GROUP),
            "name": "Forms Tea and Tots",
            "weekday": 4,
            "start_time": dt.time(10, 0),
            "end_time": dt.time(11, 30),
            "starts_on": timezone.localdate(),
        },
        facilitators=[facilitator],
    )


def _offered(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


def _assert_nothing_of_the_other_organisation(users, url: str, other_match: int) -> None:
    # A match is offered by its label, "Match #<id>", as an <option>.
    names = (*OTHER_NAMES, f">Match #{other_match}<")
    found = [f"{name} offered to {user.username}" for user in users for name in names if name in _offered(user, url)]
    assert not found, f"{url}: {found}"


PAGES = [
    "/volunteers/new/",
    "/volunteers/{profile}/edit/",
    "/volunteers/{profile}/training/",
    "/volunteers/{profile}/supervisor/",
    "/volunteers/supervision/new/",
    "/referrals/",
    "/referrals/new/",
    "/referrals/{referral}/edit/",
    "/referrals/referrers/",
    "/referrals/referrers/new/",
    "/referrals/referrers/{referrer}/edit/",
    "/referrals/referrers/{referrer}/merge/",
    "/referrals/referrers/teams/{team}/merge/",
    "/matching/referrals/{referral}/candidates/",
    "/matching/proposals/",
    "/matching/matches/{match}/",
    "/matching/matches/{match}/log/",
    "/matching/matches/{match}/visits/new/",
    "/groups/new/",
    "/groups/{group}/edit/",
    "/groups/sessions/{group_session}/edit/",
    "/groups/sessions/{group_session}/book/",
]

BROWSABLE_API = [
    "/api/v1/volunteers/",
    "/api/v1/volunteers/{profile}/",
    "/api/v1/supervisions/",
    "/api/v1/supervisions/{session}/",
    "/api/v1/referrals/",
    "/api/v1/referrals/{referral}/",
    "/api/v1/parents/{parent}/",
    "/api/v1/children/{child}/",
    "/api/v1/referrers/",
    "/api/v1/referrers/{referrer}/",
    "/api/v1/referring-organisations/",
    "/api/v1/services/",
    "/api/v1/groups/",
    "/api/v1/groups/{group}/",
    "/api/v1/group-sessions/",
    "/api/v1/group-sessions/{group_session}/",
    "/api/v1/bookings/",
    "/api/v1/bookings/{booking}/",
    "/api/v1/matches/",
    "/api/v1/matches/{match}/",
    "/api/v1/visits/",
    "/api/v1/contact-logs/",
    "/api/v1/directory/",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_forms_offer_nothing_of_another_organisation(records, coordinator, manager, url):
    _assert_nothing_of_the_other_organisation([coordinator, manager], url.format(**records), records["other_match"])


@pytest.mark.parametrize("url", BROWSABLE_API)
def test_browsable_api_forms_offer_nothing_of_another_organisation(records, volunteer, coordinator, manager, url):
    url = url.format(**records)
    users = (
        [manager, coordinator]
        if url.startswith(("/api/v1/referrals/", "/api/v1/parents/", "/api/v1/children/", "/api/v1/referr"))
        else [manager, coordinator, volunteer]
    )
    _assert_nothing_of_the_other_organisation(users, url + "?format=api", records["other_match"])
