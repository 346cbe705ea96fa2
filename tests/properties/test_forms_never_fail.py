"""Property-based tests (hypothesis) over the main forms: whatever a person
types, the page answers (never a 500), and a refused submission writes
nothing. The fields are read from each rendered form, so a new field is
covered without touching this test."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')

# Plausible and hostile values: dates in odd formats, numbers, long text,
# markup, other organisations' ids, nothing at all.
VALUES = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.text(alphabet="0123456789-/ ", max_size=12),
    st.dates().map(str),
    st.integers(min_value=-(10**6), max_value=10**9).map(str),
    st.sampled_from(["on", "true", "1", "0", "<script>alert(1)</script>", "EH1 1AA", "07700 900123", "x" * 500]),
)

# A control character no person types is refused before any form sees it
# (operations.core.middleware.RefuseControlCharacters): a 400, nothing written.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_character(data: dict[str, str]) -> bool:
    return any(CONTROL.search(value) for value in data.values())


def check_answer(response, data: dict[str, str], before: dict[str, int], after: dict[str, int]) -> None:
    """A 302 (accepted), a 200 re-rendered with field errors or a 400 for a
    control character; a refusal writes nothing."""
    assert response.status_code in {200, 302, 400}, response.status_code
    if response.status_code == 400:
        assert has_control_character(data)
    if response.status_code != 302:
        assert after == before


FORMS = ["referrals:referral-new", "volunteers:create", "volunteers:supervision-new", "notifications:preferences"]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"referrals", "volunteers", "notifications", "core"}
        and model._meta.model_name not in {"auditevent", "notificationpreference"}
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", FORMS)
def test_any_input_is_answered_and_a_refusal_writes_nothing(url_name, coordinator_client, service):
    url = reverse(url_name)
    page = coordinator_client.get(url)
    assert page.status_code == 200
    fields = sorted(set(FIELD_NAME.findall(page.content.decode())) - {"csrfmiddlewaretoken", "next", "organisation"})
    assert fields, f"no form fields found on {url}"

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(fields, VALUES)))
    def submit(data: dict[str, str]) -> None:
        before = row_counts()
        response = coordinator_client.post(url, data)
        check_answer(response, data, before, row_counts())

    submit()
