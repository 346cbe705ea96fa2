"""Eligibility reasons already stored name the last day of support, as new
ones do (referrals.eligibility): "until 13 Feb 2028, the day before the
youngest child turns 1", not "until the youngest child turns 1 on 14 Feb
2028" (the birthday, a day after the end the other pages show)."""

import re

from django.db import migrations

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
OLD = re.compile(r"^until the youngest child (turns \d+|reaches \d+ months) on \d{1,2} [A-Z][a-z]{2} \d{4}")


def rewrite_reasons(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    rows = Referral.objects.filter(
        eligibility_reason__startswith="until the youngest child ", eligibility_end__isnull=False
    ).values_list("pk", "eligibility_reason", "eligibility_end")
    for pk, reason, end in rows.iterator():
        last_day = f"{end.day} {MONTHS[end.month - 1]} {end.year}"
        new = OLD.sub(lambda match: f"until {last_day}, the day before the youngest child {match[1]}", reason)
        if new != reason:
            Referral.objects.filter(pk=pk).update(eligibility_reason=new)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0010_referrer_directory_and_channel")]

    operations = [migrations.RunPython(rewrite_reasons, migrations.RunPython.noop)]
