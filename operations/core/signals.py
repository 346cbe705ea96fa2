"""Events of the base layer that higher layers act on. Receivers hold no
domain rule: they call a service of their own app."""

from __future__ import annotations

from django.dispatch import Signal

#: A new organisation was created (``organisation``). Each app creates the
#: organisation's settings rows with their defaults, so that reading them
#: later never has to write. Sent inside the creating transaction.
organisation_created = Signal()
