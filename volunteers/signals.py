"""Events of the volunteers app that other apps act on. Receivers hold no
domain rule: they call a service of their own app."""

from __future__ import annotations

from django.dispatch import Signal

#: A supervision session noted "Concern: follow up" (``session``, the
#: ``volunteers`` it was about). Sent inside the session's transaction: the
#: safeguarding app opens a concern about each volunteer, owned by the
#: supervisor, and it commits with the session, or not at all.
supervision_concern_noted = Signal()

#: A volunteer or PSO paused herself from matching, or ended her break early
#: (``profile_id``, and ``event_id``: the audit event that recorded it, so
#: each occasion is told once). Sent inside the service's transaction: the
#: notifications app tells her coordinators and supervisor, and the rows
#: commit with the change, or not at all.
volunteer_break_changed = Signal()
