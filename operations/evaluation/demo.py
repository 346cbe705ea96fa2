"""Demo data of the evaluation app, called by `manage.py seed_demo`:
evaluation consent for most demo parents, one evaluation project per demo
organisation, and a baseline and a review EPDS for consenting parents of
organisations that have no assessments yet; a pooled project of the demo
federation that the first two members opted in to. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from operations.evaluation.models import EvaluationProject, PooledOptIn, PooledProject
from operations.outcomes import measures
from operations.outcomes.models import Assessment
from referrals.models import Parent, Referral

#: Response positions of a baseline and a later review (fictional).
EPDS_FORMS = {"baseline": [1, 1, 2, 1, 2, 2, 1, 2, 1, 0], "review": [0, 0, 1, 0, 1, 1, 0, 1, 0, 0]}


@transaction.atomic
def seed(*, organisations: dict, users: dict) -> None:
    for organisation in organisations.values():
        EvaluationProject.objects.get_or_create(
            organisation=organisation,
            name="Demo wellbeing evaluation",
            defaults={"description": "Fictional: how parents' wellbeing changed with peer support."},
        )
        parents = Parent.objects.filter(organisation=organisation, evaluation_consent_given_on__isnull=True)
        for parent in parents.order_by("pk"):
            if parent.pk % 6:  # a few parents were never asked
                parent.evaluation_consent_given_on = parent.created_at.date()
                parent.save(update_fields=["evaluation_consent_given_on"])
        if Assessment.objects.filter(organisation=organisation).exists():
            continue
        referrals = Referral.objects.filter(
            organisation=organisation, parent__evaluation_consent_given_on__isnull=False
        ).order_by("pk")
        for referral in referrals:
            for timepoint, positions in EPDS_FORMS.items():
                result = measures.score(measures.EPDS, positions)
                Assessment.objects.create(
                    organisation=organisation, parent_id=referral.parent_id, referral=referral, measure="epds",
                    timepoint=timepoint,
                    taken_on=referral.received_on + timedelta(days=7 if timepoint == "baseline" else 90),
                    responses=positions, item_scores=list(result.item_scores), total=result.total,
                    band=result.band_code, alert_items=list(result.alert_items),
                    scoring_version=result.scoring_version,
                )  # fmt: skip
    _seed_pooled(organisations=organisations, users=users)


#: The demo organisations whose managers opted in to the pooled project.
POOLED_MEMBERS = {"tweed-valley": "manager", "family-start-east-lothian": "manager2"}


def _seed_pooled(*, organisations: dict, users: dict) -> None:
    federation_ids = {organisation.member_of_id for organisation in organisations.values()} - {None}
    for federation_id in sorted(federation_ids):
        project, _ = PooledProject.objects.get_or_create(
            federation_id=federation_id,
            name="Network wellbeing study",
            defaults={"description": "Fictional: wellbeing across the network's members that opted in."},
        )
        for slug, username in POOLED_MEMBERS.items():
            organisation = organisations.get(slug)
            if organisation is not None and organisation.member_of_id == federation_id:
                PooledOptIn.objects.get_or_create(
                    project=project, organisation=organisation, defaults={"changed_by": users.get(username)}
                )
