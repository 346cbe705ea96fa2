"""Events of the groups app that the notifications app acts on (it writes
the messages to parents). Ids only; each is sent inside the transaction of
the service that caused it, so what receivers write commits with it, or not
at all. Groups never imports notifications."""

from __future__ import annotations

from django.dispatch import Signal

#: A waiting-list place was given to a booking: ``booking_id``, ``session_id``.
place_offered = Signal()

#: A session with bookings was cancelled (``cancelled=True``) or moved to a
#: new time (``cancelled=False``): ``session_id``, ``cancelled``.
session_changed = Signal()
