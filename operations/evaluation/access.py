"""One access helper per object: managers of the organisation, 404 otherwise."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from operations.evaluation.models import EvaluationExport, EvaluationProject


def get_project_for(user, pk: int) -> EvaluationProject:
    return get_object_or_404(EvaluationProject.objects.visible_to(user), pk=pk)


def get_export_for(user, pk: int) -> EvaluationExport:
    return get_object_or_404(EvaluationExport.objects.visible_to(user).select_related("project"), pk=pk)
