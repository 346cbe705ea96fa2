"""Dates as every page writes them: "14 Feb 2028", times on the 24-hour
clock. Django reads this module before its own en-GB formats ("14 Feb 2028,
2:30 p.m.", "14/02/2028"), so ``{{ date }}``, ``{{ moment }}`` and the admin
say the same as the templates that spell a format out. Pages where planning
matters add the weekday themselves ("D j M Y": "Mon 14 Feb 2028").

Input formats are not set here: Django's en-GB ones stay, and date fields
render ISO for ``<input type="date">``."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
