"""Factories of the outcomes app: assessments scored by the real rules,
their safety alerts, and an organisation's own questionnaires and wording."""

from __future__ import annotations

import factory
from django.utils import timezone

from operations.outcomes import measures
from operations.outcomes.models import Assessment, MeasureWording, Questionnaire, QuestionnaireItem, SafetyAlert
from tests.factories.core import OrganisationFactory
from tests.factories.referrals import ReferralFactory

#: EPDS answers whose item 10 (thoughts of self-harm) scores 1: a safety alert.
EPDS_ITEM_10_ALERT = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2]


def positions_for_total(measure, total: int) -> list[int]:
    """Option positions that score ``total`` on ``measure`` (raw total; for
    CORE-10 with every item answered the score is the same number): items are
    filled from the first, reverse-scored ones through their reversed options."""
    top = measure.options - 1
    remaining = total - measure.items * measure.first_score
    if not 0 <= remaining <= measure.items * top:
        raise ValueError(f"{measure.name} cannot total {total}.")
    positions = []
    for number in measure.item_numbers:
        item = min(top, remaining)
        remaining -= item
        positions.append(top - item if number in measure.reverse_items else item)
    return positions


def _scored(assessment) -> measures.Score:
    return measures.score(measures.MEASURES[assessment.measure], assessment.responses)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment scored by the real rules. Give ``referral`` (its parent
    and organisation follow) and ``score_total``, or ``responses`` directly.
    Without a referral, one is made whose parent has a lawful basis for
    health data recorded."""

    class Meta:
        model = Assessment
        exclude = ("score_total",)

    score_total = 10
    referral = factory.SubFactory(ReferralFactory, parent__lawful_basis_article9="not_for_profit")
    parent = factory.SelfAttribute("referral.parent")
    organisation = factory.SelfAttribute("referral.organisation")
    measure = "epds"
    timepoint = "baseline"
    taken_on = factory.LazyFunction(timezone.localdate)
    responses = factory.LazyAttribute(lambda o: positions_for_total(measures.MEASURES[o.measure], o.score_total))
    item_scores = factory.LazyAttribute(lambda o: list(_scored(o).item_scores))
    total = factory.LazyAttribute(lambda o: _scored(o).total)
    band = factory.LazyAttribute(lambda o: _scored(o).band_code)
    alert_items = factory.LazyAttribute(lambda o: list(_scored(o).alert_items))
    scoring_version = factory.LazyAttribute(lambda o: _scored(o).scoring_version)


class SafetyAlertFactory(factory.django.DjangoModelFactory):
    """The open alert of an EPDS whose item 10 scored 1 (``assessment_create``
    raises these; this makes the pair directly)."""

    class Meta:
        model = SafetyAlert

    assessment = factory.SubFactory(AssessmentFactory, responses=EPDS_ITEM_10_ALERT)
    organisation = factory.SelfAttribute("assessment.organisation")
    parent = factory.SelfAttribute("assessment.parent")
    item_number = 10
    item_score = 1


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Wellbeing check {n}")


class QuestionnaireItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireItem

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "I feel less isolated"


class MeasureWordingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureWording

    organisation = factory.SubFactory(OrganisationFactory)
    measure = "epds"
    item_number = 1
    text = "I have been able to laugh and see the funny side of things"
    permission_note = "Permission granted in writing, 2026"


def make_assessment_for_export(
    *,
    referral,
    measure: str = "epds",
    timepoint: str = "baseline",
    taken_on=None,
    positions: list[int | None] | None = None,
):
    """An assessment for export tests: every item at option 1 unless
    ``positions`` are given, scored by the real rules (AssessmentFactory)."""
    rules = measures.MEASURES[measure]
    return AssessmentFactory(
        referral=referral,
        measure=measure,
        timepoint=timepoint,
        taken_on=taken_on or timezone.localdate(),
        responses=positions if positions is not None else [1] * rules.items,
    )
