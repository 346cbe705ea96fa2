"""Events of the online forms that higher layers act on (the notifications
layer writes the acknowledgement and tells the coordinators; matching
records the lived experience asked for). Receivers hold
no domain rule."""

from __future__ import annotations

from django.dispatch import Signal

#: A form was sent and kept (on the board, or held for a coordinator; never
#: for spam). Sent inside the submission's transaction with
#: ``submission_id``, ``acknowledge_to`` (the address the acknowledgement
#: goes to, "" for none) and ``names_service`` (whether it may say who it is
#: from). The address travels in the signal, in process, so the submission
#: row need not keep it. ``lived_experience_ids`` are the options of the
#: organisation's lived-experience list she ticked (ids only; the matching
#: layer records them on a new referral's matching needs).
submission_received = Signal()
