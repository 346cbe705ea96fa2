"""One loader of the fitness inputs (``volunteers.selectors.fitness_inputs``):
a fixed number of queries however many people, and the same verdict on
every page that shows fitness — the volunteer list, the compliance report,
a PSO's home, matching's candidates and the crèche rota."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import council_area
from tests.matching.helpers import fit_volunteer
from volunteers import selectors
from volunteers.fitness import Reason
from volunteers.matching.selectors import volunteer_facts
from volunteers.models import PvgRecord, Status, SupervisorPairing, TrainingRecord, VolunteerProfile

pytestmark = pytest.mark.django_db


def people_in_every_state(organisation) -> None:
    today = timezone.localdate()
    area = council_area("S12000026")
    fit_volunteer(organisation=organisation, areas=[area])
    fit_volunteer(organisation=organisation, trained=False)
    fit_volunteer(organisation=organisation, pvg=False)
    expired = fit_volunteer(organisation=organisation)
    PvgRecord.objects.filter(profile=expired).update(renewal_due=today - dt.timedelta(days=2))
    lapsed = fit_volunteer(organisation=organisation)
    TrainingRecord.objects.filter(profile=lapsed).update(expires_on=today - dt.timedelta(days=1))
    fit_volunteer(organisation=organisation, supervised_days_ago=200)
    fit_volunteer(organisation=organisation, status=Status.PAUSED, supervised_days_ago=None)


def loader_queries(organisation) -> int:
    with CaptureQueriesContext(connection) as captured:
        selectors.fitness_inputs(VolunteerProfile.objects.filter(organisation=organisation))
    return len(captured)


def test_the_loader_makes_two_queries_whatever_the_number_of_people(organisation) -> None:
    fit_volunteer(organisation=organisation)
    small = loader_queries(organisation)
    people_in_every_state(organisation)
    assert small == loader_queries(organisation) == 2  # the people with caseload and supervision; their training


def test_every_page_reaches_the_same_verdict(organisation, coordinator, pso) -> None:
    people_in_every_state(organisation)
    today = timezone.localdate()
    settings = selectors.settings_for(organisation.pk)
    required = selectors.required_course_ids(organisation.pk)
    profiles = selectors.evaluate(
        selectors.with_checks(VolunteerProfile.objects.filter(organisation=organisation)),
        settings=settings,
        required=required,
        today=today,
    )
    expected = {profile.pk: [r.message for r in profile.fitness_reasons] for profile in profiles}
    assert any(expected.values())
    assert not all(expected.values())

    page = selectors.volunteers_page(coordinator, organisation_id=organisation.pk, filters={}, number=1, per_page=50)
    assert {person.pk: [r.message for r in person.fitness_reasons] for person in page.object_list} == expected

    report = selectors.compliance_for(coordinator, organisation_id=organisation.pk, today=today)
    for person in report.profiles:
        assert [r.message for r in person.fitness_reasons] == expected[person.pk]

    facts = {fact.volunteer_id: fact for fact in volunteer_facts(organisation.pk, today=today)}
    for pk, messages in expected.items():
        full = f"Caseload full ({facts[pk].caseload} of {facts[pk].max_caseload})"
        assert list(facts[pk].fitness_problems) == [m for m in messages if m != full]

    for profile in profiles:
        SupervisorPairing.objects.create(organisation=organisation, supervisor=pso, volunteer=profile, started_on=today)
    home = selectors.home_profiles(pso, organisation_id=organisation.pk, today=today)
    assert {p.pk: [r.message for r in p.fitness_reasons] for p in home if p.pk in expected} == expected

    rota = selectors.creche_fitness(organisation.pk, [profile.user_id for profile in profiles], today=today)
    for profile in profiles:
        # The crèche asks the same status, PVG and training questions (not supervision or caseload).
        matching_only = {Reason.SUPERVISION_OVERDUE, Reason.CASELOAD_FULL}
        shared = [r.message for r in profile.fitness_reasons if r.code not in matching_only]
        assert [r.message for r in rota[profile.user_id] if r.code != Reason.PVG_NOT_FOR_CHILDREN] == shared
