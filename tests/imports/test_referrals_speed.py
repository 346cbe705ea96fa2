"""The referrals kind's fast path: a chunk's parents, open referrals and
referrers are read ahead and its new referrals written together
(referrals_create_many), so its queries do not grow with its rows; and an
import tells the referrer nothing of the moves it brings over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from operations.imports import services
from operations.imports.models import ApplyMode, BatchStatus
from operations.notifications.models import Notification
from operations.referrer_updates.models import ReferrerUpdate
from referrals import services as referral_services
from referrals.models import Referral, ReferralTransition, Referrer
from referrals.workflow import Status
from tests.factories import ServiceFactory
from tests.imports.conftest import csv_text
from tests.imports.test_kinds_through_engine import imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(organisation):
    return ServiceFactory(organisation=organisation, name="Befriending", end_child_age_months=12)


def day(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).strftime("%d/%m/%Y")


def families(prefix: str, size: int) -> list[dict]:
    return [
        {
            "External ID": f"{prefix}-P{n}",
            "First name": f"Aileen{prefix}{n}",
            "Last name": "Tait",
            "Date of birth": "14/02/1996",
            "Children's dates of birth": day(60 + n),
            "Safe to contact by": "Text",
        }
        for n in range(size)
    ]


def referrals(prefix: str, size: int, **changes) -> list[dict]:
    return [
        {
            "External ID": f"{prefix}-R{n}",
            "Parent External ID": f"{prefix}-P{n}",
            "Service": "befriending",
            "Date received": day(20),
            "Status": "Waiting",
            "Source": "Health visitor",
            "Referrer name": f"Fiona {prefix}",
            "Referrer organisation": "Galashiels health visiting team",
            "Referrer email": f"fiona.{prefix.lower()}@nhs.example",
            "Reason for referral": "Low mood",
            "Referrer may hear how it goes": "Yes",
        }
        | changes
        for n in range(size)
    ]


def upload(organisation, manager, write, rows: list[dict], name: str):
    path = write(name, csv_text(rows, list(rows[0])))
    return services.batch_create(
        organisation=organisation, actor=manager, kind="referrals", source=path, file_name=name
    )


def test_the_check_and_apply_queries_do_not_grow_with_the_rows(organisation, manager, write, service):
    checked, applied = {}, {}
    for size in (5, 10, 40):  # the first run also reads what is then kept (the content types)
        prefix = f"Q{size}"
        imported(organisation, manager, write, "parents", families(prefix, size))
        batch = upload(organisation, manager, write, referrals(prefix, size), f"{prefix}.csv")
        with CaptureQueriesContext(connection) as queries:
            batch = services.batch_check(batch=batch, actor=manager, inline=True)
        assert batch.rows_ok == size, list(batch.problems.values_list("problem", flat=True))
        checked[size] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            batch = services.batch_apply(batch=batch, actor=manager, mode=ApplyMode.ALL_OR_NOTHING, inline=True)
        assert (batch.status, batch.created_count) == (BatchStatus.APPLIED, size)
        applied[size] = len(queries)
    assert checked[40] == checked[10], checked
    # Equal on PostgreSQL; SQLite's limit of variables per statement may split
    # a bulk insert of many audit rows in two.
    assert applied[40] - applied[10] <= 2, applied
    assert applied[40] < 60, applied  # about a dozen for the chunk, a dozen for the batch's own rows
    # Each run added its referrer to the directory once, and every referral names them.
    assert Referrer.objects.count() == 3
    assert Referral.objects.filter(status=Status.WAITING, referrer__name="Fiona Q40").count() == 40
    assert ReferralTransition.objects.count() == 4 * 55


def test_an_import_tells_the_referrer_nothing_and_a_later_move_does(organisation, manager, write, service):
    """An import brings history over: 50,000 updates to health visitors about
    referrals of the past would be wrong. The agreement stands from then on."""
    imported(organisation, manager, write, "parents", families("U", 3))
    imported(organisation, manager, write, "referrals", referrals("U", 3))

    assert not ReferrerUpdate.objects.exists()
    assert not Notification.objects.exists()
    referral = Referral.objects.order_by("pk").first()
    assert referral.referrer_updates_consent
    assert referral.referrer.email

    referral_services.referral_transition(
        actor=manager, referral=referral, to_status=Status.WITHDRAWN, reason="Moved away"
    )
    assert ReferrerUpdate.objects.filter(referral=referral).count() == 1


def test_a_duplicate_of_an_open_referral_read_ahead_is_a_problem(organisation, manager, write, service):
    imported(organisation, manager, write, "parents", families("D", 2))
    imported(organisation, manager, write, "referrals", referrals("D", 1))

    again = referrals("D", 2, **{"External ID": ""})
    for n, row in enumerate(again):
        row["External ID"] = f"D-AGAIN-{n}"
    batch = services.batch_check(
        batch=upload(organisation, manager, write, again, "again.csv"), actor=manager, inline=True
    )

    assert (batch.rows_ok, batch.rows_with_problems) == (1, 1)
    (problem,) = batch.problems.all()
    assert (problem.line, "already has an open referral" in problem.problem) == (2, True)
