"""Scale data for the export benchmark: evaluation consent for most parents,
one evaluation project per organisation, and (when the outcomes app's own
scale step has added none) the assessments the issue's scale names
(150,000 at full scale), scored by the real scoring module. Bulk inserts."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from operations.core.scale import BATCH, ScaleContext
from operations.evaluation.models import EvaluationProject
from operations.outcomes import measures
from operations.outcomes.models import Assessment
from referrals.models import Parent, Referral

CONSENT_SHARE = 0.85
TIMEPOINTS = ("baseline", "review", "ending")
MEASURES = ("epds", "wemwbs", "gad7", "phq9", "core10")


@transaction.atomic
def seed(context: ScaleContext) -> None:
    rng = context.rng
    parent_ids = list(Parent.objects.filter(organisation__in=context.organisations).values_list("pk", flat=True))
    consenting = [pk for pk in parent_ids if rng.random() < CONSENT_SHARE]
    for start in range(0, len(consenting), BATCH):
        Parent.objects.filter(pk__in=consenting[start : start + BATCH]).update(
            evaluation_consent_given_on=dt.date(2016, 1, 4)
        )
    EvaluationProject.objects.bulk_create(
        EvaluationProject(organisation=organisation, name="Scale evaluation") for organisation in context.organisations
    )
    written = 0 if Assessment.objects.exists() else _assessments(context)
    context.log(f"  evaluation: {len(consenting)} parents consenting, {written} assessments")


def _assessments(context: ScaleContext) -> int:
    rng = context.rng
    wanted = context.count("assessments")
    referrals = list(Referral.objects.filter(organisation__in=context.organisations).values_list(
        "pk", "organisation_id", "parent_id", "received_on"
    ))  # fmt: skip
    batch, written = [], 0
    while written + len(batch) < wanted:
        referral_id, organisation_id, parent_id, received = rng.choice(referrals)
        code = rng.choice(MEASURES)
        rules = measures.MEASURES[code]
        positions = [rng.randrange(rules.options) for _ in range(rules.items)]
        result = measures.score(rules, positions)
        batch.append(
            Assessment(
                organisation_id=organisation_id, parent_id=parent_id, referral_id=referral_id, measure=code,
                timepoint=rng.choice(TIMEPOINTS), taken_on=received + dt.timedelta(days=rng.randint(0, 360)),
                responses=positions, item_scores=list(result.item_scores), total=result.total,
                band=result.band_code, alert_items=list(result.alert_items), scoring_version=result.scoring_version,
            )
        )  # fmt: skip
        if len(batch) >= BATCH:
            Assessment.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    Assessment.objects.bulk_create(batch)
    return written + len(batch)
