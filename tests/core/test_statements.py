"""Kept statements (``operations.core.statements``): a queryset compiled to
SQL once per process and run again with the day's dates gives exactly the
rows a fresh build would, to the right viewer only, and a build whose SQL
could not be repeated that way is refused rather than kept.

Keeping needs PostgreSQL: tests marked ``postgres`` skip on SQLite. The
unmarked tests hold on either database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from operations.core import statements
from operations.core.models import Role, Service, User
from operations.core.months import add_months_clamped
from operations.core.services import membership_update
from operations.core.working_days import subtract_working_days
from referrals.models import Referral
from tests.referrals.factories import ReferralFactory
from tests.volunteers.helpers import make_profile
from volunteers import selectors as volunteer_selectors
from volunteers import services as volunteer_services
from volunteers.models import Status, TrainingRecord

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 26)  # a Thursday
DAYS = [DAY, DAY + timedelta(days=1), DAY + timedelta(days=4), DAY + timedelta(days=17), DAY + timedelta(days=45)]


@pytest.fixture(autouse=True)
def _nothing_kept(settings):
    """Every test compiles its own statements, with keeping on unless it says otherwise."""
    settings.KEEP_COMPILED_STATEMENTS = True
    statements.forget()
    yield
    statements.forget()


class Counted:
    """A build that counts how often it is called."""

    def __init__(self, build):
        self.build = build
        self.calls = 0

    def __call__(self, *args, **inputs):
        self.calls += 1
        return self.build(*args, **inputs)


def _received_in_the_week_before(organisation):
    def build(*, today: dt.date):
        return (
            Referral.objects.filter(
                organisation_id=organisation.pk, received_on__lt=today, received_on__gte=today - timedelta(days=7)
            )
            .order_by("received_on", "pk")
            .values("pk", "received_on")
        )

    return build


def _one_referral_a_day(organisation, service, *, days: int = 90) -> list[Referral]:
    return [
        ReferralFactory(organisation=organisation, service=service, received_on=DAY - timedelta(days=30) + timedelta(n))
        for n in range(days)
    ]


def _fresh(user: User) -> User:
    """The person as a new request loads them (no membership or services cached)."""
    return User.objects.get(pk=user.pk)


# Without keeping ---------------------------------------------------------------------------------


@override_settings(KEEP_COMPILED_STATEMENTS=False)
def test_with_keeping_switched_off_every_call_builds_and_runs_the_queryset_afresh(organisation, service):
    _one_referral_a_day(organisation, service, days=20)
    build = Counted(_received_in_the_week_before(organisation))
    for number, today in enumerate(DAYS, start=1):
        found = statements.rows("test:week-before", ("anyone",), build, today=today)
        assert found == list(_received_in_the_week_before(organisation)(today=today))
        assert build.calls == number


@pytest.mark.parametrize("keep", [False, pytest.param(True, marks=pytest.mark.postgres)], ids=["fresh", "kept"])
@pytest.mark.parametrize("listed", ["values", "values_list", "named_values_list"])
def test_rows_are_dicts_of_the_columns_asked_for_kept_or_not(keep, listed, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service, received_on=DAY - timedelta(days=2))

    def build(*, today: dt.date):
        received = Referral.objects.filter(received_on__lt=today)
        if listed == "values":
            return received.values("pk", "received_on")
        return received.values_list("pk", "received_on", named=listed == "named_values_list")

    with override_settings(KEEP_COMPILED_STATEMENTS=keep):
        for _ in range(2):
            assert statements.rows("test:columns", (), build, today=DAY) == [
                {"pk": referral.pk, "received_on": referral.received_on}
            ]


@pytest.mark.parametrize("keep", [False, pytest.param(True, marks=pytest.mark.postgres)], ids=["fresh", "kept"])
def test_tuples_are_the_rows_in_the_order_of_the_columns_asked_for(keep, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service, received_on=DAY - timedelta(days=2))

    def build(*, today: dt.date):
        return Referral.objects.filter(received_on__lt=today).values("received_on", "pk")

    with override_settings(KEEP_COMPILED_STATEMENTS=keep):
        for _ in range(2):
            assert statements.tuples("test:tuples", (), build, today=DAY) == [(referral.received_on, referral.pk)]


@pytest.mark.parametrize("keep", [False, pytest.param(True, marks=pytest.mark.postgres)], ids=["fresh", "kept"])
@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda *, today: Referral.objects.filter(received_on__lt=today), id="model-instances"),
        pytest.param(
            lambda *, today: Referral.objects.filter(received_on__lt=today).values_list("pk", flat=True), id="flat"
        ),
    ],
)
def test_rows_other_than_values_or_values_list_are_refused_kept_or_not(keep, build, organisation, service):
    ReferralFactory(organisation=organisation, service=service, received_on=DAY - timedelta(days=2))
    with override_settings(KEEP_COMPILED_STATEMENTS=keep), pytest.raises(statements.StatementError):
        statements.rows("test:not-rows", (), build, today=DAY)


# Kept statements ---------------------------------------------------------------------------------


@pytest.mark.postgres
def test_a_kept_statement_gives_a_fresh_build_s_rows_for_every_day_and_runs_one_query(organisation, service):
    _one_referral_a_day(organisation, service)
    build = Counted(_received_in_the_week_before(organisation))
    fresh = _received_in_the_week_before(organisation)
    assert statements.rows("test:week-before", ("anyone",), build, today=DAY) == list(fresh(today=DAY))
    built = build.calls
    for today in DAYS[1:]:
        with CaptureQueriesContext(connection) as captured:
            kept = statements.rows("test:week-before", ("anyone",), build, today=today)
        assert len(captured) == 1
        assert kept == list(fresh(today=today))
        assert len(kept) == 7
    assert build.calls == built


@pytest.mark.postgres
def test_a_kept_statement_follows_a_time_input_moved_by_hours(organisation, service):
    """Times as well as dates: ``now`` and ``now - 36 hours``."""
    referrals = _one_referral_a_day(organisation, service, days=10)
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    for number, referral in enumerate(referrals):
        Referral.objects.filter(pk=referral.pk).update(created_at=start + timedelta(hours=12 * number))

    def build(*, now: dt.datetime):
        return (
            Referral.objects.filter(created_at__lte=now, created_at__gt=now - timedelta(hours=36))
            .order_by("pk")
            .values("pk", "created_at")
        )

    for hours in (0, 13, 30, 61, 200):
        now = start + timedelta(hours=hours)
        assert statements.rows("test:recent", (), build, now=now) == list(build(now=now))


@pytest.mark.postgres
def test_a_build_that_reads_the_database_is_refused_and_nothing_is_kept(organisation, service):
    ReferralFactory(organisation=organisation, service=service, received_on=DAY - timedelta(days=2))

    def build(*, today: dt.date):
        services = [s.pk for s in Service.objects.all()]  # frozen into the SQL if kept
        return Referral.objects.filter(service_id__in=services, received_on__lt=today).values("pk")

    for _ in range(2):  # refused again: no statement was kept the first time
        with pytest.raises(statements.StatementError):
            statements.rows("test:reads", ("anyone",), build, today=DAY)
    good = Counted(_received_in_the_week_before(organisation))
    assert len(statements.rows("test:reads", ("anyone",), good, today=DAY)) == 1
    assert good.calls  # compiled: nothing was kept under the name


NOW = dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.UTC)


def _a_month_on(*, today: dt.date):
    return Referral.objects.filter(received_on__lt=add_months_clamped(today, 1))


def _three_months_on(*, today: dt.date):
    return Referral.objects.filter(received_on__lt=add_months_clamped(today, 3))


def _a_year_on(*, today: dt.date):
    return Referral.objects.filter(received_on__lt=add_months_clamped(today, 12))


def _from_the_first_of_the_month(*, today: dt.date):
    return Referral.objects.filter(received_on__gte=today.replace(day=1))


def _three_working_days_before(*, today: dt.date):
    return Referral.objects.filter(received_on__lt=subtract_working_days(today, 3))


def _from_the_start_of_the_day(*, now: dt.datetime):
    return Referral.objects.filter(created_at__gte=now.replace(hour=0, minute=0, second=0, microsecond=0))


def _the_clock_instead(*, today: dt.date):
    return Referral.objects.filter(received_on__lt=timezone.localdate())


def _the_clock_beside_the_input(*, today: dt.date):
    return Referral.objects.filter(received_on__lt=today, received_on__gte=timezone.localdate())


WORKED_OUT = [
    (_a_month_on, {"today": DAY}),
    (_three_months_on, {"today": DAY}),
    (_a_year_on, {"today": DAY}),
    (_from_the_first_of_the_month, {"today": DAY}),
    (_three_working_days_before, {"today": DAY}),
    (_from_the_start_of_the_day, {"now": NOW}),
    (_the_clock_instead, {"today": DAY}),
    (_the_clock_beside_the_input, {"today": DAY}),
]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("build", "inputs"), [pytest.param(build, inputs, id=build.__name__.strip("_")) for build, inputs in WORKED_OUT]
)
def test_a_date_worked_out_other_than_by_a_fixed_move_is_refused(build, inputs, organisation, service):
    ReferralFactory(organisation=organisation, service=service, received_on=DAY)
    with pytest.raises(statements.StatementError):
        statements.rows("test:worked-out", (), lambda **given: build(**given).values("pk"), **inputs)


@pytest.mark.postgres
def test_an_input_the_sql_does_not_use_is_refused(organisation):
    def build(*, today: dt.date, horizon: dt.date):
        return Referral.objects.filter(received_on__lt=today).values("pk")

    with pytest.raises(statements.StatementError, match="horizon"):
        statements.rows("test:unused", (), build, today=DAY, horizon=DAY + timedelta(weeks=8))


@pytest.mark.postgres
@pytest.mark.parametrize(
    "value", [7, "2026-11-26", None, {"a": 3}, [DAY, "x"]], ids=["int", "str", "none", "dict-of-int", "list-with-str"]
)
def test_an_input_that_is_not_a_date_or_time_is_refused(value, organisation):
    def build(*, today: dt.date, other):
        return Referral.objects.filter(received_on__lt=today).values("pk")

    with pytest.raises(statements.StatementError, match="not a date or time"):
        statements.rows("test:not-a-date", (), build, today=DAY, other=value)


# Who asks ----------------------------------------------------------------------------------------


def _visible_received_before(user):
    def build(*, today: dt.date):
        return Referral.objects.visible_to(user).filter(received_on__lt=today).order_by("pk").values("pk")

    return build


def _visible_pks(user, today: dt.date = DAY) -> list[int]:
    user = _fresh(user)
    rows = statements.rows("test:visible", statements.viewer_shape(user), _visible_received_before(user), today=today)
    return [row["pk"] for row in rows]


@pytest.mark.postgres
def test_a_viewer_of_another_organisation_never_gets_the_first_organisation_s_rows(
    coordinator, other_coordinator, organisation, other_organisation, service, other_service
):
    mine = ReferralFactory(organisation=organisation, service=service, received_on=DAY - timedelta(days=3))
    theirs = ReferralFactory(organisation=other_organisation, service=other_service, received_on=DAY - timedelta(2))
    for today in DAYS:
        assert _visible_pks(coordinator, today) == [mine.pk]
        assert _visible_pks(other_coordinator, today) == [theirs.pk]
    assert statements.viewer_shape(_fresh(coordinator)) != statements.viewer_shape(_fresh(other_coordinator))


def _change_role(user: User, role: str, *, by: User) -> None:
    membership_update(membership=_fresh(user).active_membership, role=role, is_active=True, actor=by)


@pytest.mark.postgres
def test_a_role_changed_gives_another_shape_and_the_new_role_s_rows(coordinator, manager, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service, received_on=DAY - timedelta(days=3))
    before = statements.viewer_shape(_fresh(coordinator))
    assert _visible_pks(coordinator) == [referral.pk]
    _change_role(coordinator, Role.VOLUNTEER, by=manager)
    assert statements.viewer_shape(_fresh(coordinator)) != before
    assert _visible_pks(coordinator) == []
    _change_role(coordinator, Role.MANAGER, by=manager)
    assert _visible_pks(coordinator) == [referral.pk]


@pytest.mark.postgres
def test_a_viewer_who_may_see_nothing_gets_no_rows_without_a_query(volunteer, organisation, service):
    ReferralFactory(organisation=organisation, service=service, received_on=DAY - timedelta(days=3))
    shape = statements.viewer_shape(volunteer)  # loads the membership, as the request already has
    build = _visible_received_before(volunteer)
    for today in DAYS:
        with CaptureQueriesContext(connection) as captured:
            assert statements.rows("test:visible", shape, build, today=today) == []
        assert len(captured) == 0


@pytest.mark.postgres
def test_a_statement_kept_in_one_thread_runs_in_another(organisation, service):
    """Threaded servers (runserver, gunicorn's gthread) share the process's statements."""
    build = _received_in_the_week_before(organisation)
    statements.rows("test:week-before", (), build, today=DAY)
    outcome = {}

    def other_thread():
        try:
            outcome["rows"] = statements.rows("test:week-before", (), build, today=DAY + timedelta(days=1))
        except Exception as error:  # reported below
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert "error" not in outcome, outcome.get("error")


# The compliance report -----------------------------------------------------------------------------


def _plain(value):
    """A report as plain values, to compare (a ``Person`` equals only itself)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _compliance(coordinator, organisation, today: dt.date, *, keep: bool, names: bool) -> dict:
    with override_settings(KEEP_COMPILED_STATEMENTS=keep):
        report = volunteer_selectors.compliance_for(
            _fresh(coordinator), organisation_id=organisation.pk, today=today, names=names, supervisors=names
        )
    return _plain(report)


@pytest.mark.postgres
@pytest.mark.parametrize("names", [False, True], ids=["counts", "with-names"])
def test_the_compliance_report_agrees_kept_and_fresh(names, coordinator, pso, organisation):
    make_profile(organisation=organisation, today=DAY, supervisor=pso)  # fit
    make_profile(organisation=organisation, today=DAY, supervisor=pso, pvg=False)
    make_profile(organisation=organisation, today=DAY, supervisor=None, trained=False)
    make_profile(organisation=organisation, today=DAY, supervisor=pso, supervised_days_ago=60)
    make_profile(organisation=organisation, today=DAY, supervisor=pso, status=Status.PAUSED)
    make_profile(organisation=organisation, today=DAY, status=Status.IN_TRAINING, trained=False, pvg=False)
    expiring = make_profile(organisation=organisation, today=DAY, supervisor=pso)
    TrainingRecord.objects.filter(profile=expiring).update(expires_on=DAY + timedelta(days=30))
    leaving = make_profile(organisation=organisation, today=DAY, supervisor=pso)
    volunteer_services.volunteer_change_status(profile=leaving, actor=coordinator, status=Status.LEFT, reason="Moved")

    for today in DAYS:
        kept = _compliance(coordinator, organisation, today, keep=True, names=names)
        assert kept == _compliance(coordinator, organisation, today, keep=False, names=names), today
        assert [len(kept[part]) for part in ("pvg", "training", "disclosure_tasks", "profiles")] == [2, 9, 1, 7]
        assert kept["supervision"]

    # A kept statement holds no data: the next leaver shows at once.
    volunteer_services.volunteer_change_status(profile=expiring, actor=coordinator, status=Status.LEFT, reason="Moved")
    kept = _compliance(coordinator, organisation, DAY, keep=True, names=names)
    assert kept == _compliance(coordinator, organisation, DAY, keep=False, names=names)
    assert [len(kept["disclosure_tasks"]), len(kept["profiles"])] == [2, 6]
