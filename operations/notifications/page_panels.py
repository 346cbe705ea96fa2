"""Panels this app adds to lower layers' pages (found by
``operations.core.page_panels``): "Send a text" on a parent's and a
volunteer's page, for coordinators and managers, saying at once when a text
cannot go to her and why."""

from __future__ import annotations

from operations.core.models import STAFF_ROLES, active_membership
from operations.core.page_panels import PagePanel
from operations.notifications import staff_texts


def _is_staff(user) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.role in STAFF_ROLES


def _parent_context(user, parent) -> dict:
    staff = _is_staff(user) and parent.erased_at is None
    return {
        "show": staff,
        "url_name": "notifications:text-parent",
        "record": parent,
        "refusal": staff_texts.parent_sms_refusal(parent) if staff else "",
    }


def _volunteer_context(user, profile) -> dict:
    staff = _is_staff(user)
    return {
        "show": staff,
        "url_name": "notifications:text-volunteer",
        "record": profile,
        "refusal": staff_texts.volunteer_sms_refusal(profile) if staff else "",
    }


PANELS = {
    "parent": [PagePanel(template="notifications/_text_panel.html", context=_parent_context)],
    "volunteer": [PagePanel(template="notifications/_text_panel.html", context=_volunteer_context)],
}
