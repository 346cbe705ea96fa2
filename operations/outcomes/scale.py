"""Scale data: 150,000 assessments (at full scale) for the parents the
referrals app made, with their safety alerts. Bulk inserts in batches.

Most supported parents (matched, active, ending or closed) have a baseline;
fewer have 3-monthly reviews and an ending; scores improve on average; about
1% of assessments raise a safety alert (most long since closed)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from operations.core.scale import BATCH, ScaleContext
from operations.outcomes import measures, synthetic
from operations.outcomes.models import Assessment, SafetyAlert
from referrals.models import Referral
from referrals.workflow import Status

SUPPORTED = {Status.MATCHED, Status.ACTIVE, Status.ENDING, Status.CLOSED}
# Which measures services use, weighted: the EPDS and SWEMWBS most.
MEASURE_WEIGHTS = {"epds": 35, "swemwbs": 25, "core10": 15, "phq9": 10, "gad7": 10, "wemwbs": 5}
ALERT_CHANCE = 0.017  # on measures with an alert item (~60% of assessments): ~1% overall
OPEN_ALERT_DAYS = 30  # alerts raised more recently are still open


def seed(context: ScaleContext) -> None:
    target = context.count("assessments")
    referrals = _supported_referrals(context)
    if not referrals:
        context.log("  outcomes: no supported parents, no assessments")
        return
    batch: list[tuple[Assessment, bool]] = []
    made = alerts = 0
    passes = 0
    while made < target:
        for referral in referrals:
            for assessment, alert in _plan(context, referral, extra_pass=passes > 0):
                batch.append((assessment, alert))
                made += 1
                if len(batch) >= BATCH:
                    alerts += _flush(batch)
                    batch = []
                if made >= target:
                    break
            if made >= target:
                break
        passes += 1
    alerts += _flush(batch)
    context.log(f"  outcomes: {made} assessments of {len(referrals)} supported parents, {alerts} safety alerts")


def _supported_referrals(context: ScaleContext) -> list[tuple]:
    ids = context.extra.get("referrals", [])
    rows = []
    for start in range(0, len(ids), BATCH):
        rows.extend(
            Referral.objects.filter(pk__in=ids[start : start + BATCH], status__in=SUPPORTED)
            .order_by("pk")
            .values_list("pk", "parent_id", "organisation_id", "received_on", "status")
        )
    return rows


def _plan(context: ScaleContext, referral: tuple, *, extra_pass: bool):
    """The assessments of one referral: a baseline (most), reviews every 3
    months (fewer), an ending for closed cases; later ones better on average."""
    rng = context.rng
    pk, parent_id, organisation_id, received_on, status = referral
    today = timezone.localdate()
    codes = rng.sample(list(MEASURE_WEIGHTS), counts=list(MEASURE_WEIGHTS.values()), k=2)
    codes = list(dict.fromkeys(codes))
    start = received_on + timedelta(days=rng.randint(7, 30))
    if extra_pass:
        timepoints = [("other", start + timedelta(days=rng.randint(10, 200)))]
    else:
        reviews = rng.choice([0, 1, 1, 2, 3]) if status == Status.CLOSED else rng.choice([0, 0, 1])
        timepoints = [("baseline", start)] if rng.random() < 0.9 else []
        timepoints += [("review", start + timedelta(days=91 * n)) for n in range(1, reviews + 1)]
        if status == Status.CLOSED and rng.random() < 0.65:
            timepoints.append(("ending", start + timedelta(days=91 * reviews + rng.randint(20, 60))))
    distress = rng.uniform(0.3, 0.8)
    for step, (timepoint, taken_on) in enumerate(timepoints):
        if taken_on > today:
            break
        level = max(0.0, min(1.0, distress - step * rng.gauss(0.08, 0.08)))
        for code in codes:
            rules = measures.MEASURES[code]
            alert = bool(rules.alert_items) and rng.random() < ALERT_CHANCE
            chosen = synthetic.positions(rules, level, rng, alert=alert)
            scored = measures.score(rules, chosen)
            yield (
                Assessment(
                    organisation_id=organisation_id,
                    parent_id=parent_id,
                    referral_id=pk,
                    measure=code,
                    timepoint=timepoint,
                    taken_on=taken_on,
                    responses=chosen,
                    item_scores=list(scored.item_scores),
                    total=scored.total,
                    band=scored.band_code,
                    alert_items=list(scored.alert_items),
                    scoring_version=scored.scoring_version,
                    entered_by=context.coordinators.get(organisation_id),
                ),
                bool(scored.alert_items),
            )


def _flush(batch: list[tuple[Assessment, bool]]) -> int:
    if not batch:
        return 0
    Assessment.objects.bulk_create([assessment for assessment, _alert in batch])
    now = timezone.now()
    alerts = []
    for assessment, alert in batch:
        if not alert:
            continue
        raised = now - timedelta(days=(timezone.localdate() - assessment.taken_on).days)
        closed = (now - raised).days > OPEN_ALERT_DAYS
        for item in assessment.alert_items:
            alerts.append(
                SafetyAlert(
                    organisation_id=assessment.organisation_id,
                    assessment_id=assessment.pk,
                    parent_id=assessment.parent_id,
                    item_number=item,
                    item_score=assessment.item_scores[item - 1],
                    raised_at=raised,
                    action_taken="Safeguarding procedure followed (fictional scale data)." if closed else "",
                    actioned_by=assessment.entered_by if closed else None,
                    actioned_at=raised + timedelta(days=1) if closed else None,
                )
            )
    SafetyAlert.objects.bulk_create(alerts)
    return len(alerts)
