"""Concerns named in words on the audit log (operations.core.record_names)."""

from __future__ import annotations

from operations.core.links import record_url
from operations.core.record_names import Namer
from volunteers.safeguarding.models import Concern


def _words(concern: Concern) -> str:
    if concern.parent_id is not None:
        return f"Concern about the family of {concern.parent.display_name}"
    if concern.volunteer_id is not None:
        return f"Concern raised about {concern.volunteer.user}"
    return "Concern"


NAMES = {
    "safeguarding.Concern": Namer(
        records=lambda user: Concern.objects.visible_to(user).select_related("parent", "volunteer__user"),
        words=_words,
        url=lambda concern: record_url("safeguarding:concern-detail", concern.pk),
    ),
}
