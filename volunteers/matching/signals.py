"""Events of the matching app that higher layers act on. Receivers hold no
domain rule: they call a service of their own app."""

from __future__ import annotations

from django.dispatch import Signal

#: "I have a concern" was ticked in a contact log (``log``, ``actor``). Sent
#: inside the log's transaction: the safeguarding app raises the concern,
#: and it commits with the log, or not at all.
contact_log_concern_flagged = Signal()

#: A coordinator confirmed a match: the volunteer or PSO is to be told. Sent
#: inside the confirming transaction with ``match_id``, so what the receiver
#: writes commits with the match, or not at all.
match_confirmed = Signal()

#: Matches were ended because their family was transferred to another
#: organisation (``match_ids``): their volunteers are to be told. Sent inside
#: the transfer's transaction.
matches_ended_by_transfer = Signal()
