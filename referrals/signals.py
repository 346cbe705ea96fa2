"""Events of the referrals app that higher layers act on. Receivers hold no
domain rule: they call a service of their own app."""

from __future__ import annotations

from django.dispatch import Signal

#: A parent's record changed in a way that decides whether and how they may be
#: contacted: contact safety recorded, phone or email changed, processing
#: restricted or the restriction lifted. Sent inside the service's
#: transaction with ``parent_id``.
parent_contact_changed = Signal()
