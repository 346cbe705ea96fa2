"""Events of the matching app that higher layers act on. Receivers hold no
domain rule: they call a service of their own app."""

from __future__ import annotations

from django.dispatch import Signal

#: A volunteer raised a concern in a contact log (``concern``). Sent inside
#: the service's transaction, so what receivers write (the coordinators'
#: notifications) commits with the concern, or not at all.
concern_raised = Signal()

#: A coordinator confirmed a match: the volunteer or PSO is to be told. Sent
#: inside the confirming transaction with ``match_id``, so what the receiver
#: writes commits with the match, or not at all.
match_confirmed = Signal()
