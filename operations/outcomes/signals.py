"""Events of the outcome measures that higher layers act on. Receivers hold
no domain rule: they call a service of their own app."""

from __future__ import annotations

from django.dispatch import Signal

#: An assessment answer opened a safety alert (``alert``). Sent inside the
#: service's transaction, so what receivers write (the coordinators'
#: notifications) commits with the alert, or not at all.
safety_alert_raised = Signal()
