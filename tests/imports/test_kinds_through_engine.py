"""Each of the family, referral, match, group, directory and referrer kinds
through the engine's services: a file with another system's headers is
mapped, checked (writing nothing), applied, and an import undone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from operations.core.models import ServiceKind
from operations.groups.models import Group, GroupSession
from operations.imports import services
from operations.imports.models import ApplyMode, BatchStatus, ImportedRecord
from referrals.models import Parent, Referral, Referrer
from referrals.workflow import Status
from tests.factories import ServiceFactory
from tests.imports.conftest import HEADERS, csv_text, volunteer_row
from volunteers.matching.models import DirectoryEntry, Match

pytestmark = pytest.mark.django_db


def imported(organisation, manager, write, kind: str, rows: list[dict], *, check_only: bool = False):
    headers = list(dict.fromkeys(header for row in rows for header in row))
    path = write(f"{kind}.csv", csv_text(rows, headers))
    batch = services.batch_create(
        organisation=organisation, actor=manager, kind=kind, source=path, file_name=f"{kind}.csv"
    )
    batch = services.batch_check(batch=batch, actor=manager, inline=True)
    problems = list(batch.problems.values_list("line", "column", "problem"))
    assert batch.rows_with_problems == 0, problems
    if check_only:
        return batch
    batch = services.batch_apply(batch=batch, actor=manager, mode=ApplyMode.ALL_OR_NOTHING, inline=True)
    assert batch.status == BatchStatus.APPLIED, (batch.error, list(batch.problems.values_list("problem", flat=True)))
    return batch


def trained_volunteer() -> dict:
    """A volunteer with every required course and a PVG: fit to match."""
    training = "; ".join(
        f"{course}: 12/10/2025"
        for course in ("Core befriending training", "Safeguarding", "Perinatal mental health awareness")
    )
    return volunteer_row(1, Training=training)


#: A Lamplight- or CiviCRM-style export of families: the kind's aliases map every header.
FAMILIES = [
    {
        "Contact ID": "C-1",
        "Forename": "Aileen",
        "Surname": "Tait",
        "DOB": "14/02/1996",
        "Mobile Phone": "07700 900123",
        "Post Code": "G1 1AA",
        "Local Authority": "Glasgow City",
        "Child DOB": "03/10/2026",
        "Safe contact": "Text; Phone",
    },
    {
        "Contact ID": "C-2",
        "Forename": "Morag",
        "Surname": "Baird",
        "DOB": "02/03/1990",
        "Mobile Phone": "",
        "Post Code": "",
        "Local Authority": "Glasgow City",
        "Child DOB": "",
        "Safe contact": "None",
    },
]


def test_families_referrals_volunteers_and_matches_come_in_file_by_file(organisation, manager, write):
    ServiceFactory(organisation=organisation, name="Befriending", kind=ServiceKind.BEFRIENDING, end_child_age_months=12)
    referrers = [
        {
            "Referrer ID": "R-1",
            "Full name": "Fiona Gilmour",
            "Organisation": "Gorbals health visitors",
            "Email": "fiona@nhs.example",
        }
    ]
    imported(organisation, manager, write, "referrers", referrers)

    check = imported(organisation, manager, write, "parents", FAMILIES, check_only=True)
    assert check.rows_ok == 2
    assert not Parent.objects.exists()
    families = imported(organisation, manager, write, "parents", FAMILIES)
    assert families.created_count == 2
    assert Parent.objects.get(first_name="Aileen").children.count() == 1

    referrals = [
        {
            "Referral ID": "REF-1",
            "Client ID": "C-1",
            "Case Type": "Befriending",
            "Date Referred": "20/11/2026",
            "Case Status": "Waiting",
            "Referred by": "Fiona Gilmour",
            "Referrer Email": "fiona@nhs.example",
        },
        {
            "Referral ID": "REF-2",
            "Client ID": "C-2",
            "Case Type": "Befriending",
            "Date Referred": "21/11/2026",
            "Case Status": "Declined",
            "Closure reason": "Moved away",
        },
    ]
    imported(organisation, manager, write, "referrals", referrals)
    waiting = Referral.objects.get(parent__first_name="Aileen")
    assert (waiting.status, waiting.referrer.name) == (Status.WAITING, "Fiona Gilmour")
    assert waiting.eligibility_end is not None
    assert Referrer.objects.count() == 1  # found in the directory, not added twice
    assert Referral.objects.get(parent__first_name="Morag").status == Status.DECLINED

    volunteers_file = write("volunteers.csv", csv_text([trained_volunteer()], HEADERS))
    batch = services.batch_create(
        organisation=organisation, actor=manager, kind="volunteers", source=volunteers_file, file_name="v.csv"
    )
    services.batch_apply(
        batch=services.batch_check(batch=batch, actor=manager, inline=True),
        actor=manager,
        mode=ApplyMode.ALL_OR_NOTHING,
        inline=True,
    )

    matches = [{"Match ID": "M-1", "Referral ID": "REF-1", "Volunteer ID": "V-0001"}]
    batch = imported(organisation, manager, write, "matches", matches)
    match = Match.objects.get()
    assert Referral.objects.get(pk=match.referral_id).status == Status.MATCHED

    services.batch_undo(batch=batch, actor=manager)
    assert not Match.objects.exists()
    assert Referral.objects.get(pk=waiting.pk).status == Status.WAITING


def test_a_refused_match_is_a_problem_row_in_the_report(organisation, manager, write):
    ServiceFactory(organisation=organisation, name="Befriending", kind=ServiceKind.BEFRIENDING, end_child_age_months=12)
    imported(organisation, manager, write, "parents", FAMILIES[:1])
    referrals = [
        {
            "External ID": "REF-1",
            "Parent External ID": "C-1",
            "Service": "Befriending",
            "Date received": "20/11/2026",
            "Status": "Assessed",
        }
    ]
    imported(organisation, manager, write, "referrals", referrals)
    volunteers_file = write("volunteers.csv", csv_text([volunteer_row(1)], HEADERS))
    batch = services.batch_create(
        organisation=organisation, actor=manager, kind="volunteers", source=volunteers_file, file_name="v.csv"
    )
    services.batch_apply(
        batch=services.batch_check(batch=batch, actor=manager, inline=True), actor=manager, mode="all", inline=True
    )

    path = write(
        "matches.csv",
        csv_text(
            [{"External ID": "M-1", "Referral External ID": "REF-1", "Volunteer External ID": "V-0001"}],
            ["External ID", "Referral External ID", "Volunteer External ID"],
        ),
    )
    batch = services.batch_create(
        organisation=organisation, actor=manager, kind="matches", source=path, file_name="matches.csv"
    )
    batch = services.batch_check(batch=batch, actor=manager, inline=True)

    found = {problem.problem: problem.fix for problem in batch.problems.all()}
    assert "Waiting" in found["The match is refused: The referral is assessed, not waiting."]
    assert any("Not fit to match: Core training incomplete" in problem for problem in found)
    assert not Match.objects.exists()


def test_groups_directory_come_in_and_an_untouched_group_import_is_undone(organisation, manager, write):
    ServiceFactory(organisation=organisation, name="Groups", kind=ServiceKind.GROUP, end_child_age_months=24)
    groups = [
        {
            "Group ID": "G-1",
            "Group name": "Bumps and Babies",
            "Service": "Groups",
            "Day": "Tuesday",
            "Start time": "10:00",
            "Duration": "90",
            "Start date": "08/12/2026",
            "Venue": "Burgh Hall",
        }
    ]
    batch = imported(organisation, manager, write, "groups", groups)
    group = Group.objects.get()
    assert GroupSession.objects.filter(group=group).exists()
    assert ImportedRecord.objects.filter(kind="groups", external_id="G-1").exists()

    services.batch_undo(batch=batch, actor=manager)
    assert not Group.objects.exists()

    directory = [
        {
            "Resource ID": "D-1",
            "Organisation Name": "Glasgow Women's Aid",
            "Telephone": "0141 000 0000",
            "Areas served": "Glasgow City",
            "Web": "example.org",
        }
    ]
    imported(organisation, manager, write, "directory", directory)
    entry = DirectoryEntry.objects.get()
    assert (entry.phone, entry.website) == ("01410000000", "https://example.org")


def test_an_imported_parents_page_says_where_the_record_came_from(organisation, manager, write, client):
    imported(organisation, manager, write, "parents", FAMILIES[:1])
    parent = Parent.objects.get()
    client.force_login(manager)

    page = client.get(reverse("referrals:parent-detail", args=[parent.pk]))

    assert "Imported from parents.csv, row 2, on 7 Dec 2026" in page.content.decode()
