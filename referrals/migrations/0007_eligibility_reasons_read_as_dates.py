"""Eligibility reasons already stored say their dates as people read them
("on 7 Feb 2028", not "on 2028-02-07"), as new ones do (referrals.eligibility)."""

import re
from datetime import date

from django.db import migrations

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _readable(match: re.Match) -> str:
    day = date(int(match[1]), int(match[2]), int(match[3]))
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def rewrite_reasons(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    for pk, reason in Referral.objects.filter(eligibility_reason__regex=r"\d{4}-\d{2}-\d{2}").values_list(
        "pk", "eligibility_reason"
    ).iterator():
        Referral.objects.filter(pk=pk).update(eligibility_reason=ISO_DATE.sub(_readable, reason))


class Migration(migrations.Migration):
    dependencies = [("referrals", "0006_open_referral_end_index")]

    operations = [migrations.RunPython(rewrite_reasons, migrations.RunPython.noop)]
