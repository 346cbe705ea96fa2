"""The referrals kind: referrals keyed by the parent's External ID."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from operations.imports.kinds import KINDS
from referrals.models import Referral, ReferralTransition, Referrer
from referrals.workflow import Status
from tests.factories import ReferralFactory
from tests.imports.kind_runs import check, context_for, problems, run

pytestmark = pytest.mark.django_db


def parent_row(**overrides) -> dict:
    return {
        "External ID": "C-1",
        "First name": "Aileen",
        "Last name": "Tait",
        "Date of birth": "14/02/1996",
        "Children's dates of birth": (timezone.localdate() - dt.timedelta(days=60)).strftime("%d/%m/%Y"),
        "Safe to contact by": "Text",
    } | overrides


def row(**overrides) -> dict:
    return {
        "External ID": "REF-1",
        "Parent External ID": "C-1",
        "Service": "befriending",
        "Date received": (timezone.localdate() - dt.timedelta(days=20)).strftime("%d/%m/%Y"),
        "Status": "Waiting",
        "Referrer name": "Fiona Gilmour",
        "Referrer organisation": "Galashiels health visiting team",
        "Referrer email": "fiona.gilmour@nhs.example",
        "Reason for referral": "Low mood",
    } | overrides


@pytest.fixture
def families(organisation, manager, service):
    context = context_for(organisation, manager)
    run("parents", [parent_row()], context)
    return context


def test_a_waiting_referral_comes_in_with_its_eligibility_computed_and_its_referrer(families, organisation, manager):
    (applied,) = run("referrals", [row()], context_for(organisation, manager, remembered=families))

    referral = applied.record
    assert referral.status == Status.WAITING
    born = timezone.localdate() - dt.timedelta(days=60)
    # The service's policy: support ends the day before the baby's first birthday.
    assert referral.eligibility_end == born.replace(year=born.year + 1) - dt.timedelta(days=1)
    assert referral.referrer.name == "Fiona Gilmour"
    assert referral.referrer.referring_organisation.name == "Galashiels health visiting team"
    assert [t.to_status for t in referral.transitions.all()] == ["received", "contacted", "assessed", "waiting"]


def test_the_dry_run_writes_nothing_and_sees_parents_of_the_same_run(organisation, manager, service):
    context = context_for(organisation, manager, dry_run=True)
    check("parents", [parent_row()], context)

    (checked,) = check("referrals", [row()], context)

    assert checked.ok, problems(checked)
    assert checked.data["eligibility_end"] is not None
    assert not Referral.objects.exists()
    assert not Referrer.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"Parent External ID": "C-404"}, "No parent was imported"),
        ({"Service": "Knitting"}, "not one of your services"),
        ({"Status": "Matched"}, "only through its match"),
        ({"Status": "Closed"}, "closed referral cannot be brought over"),
        ({"Status": "Withdrawn"}, "Say why"),
        ({"Date received": "01/01/2099"}, "in the future"),
        ({"Referrer email": "not-an-email"}, "not an email address"),
    ],
)
def test_each_refusal_is_a_problem_and_nothing_is_written(families, organisation, manager, overrides, words):
    (checked,) = check("referrals", [row(**overrides)], context_for(organisation, manager, remembered=families))

    assert any(words in text for text in problems(checked)), problems(checked)
    assert not Referral.objects.exists()


def test_waiting_needs_safe_contact_recorded(organisation, manager, service):
    context = context_for(organisation, manager)
    run("parents", [parent_row(**{"Safe to contact by": ""})], context)

    (checked,) = check("referrals", [row()], context_for(organisation, manager, remembered=context))

    assert "Safe contact is not recorded" in problems(checked)[0]


def test_a_parent_past_the_end_is_a_problem_saying_why(organisation, manager, service):
    context = context_for(organisation, manager)
    run("parents", [parent_row(**{"Children's dates of birth": "01/01/2020"})], context)

    (checked,) = check("referrals", [row()], context_for(organisation, manager, remembered=context))

    assert "Not eligible: the parent is past the service's end date" in problems(checked)[0]
    assert "turns 1" in problems(checked)[0]


def test_a_parent_past_the_end_may_be_recorded_as_not_eligible(organisation, manager, service):
    context = context_for(organisation, manager)
    run("parents", [parent_row(**{"Children's dates of birth": "01/01/2020"})], context)

    (applied,) = run(
        "referrals",
        [row(**{"Status": "Not eligible", "Status reason": "Child too old"})],
        context_for(organisation, manager, remembered=context),
    )

    assert applied.record.status == Status.NOT_ELIGIBLE


def test_an_open_referral_for_the_same_service_is_a_duplicate(families, organisation, manager, service):
    parent = families.existing("parents", "C-1")
    other = ReferralFactory(organisation=organisation, parent=parent, service=service)

    (checked,) = check("referrals", [row()], context_for(organisation, manager, remembered=families))

    assert f"referral #{other.pk}" in problems(checked)[0]


def test_two_rows_for_the_same_parent_and_service_are_a_duplicate(families, organisation, manager):
    first, second = check(
        "referrals", [row(), row(**{"External ID": "REF-2"})], context_for(organisation, manager, remembered=families)
    )

    assert first.ok
    assert "on line 2" in problems(second)[0]


def test_the_same_file_again_is_unchanged_and_a_later_status_moves_it_on(families, organisation, manager):
    first_run = context_for(organisation, manager, remembered=families)
    run("referrals", [row(**{"Status": "Contacted"})], first_run)

    (again,) = run(
        "referrals", [row(**{"Status": "Contacted"})], context_for(organisation, manager, remembered=first_run)
    )
    assert again.action == "unchanged"

    (moved,) = run(
        "referrals", [row(**{"Status": "Waiting"})], context_for(organisation, manager, remembered=first_run)
    )
    assert moved.action == "updated"
    assert moved.record.status == Status.WAITING
    assert Referrer.objects.count() == 1


def test_a_status_the_workflow_cannot_reach_is_a_problem(families, organisation, manager):
    first_run = context_for(organisation, manager, remembered=families)
    run("referrals", [row()], first_run)

    (checked,) = check(
        "referrals", [row(**{"Status": "Received"})], context_for(organisation, manager, remembered=first_run)
    )

    assert "cannot move to received" in problems(checked)[0]


def test_undo_removes_an_untouched_referral(families, organisation, manager):
    (applied,) = run("referrals", [row()], context_for(organisation, manager, remembered=families))
    kind = KINDS["referrals"]
    assert kind.untouched(applied.record, timezone.now())

    kind.undo(applied.record)

    assert not Referral.objects.exists()
    assert not ReferralTransition.objects.exists()


def test_a_referral_moved_since_the_import_is_not_untouched(families, organisation, manager):
    imported_at = timezone.now()
    (applied,) = run("referrals", [row()], context_for(organisation, manager, remembered=families))
    ReferralTransition.objects.create(
        referral=applied.record, from_status="waiting", to_status="withdrawn", at=imported_at + dt.timedelta(hours=1)
    )

    assert not KINDS["referrals"].untouched(applied.record, imported_at)


def test_the_referrer_is_not_written_to_about_the_moves_of_an_imported_referral(families, organisation, manager):
    from operations.referrer_updates.models import ReferrerUpdate

    (applied,) = run(
        "referrals",
        [row(**{"Referrer may hear how it goes": "Yes"})],
        context_for(organisation, manager, remembered=families),
    )

    assert applied.record.referrer_updates_consent
    assert not ReferrerUpdate.objects.exists()
    assert KINDS["referrals"].untouched(applied.record, timezone.now())
