"""Email through a provider with django-anymail, chosen by environment
variables alone: the settings accept it, a message goes through Anymail's
backend interface with the outbox key as its Message-ID, and a provider's
failures are sorted into worth-retrying or not. No network."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from operations.env import env_prefixed
from operations.notifications import channels
from tests.worker import ROOT

MESSAGE = channels.Outgoing(
    key="pvg-renewal:1:2027-01-01:3m:7:email", to="coordinator@example.org", subject="A", body="B"
)


def test_provider_settings_are_read_from_anymail_variables_and_files(monkeypatch, tmp_path):
    secret = tmp_path / "token"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("ANYMAIL_MAILGUN_API_KEY", "key-123")
    monkeypatch.setenv("ANYMAIL_POSTMARK_SERVER_TOKEN_FILE", str(secret))
    monkeypatch.setenv("ANYMAIL_EMPTY", "")
    assert env_prefixed("ANYMAIL_") == {"MAILGUN_API_KEY": "key-123", "POSTMARK_SERVER_TOKEN": "from-a-file"}


def test_the_settings_module_accepts_a_provider_backend_chosen_by_environment():
    script = (
        "import json, django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.mail import get_connection\n"
        "backend = get_connection()\n"
        "print(json.dumps([settings.EMAIL_BACKEND, settings.ANYMAIL, type(backend).__module__]))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "operations.settings",
        "DEBUG": "1",
        "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
        "ANYMAIL_POSTMARK_SERVER_TOKEN": "server-token-for-the-test",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    backend, anymail, module = json.loads(result.stdout.strip().splitlines()[-1])
    assert backend == "anymail.backends.postmark.EmailBackend"
    assert anymail == {"POSTMARK_SERVER_TOKEN": "server-token-for-the-test"}
    assert module == "anymail.backends.postmark"


def test_a_notification_goes_through_anymail_with_the_outbox_key_as_message_id(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    channels.send_email(MESSAGE)
    [sent] = mail.outbox
    assert sent.to == ["coordinator@example.org"]
    assert sent.extra_headers["Message-ID"].startswith(f"<{MESSAGE.key}@")
    assert sent.anymail_status.status == {"sent"}


class FailingProvider(BaseEmailBackend):
    error: Exception = AnymailAPIError("provider answered", status_code=503)

    def send_messages(self, email_messages):
        raise self.error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (AnymailAPIError("down", status_code=503), channels.TransientSendError),
        (AnymailAPIError("busy", status_code=429), channels.TransientSendError),
        (AnymailAPIError("no answer"), channels.TransientSendError),
        (AnymailAPIError("bad request", status_code=400), channels.PermanentSendError),
        (AnymailRecipientsRefused(), channels.PermanentSendError),
    ],
)
def test_provider_failures_are_retried_only_when_retrying_can_help(settings, monkeypatch, error, expected):
    settings.EMAIL_BACKEND = f"{__name__}.FailingProvider"
    monkeypatch.setattr(FailingProvider, "error", error)
    with pytest.raises(expected):
        channels.send_email(MESSAGE)
