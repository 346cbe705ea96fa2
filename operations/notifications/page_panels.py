"""Panels this app adds to lower layers' pages (found by
``operations.core.page_panels``): a parent's page shows the texts she sent
and, after she texted STOP, the coordinator's button to record that she
agreed to texts again, without the referrals app importing this one."""

from __future__ import annotations

from operations.core.page_panels import PagePanel
from operations.notifications.models import InboundText

#: The newest texts from her shown on her page (the rest are in the inbox and her timeline).
SHOWN = 5


def _parent_texts(user, parent) -> dict:
    texts = list(InboundText.objects.visible_to(user).filter(parent=parent).order_by("-received_at", "-pk")[:SHOWN])
    return {"parent": parent, "texts": texts}


PANELS = {
    "parent": [PagePanel(template="notifications/_parent_texts.html", context=_parent_texts)],
}
