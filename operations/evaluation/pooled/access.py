"""One access helper per pooled object: through the model's ``visible_to``
(the federation's officers; a project also for its members' managers), 404
otherwise. The views add the role check (``federation_officer_required`` or
``manager_required``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from operations.evaluation.models import PooledExport, PooledProject


def get_pooled_project_for(user, pk: int) -> PooledProject:
    return get_object_or_404(PooledProject.objects.visible_to(user).select_related("federation"), pk=pk)


def get_pooled_export_for(user, pk: int) -> PooledExport:
    return get_object_or_404(PooledExport.objects.visible_to(user).select_related("project"), pk=pk)
