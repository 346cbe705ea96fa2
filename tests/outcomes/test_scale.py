"""The scale data set's assessments: the count asked for, only for parents
with a lawful basis, scored by the real rules, alerts for alert items."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from operations.core.scale import FULL, SIZES
from operations.outcomes import measures
from operations.outcomes.models import Assessment, SafetyAlert


@pytest.mark.django_db
def test_tiny_scale_assessments():
    call_command("seed_scale", size="tiny", force=True, stdout=io.StringIO())
    assert Assessment.objects.count() == round(FULL["assessments"] * SIZES["tiny"])
    assert not Assessment.objects.filter(parent__lawful_basis_article9="").exists()
    assert Assessment.objects.filter(timepoint="baseline").exists()
    assert Assessment.objects.filter(timepoint="review").exists()
    for assessment in Assessment.objects.all()[:50]:
        rules = measures.MEASURES[assessment.measure]
        assert measures.score(rules, assessment.responses).total == assessment.total
    alerting = Assessment.objects.exclude(alert_items=[])
    assert SafetyAlert.objects.count() == sum(len(a.alert_items) for a in alerting)
