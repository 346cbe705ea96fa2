"""The parents kind: families from a spreadsheet or another system's export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from referrals.models import Child, Parent
from tests.factories import ParentFactory, ReferralFactory, council_area
from tests.imports.kind_runs import check, context_for, problems, run

pytestmark = pytest.mark.django_db


def row(**overrides) -> dict:
    base = {
        "External ID": "C-1",
        "First name": "Aileen",
        "Last name": "Tait",
        "Date of birth": "14/02/1996",
        "Phone": "07700 900123",
        "Postcode": "td1 1en",
        "Children's dates of birth": "03/05/2025",
        "Due date": "",
        "Safe to contact by": "Text; Phone",
        "Best times to contact": "Mornings",
        "Agreed to be contacted on": "10/01/2026",
        "Article 6 basis": "Consent",
        "Article 9 condition": "Explicit consent",
    }
    return base | overrides


def test_a_good_row_adds_the_parent_with_children_safe_contact_and_consent(organisation, manager):
    due = timezone.localdate() + dt.timedelta(days=90)
    organisation.council_areas.set([council_area("S12000026")])
    context = context_for(organisation, manager)

    (applied,) = run("parents", [row(**{"Due date": due.strftime("%d/%m/%Y")})], context)

    parent = applied.record
    assert applied.action == "created"
    assert (parent.first_name, parent.phone, parent.postcode) == ("Aileen", "07700900123", "TD1 1EN")
    assert parent.council_area.name == "Scottish Borders"  # the organisation's only area
    assert (parent.safe_sms, parent.safe_phone, parent.safe_email) == (True, True, False)
    assert parent.contact_safety_recorded_at is not None
    assert parent.contact_consent_given_on == dt.date(2026, 1, 10)
    assert sorted(str(c.birth_date or c.due_date) for c in parent.children.all()) == sorted(["2025-05-03", str(due)])


def test_the_dry_run_writes_nothing(organisation, manager):
    (checked,) = check("parents", [row()], context_for(organisation, manager, dry_run=True))

    assert checked.ok
    assert not Parent.objects.exists()


def test_none_safe_means_contact_through_the_referrer(organisation, manager):
    (applied,) = run("parents", [row(**{"Safe to contact by": "None"})], context_for(organisation, manager))

    assert applied.record.contact_through_referrer
    assert not applied.record.safe_sms


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"Date of birth": "31/02/1996"}, "Date of birth"),
        ({"Phone": "12345"}, "Phone"),
        ({"Postcode": "NOT A CODE"}, "Postcode"),
        ({"Safe to contact by": "Pigeon"}, "Safe to contact by"),
        ({"Safe to contact by": "Text; None"}, "Safe to contact by"),
        ({"Council area": "Atlantis"}, "Council area"),
        ({"First name": ""}, "First name"),
        ({"Children's dates of birth": "01/01/2099"}, "Children's dates of birth"),
        ({"Article 6 basis": "Because"}, "Article 6 basis"),
    ],
)
def test_a_bad_cell_is_a_problem_under_its_column_and_nothing_is_written(organisation, manager, overrides, column):
    (checked,) = check("parents", [row(**overrides)], context_for(organisation, manager, dry_run=True))

    assert column in [p.column for p in checked.problems], problems(checked)
    assert all(p.fix for p in checked.problems)
    assert not Parent.objects.exists()


def test_a_parent_already_on_file_is_a_problem_naming_the_record(organisation, manager):
    on_file = ParentFactory(
        organisation=organisation, first_name="AILEEN", last_name="tait", date_of_birth=dt.date(1996, 2, 14)
    )

    (checked,) = check("parents", [row()], context_for(organisation, manager, dry_run=True))

    assert f"parent record #{on_file.pk}" in problems(checked)[0]
    assert "External ID" in checked.problems[0].fix
    assert Parent.objects.count() == 1


def test_the_same_person_twice_in_the_file_is_a_problem_on_the_second_row(organisation, manager):
    first, second = check(
        "parents", [row(), row(**{"External ID": "C-2"})], context_for(organisation, manager, dry_run=True)
    )

    assert first.ok
    assert "also on line 2" in problems(second)[0]


def test_another_organisations_parent_is_not_a_duplicate(organisation, other_organisation, manager):
    ParentFactory(
        organisation=other_organisation, first_name="Aileen", last_name="Tait", date_of_birth=dt.date(1996, 2, 14)
    )

    (checked,) = check("parents", [row()], context_for(organisation, manager, dry_run=True))

    assert checked.ok


def test_the_same_file_again_changes_nothing_and_a_changed_row_updates(organisation, manager):
    context = context_for(organisation, manager)
    (first,) = run("parents", [row()], context)

    (again,) = run("parents", [row()], context := context_for(organisation, manager, remembered=context))
    assert again.action == "unchanged"
    assert Child.objects.filter(parent=first.record).count() == 1

    changed_row = row(**{"Phone": "07700 900999", "Children's dates of birth": "03/05/2025; 11/09/2026"})
    (changed,) = run("parents", [changed_row], context_for(organisation, manager, remembered=context))
    assert changed.action == "updated"
    parent = Parent.objects.get(pk=first.record.pk)
    assert parent.phone == "07700900999"
    assert Child.objects.filter(parent=parent).count() == 2


def test_undo_removes_an_untouched_parent_and_their_children(organisation, manager):
    (applied,) = run("parents", [row()], context_for(organisation, manager))
    from operations.imports.kinds import KINDS

    kind = KINDS["parents"]
    assert kind.untouched(applied.record, timezone.now())

    kind.undo(applied.record)

    assert not Parent.objects.exists()
    assert not Child.objects.exists()


def test_a_parent_with_a_referral_since_is_not_untouched(organisation, manager, service):
    (applied,) = run("parents", [row()], context_for(organisation, manager))
    ReferralFactory(organisation=organisation, parent=applied.record, service=service)
    from operations.imports.kinds import KINDS

    assert not KINDS["parents"].untouched(applied.record, timezone.now())


def test_a_parent_whose_processing_is_restricted_is_not_changed_by_an_import(organisation, manager):
    context = context_for(organisation, manager)
    (applied,) = run("parents", [row()], context)
    Parent.objects.filter(pk=applied.record.pk).update(processing_restricted=True)

    (checked,) = check("parents", [row(Phone="07700 900999")], context_for(organisation, manager, remembered=context))

    assert "restricted" in problems(checked)[0]
    assert Parent.objects.get(pk=applied.record.pk).phone == "07700900123"
