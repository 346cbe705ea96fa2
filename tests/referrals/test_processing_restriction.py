"""Restriction of processing (UK GDPR Art. 18): a manager records it with a
reason and lifts it with a reason, both audited; refused while a
safeguarding hold stands. While it stands the record is kept and can be
copied (subject access) but nothing new is recorded or sent about the
parent, and the record stays out of evaluation exports and retention."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from operations.core.audit import AuditAction, AuditEvent
from operations.core.retention import retention_dry_run
from operations.notifications.due import (
    births_to_confirm,
    contact_logs_missing,
    eligibility_ending,
    match_reviews_due,
    referrals_not_contacted,
    visits_tomorrow,
)
from operations.outcomes.models import Assessment
from referrals import services
from referrals.models import Parent, ProcessingRestriction, Referral
from tests.factories import AssessmentFactory, ChildFactory, ReferralFactory, VisitFactory, council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services as matching_services
from volunteers.matching.models import Match, Visit
from volunteers.matching.selectors import waiting_referrals

TODAY = dt.date(2026, 11, 26)
REASON = "Contests the accuracy of her address while it is checked"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def family(organisation, service):
    return ReferralFactory(organisation=organisation, service=service, parent__first_name="Morven").parent


def restrict(parent: Parent, manager) -> ProcessingRestriction:
    return services.parent_restrict(actor=manager, parent=parent, requested_on=TODAY, reason=REASON)


def url(parent: Parent) -> str:
    return reverse("referrals:parent-restriction", args=[parent.pk])


# --- Recording and lifting ----------------------------------------------------


@pytest.mark.django_db
def test_a_manager_restricts_processing_and_everyone_sees_the_banner(manager_client, coordinator_client, family):
    response = manager_client.post(url(family), {"requested_on": "2026-11-20", "reason": REASON})
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.processing_restricted
    restriction = ProcessingRestriction.objects.get(parent=family)
    assert (restriction.requested_on, restriction.reason, restriction.lifted_on) == (
        dt.date(2026, 11, 20),
        REASON,
        None,
    )
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_id=str(family.pk))
    assert event.summary == "Processing restricted (Art. 18)"  # the reason may describe her: never in the audit
    page = coordinator_client.get(reverse("referrals:parent-detail", args=[family.pk])).content.decode()
    assert "Processing is restricted" in page
    assert "A manager can lift it" in page


@pytest.mark.django_db
def test_restriction_is_refused_while_a_safeguarding_hold_is_recorded(manager_client, family):
    Parent.objects.filter(pk=family.pk).update(safeguarding_hold=True)
    response = manager_client.post(url(family), {"requested_on": "2026-11-20", "reason": REASON})
    assert response.status_code == 200
    assert "A safeguarding hold is recorded: processing cannot be restricted while it stands." in (
        response.content.decode()
    )
    assert not ProcessingRestriction.objects.exists()
    assert not Parent.objects.get(pk=family.pk).processing_restricted
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"requested_on": "2026-11-20", "reason": "  "}, "reason"),
        ({"requested_on": "2026-12-01", "reason": REASON}, "requested_on"),
        ({"requested_on": "not a date", "reason": REASON}, "requested_on"),
        ({"requested_on": "2026-11-20", "reason": "x" * 301}, "reason"),
    ],
)
def test_bad_input_is_a_field_error_and_restricts_nothing(manager_client, family, data, field):
    response = manager_client.post(url(family), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Parent.objects.get(pk=family.pk).processing_restricted
    assert not ProcessingRestriction.objects.exists()


@pytest.mark.django_db
def test_only_managers_may_restrict(coordinator_client, family):
    assert coordinator_client.post(url(family), {"requested_on": "2026-11-20", "reason": REASON}).status_code == 403
    assert not ProcessingRestriction.objects.exists()


@pytest.mark.django_db
def test_restricting_twice_is_refused(manager, family):
    restrict(family, manager)
    with pytest.raises(ValidationError, match="already restricted"):
        restrict(family, manager)
    assert ProcessingRestriction.objects.count() == 1


@pytest.mark.django_db
def test_lifting_needs_a_reason_and_then_work_can_start_again(manager, manager_client, family, service):
    restrict(family, manager)
    response = manager_client.post(url(family), {"reason": ""})
    assert "reason" in response.context["form"].errors
    assert Parent.objects.get(pk=family.pk).processing_restricted

    assert manager_client.post(url(family), {"reason": "Address corrected and confirmed"}).status_code == 302
    family.refresh_from_db()
    assert not family.processing_restricted
    restriction = ProcessingRestriction.objects.get()
    assert (restriction.lifted_on, restriction.lift_reason) == (TODAY, "Address corrected and confirmed")
    assert AuditEvent.objects.filter(summary="Restriction of processing lifted").count() == 1
    history = manager_client.get(url(family)).content.decode()
    assert REASON in history
    assert "Address corrected and confirmed" in history
    Referral.objects.filter(parent=family).update(status="closed")
    services.referral_create(
        actor=manager, organisation=family.organisation, service=service, parent=family, referral_data={}
    )


# --- Kept, and still given to the parent -------------------------------------------


@pytest.mark.django_db
def test_subject_access_still_works_and_shows_the_restriction(manager, manager_client, family):
    restrict(family, manager)
    response = manager_client.get(reverse("referrals:parent-subject-access", args=[family.pk]), {"format": "json"})
    sections = {section["title"]: section["rows"] for section in json.loads(response.content)["sections"]}
    assert sections["Personal details, safe contact, needs and consent"][0]["First name"] == "Morven"
    assert sections["Personal details, safe contact, needs and consent"][0]["Processing restricted"] == "Yes"
    (row,) = sections["Restrictions of processing (Article 18)"]
    assert (row["Requested"], row["Reason"], row["Lifted"]) == ("26 Nov 2026", REASON, "")


@pytest.mark.django_db
def test_erasure_waits_until_the_restriction_is_lifted(manager, manager_client, family):
    restrict(family, manager)
    response = manager_client.post(reverse("referrals:parent-erase", args=[family.pk]), {"confirm": "ERASE"})
    assert "lift the restriction, with the reason, before erasing it" in response.content.decode()
    assert Parent.objects.get(pk=family.pk).first_name == "Morven"


@pytest.mark.django_db
def test_retention_keeps_a_restricted_closed_case(manager, organisation, family):
    Referral.objects.filter(parent=family).update(
        status="closed", status_changed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    assert retention_dry_run(organisation_id=organisation.pk).counts["closed_cases"] == 1
    restrict(family, manager)
    assert retention_dry_run(organisation_id=organisation.pk).counts["closed_cases"] == 0


# --- Nothing new while it stands ---------------------------------------------------


@pytest.mark.django_db
def test_no_new_referral_through_the_intake_page(manager, coordinator_client, family, organisation):
    from tests.factories import ServiceFactory

    other = ServiceFactory(organisation=organisation, name="Groups")
    restrict(family, manager)
    response = coordinator_client.post(
        reverse("referrals:referral-new") + f"?parent={family.pk}",
        {"service": other.pk, "source": "self", "urgency": 3, "received_on": "2026-11-25"},
    )
    assert response.status_code == 200
    assert "Processing of this parent&#x27;s record is restricted" in response.content.decode()
    assert Referral.objects.filter(parent=family).count() == 1


@pytest.mark.django_db
def test_the_api_shows_the_flag_and_refuses_a_new_referral_with_a_400(
    manager, coordinator_client, family, organisation
):
    from tests.factories import ServiceFactory

    other = ServiceFactory(organisation=organisation, name="Groups")
    restrict(family, manager)
    shown = coordinator_client.get(f"/api/v1/parents/{family.pk}/").json()
    assert shown["processing_restricted"] is True
    response = coordinator_client.post(
        "/api/v1/referrals/",
        {"service": other.pk, "source": "self", "parent_id": family.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "restricted at their request" in str(response.json())
    assert Referral.objects.filter(parent=family).count() == 1


@pytest.fixture
def matched(coordinator, organisation, service, volunteer):
    area = council_area("S12000026")
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area], user=volunteer)
    match = matching_services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )
    return match


@pytest.mark.django_db
def test_no_new_match(coordinator, manager, organisation, service):
    area = council_area("S12000026")
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area])
    restrict(referral.parent, manager)
    assert referral not in waiting_referrals(service)  # not proposed in the batch either
    with pytest.raises(ValidationError) as refused:
        matching_services.match_confirm(
            actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
        )
    assert "restricted at their request" in str(refused.value)
    assert not Match.objects.exists()


@pytest.mark.django_db
def test_no_contact_log_or_visit_on_an_existing_match(matched, manager, volunteer):
    restrict(matched.parent, manager)
    matched.refresh_from_db()
    with pytest.raises(ValidationError, match="restricted at their request"):
        matching_services.contact_log_create(
            actor=volunteer, match=matched, data={"contact_date": TODAY, "duration_minutes": 30, "mode": "phone"}
        )
    with pytest.raises(ValidationError, match="restricted at their request"):
        matching_services.visit_plan(actor=volunteer, match=matched, data={"planned_for": TODAY})
    assert not matched.contact_logs.exists()
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_the_reminders_scan_skips_the_family(matched, manager, organisation, service):
    ChildFactory(parent=matched.parent, due_date=TODAY - dt.timedelta(days=20))
    Referral.objects.filter(pk=matched.referral_id).update(eligibility_end=TODAY + dt.timedelta(days=20))
    Match.objects.filter(pk=matched.pk).update(next_review_on=TODAY - dt.timedelta(days=1))
    VisitFactory(organisation=organisation, match=matched, planned_for=TODAY + dt.timedelta(days=1))
    VisitFactory(organisation=organisation, match=matched, planned_for=TODAY - dt.timedelta(days=3))
    late = ReferralFactory(organisation=organisation, service=service, received_on=dt.date(2026, 10, 1))
    rules = (eligibility_ending, births_to_confirm, visits_tomorrow, contact_logs_missing, match_reviews_due)
    assert all(list(rule(TODAY)) for rule in rules)
    assert list(referrals_not_contacted(TODAY))

    restrict(matched.parent, manager)
    restrict(late.parent, manager)
    assert [list(rule(TODAY)) for rule in (*rules, referrals_not_contacted)] == [[]] * 6


@pytest.mark.django_db
def test_evaluation_exports_leave_the_parent_out(manager, family):
    Parent.objects.filter(pk=family.pk).update(evaluation_consent_given_on=TODAY)
    assessment = AssessmentFactory(
        organisation=family.organisation,
        parent=family,
        referral=family.referrals.get(),
        measure="epds",
        timepoint="baseline",
        taken_on=TODAY,
        responses=[0] * 10,
        item_scores=[0] * 10,
        total=0,
        scoring_version="test",
    )
    assert list(Assessment.objects.for_evaluation()) == [assessment]
    restrict(family, manager)
    assert list(Assessment.objects.for_evaluation()) == []
    assert Assessment.objects.filter(pk=assessment.pk).exists()  # kept, just not used


@pytest.mark.django_db
def test_any_input_is_answered_and_a_refusal_restricts_nothing(manager_client, family):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.properties.test_forms_never_fail import VALUES, has_control_character

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.fixed_dictionaries({}, optional={"requested_on": VALUES, "reason": VALUES}))
    def submit(data: dict[str, str]) -> None:
        before = ProcessingRestriction.objects.count()
        response = manager_client.post(url(family), data)
        assert response.status_code in {200, 302, 400}
        if response.status_code == 400:  # a control character, refused before the form
            assert has_control_character(data)
        if response.status_code != 302:
            assert ProcessingRestriction.objects.count() == before
            assert not Parent.objects.get(pk=family.pk).processing_restricted
        else:  # accepted: lift it again so the next example starts unrestricted
            services.parent_lift_restriction(actor=None, parent=family, reason="Next example")

    submit()


@pytest.mark.django_db
def test_erasure_after_lifting_removes_the_reasons_too(manager, family):
    restrict(family, manager)
    services.parent_lift_restriction(actor=manager, parent=family, reason="She asked us to erase instead")
    services.parent_erase(actor=manager, parent=family)
    restriction = ProcessingRestriction.objects.get()
    assert (restriction.reason, restriction.lift_reason) == ("Erased", "")
    assert restriction.requested_on == TODAY  # the anonymous fact stays


# --- Through the API -----------------------------------------------------------


def api_post(client, parent: Parent, action: str, body: dict):
    return client.post(f"/api/v1/parents/{parent.pk}/{action}/", body, content_type="application/json")


@pytest.mark.django_db
def test_a_partner_system_restricts_and_lifts_through_the_api(manager_client, family):
    response = api_post(manager_client, family, "restrict", {"requested_on": "2026-11-20", "reason": REASON})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["processing_restricted"] is True
    assert body["requested_on"] == "2026-11-20"
    assert "reason" not in body  # it may describe her: the page shows it, the API does not
    assert Parent.objects.get(pk=family.pk).processing_restricted
    assert manager_client.get(f"/api/v1/parents/{family.pk}/").json()["processing_restricted"] is True
    response = api_post(manager_client, family, "lift-restriction", {"reason": "She withdrew her objection."})
    assert response.status_code == 200, response.json()
    assert response.json()["lifted_on"] == "2026-11-26"
    assert not Parent.objects.get(pk=family.pk).processing_restricted


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("restrict", {"requested_on": "2026-11-20", "reason": "  "}, "reason"),
        ("restrict", {"requested_on": "2026-12-01", "reason": REASON}, "requested_on"),
        ("restrict", {"reason": REASON}, "requested_on"),
        ("restrict", {"requested_on": "not a date", "reason": REASON}, "requested_on"),
        ("restrict", {"requested_on": "2026-11-20", "reason": "x" * 301}, "reason"),
        ("lift-restriction", {"reason": "Lifted."}, "non_field_errors"),  # nothing to lift
    ],
)
def test_bad_input_through_the_api_is_a_400_and_writes_nothing(manager_client, family, action, body, field):
    response = api_post(manager_client, family, action, body)
    assert response.status_code == 400
    assert field in response.json()
    assert not ProcessingRestriction.objects.exists()
    assert not Parent.objects.get(pk=family.pk).processing_restricted


@pytest.mark.django_db
def test_the_api_refuses_under_a_safeguarding_hold_and_to_other_roles(
    manager_client, coordinator_client, other_coordinator_client, family
):
    body = {"requested_on": "2026-11-20", "reason": REASON}
    assert api_post(coordinator_client, family, "restrict", body).status_code == 403
    assert api_post(other_coordinator_client, family, "restrict", body).status_code == 403
    Parent.objects.filter(pk=family.pk).update(safeguarding_hold=True)
    response = api_post(manager_client, family, "restrict", body)
    assert response.status_code == 400
    assert "safeguarding hold" in response.json()["non_field_errors"][0]
    assert not ProcessingRestriction.objects.exists()
