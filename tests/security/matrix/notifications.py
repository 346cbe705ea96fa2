"""Rows of the notifications app: the inbox, preferences, the outbox log and
retries, and when reminders go."""

from __future__ import annotations

from tests.security.matrix.answers import (
    LOGIN,
    MANAGERS_ONLY,
    MEMBERS,
    POST_ONLY,
    REDIRECT,
    STAFF,
    Case,
    admin_model,
    answers,
    staff_object,
    staff_post,
)

# Notifications (the reminders outbox): every member has an inbox and
# preferences; the organisation's log and retries are for coordinators and
# managers; when reminders go is for managers.
PAGES: dict[str, list[Case]] = {
    "notifications:centre": [Case(MEMBERS)],
    "notifications:preferences": [Case(MEMBERS)],
    "notifications:mark-read": [
        Case(POST_ONLY),
        Case(answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT), method="POST"),
    ],
    # Opening one reads it and goes to its link: its recipient only.
    "notifications:open": [
        Case(POST_ONLY, args=("inbox_notification",)),
        Case(answers(LOGIN, REDIRECT, 404, 404, 404, 404), args=("inbox_notification",), method="POST"),
        Case(answers(LOGIN, 404, 404, 404, 404, REDIRECT), args=("other_inbox_notification",), method="POST"),
    ],
    "notifications:log": [Case(STAFF)],
    "notifications:retry": staff_post("notification", "other_notification", answer=REDIRECT),
    # Reminder offsets and switches: managers only (an empty POST re-renders with field errors).
    "notifications:settings": [Case(MANAGERS_ONLY), Case(MANAGERS_ONLY, method="POST")],
    # The inbox of texts received (/messages/): the organisation's coordinators and managers only;
    # volunteers and PSOs never see what parents write, nor a volunteer's number.
    "messages:inbox": [Case(STAFF)],
    # Who sent a text: its page, and a POST naming nobody (400, nothing written).
    "messages:link": [
        *staff_object("inbound_text", "other_inbound_text"),
        Case(answers(LOGIN, 403, 403, 400, 400, 404), args=("inbound_text",), method="POST"),
        Case(answers(LOGIN, 403, 403, 404, 404, 400), args=("other_inbound_text",), method="POST"),
    ],
    "messages:done": staff_post("inbound_text", "other_inbound_text", answer=REDIRECT),
    # "She has agreed to texts again" on the parent's page.
    "messages:texts-again": staff_post("parent", "other_parent", answer=REDIRECT),
    # The SMS providers' webhooks: public by design (the provider calls them),
    # POST only, and believed only with the provider's signature: an unsigned
    # post is refused whoever sends it (signed ones: tests/notifications/test_sms_webhooks.py).
    **{
        f"sms:{route}": [
            Case(answers(405, 405, 405, 405, 405, 405)),
            Case(answers(403, 403, 403, 403, 403, 403), method="POST", data={}, note="unsigned"),
        ]
        for route in ("twilio-status", "twilio-inbound", "vonage-status", "vonage-inbound")
    },
    # Managers read (never change) the outbox in the admin.
    **admin_model(
        "notifications_notification",
        "notification",
        changelist=200,
        add=403,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_notification",
    ),
}

# Reminder settings: managers only, their own organisation's (bad values: tests/notifications).
API: dict[str, list[Case]] = {
    "GET /api/v1/reminder-settings/": [Case(answers(401, 403, 403, 403, 200, 403))],
    "PUT /api/v1/reminder-settings/": [Case(answers(401, 403, 403, 403, 400, 403), data={})],
    "PATCH /api/v1/reminder-settings/": [Case(answers(401, 403, 403, 403, 200, 403), data={}, note="no change")],
}
