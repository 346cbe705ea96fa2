"""The safeguarding pages, by who uses them: ``raising`` (volunteers and
PSOs, on a phone), ``working`` (leads, coordinators, managers, supervisors)
and ``settings`` (managers)."""
