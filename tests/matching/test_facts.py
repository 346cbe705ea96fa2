"""The facts matching loads as plain values agree with the volunteers app's
own fitness evaluation, for people in every state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import SupervisionSessionFactory, council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers import selectors as volunteer_selectors
from volunteers.fitness import Reason
from volunteers.matching import services
from volunteers.matching.models import EndingType, Match, MatchStatus
from volunteers.matching.selectors import volunteer_facts
from volunteers.models import (
    LivedExperience,
    PvgRecord,
    Status,
    TrainingRecord,
    VolunteerProfile,
)

pytestmark = pytest.mark.django_db


def test_value_facts_match_the_volunteers_apps_evaluation(organisation, coordinator, service) -> None:
    today = timezone.localdate()
    area = council_area("S12000026")
    fit = fit_volunteer(organisation=organisation, areas=[area], languages="English, Polish", gender="female")
    busy = fit_volunteer(organisation=organisation, areas=[area], max_caseload=3)
    for _ in range(3):  # two open matches and one ended: a caseload of 2
        referral = waiting_referral(organisation=organisation, service=service, area=area)
        services.match_confirm(
            actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=busy.pk
        )
    first = Match.objects.filter(volunteer=busy).order_by("pk").first()
    Match.objects.filter(pk=first.pk).update(status=MatchStatus.ENDED, ending_type=EndingType.PLANNED, ended_on=today)
    for days_ago in (5, 30):  # two supervisions: joined with the matches, they must not double the caseload
        session = SupervisionSessionFactory(
            organisation=organisation, supervisor=coordinator, held_on=today - dt.timedelta(days=days_ago)
        )
        session.volunteers.add(busy)
    fit.lived_experience.set(LivedExperience.objects.filter(organisation=organisation)[:2])
    fit_volunteer(organisation=organisation, trained=False)
    fit_volunteer(organisation=organisation, pvg=False)
    expired = fit_volunteer(organisation=organisation)
    PvgRecord.objects.filter(profile=expired).update(renewal_due=today - dt.timedelta(days=2))
    lapsed = fit_volunteer(organisation=organisation)
    TrainingRecord.objects.filter(profile=lapsed).update(expires_on=today - dt.timedelta(days=1))
    fit_volunteer(organisation=organisation, supervised_days_ago=200)
    fit_volunteer(organisation=organisation, supervisor=coordinator, supervised_days_ago=10)
    fit_volunteer(organisation=organisation, status=Status.PAUSED, supervised_days_ago=None)
    fit_volunteer(organisation=organisation, status=Status.LEFT)  # never a candidate

    facts = {f.volunteer_id: f for f in volunteer_facts(organisation.pk, today=today)}
    profiles = volunteer_selectors.evaluate(
        volunteer_selectors.with_checks(VolunteerProfile.objects.filter(organisation=organisation)).prefetch_related(
            "lived_experience"
        ),
        settings=volunteer_selectors.settings_for(organisation.pk),
        required=volunteer_selectors.required_course_ids(organisation.pk),
        today=today,
    )
    assert len(facts) == len(profiles) - 1
    for profile in profiles:
        if profile.status == Status.LEFT:
            assert profile.pk not in facts
            continue
        fact = facts[profile.pk]
        expected = tuple(r.message for r in profile.fitness_reasons if r.code != Reason.CASELOAD_FULL)
        assert fact.fitness_problems == expected, profile.pk
        assert fact.caseload == profile.current_caseload
        assert fact.council_area_ids == frozenset(a.pk for a in profile.council_areas.all())
        assert fact.lived_experience == frozenset(e.pk for e in profile.lived_experience.all())
        assert fact.name == str(profile.user)
    assert facts[busy.pk].caseload == 2
    assert facts[fit.pk].languages == frozenset({"english", "polish"})
    assert facts[fit.pk].fitness_problems == ()
