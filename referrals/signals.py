"""Events of the referrals app that higher layers act on. Receivers hold no
domain rule: they call a service of their own app."""

from __future__ import annotations

from django.dispatch import Signal

#: A parent's record changed in a way that decides whether and how they may be
#: contacted: contact safety recorded, phone or email changed, processing
#: restricted or the restriction lifted. Sent inside the service's
#: transaction with ``parent_id``.
parent_contact_changed = Signal()

#: A referral was received (``from_status`` "") or moved to a new state, by
#: whatever path (a page, the board, the API, matching, a partner system).
#: Sent inside the service's transaction, after the move is recorded, with
#: ``referral_id``, ``from_status`` and ``to_status``: a receiver that writes
#: commits or rolls back with the move.
referral_moved = Signal()
