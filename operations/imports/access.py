"""One access helper: a batch of the manager's organisation, 404 otherwise."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from operations.imports.models import ImportBatch


def get_batch_for(user, pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.visible_to(user).select_related("organisation"), pk=pk)
