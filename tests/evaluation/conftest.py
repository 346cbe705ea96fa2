"""A cohort of fictional parents for export tests: distinctive names,
contact details and dates, so a leak into the ZIP is easy to find."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from operations.core.models import Role
from operations.evaluation.services import export_build, export_request, project_create
from referrals.models import Parent, ParentRole, Referral
from tests.factories import (
    ChildFactory,
    ContactLogFactory,
    MatchFactory,
    ReferralFactory,
    council_area,
    make_assessment_for_export,
    member,
)
from tests.volunteers.helpers import make_profile

# Two council areas of one health board (NHS Borders has one; NHS Lothian has four).
LOTHIAN = ("S12000036", "S12000019", "S12000010", "S12000040")
BORDERS = "S12000026"


@pytest.fixture(autouse=True)
def exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


@dataclass
class Cohort:
    parents: list[Parent] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    withdrawn: Parent | None = None
    never_consented: Parent | None = None


def _parent(organisation, index: int, *, born: dt.date, area, role=ParentRole.MOTHER, **fields) -> Parent:
    return Parent.objects.create(
        organisation=organisation,
        role=role,
        first_name=f"Ishbel{index:03d}",
        last_name=f"Macaskill{index:03d}",
        preferred_name=f"Izzy{index:03d}",
        date_of_birth=born,
        phone=f"0770090{index:04d}",
        email=f"ishbel{index:03d}@example.net",
        address_line_1=f"{index} Quarry Brae",
        town="Galashiels",
        postcode="TD1 3HE",
        council_area=area,
        evaluation_consent_given_on=fields.pop("consent_on", dt.date(2025, 1, 6)),
        **fields,
    )


def build_cohort(organisation, service, *, size: int = 40) -> Cohort:
    """``size`` consenting parents (mostly mothers in their late twenties in
    Lothian, a few outliers that k must hide), one withdrawn, one never asked."""
    cohort = Cohort()
    today = timezone.localdate()
    areas = [council_area(code) for code in LOTHIAN]
    borders = council_area(BORDERS)
    volunteer = make_profile(organisation=organisation, today=today)
    for index in range(size):
        received = today - dt.timedelta(days=200 + index * 3)
        age = 25 + index % 8  # 25-32: two 5-year bands
        born = received - dt.timedelta(days=age * 365 + 40 + index)
        area = borders if index == 7 else areas[index % len(areas)]
        role = ParentRole.FATHER if index in (3, 11) else ParentRole.MOTHER
        parent = _parent(organisation, index, born=born, area=area, role=role)
        ChildFactory(parent=parent, due_date=received + dt.timedelta(days=60), name=f"Baby{index:03d}")
        referral = ReferralFactory(
            organisation=organisation,
            parent=parent,
            service=service,
            source="midwife" if index % 2 else "self",
            received_on=received,
            status="active",
            referrer_name=f"Referrer{index:03d} Dunbar",
            referrer_contact=f"referrer{index:03d}@nhs.example",
            reason=f"Free text reason {index:03d} about low mood",
            support_started_on=received + dt.timedelta(days=20),
        )
        if index % 3 == 0:
            match = MatchFactory(
                organisation=organisation, referral=referral, parent=parent, volunteer=volunteer, status="active",
                confirmed_at=timezone.make_aware(dt.datetime.combine(received + dt.timedelta(days=14), dt.time(10))),
                started_on=received + dt.timedelta(days=21),
            )  # fmt: skip
            for visit in range(2):
                ContactLogFactory(
                    organisation=organisation, match=match, contact_date=received + dt.timedelta(days=21 + 7 * visit),
                    duration_minutes=45, mode="home_visit", note=f"Note {index:03d}: talked about sleep",
                )  # fmt: skip
        make_assessment_for_export(referral=referral, taken_on=received + dt.timedelta(days=21))
        make_assessment_for_export(
            referral=referral, timepoint="review", taken_on=received + dt.timedelta(days=110), positions=[0] * 10
        )
        cohort.parents.append(parent)
        cohort.referrals.append(referral)
    cohort.withdrawn = _parent(
        organisation, 900, born=dt.date(1994, 3, 3), area=areas[0],
        evaluation_consent_withdrawn_on=dt.date(2025, 6, 1),
    )  # fmt: skip
    cohort.never_consented = _parent(organisation, 901, born=dt.date(1993, 4, 4), area=areas[0], consent_on=None)
    for parent in (cohort.withdrawn, cohort.never_consented):
        referral = ReferralFactory(
            organisation=organisation, parent=parent, service=service, source="gp",
            received_on=today - dt.timedelta(days=150), status="active",
        )  # fmt: skip
        make_assessment_for_export(referral=referral, taken_on=today - dt.timedelta(days=100))
    return cohort


@pytest.fixture
def cohort(organisation, service) -> Cohort:
    return build_cohort(organisation, service)


@pytest.fixture
def project(organisation, manager):
    return project_create(organisation=organisation, by=manager, name="Wellbeing study 2026")


def run_export(project, by, **filters):
    """Requests an export and builds it in this process (the task's service)."""
    export = export_request(project=project, by=by, **filters)
    export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


def read_zip(export) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(export.path.read_bytes()))


@pytest.fixture
def other_manager(other_organisation):
    return member(username="manager2", organisation=other_organisation, role=Role.MANAGER)
