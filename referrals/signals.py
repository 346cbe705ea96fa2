"""Events of the referrals app that higher layers act on. Receivers hold no
domain rule: they call a service of their own app."""

from __future__ import annotations

from django.dispatch import Signal

#: A parent's record changed in a way that decides whether and how they may be
#: contacted: contact safety recorded, phone or email changed, processing
#: restricted or the restriction lifted. Sent inside the service's
#: transaction with ``parent_id``.
parent_contact_changed = Signal()

#: A duplicate referrer is being merged into another, inside the merge's
#: transaction, after the referrals moved and before the duplicate is
#: deleted: a higher layer holding rows about the duplicate (updates sent to
#: it …) moves them to ``keep_id``. Sent with ``keep_id`` and ``duplicate_id``.
referrers_merged = Signal()

#: The same for a referring team (``keep_id``, ``duplicate_id``): its people
#: have joined the kept team; credentials or settings held per team move too.
referring_organisations_merged = Signal()
#: A referral was received (``from_status`` "") or moved to a new state, by
#: whatever path (a page, the board, the API, matching, a partner system).
#: Sent inside the service's transaction, after the move is recorded, with
#: ``referral_id``, ``from_status`` and ``to_status``: a receiver that writes
#: commits or rolls back with the move.
referral_moved = Signal()

#: A transfer to another organisation was proposed, accepted, declined or
#: withdrawn (``referrals.transfers``). Sent inside the service's transaction
#: with ``transfer_id`` and ``actor``: the notifications app tells the other
#: side, and on acceptance the matching app ends the sending side's open
#: matches; what they write commits with the answer, or not at all.
transfer_changed = Signal()
