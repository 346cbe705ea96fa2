"""The pages: entering an assessment (the alert shown in the same response),
the parent page's panel, the coordinator's alerts, and the manager's
questionnaires and wording."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.core.models import Role
from operations.outcomes import services
from operations.outcomes.models import Assessment, MeasureWording, Questionnaire, SafetyAlert
from tests.factories import MeasureWordingFactory, QuestionnaireFactory, ReferralFactory
from tests.home.queries import HOME_QUERIES
from tests.outcomes.helpers import assessable_referral

pytestmark = pytest.mark.django_db

EPDS_ITEM_10_ALERT = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2]


@pytest.fixture
def referral(organisation, service):
    return assessable_referral(organisation=organisation, service=service)


def form_data(referral, positions, **extra) -> dict:
    data = {"referral": referral.pk, "timepoint": "baseline", "taken_on": timezone.localdate().isoformat()}
    data.update({f"item_{n}": p for n, p in enumerate(positions, start=1) if p is not None})
    data.update(extra)
    return data


def new_url(parent, measure: str) -> str:
    return reverse("outcomes:assessment-new", args=[parent.pk]) + f"?measure={measure}"


def test_the_form_shows_item_numbers_options_citation_and_copyright_but_no_item_text(coordinator_client, referral):
    response = coordinator_client.get(new_url(referral.parent, "epds"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<fieldset") == 10
    assert "<legend" in page
    assert "Item 10" in page
    assert "Option 1 (scores 3)" in page  # item 3 runs backwards
    assert 'type="radio"' in page
    assert "Cox, J.L." in page
    assert "Royal College of Psychiatrists" in page
    assert "<script>" not in page


def test_the_form_shows_wording_the_organisation_holds_permission_for(coordinator_client, referral, organisation):
    MeasureWordingFactory(
        organisation=organisation,
        measure="epds",
        item_number=1,
        text="Fictional wording one",
        permission_note="RCPsych",
    )
    page = coordinator_client.get(new_url(referral.parent, "epds")).content.decode()
    assert "Item 1: Fictional wording one" in page


def test_without_a_measure_the_page_offers_the_measures(coordinator_client, referral):
    page = coordinator_client.get(reverse("outcomes:assessment-new", args=[referral.parent_id])).content.decode()
    for name in ("EPDS", "WEMWBS", "SWEMWBS", "PHQ-9", "GAD-7", "CORE-10"):
        assert name in page


def test_saving_without_an_alert_returns_to_the_parent_page(coordinator_client, referral):
    response = coordinator_client.post(new_url(referral.parent, "gad7"), form_data(referral, [1] * 7), follow=True)
    assert response.redirect_chain[-1][0] == reverse("referrals:parent-detail", args=[referral.parent_id])
    assert "GAD-7 saved: total 7" in response.content.decode()
    assert Assessment.objects.get().total == 7


def test_saving_with_an_alert_shows_it_in_the_same_response(coordinator_client, referral):
    response = coordinator_client.post(new_url(referral.parent, "epds"), form_data(referral, EPDS_ITEM_10_ALERT))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "Safety alert" in page
    assert "Item 10 scored 1" in page
    alert = SafetyAlert.objects.get()
    assert reverse("outcomes:alert-detail", args=[alert.pk]) in page


def test_a_missing_item_is_a_field_error_and_nothing_is_written(coordinator_client, referral):
    positions = [1] * 6 + [None]
    response = coordinator_client.post(new_url(referral.parent, "gad7"), form_data(referral, positions))
    assert response.status_code == 400
    assert "Choose an option for item 7." in response.content.decode()
    assert not Assessment.objects.exists()


def test_without_a_lawful_basis_the_form_warns_and_the_save_is_refused(coordinator_client, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service)
    url = new_url(referral.parent, "gad7")
    assert "Record the Article 9 condition" in coordinator_client.get(url).content.decode()
    response = coordinator_client.post(url, form_data(referral, [0] * 7))
    assert response.status_code == 400
    assert "No lawful basis for health data is recorded" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_date_before_the_referral_is_refused(coordinator_client, referral):
    early = (referral.received_on - timedelta(days=3)).isoformat()
    response = coordinator_client.post(new_url(referral.parent, "gad7"), form_data(referral, [0] * 7, taken_on=early))
    assert response.status_code == 400
    assert "before the referral was received" in response.content.decode()
    assert not Assessment.objects.exists()


def test_core10_takes_one_unanswered_item(coordinator_client, referral):
    positions = [1, 3, 3, 1, 1, 0, 1, 1, 1, None]
    response = coordinator_client.post(new_url(referral.parent, "core10"), form_data(referral, positions))
    assert response.status_code == 302
    assert Assessment.objects.get().item_scores[-1] is None


def test_volunteers_and_psos_off_caseload_cannot_enter_or_read(volunteer_client, pso_client, referral, coordinator):
    assessment = services.assessment_create(
        actor=coordinator, organisation=referral.organisation, parent=referral.parent, referral=referral,
        measure="gad7", timepoint="baseline", taken_on=timezone.localdate(), responses=[0] * 7,
    )  # fmt: skip
    assert volunteer_client.get(new_url(referral.parent, "gad7")).status_code == 403
    assert volunteer_client.get(reverse("outcomes:assessment-detail", args=[assessment.pk])).status_code == 403
    # A PSO reaches only the families on their own caseload (see test_pso.py).
    assert pso_client.get(new_url(referral.parent, "gad7")).status_code == 404
    assert pso_client.get(reverse("outcomes:assessment-detail", args=[assessment.pk])).status_code == 404


def test_another_organisation_sees_not_found(other_coordinator_client, referral, coordinator):
    assessment = services.assessment_create(
        actor=coordinator, organisation=referral.organisation, parent=referral.parent, referral=referral,
        measure="gad7", timepoint="baseline", taken_on=timezone.localdate(), responses=[0] * 7,
    )  # fmt: skip
    assert other_coordinator_client.get(reverse("outcomes:assessment-detail", args=[assessment.pk])).status_code == 404
    assert other_coordinator_client.get(new_url(referral.parent, "gad7")).status_code == 404


# --- the parent page's panel -------------------------------------------------------


def add_assessments(referral, coordinator, count: int) -> None:
    for index in range(count):
        services.assessment_create(
            actor=coordinator, organisation=referral.organisation, parent=referral.parent, referral=referral,
            measure="epds" if index % 2 else "gad7", timepoint="review", taken_on=timezone.localdate(),
            responses=EPDS_ITEM_10_ALERT if index % 2 else [2] * 7,
        )  # fmt: skip


def parent_page(client, parent) -> str:
    response = client.get(reverse("referrals:parent-detail", args=[parent.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_parent_page_lists_assessments_with_their_alert_flag(coordinator_client, referral, coordinator):
    add_assessments(referral, coordinator, 2)
    page = parent_page(coordinator_client, referral.parent)
    assert "Outcome measures" in page
    assert "Add assessment" in page
    assert "GAD-7" in page
    assert "EPDS" in page
    assert page.count('badge text-bg-danger">Safety alert') == 1


def test_the_parent_page_query_count_does_not_grow_with_assessments(
    coordinator_client, referral, coordinator, django_assert_num_queries
):
    for count in (2, 20):
        add_assessments(referral, coordinator, count)
        parent_page(coordinator_client, referral.parent)  # warm-up: the first view fills per-process caches
        # 1 session, 2 user, 3 membership, 4 the parent, 5 the audit event of
        # the view, 6 the children, 7 the assessments with their alerts, 8 the
        # bell, 9 the referrals with their service; the timeline (one query per
        # kind of row: referral moves, births, matches, reviews, visits, contact
        # logs, concern steps, bookings, assessments, alerts, messages, texts
        # from her) and the panels other rooms add (texts received from her,
        # where an imported record came from): 23 in all, however many assessments.
        with django_assert_num_queries(23):
            page = parent_page(coordinator_client, referral.parent)
    # Each assessment is linked twice: from the panel and from the timeline.
    assert page.count("outcomes/assessments/") == 2 * 22


# --- alerts ---------------------------------------------------------------------------


@pytest.fixture
def alert(referral, coordinator):
    add_assessments(referral, coordinator, 2)
    return SafetyAlert.objects.get()


def test_the_coordinator_home_shows_open_alerts(coordinator_client, alert):
    page = coordinator_client.get(reverse("home")).content.decode()
    assert "Open safety alerts" in page
    assert reverse("outcomes:alert-detail", args=[alert.pk]) in page


def test_the_home_panel_query_count_does_not_grow_with_alerts(
    coordinator_client, referral, coordinator, alert, django_assert_num_queries
):
    for count in (0, 24):
        add_assessments(referral, coordinator, count)
        coordinator_client.get(reverse("home"))  # warm-up: the first view fills per-process caches
        with django_assert_num_queries(HOME_QUERIES[Role.COORDINATOR]):  # named in tests/home/queries.py
            assert coordinator_client.get(reverse("home")).status_code == 200


def test_the_home_counts_every_open_alert_beyond_those_it_lists(coordinator_client, referral, coordinator):
    add_assessments(referral, coordinator, 26)  # 13 alerts, more than the panel lists
    page = coordinator_client.get(reverse("home")).content.decode()
    assert page.count(reverse("outcomes:alert-detail", args=[SafetyAlert.objects.first().pk])) <= 1
    assert sum(page.count(reverse("outcomes:alert-detail", args=[a.pk])) for a in SafetyAlert.objects.all()) == 10
    assert "All 13 open alerts" in page
    listing = coordinator_client.get(reverse("outcomes:alert-list")).content.decode()
    assert sum(listing.count(reverse("outcomes:alert-detail", args=[a.pk])) for a in SafetyAlert.objects.all()) == 13


def test_closing_an_alert_needs_the_action_taken(coordinator_client, alert):
    url = reverse("outcomes:alert-detail", args=[alert.pk])
    response = coordinator_client.post(url, {"action_taken": ""})
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.is_open
    response = coordinator_client.post(url, {"action_taken": "Called the parent; GP appointment today."}, follow=True)
    assert "closed" in response.content.decode()
    alert.refresh_from_db()
    assert not alert.is_open
    home = coordinator_client.get(reverse("home")).content.decode()
    assert reverse("outcomes:alert-detail", args=[alert.pk]) not in home


# --- managers: questionnaires and wording ------------------------------------------------


def test_a_manager_makes_a_questionnaire_used_on_the_form(manager_client, organisation, referral):
    response = manager_client.post(
        reverse("outcomes:questionnaire-new"),
        {"name": "Isolation", "scale_min": 1, "scale_max": 5, "higher_is_better": "on", "active": "on",
         "items": "I feel less isolated\n(R) I feel alone\n"},
    )  # fmt: skip
    assert response.status_code == 302
    questionnaire = Questionnaire.objects.get(organisation=organisation)
    assert [(i.number, i.text, i.reverse_scored) for i in questionnaire.items.all()] == [
        (1, "I feel less isolated", False),
        (2, "I feel alone", True),
    ]
    page = manager_client.get(new_url(referral.parent, f"q{questionnaire.pk}")).content.decode()
    assert "Item 2: I feel alone" in page


def test_a_questionnaire_in_use_keeps_its_items(manager_client, organisation, referral, manager):
    questionnaire = QuestionnaireFactory(organisation=organisation, name="Confidence")
    questionnaire.items.create(number=1, text="I feel confident")
    services.assessment_create(
        actor=manager, organisation=organisation, parent=referral.parent, referral=referral, measure="custom",
        questionnaire=questionnaire, timepoint="baseline", taken_on=timezone.localdate(), responses=[2],
    )  # fmt: skip
    response = manager_client.post(
        reverse("outcomes:questionnaire-edit", args=[questionnaire.pk]),
        {"name": "Confidence", "scale_min": 1, "scale_max": 5, "active": "on", "items": "Something else"},
    )
    assert response.status_code == 400
    assert "cannot change" in response.content.decode()
    assert list(questionnaire.items.values_list("text", flat=True)) == ["I feel confident"]


def test_wording_needs_a_permission_note(manager_client, organisation):
    url = reverse("outcomes:wording-edit", args=["epds"])
    response = manager_client.post(url, {"item_1": "Fictional wording", "permission_note": ""})
    assert response.status_code == 400
    assert not MeasureWording.objects.exists()
    response = manager_client.post(url, {"item_1": "Fictional wording", "permission_note": "RCPsych letter, 2026"})
    assert response.status_code == 302
    assert MeasureWording.objects.get(organisation=organisation).text == "Fictional wording"


def test_coordinators_cannot_manage_questionnaires(coordinator_client):
    assert coordinator_client.get(reverse("outcomes:questionnaire-list")).status_code == 403
    assert coordinator_client.get(reverse("outcomes:wording-edit", args=["epds"])).status_code == 403


def test_the_panel_names_the_band_in_words(coordinator_client, referral, coordinator):
    services.assessment_create(
        actor=coordinator,
        organisation=referral.organisation,
        parent=referral.parent,
        referral=referral,
        measure="epds",
        timepoint="baseline",
        taken_on=timezone.localdate(),
        responses=[2, 2, 1, 2, 1, 1, 1, 3, 3, 3],  # 2+2+2+2+2+2+2+0+0+0 = 14
    )
    page = parent_page(coordinator_client, referral.parent)
    assert "Probable depression" in page
