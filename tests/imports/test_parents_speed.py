"""The parents kind's fast path: the people on file are read per chunk, the
council areas once per run, and new families are written together
(parents_create_many); the queries of a chunk do not grow with its rows,
and every duplicate is still found."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from operations.core.audit import AuditEvent
from operations.imports import services
from operations.imports.models import ApplyMode, BatchStatus, ImportedRecord
from referrals.models import Child, Parent
from tests.factories import ParentFactory, council_area
from tests.imports.conftest import csv_text

pytestmark = pytest.mark.django_db


def family(number: int, **changes) -> dict[str, str]:
    row = {
        "External ID": f"P-{number:04d}",
        "First name": f"Parent{number}",
        "Last name": "Imported",
        "Date of birth": "03/05/1994",
        "Phone": "07700 900123",
        "Postcode": "TD1 1EN",
        # Every other row leaves the area blank: the organisation's only one.
        "Council area": "Scottish Borders" if number % 2 else "",
        "Children's dates of birth": "03/09/2026; 11/10/2024" if number % 3 else "",
        "Safe to contact by": "Text; Phone" if number % 4 else "None",
    }
    return row | changes


def upload(organisation, manager, write, rows, name="parents.csv"):
    path = write(name, csv_text(rows, list(family(0))))
    return services.batch_create(organisation=organisation, actor=manager, kind="parents", source=path, file_name=name)


def check(batch, manager):
    return services.batch_check(batch=batch, actor=manager, inline=True)


def apply(batch, manager, mode=ApplyMode.ALL_OR_NOTHING):
    return services.batch_apply(batch=batch, actor=manager, mode=mode, inline=True)


def problems(batch) -> list[tuple[int, str]]:
    return list(batch.problems.order_by("line").values_list("line", "problem"))


@pytest.fixture(autouse=True)
def one_area(organisation):
    organisation.council_areas.set([council_area("S12000026")])


def test_the_queries_of_a_chunk_do_not_grow_with_its_rows(organisation, manager, write):
    """Sizes within one batch of SQLite's bulk insert (999 variables); the
    first import only fills Django's own caches (content types)."""
    checks, applies = {}, {}
    for size in (1, 6, 20):
        rows = [family(1000 * size + n) for n in range(size)]
        batch = upload(organisation, manager, write, rows, name=f"p{size}.csv")
        with CaptureQueriesContext(connection) as checked:
            batch = check(batch, manager)
        assert batch.rows_ok == size, problems(batch)
        with CaptureQueriesContext(connection) as applied:
            batch = apply(batch, manager)
        assert batch.created_count == size, (batch.error, problems(batch))
        checks[size], applies[size] = len(checked), len(applied)
    assert checks[20] == checks[6], checks
    assert applies[20] == applies[6], applies


def test_what_the_import_writes_is_what_the_services_write_one_by_one(organisation, manager, write):
    batch = apply(check(upload(organisation, manager, write, [family(1), family(2), family(4)]), manager), manager)

    assert (batch.status, batch.created_count) == (BatchStatus.APPLIED, 3)
    first = Parent.objects.get(first_name="Parent1")
    assert (first.phone, first.postcode, first.council_area.name) == ("07700900123", "TD1 1EN", "Scottish Borders")
    assert (first.safe_sms, first.safe_phone, first.contact_through_referrer) == (True, True, False)
    assert Parent.objects.get(first_name="Parent4").contact_through_referrer
    assert Parent.objects.get(first_name="Parent2").council_area.name == "Scottish Borders"  # the only one served
    assert sorted(Child.objects.filter(parent=first).values_list("birth_date", flat=True)) == [
        dt.date(2024, 10, 11),
        dt.date(2026, 9, 3),
    ]
    summaries = list(
        AuditEvent.objects.filter(object_type__in=["referrals.Parent", "referrals.Child"])
        .order_by("pk")
        .values_list("object_type", "summary")
    )
    assert summaries[:3] == [
        ("referrals.Parent", "Parent added"),
        ("referrals.Child", "Pregnancy or child added"),
        ("referrals.Child", "Pregnancy or child added"),
    ]
    assert len(summaries) == 3 + 6  # the parents, two children each
    assert ImportedRecord.objects.filter(kind="parents").count() == 3


def test_the_same_person_twice_in_the_file_is_still_found(organisation, manager, write):
    rows = [family(1), family(2), family(3, **{"First name": "PARENT1", "Last name": "imported"})]

    batch = check(upload(organisation, manager, write, rows), manager)

    assert [line for line, _ in problems(batch)] == [4]
    assert "also on line 2" in problems(batch)[0][1]


@pytest.mark.parametrize(
    ("on_file", "in_row"),
    [(("AILEEN", "tait"), ("Aileen", "Tait")), (("Zoë", "Łukasik"), ("Zoë", "Łukasik"))],
    ids=["case ignored", "letters beyond ASCII"],
)
def test_a_parent_on_file_is_still_found_in_the_dry_run_and_in_the_import(
    organisation, manager, write, on_file, in_row
):
    found = ParentFactory(
        organisation=organisation, first_name=on_file[0], last_name=on_file[1], date_of_birth=dt.date(1994, 5, 3)
    )
    rows = [family(1), family(2, **{"First name": in_row[0], "Last name": in_row[1]}), family(3)]

    batch = check(upload(organisation, manager, write, rows), manager)
    assert [line for line, _ in problems(batch)] == [3]
    assert f"parent record #{found.pk}" in problems(batch)[0][1]

    batch = apply(batch, manager, ApplyMode.VALID_ONLY)
    assert (batch.created_count, batch.skipped_count) == (2, 1)
    assert Parent.objects.count() == 3


def test_another_organisations_parent_is_not_a_duplicate(organisation, other_organisation, manager, write):
    ParentFactory(
        organisation=other_organisation, first_name="Parent1", last_name="Imported", date_of_birth=dt.date(1994, 5, 3)
    )

    batch = check(upload(organisation, manager, write, [family(1)]), manager)

    assert batch.rows_ok == 1, problems(batch)


def test_a_second_import_updates_the_parents_on_file_and_adds_the_new_ones(organisation, manager, write):
    apply(check(upload(organisation, manager, write, [family(1), family(2)]), manager), manager)

    rows = [family(1), family(2, Phone="07700 900999"), family(3)]
    batch = apply(check(upload(organisation, manager, write, rows, name="again.csv"), manager), manager)

    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 1)
    assert Parent.objects.get(first_name="Parent2").phone == "07700900999"
    assert Parent.objects.count() == 3


def test_a_chunk_refused_at_write_time_is_applied_row_by_row(organisation, manager, write, monkeypatch):
    """When parents_create_many refuses the chunk, the engine applies each row
    on its own (parent_create and child_save), each refusal under its line."""
    batch = check(upload(organisation, manager, write, [family(1), family(2), family(3)]), manager)

    def refused(**kwargs):
        raise ValidationError({"person 2: phone": "Refused for the test."})

    monkeypatch.setattr("referrals.services.parents_create_many", refused)
    batch = apply(batch, manager)

    assert (batch.status, batch.created_count) == (BatchStatus.APPLIED, 3)
    assert Child.objects.filter(parent__first_name="Parent1").count() == 2
