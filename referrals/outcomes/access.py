"""One access helper per object: scoped through ``visible_to``, 404 otherwise."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from referrals.outcomes.models import Assessment, Questionnaire, SafetyAlert


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
