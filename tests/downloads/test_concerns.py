"""The concerns worklist downloads with its filters, in its order, and
without what was seen or the notes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from operations.core.audit import AuditAction, AuditEvent
from tests.downloads.conftest import csv_rows
from tests.factories import ConcernFactory
from volunteers.safeguarding import services

pytestmark = pytest.mark.django_db


def test_the_worklist_downloads_with_its_filters_and_never_the_details(
    coordinator_client, coordinator, organisation, volunteer_client
):
    urgent = ConcernFactory(
        match__referral__organisation=organisation, urgency="danger_now", details="She has bruises on her arms"
    )
    ConcernFactory(match__referral__organisation=organisation, urgency="this_week")
    services.concern_acknowledge(actor=coordinator, concern=urgent)

    query = {"urgency": "danger_now", "download": "csv"}
    rows = csv_rows(coordinator_client.get(reverse("safeguarding:concern-list"), query))
    assert rows[0][:5] == ["Concern", "Raised", "Urgency", "Kind", "About"]
    assert [row[0] for row in rows[1:]] == [f"#{urgent.pk}"]
    assert (rows[1][2], rows[1][7]) == ("Someone is in danger now", "Acknowledged")
    assert not any("bruises" in cell for row in rows for cell in row)
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, summary__startswith="Downloaded Concerns").exists()

    # A volunteer works no concerns: no list, no file.
    assert volunteer_client.get(reverse("safeguarding:concern-list"), {"download": "csv"}).status_code == 302
