"""Events of the online forms that higher layers act on (the notifications
layer writes the acknowledgement and tells the coordinators). Receivers hold
no domain rule."""

from __future__ import annotations

from django.dispatch import Signal

#: A form was submitted and kept (on the board, or held as a possible
#: duplicate; never for spam). Sent inside the submission's transaction with
#: ``submission_id`` and ``acknowledge_to``: the address the submitter asked
#: the acknowledgement to go to ("" for none). The address travels in the
#: signal, in process, so the submission row need not keep it.
submission_received = Signal()
