"""A notification's kind and channel reach people in words: the log, its
filter, its download and the admin say "Visit reminder" and "Text message",
never "visit_reminder" or "sms"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from operations.notifications.kinds import KIND_LABELS, kind_label
from operations.notifications.models import Channel
from tests.factories import NotificationFactory


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("visit_reminder", "Visit reminder"),
        ("concern_escalated", "Concern not acknowledged in time"),
        ("pvg_renewal_3m", "PVG renewal (3 months before)"),
        ("pvg_renewal_1m", "PVG renewal (1 month before)"),
        ("eligibility_end_8w", "Eligibility ending (8 weeks before)"),
        # A kind nobody named yet is still written out, never shown as a code.
        ("something_new_here", "Something new here"),
        ("test", "Test"),
    ],
)
def test_a_kind_reads_as_words(kind, words):
    assert kind_label(kind) == words


def test_every_named_kind_is_words():
    for kind, words in KIND_LABELS.items():
        assert "_" not in words, kind
        assert words[0].isupper(), kind


@pytest.mark.django_db
def test_the_log_and_its_filter_say_the_kind_and_channel_in_words(organisation, coordinator, coordinator_client):
    NotificationFactory(organisation=organisation, kind="visit_reminder", channel=Channel.SMS, key="a")
    NotificationFactory(
        organisation=organisation, kind="pvg_renewal_3m", channel=Channel.IN_APP, recipient_user=coordinator, key="b"
    )
    response = coordinator_client.get(reverse("notifications:log"))
    page = response.content.decode()
    text = re.sub(r"<[^>]*>", " ", page)
    assert "<td>Visit reminder</td>" in page
    assert "<td>Text message</td>" in page
    assert "PVG renewal (3 months before)" in text
    assert '<option value="pvg_renewal_3m">PVG renewal (3 months before)</option>' in page
    assert "visit_reminder" not in text
    assert "pvg_renewal_3m" not in text
    # The filter still filters by the stored kind.
    filtered = coordinator_client.get(reverse("notifications:log"), {"kind": "visit_reminder"})
    assert [n.kind for n in filtered.context["page"]] == ["visit_reminder"]


@pytest.mark.django_db
def test_the_admin_lists_kinds_in_words(organisation, manager, manager_client):
    NotificationFactory(organisation=organisation, kind="quiet_match", recipient_user=manager, key="c")
    page = manager_client.get(reverse("admin:notifications_notification_changelist")).content.decode()
    assert "Match gone quiet" in page
    assert "quiet_match" not in re.sub(r"<[^>]*>", " ", page).replace("?kind=quiet_match", "")
