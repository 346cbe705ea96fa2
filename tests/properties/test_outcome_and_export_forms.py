"""Property-based tests (hypothesis) over the outcome and evaluation forms:
an assessment entry, a new evaluation project and an export request. Whatever
is typed, the page answers (never a 500), and a refused submission writes
nothing. As in test_forms_never_fail, the fields are read from the rendered
form, so a new field is covered without touching this test."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from operations.evaluation.services import project_create
from tests.outcomes.helpers import assessable_referral
from tests.properties.test_forms_never_fail import FIELD_NAME, VALUES, check_answer

# Item answers are positions 0–3 (or 1–5): offer them often, so that some
# submissions are valid and the test sees saves as well as refusals.
ANSWERS = st.one_of(VALUES, st.sampled_from(["0", "1", "2", "3", "4", "5", "baseline", "review"]))


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"referrals", "outcomes", "evaluation", "notifications"}
    }


def fields_of(page) -> list[str]:
    assert page.status_code == 200
    fields = sorted(set(FIELD_NAME.findall(page.content.decode())) - {"csrfmiddlewaretoken", "next"})
    assert fields
    return fields


@pytest.mark.django_db
@pytest.mark.parametrize("measure", ["epds", "core10", "swemwbs"])
def test_assessment_entry_answers_anything_and_a_refusal_writes_nothing(
    measure, coordinator_client, organisation, service
):
    referral = assessable_referral(organisation=organisation, service=service)
    url = reverse("outcomes:assessment-new", args=[referral.parent_id]) + f"?measure={measure}"
    fields = fields_of(coordinator_client.get(url))

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(fields, ANSWERS)))
    def submit(data: dict[str, str]) -> None:
        before = row_counts()
        response = coordinator_client.post(url, data)
        assert response.status_code in {200, 302, 400}, response.status_code
        if response.status_code == 400:  # re-rendered with errors
            assert row_counts() == before

    submit()


def check_any_input(client, url: str) -> None:
    fields = fields_of(client.get(url))

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(fields, VALUES)))
    def submit(data: dict[str, str]) -> None:
        before = row_counts()
        response = client.post(url, data)
        check_answer(response, data, before, row_counts())

    submit()


@pytest.mark.django_db
def test_new_project_form_answers_anything_and_a_refusal_writes_nothing(manager_client):
    check_any_input(manager_client, reverse("evaluation:project-list"))


@pytest.mark.django_db
def test_export_request_form_answers_anything_and_a_refusal_writes_nothing(manager_client, organisation, manager):
    project = project_create(organisation=organisation, by=manager, name="Wellbeing study")
    check_any_input(manager_client, reverse("evaluation:project-detail", args=[project.pk]))
