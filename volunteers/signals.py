"""Events of the volunteers app that other apps act on. Receivers hold no
domain rule: they call a service of their own app."""

from __future__ import annotations

from django.dispatch import Signal

#: A supervision session noted "Concern: follow up" (``session``, the
#: ``volunteers`` it was about). Sent inside the session's transaction: the
#: safeguarding app opens a concern about each volunteer, owned by the
#: supervisor, and it commits with the session, or not at all.
supervision_concern_noted = Signal()
