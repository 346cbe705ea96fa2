"""Ages in whole years: one rule for parents (young parents, export age
bands, the dashboard's reach) and children (crèche ratios)."""

from __future__ import annotations

from datetime import date


def age_in_years(born: date, on: date) -> int:
    """Whole years. A person born on 29 February reaches an age on 1 March in
    a year that is not a leap year (Age of Legal Capacity (Scotland) Act 1991, s.6)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
