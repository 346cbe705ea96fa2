"""One function decides the client's address for the audit log and the
sign-in lockout; a client cannot choose it by sending X-Forwarded-For."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from operations.core.audit import AuditAction, AuditEvent
from operations.core.network import client_ip

PROXY = "10.0.0.2"


def request_with(forwarded: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_axes_asks_the_same_function():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "operations.core.network.client_ip"


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with("198.51.100.9", remote="192.0.2.10")) == "192.0.2.10"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        # A client that sends its own header gets the proxy's entry appended after it.
        ("198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("1.2.3.4, 5.6.7.8, 203.0.113.7", "203.0.113.7"),
        # No header, or garbage where the proxy's entry should be: the connection's address.
        (None, PROXY),
        ("", PROXY),
        ("not-an-address", PROXY),
        ("203.0.113.7, <script>", PROXY),
    ],
)
def test_behind_one_proxy_the_last_entry_is_the_client(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_with(forwarded)) == expected


def test_behind_two_proxies_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_with("198.51.100.1, 203.0.113.7, 10.0.0.1")) == "203.0.113.7"
    # Fewer entries than proxies: the chain is not what we were told; trust only the connection.
    assert client_ip(request_with("203.0.113.7")) == PROXY


def test_ipv6_addresses_are_kept(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_with("2001:db8::1")) == "2001:db8::1"


@pytest.mark.django_db
def test_the_audit_log_records_the_address_the_proxy_saw_not_the_spoofed_one(client, coordinator, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("login"),
        {"username": coordinator.username, "password": "wrong password here"},
        HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.7",
    )
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.ip_address == "203.0.113.7"


@pytest.mark.django_db
def test_a_spoofed_header_without_a_proxy_changes_neither_audit_nor_lockout(client, coordinator, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": coordinator.username, "password": "wrong password here"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )
    assert set(AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).values_list("ip_address", flat=True)) == {
        "127.0.0.1"
    }
    right = {"username": coordinator.username, "password": django_settings.DEMO_PASSWORD}
    assert client.post(reverse("login"), right, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429
