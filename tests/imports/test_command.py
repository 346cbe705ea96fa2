"""``manage.py import_data``: a dry run by default, the same services as the
pages, exit code 1 when there are problems."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from operations.imports.models import ImportBatch
from tests.imports.conftest import csv_text, volunteer_row
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    code = 0
    try:
        call_command("import_data", *args, stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue()


def test_a_dry_run_by_default_writes_nothing(organisation, manager, write):
    path = write("v.csv", csv_text([volunteer_row(1), volunteer_row(2)]))
    code, out = run("volunteers", str(path), "--organisation", organisation.slug)
    assert code == 0
    assert "2 rows checked, 2 ready, 0 with problems" in out
    assert "Dry run: nothing was written" in out
    assert not VolunteerProfile.objects.exists()


def test_problems_are_printed_and_exit_1(organisation, manager, write):
    path = write("v.csv", csv_text([volunteer_row(1), volunteer_row(2, Status="Retired")]))
    code, out = run("volunteers", str(path), "--organisation", organisation.slug, "--apply")
    assert code == 1
    assert "line 3, Status: “Retired” is not one of the choices." in out
    assert "Nothing was imported" in out
    assert not VolunteerProfile.objects.exists()


def test_apply_valid_only_as_a_manager(organisation, manager, write):
    path = write("v.csv", csv_text([volunteer_row(1), volunteer_row(2, Status="Retired")]))
    code, out = run(
        "volunteers", str(path), "--organisation", organisation.slug, "--apply", "--valid-only", "--user", "manager"
    )
    assert code == 1  # a row was skipped
    assert "Imported: 1 created, 0 updated, 0 unchanged, 1 skipped." in out
    assert VolunteerProfile.objects.count() == 1
    assert ImportBatch.objects.get().applied_by == manager


def test_apply_then_again_is_unchanged(organisation, manager, write):
    path = write("v.csv", csv_text([volunteer_row(1)]))
    assert run("volunteers", str(path), "--organisation", organisation.slug, "--apply")[0] == 0
    code, out = run("volunteers", str(path), "--organisation", organisation.slug, "--apply")
    assert code == 0
    assert "0 created, 0 updated, 1 unchanged" in out


def test_bad_arguments_are_refused(organisation, manager, write):
    path = write("v.csv", csv_text([volunteer_row(1)]))
    with pytest.raises(CommandError, match="No organisation"):
        call_command("import_data", "volunteers", str(path), "--organisation", "nope")
    with pytest.raises(CommandError, match="not a manager"):
        call_command("import_data", "volunteers", str(path), "--organisation", organisation.slug, "--user", "nobody")
    with pytest.raises(CommandError, match="PDF"):
        call_command("import_data", "volunteers", str(write("x.csv", b"%PDF-1.4")), "--organisation", organisation.slug)
