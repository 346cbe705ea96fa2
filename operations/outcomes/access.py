"""One access helper per object: scoped through ``visible_to``, 404 otherwise.

Who may enter an assessment for a parent: coordinators and managers for any
parent of the organisation (``Parent.visible_to``), a PSO for the parents on
their own open caseload (``volunteers.matching.caseload``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from operations.core.access import role_required
from operations.core.models import Role, active_membership
from operations.outcomes.models import Assessment, Questionnaire, SafetyAlert
from referrals.models import Parent, Referral
from volunteers.matching import caseload

#: Pages where assessments are entered and read.
assessors_required = role_required(Role.PSO, Role.COORDINATOR, Role.MANAGER)


def _is_pso(user) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.role == Role.PSO


def assessable_parents(user) -> QuerySet[Parent]:
    if _is_pso(user):
        return Parent.objects.in_active_organisation(user).filter(pk__in=caseload.parent_ids(user))
    return Parent.objects.visible_to(user)


def assessable_referrals(user) -> QuerySet[Referral]:
    if _is_pso(user):
        return Referral.objects.in_active_organisation(user).filter(parent_id__in=caseload.parent_ids(user))
    return Referral.objects.visible_to(user)


def get_assessable_parent_for(user, pk: int) -> Parent:
    return get_object_or_404(assessable_parents(user).select_related("organisation"), pk=pk)


def get_assessment_for(user, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.visible_to(user).select_related("parent", "referral", "questionnaire", "entered_by"), pk=pk
    )


def get_alert_for(user, pk: int) -> SafetyAlert:
    return get_object_or_404(
        SafetyAlert.objects.visible_to(user).select_related("parent", "assessment", "actioned_by"), pk=pk
    )


def get_questionnaire_for(user, pk: int) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.visible_to(user).prefetch_related("items"), pk=pk)
