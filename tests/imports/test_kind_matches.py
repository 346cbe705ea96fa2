"""The matches kind: open matches through matching's own confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from operations.imports.kinds import KINDS
from referrals.models import Referral
from referrals.workflow import Status
from tests.factories import council_area
from tests.imports.kind_runs import check, context_for, problems, run
from tests.matching.helpers import fit_volunteer
from volunteers.matching.models import Match, MatchStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(organisation, manager, service):
    """A family with a waiting referral, imported."""
    context = context_for(organisation, manager)
    born = (timezone.localdate() - dt.timedelta(days=60)).strftime("%d/%m/%Y")
    run(
        "parents",
        [
            {
                "External ID": "C-1",
                "First name": "Aileen",
                "Last name": "Tait",
                "Date of birth": "14/02/1996",
                "Children's dates of birth": born,
                "Safe to contact by": "Text",
            }
        ],
        context,
    )
    run(
        "referrals",
        [
            {
                "External ID": "REF-1",
                "Parent External ID": "C-1",
                "Service": "Befriending",
                "Date received": (timezone.localdate() - dt.timedelta(days=30)).strftime("%d/%m/%Y"),
                "Status": "Waiting",
            }
        ],
        context,
    )
    return context_for(organisation, manager, remembered=context)


@pytest.fixture
def helper(organisation):
    profile = fit_volunteer(organisation=organisation, areas=[council_area("S12000026")])
    profile.user.email = "jo.helper@example.org"
    profile.user.save()
    return profile


def row(**overrides) -> dict:
    return {
        "External ID": "M-1",
        "Referral External ID": "REF-1",
        "Volunteer email": "jo.helper@example.org",
    } | overrides


def test_a_match_is_confirmed_and_its_referral_is_matched(imported, helper):
    (applied,) = run("matches", [row()], imported)

    match = applied.record
    assert (match.status, match.volunteer_id) == (MatchStatus.CONFIRMED, helper.pk)
    assert Referral.objects.get(pk=match.referral_id).status == Status.MATCHED


def test_a_start_date_makes_the_match_and_its_referral_active_from_that_day(imported, helper):
    started = timezone.localdate() - dt.timedelta(days=10)

    (applied,) = run("matches", [row(**{"Start date": started.strftime("%d/%m/%Y")})], imported)

    match = Match.objects.get(pk=applied.record.pk)
    assert (match.status, match.started_on) == (MatchStatus.ACTIVE, started)
    referral = Referral.objects.get(pk=match.referral_id)
    assert (referral.status, referral.support_started_on) == (Status.ACTIVE, started)


def test_the_parent_external_id_finds_their_waiting_referral(imported, helper):
    (applied,) = run("matches", [row(**{"Referral External ID": "", "Parent External ID": "C-1"})], imported)

    assert applied.record.referral.parent.first_name == "Aileen"


def test_the_dry_run_writes_nothing(imported, helper, organisation, manager):
    context = context_for(organisation, manager, dry_run=True, remembered=imported)

    (checked,) = check("matches", [row()], context)

    assert checked.ok, problems(checked)
    assert not Match.objects.exists()
    assert Referral.objects.get().status == Status.WAITING


def test_a_volunteer_not_fit_to_match_is_refused_in_words(imported, organisation, manager):
    unchecked = fit_volunteer(organisation=organisation, areas=[council_area("S12000026")], pvg=False)
    unchecked.user.email = "no.pvg@example.org"
    unchecked.user.save()

    (checked,) = check("matches", [row(**{"Volunteer email": "", "Volunteer External ID": "V-9"})], imported)
    assert "No volunteer found" in problems(checked)[0]

    again = context_for(organisation, manager, remembered=imported)
    (checked,) = check("matches", [row(**{"Volunteer email": "no.pvg@example.org"})], again)
    assert any("The match is refused: Not fit to match" in text for text in problems(checked)), problems(checked)
    assert not Match.objects.exists()


def test_a_referral_not_waiting_is_refused(imported, helper):
    Referral.objects.update(status=Status.ASSESSED)

    (checked,) = check("matches", [row()], imported)

    assert "not waiting" in problems(checked)[0]
    assert "Waiting" in checked.problems[0].fix


def test_a_parent_past_their_eligibility_needs_a_reason(imported, helper, organisation, manager):
    Referral.objects.update(eligibility_end=timezone.localdate() - dt.timedelta(days=1))

    (checked,) = check("matches", [row()], imported)
    assert "Eligibility ended on" in problems(checked)[0]
    assert "override" in problems(checked)[0]

    overridden = row(**{"Eligibility override reason": "Agreed with the health visitor"})
    (applied,) = run("matches", [overridden], context_for(organisation, manager, remembered=imported))
    assert applied.record.eligibility_override_reason == "Agreed with the health visitor"


def test_the_same_referral_twice_in_the_file_is_a_problem(imported, helper):
    first, second = check("matches", [row(), row(**{"External ID": "M-2"})], imported)

    assert first.ok
    assert "on line 2" in problems(second)[0]


def test_the_same_file_again_is_unchanged(imported, helper, organisation, manager):
    run("matches", [row()], imported)

    (again,) = run("matches", [row()], context_for(organisation, manager, remembered=imported))

    assert again.action == "unchanged"
    assert Match.objects.count() == 1


def test_undo_puts_the_referral_back_on_the_waiting_list(imported, helper):
    (applied,) = run("matches", [row()], imported)
    kind = KINDS["matches"]
    assert kind.untouched(applied.record, timezone.now())

    kind.undo(applied.record)

    assert not Match.objects.exists()
    referral = Referral.objects.get()
    assert referral.status == Status.WAITING
    assert referral.transitions.last().to_status == Status.WAITING


def test_the_volunteer_is_not_told_of_a_match_that_already_runs_in_the_old_system(
    imported, helper, organisation, manager
):
    from operations.notifications.models import Notification
    from volunteers.matching.services import match_confirm

    (applied,) = run("matches", [row()], imported)
    assert not Notification.objects.filter(kind="match_confirmed").exists()

    # The same pair confirmed by a coordinator on the matching page: she is told.
    KINDS["matches"].undo(applied.record)
    match = match_confirm(
        actor=manager, organisation_id=organisation.pk, referral_id=applied.record.referral_id, volunteer_id=helper.pk
    )
    told = Notification.objects.filter(kind="match_confirmed", recipient_user=helper.user)
    assert sorted(told.values_list("channel", flat=True)) == ["email", "in_app"]
    assert all(key.startswith(f"match-confirmed:{match.pk}:") for key in told.values_list("key", flat=True))


def test_the_referrer_hears_nothing_of_a_match_brought_over_and_does_of_one_made_here(
    imported, helper, organisation, manager
):
    """A match (and its start) that already happened in the old system is not
    news: the referrer who agreed to updates heard of it there."""
    from operations.referrer_updates.models import ReferrerUpdate
    from referrals.models import Referrer
    from volunteers.matching.services import match_confirm, match_transition

    referral = Referral.objects.get()
    referral.referrer = Referrer.objects.create(
        organisation=organisation, name="Fiona Gilmour", email="fiona.gilmour@nhs.example"
    )
    referral.referrer_updates_consent = True
    referral.save()
    started = (timezone.localdate() - dt.timedelta(days=10)).strftime("%d/%m/%Y")

    (applied,) = run("matches", [row(**{"Start date": started})], imported)

    assert Referral.objects.get().status == Status.ACTIVE
    assert not ReferrerUpdate.objects.exists()

    # Undone, then matched here and support started here: the referrer hears that support started.
    KINDS["matches"].undo(applied.record)
    match = match_confirm(
        actor=manager, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=helper.pk
    )
    match = match_transition(actor=manager, match=match, to_status=MatchStatus.INTRODUCED)
    match_transition(actor=manager, match=match, to_status=MatchStatus.ACTIVE)
    assert list(ReferrerUpdate.objects.filter(referral=referral).values_list("event", flat=True)) == ["support_started"]
