"""The directory kind: signposting entries with the areas they serve."""

from __future__ import annotations

import pytest
from django.utils import timezone

from operations.imports.kinds import KINDS
from tests.factories import DirectoryEntryFactory
from tests.imports.kind_runs import check, context_for, problems, run
from volunteers.matching.models import DirectoryEntry

pytestmark = pytest.mark.django_db


def row(**overrides) -> dict:
    return {
        "External ID": "D-1",
        "Name": "Borders Women's Aid",
        "What it offers": "Support for women and children",
        "Phone": "01896 123456",
        "Website": "example.org",
        "Council areas": "Scottish Borders; Midlothian",
    } | overrides


def test_an_entry_comes_in_with_its_areas_phone_and_website(organisation, manager):
    (applied,) = run("directory", [row()], context_for(organisation, manager))

    entry = applied.record
    assert (entry.phone, entry.website) == ("01896123456", "https://example.org")
    assert sorted(entry.council_areas.values_list("name", flat=True)) == ["Midlothian", "Scottish Borders"]


def test_no_areas_is_a_national_service(organisation, manager):
    (applied,) = run("directory", [row(**{"Council areas": ""})], context_for(organisation, manager))

    assert not applied.record.council_areas.exists()


@pytest.mark.parametrize(
    ("overrides", "column"),
    [({"Council areas": "Narnia"}, "Council areas"), ({"Phone": "999"}, "Phone"), ({"Name": ""}, "Name")],
)
def test_a_bad_cell_is_a_problem_and_nothing_is_written(organisation, manager, overrides, column):
    (checked,) = check("directory", [row(**overrides)], context_for(organisation, manager, dry_run=True))

    assert column in [p.column for p in checked.problems], problems(checked)
    assert not DirectoryEntry.objects.exists()


def test_an_entry_already_in_the_directory_or_twice_in_the_file_is_a_problem(organisation, manager):
    DirectoryEntryFactory(organisation=organisation, name="Borders Women's Aid")
    (checked,) = check("directory", [row()], context_for(organisation, manager, dry_run=True))
    assert "already in the directory" in problems(checked)[0]

    first, second = check(
        "directory",
        [row(Name="Home-Start"), row(**{"External ID": "D-2", "Name": "home-start"})],
        context_for(organisation, manager, dry_run=True),
    )
    assert first.ok
    assert "also on line 2" in problems(second)[0]


def test_again_unchanged_then_updated_then_undone(organisation, manager):
    context = context_for(organisation, manager)
    (first,) = run("directory", [row()], context)
    (again,) = run("directory", [row()], context_for(organisation, manager, remembered=context))
    assert again.action == "unchanged"
    (changed,) = run(
        "directory", [row(**{"Council areas": ""})], context_for(organisation, manager, remembered=context)
    )
    assert changed.action == "updated"
    assert not changed.record.council_areas.exists()

    kind = KINDS["directory"]
    assert kind.untouched(first.record, timezone.now())
    kind.undo(first.record)
    assert not DirectoryEntry.objects.exists()
