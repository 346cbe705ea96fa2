"""The coordinator's home-page panels of referrals, built in Python from the
plain rows of ``selectors.coordinator_panels``. Up to 60 rows are shown on a
page opened many times a day; as template loops, with a display name, a URL
and two date filters a row, they cost more than the queries behind them."""

from __future__ import annotations

from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from operations.core.dates import day_month, short_date
from operations.core.links import record_url
from referrals.models import Urgency

URGENCY_LABELS = {value: str(label).lower() for value, label in Urgency.choices}
NONE = mark_safe("<li>None.</li>")
REFERRAL_PANELS = ("new_referrals", "overdue", "ending_soon", "past_end")


def _items(rows: list[dict], url_name: str, url_key: str, detail) -> SafeString:
    if not rows:
        return NONE
    return format_html_join(
        "",
        '<li><a href="{}">{}</a>{}</li>',
        ((record_url(url_name, row[url_key]), row["name"], detail(row)) for row in rows),
    )


def referral_items(panel: str, rows: list[dict]) -> SafeString:
    """The <li> rows of one referral panel (new, overdue, ending soon, past end)."""
    details = {
        "new_referrals": lambda r: (
            f", {r['service__name']} ({URGENCY_LABELS.get(r['urgency'], '')}, received {day_month(r['received_on'])})"
        ),
        "overdue": lambda r: (
            f", {r['service__name']}: not contacted since {day_month(r['received_on'])}"
            f" (target {r['service__waiting_target_working_days']} working days)"
        ),
        "ending_soon": lambda r: f", {r['service__name']}: ends {short_date(r['eligibility_end'])}",
        "past_end": lambda r: f", {r['service__name']}: ended {short_date(r['eligibility_end'])}",
    }
    return _items(rows, "referrals:referral-detail", "pk", details[panel])


def birth_items(rows: list[dict]) -> SafeString:
    return _items(rows, "referrals:child-edit", "pk", lambda c: f": due {short_date(c['due_date'])}")


def loss_items(rows: list[dict]) -> SafeString:
    return _items(rows, "referrals:parent-detail", "parent_id", lambda c: ": review open")
