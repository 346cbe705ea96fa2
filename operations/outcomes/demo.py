"""Demo data of the outcomes sub-app, called by `manage.py seed_demo` after
the referrals app's families exist. Idempotent: a parent who already has
assessments is left alone.

Every supported demo parent (matched, active, ending or closed) gets a
lawful basis for health data, evaluation consent (two in three), a baseline
EPDS and SWEMWBS, a review where enough time has passed (better on
average), and an ending for closed cases. One parent of the first
organisation has EPDS item 10 above 0: an open safety alert."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from operations.outcomes import services, synthetic
from operations.outcomes.measures import EPDS, SWEMWBS
from referrals import services as referral_services
from referrals.models import Referral
from referrals.workflow import Status

SUPPORTED = [Status.MATCHED, Status.ACTIVE, Status.ENDING, Status.CLOSED]
COORDINATOR = {"tweed-valley": "coordinator", "family-start-east-lothian": "coordinator2",
               "capital-peer-network": "coordinator3"}  # fmt: skip
REVIEW_AFTER_DAYS = 28


def seed(*, organisations: dict, users: dict) -> None:
    rng = random.Random(2028)  # noqa: S311 - demo variety, not security
    alert_placed = False
    for slug, organisation in organisations.items():
        actor = users.get(COORDINATOR.get(slug, ""))
        referrals = (
            Referral.objects.filter(organisation=organisation, status__in=SUPPORTED)
            .select_related("parent")
            .order_by("pk")
        )
        for number, referral in enumerate(referrals):
            if referral.parent.assessments.exists() or referral.parent.erased_at:
                continue
            alert = not alert_placed and slug == "tweed-valley"
            _seed_parent(referral, actor, rng, consent=number % 3 != 2, alert=alert)
            alert_placed = alert_placed or alert


@transaction.atomic
def _seed_parent(referral: Referral, actor, rng: random.Random, *, consent: bool, alert: bool) -> None:
    today = timezone.localdate()
    parent = referral.parent
    baseline_on = min(today, referral.received_on + timedelta(days=7))
    referral_services.parent_update(
        actor=actor,
        parent=parent,
        data={
            "lawful_basis_article6": "legitimate_interests",
            "lawful_basis_article9": "not_for_profit",
            "evaluation_consent_given_on": baseline_on if consent else None,
        },
    )
    distress = rng.uniform(0.45, 0.75)
    plan = [("baseline", baseline_on, distress)]
    if (today - baseline_on).days >= REVIEW_AFTER_DAYS:
        plan.append(("review", today - timedelta(days=rng.randint(0, 7)), distress - rng.uniform(0.05, 0.3)))
    if referral.status == Status.CLOSED:
        plan.append(("ending", today, distress - rng.uniform(0.1, 0.4)))
    for timepoint, taken_on, level in plan:
        for rules in (EPDS, SWEMWBS):
            services.assessment_create(
                actor=actor,
                organisation=referral.organisation,
                parent=parent,
                referral=referral,
                measure=rules.code,
                timepoint=timepoint,
                taken_on=max(taken_on, referral.received_on),
                responses=synthetic.positions(
                    rules, max(0.0, level), rng, alert=alert and rules is EPDS and timepoint == "baseline"
                ),
            )
