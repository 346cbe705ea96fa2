"""Option lists that a higher layer offers to a lower layer's form, such as
the organisation's lived-experience list (volunteers/) on the public online
referral forms (referrals/online/). The higher app says them in its
``form_choices.py`` (``CHOICES``: list name -> functions of the
organisation giving ``(id, name)`` pairs), found by convention like
``page_panels``; the form asks ``choices_for``, so the lower app never
imports the higher one."""

from __future__ import annotations

from operations.core import conventions
from operations.core.models import Organisation


def choices_for(name: str, organisation: Organisation) -> list[tuple[int, str]]:
    """Every app's ``(id, name)`` options of the list ``name`` for ``organisation``."""
    return [
        choice
        for module in conventions.app_modules("form_choices")
        for provide in module.CHOICES.get(name, [])
        for choice in provide(organisation)
    ]
