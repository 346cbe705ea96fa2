"""Events of the safeguarding app that higher layers act on (the
notifications app writes the messages). Each is sent inside the service's
transaction with ``concern``: what receivers write commits with the step, or
not at all."""

from __future__ import annotations

from django.dispatch import Signal

#: A concern was raised: leads, the volunteer's supervisor and coordinators are told.
concern_raised = Signal()

#: Nobody acknowledged a concern in time: the manager and the deputy lead are told.
concern_escalated = Signal()

#: Someone acknowledged a concern: whoever raised it is told it was heard.
concern_acknowledged = Signal()

#: A follow-up was planned (``concern``): the owner is reminded on the date.
concern_planned = Signal()

#: A concern was closed: whoever raised it is told.
concern_closed = Signal()
