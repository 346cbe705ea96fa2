"""Evaluation projects and their exports named in words on the audit log
(operations.core.record_names)."""

from __future__ import annotations

from operations.core.links import record_url
from operations.core.record_names import Namer
from operations.evaluation.models import EvaluationExport, EvaluationProject, PooledExport, PooledOptIn, PooledProject

NAMES = {
    "evaluation.EvaluationProject": Namer(
        records=lambda user: EvaluationProject.objects.visible_to(user),
        words=lambda project: f"Evaluation project {project.name}",
        url=lambda project: record_url("evaluation:project-detail", project.pk),
    ),
    "evaluation.EvaluationExport": Namer(
        records=lambda user: EvaluationExport.objects.visible_to(user).select_related("project"),
        words=lambda export: f"Export of {export.project.name}",
        url=lambda export: record_url("evaluation:export-detail", export.pk),
    ),
    # Pooled evaluation: a member's manager reads the opt-ins and the
    # inclusions of their organisation on its audit page.
    "evaluation.PooledProject": Namer(
        records=lambda user: PooledProject.objects.visible_to(user),
        words=lambda project: f"Pooled evaluation project {project.name}",
        url=lambda project: record_url("evaluation:pooled-participation", project.pk),
    ),
    "evaluation.PooledOptIn": Namer(
        records=lambda user: PooledOptIn.objects.visible_to(user).select_related("project"),
        words=lambda answer: f"Answer to pooled project {answer.project.name}",
        url=lambda answer: record_url("evaluation:pooled-participation", answer.project_id),
    ),
    "evaluation.PooledExport": Namer(
        records=lambda user: PooledExport.objects.visible_to(user).select_related("project"),
        words=lambda export: f"Pooled export of {export.project.name}",
    ),
}
