"""The fast path: a chunk of new volunteers is written in bulk
(volunteers_create_many) with the same rules and the same rows and audit
entries as one by one; the queries of a chunk do not grow with its rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from operations.core.audit import AuditEvent
from operations.core.models import CouncilArea, Role, User
from operations.imports.models import ApplyMode, BatchStatus, ImportedRecord
from tests.factories import member
from tests.imports.conftest import TODAY, volunteer_row
from tests.imports.test_engine import apply, check, upload
from volunteers import services as volunteer_services
from volunteers.models import Course, PvgRecord, Reference, StatusChange, TrainingRecord, VolunteerProfile

pytestmark = pytest.mark.django_db


def person(number: int, **changes) -> volunteer_services.NewVolunteer:
    values = {
        "username": f"bulk{number}@example.org",
        "first_name": f"Bulk{number}",
        "last_name": "Person",
        "email": f"bulk{number}@example.org",
        "role": Role.VOLUNTEER,
        "values": {"kinds": ["befriender"], "availability": ["mon_am"], "max_caseload": 2},
        "status": "active",
        "status_on": dt.date(2026, 9, 1),
        "pvg": ("1000 0001", "both", dt.date(2026, 4, 14), None),
    }
    values.update(changes)
    return volunteer_services.NewVolunteer(**values)


def nothing_written() -> None:
    assert not VolunteerProfile.objects.exists()
    assert not User.objects.filter(username__startswith="bulk").exists()
    assert not PvgRecord.objects.exists()
    assert not AuditEvent.objects.filter(object_type="volunteers.VolunteerProfile").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pvg": ("1000 0001", "both", TODAY + dt.timedelta(days=1), None)}, "issued_on"),
        ({"pvg": ("1000 0001", "both", dt.date(2026, 4, 14), dt.date(2026, 4, 1))}, "renewal_due"),
        ({"values": {"kinds": ["befriender"], "max_caseload": 99}}, "max_caseload"),
        ({"values": {"kinds": ["befriender"], "availability": ["someday"]}}, "availability"),
        ({"status_on": TODAY + dt.timedelta(days=3)}, "on"),
        ({"status": "left", "status_reason": ""}, "reason"),
        ({"reference": ("", "Friend", None)}, "name"),
        ({"role": Role.MANAGER}, "role"),
    ],
)
def test_the_bulk_service_refuses_what_the_single_services_refuse_and_writes_nothing(
    organisation, manager, changes, field
):
    people = [person(1), person(2, **changes), person(3)]
    with pytest.raises(ValidationError) as refused:
        volunteer_services.volunteers_create_many(organisation=organisation, actor=manager, people=people)
    assert any(key.endswith(field) for key in refused.value.message_dict), refused.value.message_dict
    nothing_written()


def test_the_bulk_service_refuses_a_taken_username_whatever_its_case(organisation, manager):
    member(username="Bulk2@Example.org", organisation=organisation, role=Role.VOLUNTEER)
    with pytest.raises(ValidationError):
        volunteer_services.volunteers_create_many(
            organisation=organisation, actor=manager, people=[person(1), person(2)]
        )
    assert not VolunteerProfile.objects.exists()


def test_the_bulk_service_writes_what_the_single_services_write(organisation, manager):
    course, _ = Course.objects.update_or_create(
        organisation=organisation, name="Safeguarding", defaults={"valid_for_months": 36}
    )
    area = CouncilArea.objects.first()
    people = [
        person(
            1,
            council_areas=[area.pk],
            training=[(course, dt.date(2025, 10, 12))],
            reference=("Jo Smith", "Former manager", dt.date(2025, 9, 2)),
        )
    ]
    [profile] = volunteer_services.volunteers_create_many(organisation=organisation, actor=manager, people=people)
    profile.refresh_from_db()
    assert (profile.status, profile.active_since, profile.user.has_usable_password()) == (
        "active",
        dt.date(2026, 9, 1),
        False,
    )
    assert list(profile.council_areas.all()) == [area]
    assert [(c.from_status, c.to_status) for c in StatusChange.objects.filter(profile=profile).order_by("pk")] == [
        ("", "applicant"),
        ("applicant", "active"),
    ]
    assert PvgRecord.objects.get(profile=profile).renewal_due == dt.date(2031, 4, 14)
    assert TrainingRecord.objects.get(profile=profile).expires_on == dt.date(2028, 10, 12)
    assert Reference.objects.get(profile=profile).name == "Jo Smith"
    summaries = sorted(AuditEvent.objects.filter(actor_id=manager.pk).values_list("summary", flat=True))
    assert summaries == sorted(
        ["Volunteer profile created", "Volunteer status Applicant → Active", "PVG record recorded", "Training"]
    )


def test_a_duplicate_email_is_refused_on_the_fast_path_and_nothing_is_written(organisation, manager, write):
    taken = member(username="someone", organisation=organisation, role=Role.VOLUNTEER)
    VolunteerProfile.objects.create(organisation=organisation, user=taken, email="vol2@example.org")
    rows = [volunteer_row(n) for n in range(1, 6)]
    batch = apply(check(upload(organisation, manager, write, rows), manager), manager, ApplyMode.VALID_ONLY)
    assert (batch.created_count, batch.skipped_count) == (4, 1)
    assert not VolunteerProfile.objects.filter(email="vol2@example.org").exclude(user=taken).exists()
    assert batch.problems.get().line == 3


def test_a_chunk_refused_at_write_time_falls_back_to_row_by_row(organisation, manager, write, monkeypatch):
    """Valid rows only: when the bulk write refuses the chunk, each row is
    applied on its own, and only the refused one is skipped."""
    rows = [volunteer_row(n) for n in range(1, 5)]
    batch = check(upload(organisation, manager, write, rows), manager)
    member(username="vol3@example.org", organisation=organisation, role=Role.COORDINATOR)  # taken since the check
    monkeypatch.setattr(
        "operations.imports.kinds.volunteers._free_usernames", lambda rows: [row["email"] for row in rows]
    )
    monkeypatch.setattr("operations.imports.kinds.volunteers._free_username", lambda data: data["email"])
    batch = apply(batch, manager, ApplyMode.VALID_ONLY)
    assert batch.status == BatchStatus.APPLIED
    assert (batch.created_count, batch.skipped_count) == (3, 1)
    assert "username is taken" in batch.problems.get().problem
    assert ImportedRecord.objects.count() == 3


def test_the_queries_of_a_chunk_do_not_grow_with_its_rows(organisation, manager, write):
    counts = {}
    for size in (10, 40):
        rows = [
            volunteer_row(n, **{"External ID": f"Q{size}-{n}", "Email": f"q{size}-{n}@example.org"})
            for n in range(size)
        ]
        batch = check(upload(organisation, manager, write, rows, name=f"q{size}.csv"), manager)
        with CaptureQueriesContext(connection) as applied:
            batch = apply(batch, manager)
        assert batch.created_count == size
        counts[size] = len(applied)
    # Equal on PostgreSQL; SQLite's limit of variables per statement splits a
    # bulk insert of many audit rows in two.
    assert counts[40] - counts[10] <= 2, counts
    assert counts[40] < 40, counts


def test_the_dry_run_queries_do_not_grow_with_the_rows(organisation, manager, write):
    counts = {}
    for size in (10, 40):
        rows = [volunteer_row(n, **{"External ID": f"D{size}-{n}"}) for n in range(size)]
        batch = upload(organisation, manager, write, rows, name=f"d{size}.csv")
        with CaptureQueriesContext(connection) as checked:
            batch = check(batch, manager)
        assert batch.rows_ok == size
        counts[size] = len(checked)
    assert counts[40] == counts[10], counts


def test_the_same_file_again_is_unchanged_and_writes_nothing(organisation, manager, write):
    rows = [volunteer_row(n) for n in range(1, 21)]
    apply(check(upload(organisation, manager, write, rows), manager), manager)
    events, changes = AuditEvent.objects.count(), StatusChange.objects.count()
    again = apply(check(upload(organisation, manager, write, rows, name="again.csv"), manager), manager)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 20)
    assert (VolunteerProfile.objects.count(), StatusChange.objects.count()) == (20, changes)
    assert AuditEvent.objects.count() == events + 3  # the batch's own upload, check and apply
    assert ImportedRecord.objects.filter(batch__file_name="again.csv").count() == 0
