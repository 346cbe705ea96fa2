"""The referrers kind: the people who refer, with their teams."""

from __future__ import annotations

import pytest
from django.utils import timezone

from operations.imports.kinds import KINDS
from referrals.models import Referrer, ReferringOrganisation
from tests.factories import ReferralFactory, ReferrerFactory
from tests.imports.kind_runs import check, context_for, problems, run

pytestmark = pytest.mark.django_db


def row(**overrides) -> dict:
    return {
        "External ID": "R-1",
        "Name": "Fiona Gilmour",
        "Role": "Health visitor",
        "Work email": "fiona@nhs.example",
        "Work phone": "01896 000000",
        "Team": "Galashiels health visiting team",
        "Kind of team": "Health visiting team",
    } | overrides


def test_a_referrer_comes_in_with_a_new_team(organisation, manager):
    (applied,) = run("referrers", [row()], context_for(organisation, manager))

    person = applied.record
    assert (person.name, person.phone) == ("Fiona Gilmour", "01896000000")
    assert person.referring_organisation.kind == "health_visiting"


def test_a_bad_row_is_a_problem_and_nothing_is_written(organisation, manager):
    (checked,) = check(
        "referrers", [row(**{"Work email": "fiona", "Kind of team": "Spaceship"})], context_for(organisation, manager)
    )

    assert {p.column for p in checked.problems} == {"Work email", "Kind of team"}
    assert not Referrer.objects.exists()
    assert not ReferringOrganisation.objects.exists()


def test_someone_already_in_the_directory_or_twice_in_the_file_is_a_problem(organisation, manager):
    ReferrerFactory(organisation=organisation, name="Someone", email="FIONA@nhs.example")
    (checked,) = check("referrers", [row()], context_for(organisation, manager, dry_run=True))
    assert "already in the referrer directory" in problems(checked)[0]

    first, second = check(
        "referrers",
        [row(**{"Work email": ""}), row(**{"External ID": "R-2", "Work email": "", "Name": "fiona  gilmour"})],
        context_for(organisation, manager, dry_run=True),
    )
    assert first.ok
    assert "also on line 2" in problems(second)[0]


def test_again_unchanged_then_updated_then_undone_with_its_new_team(organisation, manager):
    context = context_for(organisation, manager)
    (first,) = run("referrers", [row()], context)
    (again,) = run("referrers", [row()], context_for(organisation, manager, remembered=context))
    assert again.action == "unchanged"
    (changed,) = run("referrers", [row(Role="Team lead")], context_for(organisation, manager, remembered=context))
    assert changed.action == "updated"

    kind = KINDS["referrers"]
    assert kind.untouched(first.record, timezone.now())
    kind.undo(Referrer.objects.get())
    assert not Referrer.objects.exists()
    assert not ReferringOrganisation.objects.exists()


def test_a_referrer_who_has_referred_since_is_not_untouched(organisation, manager, service):
    (applied,) = run("referrers", [row()], context_for(organisation, manager))
    ReferralFactory(organisation=organisation, service=service, referrer=applied.record)

    assert not KINDS["referrers"].untouched(applied.record, timezone.now())
