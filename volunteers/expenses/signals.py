"""Events of the expenses app that higher layers act on (the notifications
app tells the volunteer). Sent inside the service's transaction with ids
only: what receivers write commits with the step, or not at all."""

from __future__ import annotations

from django.dispatch import Signal

#: A claim was queried, approved or rejected (``claim_id``): its claimant is told.
claim_decided = Signal()

#: A payment batch was marked paid (``batch_id``): each claimant in it is told.
batch_paid = Signal()
