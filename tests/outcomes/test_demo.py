"""The demo data shows outcomes: baselines and reviews, and one open safety alert."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from operations.outcomes.models import Assessment, SafetyAlert


@pytest.mark.django_db
def test_demo_parents_have_baselines_reviews_and_one_open_alert():
    call_command("seed_demo", force=True, verbosity=0)
    timepoints = set(Assessment.objects.values_list("timepoint", flat=True))
    assert {"baseline", "review"} <= timepoints
    assert SafetyAlert.objects.open().count() == 1
    assert SafetyAlert.objects.get().organisation.slug == "tweed-valley"
    assert not Assessment.objects.filter(parent__lawful_basis_article9="").exists()
    assert Assessment.objects.for_evaluation().exists()
