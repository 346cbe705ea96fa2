"""Who a group is for: a pure rule, no database.

A group's audience used to be a badge only, and a father was booked into a
"Mothers only" group. ``audience_problem`` says why a parent is outside a
group's audience on the session date, in words a coordinator reads on the
booking form; the booking service refuses unless a coordinator overrides
with a reason. A parent's role is always recorded (mother, father or other
carer); a date of birth may not be, and a young parents' group cannot tell
then, so it refuses the same way ("not recorded") and a coordinator who
knows the parent overrides."""

from __future__ import annotations

from datetime import date

from operations.core.ages import age_in_years
from operations.core.dates import short_date

MOTHERS = "mothers"
FATHERS = "fathers"
YOUNG_PARENTS = "young_parents"

#: How each recorded role reads in a sentence ("recorded as a father").
ROLE_WORDS = {"mother": "a mother", "father": "a father", "other_carer": "another carer (not a parent)"}

OVERRIDE_HINT = "A coordinator can override with a reason."


def audience_problem(
    *,
    audience: str,
    age_limit: int,
    role: str,
    first_name: str,
    date_of_birth: date | None,
    on: date,
) -> str | None:
    """Why this parent is outside the audience on ``on``, or None when they fit."""
    recorded_as = ROLE_WORDS.get(role, "not recorded as a mother or a father")
    if audience == MOTHERS and role != "mother":
        return f"This group is for mothers only; {first_name} is recorded as {recorded_as}. {OVERRIDE_HINT}"
    if audience == FATHERS and role != "father":
        return f"This group is for fathers; {first_name} is recorded as {recorded_as}. {OVERRIDE_HINT}"
    if audience == YOUNG_PARENTS:
        who = f"This group is for young parents up to {age_limit}"
        if date_of_birth is None:
            return f"{who}; {first_name}'s date of birth is not recorded. {OVERRIDE_HINT}"
        age = age_in_years(date_of_birth, on)
        if age > age_limit:
            return f"{who}; {first_name} is {age} on {short_date(on)}. {OVERRIDE_HINT}"
    return None
