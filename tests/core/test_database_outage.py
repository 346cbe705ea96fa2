"""A database out of reach for a moment is a 503 with Retry-After and a page
that says so, never Django's 500. (The browser journey
tests/e2e/test_database_outage.py takes a real PostgreSQL away.)"""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.urls import reverse

from operations.core import views


def _database_gone(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def unreachable_services(monkeypatch):
    # The service list page asks the database through this queryset method.
    monkeypatch.setattr(views.Service.objects, "visible_to", _database_gone)


@pytest.mark.django_db
def test_a_page_answers_503_with_retry_after_while_the_database_is_gone(coordinator_client, unreachable_services):
    client = coordinator_client
    client.raise_request_exception = False
    response = client.get(reverse("service-list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "back shortly" in page
    assert "draft" in page


@pytest.mark.django_db
def test_any_other_error_is_still_a_plain_500(coordinator_client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(views.Service.objects, "visible_to", broken)
    client = coordinator_client
    client.raise_request_exception = False
    response = client.get(reverse("service-list"))
    assert response.status_code == 500
    assert "Retry-After" not in response
