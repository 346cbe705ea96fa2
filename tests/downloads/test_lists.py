"""Every list a coordinator or manager works from downloads as CSV and Excel
with the filters on the screen, only what they may see, audited, and safe to
open in a spreadsheet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditAction, AuditEvent
from operations.core.dates import short_date
from operations.core.models import Role
from operations.groups.models import BookingStatus
from operations.notifications.models import Status as NotificationStatus
from referrals.models import Urgency
from referrals.workflow import Status
from tests.downloads.conftest import csv_rows, xlsx_rows, xlsx_sheet
from tests.factories import (
    AuditEventFactory,
    BookingChildFactory,
    BookingFactory,
    GroupFactory,
    GroupSessionFactory,
    NotificationFactory,
    ParentFactory,
    ReferralFactory,
    ServiceFactory,
    VolunteerProfileFactory,
    member,
)
from volunteers.models import Status as VolunteerStatus

pytestmark = pytest.mark.django_db


def _downloads(client, url: str, **query):
    """The CSV and the workbook of one list, asked for as the page's buttons ask."""
    as_csv = client.get(url, {**query, "download": "csv"})
    as_xlsx = client.get(url, {**query, "download": "xlsx"})
    assert as_csv.status_code == 200, as_csv
    assert as_xlsx.status_code == 200, as_xlsx
    assert as_csv["Content-Type"].startswith("text/csv")
    assert as_csv["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in as_xlsx["Content-Disposition"]
    return csv_rows(as_csv), xlsx_rows(as_xlsx)


def _xlsx_as_text(rows: list[list[object]]) -> list[list[str]]:
    """Workbook cells as the CSV writes them: dates in words, empty as ""."""

    def words(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            if value.time() == dt.time(0):
                return short_date(value.date())
            return f"{short_date(value.date())} {value:%H:%M}"
        if isinstance(value, dt.date):
            return short_date(value)
        return str(value)

    return [[words(value) for value in row] for row in rows]


def test_waiting_list_downloads_in_priority_order_only_own_organisation(
    coordinator_client, organisation, other_organisation, service
):
    urgent = ReferralFactory(
        organisation=organisation, service=service, status=Status.WAITING, urgency=Urgency.URGENT,
        parent=ParentFactory(organisation=organisation, first_name="Aileen", last_name="Murray"),
    )  # fmt: skip
    ReferralFactory(
        organisation=organisation, service=service, status=Status.WAITING,
        parent=ParentFactory(organisation=organisation, first_name="Bea", last_name="Nairn"),
    )  # fmt: skip
    ReferralFactory(organisation=organisation, service=service, status=Status.RECEIVED)  # not waiting
    ReferralFactory(
        organisation=other_organisation, status=Status.WAITING,
        parent=ParentFactory(organisation=other_organisation, first_name="Other", last_name="Org"),
    )  # fmt: skip

    rows, workbook = _downloads(coordinator_client, reverse("referrals:waiting-list"))

    assert rows[0][:6] == ["Place", "Record number", "Parent", "Service", "Urgency", "Received"]
    assert [row[2] for row in rows[1:]] == ["Aileen Murray", "Bea Nairn"]
    assert rows[1][:6] == [
        "1",
        str(urgent.pk),
        "Aileen Murray",
        "Befriending",
        "Urgent",
        short_date(urgent.received_on),
    ]
    assert _xlsx_as_text(workbook) == rows
    # A date is a real date in the workbook, so it sorts as one.
    assert isinstance(workbook[1][5], dt.datetime)


def test_triage_board_download_follows_the_filters(coordinator_client, organisation, service):
    other_service = ServiceFactory(organisation=organisation, name="Birth companions")
    kept = ReferralFactory(
        organisation=organisation, service=service, status=Status.CONTACTED,
        parent=ParentFactory(organisation=organisation, first_name="Cara", last_name="Shaw"),
    )  # fmt: skip
    ReferralFactory(organisation=organisation, service=other_service, status=Status.CONTACTED)
    ReferralFactory(organisation=organisation, service=service, status=Status.CLOSED)  # not on the board

    rows, workbook = _downloads(coordinator_client, reverse("referrals:board"), service=service.pk)

    assert rows[0][:5] == ["Record number", "Parent", "Service", "State", "Urgency"]
    assert rows[1:] == [[str(kept.pk), "Cara Shaw", "Befriending", "Contacted", *rows[1][4:]]]
    assert len(rows) == 2
    assert _xlsx_as_text(workbook) == rows


def test_board_page_offers_the_downloads_with_its_filters(coordinator_client, service):
    page = coordinator_client.get(reverse("referrals:board"), {"service": service.pk, "page": 2})
    html = page.content.decode()
    # The current filters are kept, the page number is not.
    assert f'href="?service={service.pk}&amp;download=csv" download>Download CSV' in html
    assert f'href="?service={service.pk}&amp;download=xlsx" download>Download Excel' in html


def test_volunteer_list_download_follows_the_filters(coordinator_client, organisation):
    active = VolunteerProfileFactory(organisation=organisation, user__first_name="Dana", user__last_name="Reid")
    VolunteerProfileFactory(
        organisation=organisation, status=VolunteerStatus.PAUSED, user__first_name="Ewan", user__last_name="Lang"
    )

    rows, workbook = _downloads(coordinator_client, reverse("volunteers:list"), status=VolunteerStatus.ACTIVE)

    assert rows[0] == [
        "Name", "Kind", "Status", "Areas", "Languages", "Supervisor", "Next supervision", "Fit to match", "Why not",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == [active.user.get_full_name()]
    assert rows[1][2] == "Active"
    assert rows[1][7] == "No"  # not checked yet: not fit, and why
    assert rows[1][8]
    assert _xlsx_as_text(workbook) == rows


def test_compliance_download_lists_what_needs_attention(coordinator_client, organisation):
    VolunteerProfileFactory(organisation=organisation, user__first_name="Fiona", user__last_name="Gray")

    rows, workbook = _downloads(coordinator_client, reverse("volunteers:compliance"))

    assert rows[0] == ["Check", "Person", "Course or supervisor", "Due, expires or left on", "State"]
    assert ["PVG", "Fiona Gray", "", "", "Missing"] in rows
    supervision = [row for row in rows if row[0] == "Supervision"]
    assert [(row[1], row[4]) for row in supervision] == [("Fiona Gray", "Overdue")]
    assert _xlsx_as_text(workbook) == rows


def test_session_bookings_and_register_download(coordinator_client, organisation):
    session = GroupSessionFactory(group=GroupFactory(organisation=organisation, name="Bumps and babies"))
    booked = BookingFactory(session=session, attendee_name="Gail Innes", transport_needed=True)
    BookingChildFactory(booking=booked, first_name="Isla", date_of_birth=session.date - dt.timedelta(days=400))
    BookingFactory(session=session, attendee_name="Hannah Kerr", status=BookingStatus.CANCELLED)

    rows, workbook = _downloads(coordinator_client, reverse("groups:session", args=[session.pk]))
    assert rows[0][:6] == ["List", "Who", "New attendee", "Crèche children", "Transport needed", "Status"]
    assert rows[1][:6] == ["Booked", "Gail Innes", "Yes", "Isla (1 year, 1 month)", "Yes", "Booked"]
    assert rows[2][:2] == ["Cancelled or did not attend", "Hannah Kerr"]
    assert _xlsx_as_text(workbook) == rows

    rows, workbook = _downloads(coordinator_client, reverse("groups:register", args=[session.pk]))
    assert rows == [
        ["Who", "Walk-in", "Transport needed", "Attendance", "Crèche children", "In the crèche"],
        ["Gail Innes", "No", "Yes", "Booked", "Isla", ""],
    ]
    assert _xlsx_as_text(workbook) == rows


def test_notification_log_download_follows_the_filters(coordinator_client, organisation, coordinator):
    NotificationFactory(
        organisation=organisation, recipient_user=coordinator, kind="visit_reminder",
        status=NotificationStatus.FAILED, last_error="Mailbox full",
    )  # fmt: skip
    NotificationFactory(organisation=organisation, recipient_user=coordinator, status=NotificationStatus.SENT)

    rows, workbook = _downloads(coordinator_client, reverse("notifications:log"), status=NotificationStatus.FAILED)

    assert rows[0] == [
        "Due",
        "Kind",
        "Channel",
        "To",
        "Status",
        "Attempts",
        "Sent",
        "Last error",
        "Cancelled because",
        "Delivery",
    ]
    assert len(rows) == 2
    assert rows[1][1] == "Visit reminder"  # words, not the code
    assert rows[1][4] == "Failed"
    assert rows[1][7] == "Mailbox full"
    assert _xlsx_as_text(workbook) == rows


def test_audit_log_download_follows_the_search(manager_client, organisation):
    AuditEventFactory(organisation=organisation, action=AuditAction.CHANGE, summary="Service changed")
    AuditEventFactory(organisation=organisation, action=AuditAction.VIEW, summary="Viewed a record")

    rows, workbook = _downloads(manager_client, reverse("audit-log"), action=AuditAction.CHANGE)

    assert rows[0] == ["When", "Who", "Action", "Record", "Summary", "Address", "Browser", "Request id"]
    assert [row[4] for row in rows[1:]] == ["Service changed"]
    assert rows[1][2] == "Changed"
    assert _xlsx_as_text(workbook) == rows


def test_dashboard_table_download_is_suppressed_and_says_so(manager_client, organisation, service):
    for _ in range(3):
        ReferralFactory(organisation=organisation, service=service)
    today = timezone.localdate()
    query = {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat(), "table": "referrals_by_month"}

    as_csv = manager_client.get(reverse("dashboard:index"), {**query, "download": "csv"})
    rows = csv_rows(as_csv)
    assert rows[0] == ["Month", "Referrals"]
    assert rows[1] == [f"{today:%b %Y}", "<10"]
    assert rows[2] == ["Total", "<10"]  # three referrals: never shown as 3
    assert "3" not in [cell for row in rows for cell in row[1:]]
    assert ["Figures", "For publication: counts from 1 to 9 shown as <10"] in rows
    assert "publication" in as_csv["Content-Disposition"]

    as_xlsx = manager_client.get(reverse("dashboard:index"), {**query, "download": "xlsx"})
    content = b"".join(as_xlsx.streaming_content)
    as_xlsx.streaming_content = iter([content])
    workbook = xlsx_rows(as_xlsx)
    assert workbook[1][1] == "<10"
    as_xlsx.streaming_content = iter([content])
    about = dict(row[:2] for row in xlsx_sheet(as_xlsx, "About"))
    assert about["Figures"] == "For publication: counts from 1 to 9 shown as <10"

    # The mode chosen on the page rides along and is said: exact figures, not for publishing.
    exact = csv_rows(manager_client.get(reverse("dashboard:index"), {**query, "download": "csv", "mode": "internal"}))
    assert exact[1] == [f"{today:%b %Y}", "3"]
    assert ["Figures", "Internal: exact figures — do not publish"] in exact

    assert (
        manager_client.get(reverse("dashboard:index"), {**query, "table": "nope", "download": "csv"}).status_code == 404
    )


def test_a_formula_looking_value_is_neutralised(coordinator_client, organisation, service):
    ReferralFactory(
        organisation=organisation, service=service, status=Status.WAITING,
        parent=ParentFactory(organisation=organisation, first_name='=HYPERLINK("http://x","y")', last_name="Test"),
    )  # fmt: skip

    rows, workbook = _downloads(coordinator_client, reverse("referrals:waiting-list"))

    assert rows[1][2].startswith("'=HYPERLINK")
    assert workbook[1][2].startswith("'=HYPERLINK")


def test_the_download_is_audited_without_personal_data(coordinator_client, coordinator, organisation, service):
    ReferralFactory(
        organisation=organisation, service=service, status=Status.CONTACTED,
        parent=ParentFactory(organisation=organisation, first_name="Jean", last_name="Orr"),
    )  # fmt: skip

    coordinator_client.get(reverse("referrals:board"), {"service": service.pk, "download": "xlsx"})

    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert event.actor == coordinator
    assert event.organisation == organisation
    assert event.summary == "Downloaded Referral triage as Excel; filters: Service: Befriending"
    assert "Jean" not in event.summary
    assert "Orr" not in event.summary


LISTS = [
    ("referrals:board", []),
    ("referrals:waiting-list", []),
    ("volunteers:list", []),
    ("volunteers:compliance", []),
    ("notifications:log", []),
    ("audit-log", []),
    ("dashboard:index", []),
]


@pytest.mark.parametrize(("name", "args"), LISTS)
def test_a_volunteer_is_refused_and_nothing_is_written(volunteer_client, name, args):
    before = AuditEvent.objects.count()
    response = volunteer_client.get(reverse(name, args=args), {"download": "csv"})
    assert response.status_code in (403, 404)
    assert AuditEvent.objects.count() == before


def test_a_facilitator_may_keep_the_register_but_not_download_it(organisation, client):
    facilitator = member(username="facilitator", organisation=organisation, role=Role.VOLUNTEER)
    session = GroupSessionFactory(group=GroupFactory(organisation=organisation, facilitators=[facilitator]))
    BookingFactory(session=session, attendee_name="Kirsty Lyle")
    client.force_login(facilitator)
    url = reverse("groups:register", args=[session.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "Download CSV" not in page.content.decode()
    assert client.get(url, {"download": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).exists()


def test_a_pso_sees_supervisees_but_cannot_download_them(pso_client):
    page = pso_client.get(reverse("volunteers:list"))
    assert page.status_code == 200
    assert "Download CSV" not in page.content.decode()
    assert pso_client.get(reverse("volunteers:list"), {"download": "xlsx"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).exists()


def test_another_organisations_session_is_not_found(other_coordinator_client, organisation):
    session = GroupSessionFactory(group=GroupFactory(organisation=organisation))
    response = other_coordinator_client.get(reverse("groups:session", args=[session.pk]), {"download": "csv"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).exists()


def test_an_unknown_format_shows_the_page(coordinator_client):
    response = coordinator_client.get(reverse("referrals:waiting-list"), {"download": "pdf"})
    assert response.status_code == 200
    assert not response.streaming


@pytest.mark.parametrize(
    ("name", "status", "fmt"),
    [("referrals:waiting-list", Status.WAITING, "csv"), ("referrals:board", Status.CONTACTED, "xlsx")],
)
def test_the_queries_of_a_download_do_not_grow_with_its_rows(
    coordinator_client, organisation, service, name, status, fmt
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(count: int) -> int:
        ReferralFactory.create_batch(count, organisation=organisation, service=service, status=status)
        with CaptureQueriesContext(connection) as captured:
            response = coordinator_client.get(reverse(name), {"download": fmt})
            b"".join(response.streaming_content)  # the rows are read while the file is written
        return len(captured)

    assert queries_for(2) == queries_for(8)
