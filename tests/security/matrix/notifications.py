"""Rows of the notifications app: the inbox, preferences, the outbox log and
retries, and when reminders go."""

from __future__ import annotations

from tests.security.matrix.answers import (
    LOGIN,
    MANAGER_OTHER,
    MANAGER_OWN,
    MANAGERS_ONLY,
    MEMBERS,
    POST_ONLY,
    REDIRECT,
    STAFF,
    STAFF_OTHER,
    STAFF_OWN,
    Case,
    admin_model,
    answers,
    api_staff_write,
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
    # Message templates and quick texts: managers only, their own organisation's.
    "notifications:templates": [Case(MANAGERS_ONLY)],
    "notifications:template-new": [Case(MANAGERS_ONLY), Case(MANAGERS_ONLY, method="POST", note="field errors")],
    "notifications:template-edit": [
        Case(MANAGER_OWN, args=("message_template",)),
        Case(MANAGER_OTHER, args=("other_message_template",)),
    ],
    "notifications:template-delete": [
        Case(answers(LOGIN, 403, 403, 403, 405, 403), args=("message_template",)),
        Case(answers(LOGIN, 403, 403, 403, REDIRECT, 403), args=("message_template",), method="POST"),
        Case(MANAGER_OTHER, args=("other_message_template",), method="POST"),
    ],
    # Texting a parent or a volunteer from the record: coordinators and managers (an empty POST: field errors).
    "notifications:text-parent": [
        *staff_object("parent", "other_parent"),
        Case(STAFF_OWN, args=("parent",), method="POST"),
        Case(STAFF_OTHER, args=("other_parent",), method="POST"),
    ],
    "notifications:text-volunteer": [
        *staff_object("volunteer_profile", "other_volunteer_profile"),
        Case(STAFF_OWN, args=("volunteer_profile",), method="POST"),
    ],
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
    # A text from the record: coordinators and managers; an empty body is a 400, nothing written.
    "POST /api/v1/parents/{id}/text/": api_staff_write("parent", "other_parent"),
    "POST /api/v1/volunteers/{id}/text/": api_staff_write("volunteer_profile", "other_volunteer_profile"),
}
