"""Panels this app adds to lower layers' pages (found by
``operations.core.page_panels``), without the referrals or volunteers apps
importing this one: "Send a text" on a parent's and a volunteer's page, for
coordinators and managers, saying at once when a text cannot go to her and
why; and on a parent's page the texts she sent and, after she texted STOP,
the coordinator's button to record that she agreed to texts again."""

from __future__ import annotations

from operations.core.models import STAFF_ROLES, active_membership
from operations.core.page_panels import PagePanel
from operations.notifications import staff_texts
from operations.notifications.models import InboundText

#: The newest texts from her shown on her page (the rest are in the inbox and her timeline).
SHOWN = 5


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


def _parent_texts(user, parent) -> dict:
    texts = list(InboundText.objects.visible_to(user).filter(parent=parent).order_by("-received_at", "-pk")[:SHOWN])
    return {"parent": parent, "texts": texts}


PANELS = {
    "parent": [
        PagePanel(template="notifications/_text_panel.html", context=_parent_context),
        PagePanel(template="notifications/_parent_texts.html", context=_parent_texts),
    ],
    "volunteer": [PagePanel(template="notifications/_text_panel.html", context=_volunteer_context)],
}
