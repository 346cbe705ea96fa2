"""Who acts and from where reaches the audit log through the acting context
(``operations.core.context``): the middleware sets it for each request, the
Celery task class for each task, and no service takes the HTTP request."""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
import re
import threading
import uuid

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from operations.core import context
from operations.core.audit import AuditAction, AuditEvent, audit_log
from operations.core.middleware import ActingContextMiddleware
from operations.core.security import TwoFactorTokenAuthentication
from operations.core.tasks import retention_dry_runs
from tests.factories import ReferralFactory
from tests.worker import real_worker, wait_until

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0"
NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def referral(organisation, service):
    return ReferralFactory(organisation=organisation, service=service)


# --- web requests ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_change_made_through_a_page_is_audited_with_address_browser_and_request_id(
    coordinator_client, coordinator, referral
):
    response = coordinator_client.post(
        reverse("referrals:referral-transition", args=[referral.pk]),
        {"to_status": "contacted"},
        HTTP_USER_AGENT=BROWSER,
        HTTP_X_REQUEST_ID="proxy-7f3a.42",
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "contacted"
    event = AuditEvent.objects.get(action=AuditAction.TRANSITION, object_id=str(referral.pk))
    assert event.actor == coordinator
    assert event.ip_address == "127.0.0.1"
    assert event.user_agent == BROWSER
    assert event.request_id == "proxy-7f3a.42"
    assert response.headers["X-Request-ID"] == "proxy-7f3a.42"


@pytest.mark.django_db
def test_a_request_without_an_id_gets_a_new_one_in_the_audit_log_and_the_response(coordinator_client, referral):
    response = coordinator_client.get(reverse("referrals:referral-detail", args=[referral.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_id=str(referral.pk))
    assert NEW_ID.fullmatch(event.request_id)
    assert response.headers["X-Request-ID"] == event.request_id


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sent",
    ["", "has space", "<script>", "semi;colon", "x" * 65, "-leading-dash", "new\u00e9"],
)
def test_an_unsafe_or_overlong_request_id_is_replaced(client, sent):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID=sent)
    assert response.status_code == 200
    assert NEW_ID.fullmatch(response.headers["X-Request-ID"])


@pytest.mark.django_db
def test_the_audit_log_page_shows_the_request_id(manager_client, coordinator, organisation):
    with context.acting(request_id="req-shown-on-the-page", user_agent=BROWSER, source="web"):
        audit_log(action=AuditAction.VIEW, actor=coordinator, organisation=organisation, summary="Board viewed")
    page = manager_client.get(reverse("audit-log")).content.decode()
    assert "req-shown-on-the-page" in page
    assert "TestBrowser" in page


@pytest.mark.django_db
def test_the_context_is_reset_after_each_request(coordinator):
    """A second request in the same thread must not see the first one's
    user, address or id, and nothing is left behind afterwards."""
    seen: list[context.Acting] = []

    def view(request):
        seen.append(context.current())
        return HttpResponse("ok")

    middleware = ActingContextMiddleware(view)
    first = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7", HTTP_USER_AGENT=BROWSER)
    first.user = coordinator
    middleware(first)
    assert context.current() == context.NOBODY
    second = RequestFactory().get("/", REMOTE_ADDR="10.0.0.8")
    second.user = AnonymousUser()
    middleware(second)
    assert context.current() == context.NOBODY

    assert (seen[0].user_id, seen[0].username) == (coordinator.pk, "coordinator")
    assert seen[0].organisation_id == coordinator.active_organisation_id
    assert (seen[0].client_address, seen[0].user_agent) == ("10.0.0.7", BROWSER)
    assert (seen[1].user_id, seen[1].username, seen[1].organisation_id) == (None, "", None)
    assert (seen[1].client_address, seen[1].user_agent) == ("10.0.0.8", "")
    assert seen[0].request_id != seen[1].request_id


@pytest.mark.django_db
def test_the_context_is_reset_when_the_view_fails(coordinator):
    def view(request):
        raise RuntimeError("boom")

    request = RequestFactory().get("/")
    request.user = coordinator
    with pytest.raises(RuntimeError):
        ActingContextMiddleware(view)(request)
    assert context.current() == context.NOBODY


@pytest.mark.django_db
def test_an_api_token_request_is_audited_with_the_token_holder_and_request_id(coordinator, monkeypatch):
    client = APIClient()
    issued = client.post(
        "/api/v1/auth/token/",
        {"username": "coordinator", "password": "demo-pass-2026"},
        HTTP_USER_AGENT="partner-system/2.1",
        HTTP_X_REQUEST_ID="partner-0001",
    )
    assert issued.status_code == 200
    event = AuditEvent.objects.get(summary="API token issued")
    assert (event.actor, event.request_id, event.user_agent) == (coordinator, "partner-0001", "partner-system/2.1")

    seen: list[context.Acting] = []
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    original = TwoFactorTokenAuthentication.authenticate_credentials

    def spy(self, key):
        result = original(self, key)
        seen.append(context.current())
        return result

    monkeypatch.setattr(TwoFactorTokenAuthentication, "authenticate_credentials", spy)
    assert client.get("/api/v1/me/").status_code == 200
    # The middleware saw no session; the token named the person once DRF read it.
    assert (seen[0].user_id, seen[0].username) == (coordinator.pk, "coordinator")
    assert seen[0].organisation_id == coordinator.active_organisation_id


# --- the context itself ---------------------------------------------------------------------------------------


def test_acting_nests_and_restores_the_outer_context():
    with context.acting(request_id="outer", source="web") as outer:
        with context.acting(request_id="inner", source="worker"):
            assert context.current().request_id == "inner"
        assert context.current() is outer
    assert context.current() == context.NOBODY


def test_acting_truncates_the_user_agent_and_request_id():
    with context.acting(user_agent="A" * 500, request_id="r" * 100) as acting:
        assert len(acting.user_agent) == context.USER_AGENT_LENGTH
        assert len(acting.request_id) == context.REQUEST_ID_LENGTH


def test_identify_outside_a_request_changes_nothing():
    context.identify(user_id=7, username="someone", organisation_id=3)
    assert context.current() == context.NOBODY


def test_each_thread_sees_its_own_context():
    seen: list[context.Acting] = []
    with context.acting(request_id="main-thread", source="web"):
        thread = threading.Thread(target=lambda: seen.append(context.current()))
        thread.start()
        thread.join()
    assert seen == [context.NOBODY]


def test_log_lines_carry_the_request_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "message", None, None)
    request_id_filter = context.RequestIdFilter()
    with context.acting(request_id="abc123", source="web"):
        assert request_id_filter.filter(record)
        assert record.request_id == "abc123"
    request_id_filter.filter(record)
    assert record.request_id == "-"


# --- Celery tasks ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_task_audits_with_its_own_id_and_no_person(organisation):
    task_id = uuid.uuid4().hex
    with context.acting(request_id="the-web-request", user_id=1, username="someone", source="web"):
        retention_dry_runs.apply(task_id=task_id)
        # The request that ran the task eagerly gets its own context back.
        assert context.current().request_id == "the-web-request"
    event = AuditEvent.objects.get(summary="Retention dry run", organisation=organisation)
    assert event.request_id == task_id
    assert (event.actor_id, event.actor_username, event.ip_address, event.user_agent) == (None, "", None, "")
    assert context.current() == context.NOBODY


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_in_a_real_worker_audits_with_its_task_id(tmp_path, organisation):
    task_id = uuid.uuid4().hex
    with real_worker(tmp_path) as worker:
        with worker.broker_connection() as conn:
            retention_dry_runs.apply_async(task_id=task_id, queue=worker.queue, connection=conn)
        assert wait_until(lambda: AuditEvent.objects.filter(request_id=task_id).exists(), timeout=60)
    assert AuditEvent.objects.get(request_id=task_id).organisation == organisation


# --- services do not take the request -------------------------------------------------------------------------


def _service_modules():
    """Every app's ``services`` module, and each module inside it when it is a package."""
    for config in apps.get_app_configs():
        if not config.name.startswith(("operations", "referrals", "volunteers")):
            continue
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.services":
                raise
            continue
        yield module
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            yield importlib.import_module(f"{module.__name__}.{info.name}")


def test_no_service_and_not_the_audit_log_takes_the_http_request():
    modules = list(_service_modules())
    assert {"referrals.services", "volunteers.matching.services", "operations.core.services"} <= {
        module.__name__ for module in modules
    }
    offenders = [
        f"{module.__name__}.{name}"
        for module in modules
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and "request" in inspect.signature(function).parameters
    ]
    assert offenders == [], "Services take actor= and domain arguments; who acts and from where is in the context"
    assert "request" not in inspect.signature(audit_log).parameters
