"""Events of the base layer that higher layers act on. Receivers hold no
domain rule: they call a service of their own app."""

from __future__ import annotations

from django.dispatch import Signal

#: A new organisation was created (``organisation``). Each app creates the
#: organisation's settings rows with their defaults, so that reading them
#: later never has to write. Sent inside the creating transaction.
organisation_created = Signal()

#: A service was changed (``service_id``): its perinatal period, and so the
#: stored eligibility dates of its open referrals, may have changed. Sent by
#: ``service_saved`` once the change has committed.
service_changed = Signal()
