"""Writes of pooled evaluation (issue 24): a federation's project, each
member's opt-in, export requests and the build the task runs.

The build is a branch export's (``operations.evaluation.build.Builder`` and
``services.run_build``) with one scope per member that opted in: each
member's rows are chosen by the branch export's own row selection
(``sources.referrals_in_scope``), k-anonymity is planned over the pooled
rows, and pseudonyms come from the pooled project's own secret, so they
cannot be linked to any branch export's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Federation, Membership, Organisation, Role, User
from operations.evaluation import anonymise, sources
from operations.evaluation.build import Builder
from operations.evaluation.models import PooledExport, PooledInclusion, PooledOptIn, PooledProject
from operations.evaluation.services import filter_errors, mark_done, project_new, request_fields, run_build

DOWNLOAD_SALT = "operations.evaluation.pooled-download"


@transaction.atomic
def pooled_project_create(
    *,
    federation: Federation,
    by: User,
    name: str,
    description: str = "",
    k: int = 5,
    quasi_identifiers: list[str] | None = None,
    max_suppressed_percent: int = 5,
) -> PooledProject:
    """A federation's project, with its own secret. The member organisation
    is a quasi-identifier (and a column) only if ``quasi_identifiers`` says so."""
    project = project_new(
        PooledProject(federation=federation, created_by=by),
        owner={"federation": federation},
        name=name,
        description=description,
        k=k,
        quasi_identifiers=quasi_identifiers,
        max_suppressed_percent=max_suppressed_percent,
        allowed=anonymise.POOLED_QUASI_IDENTIFIERS,
        taken="Your federation already has a project with this name.",
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=by,
        obj=project,
        summary=f"Pooled evaluation project created for federation {federation.pk}",
    )
    return project


def pooled_members_opted_in(project: PooledProject) -> QuerySet[Organisation]:
    """The members whose rows a build of ``project`` pools now: still members
    of its federation, and opted in. The one place that decides it."""
    return Organisation.objects.filter(
        member_of_id=project.federation_id,
        pk__in=PooledOptIn.objects.filter(project=project, opted_in=True).values("organisation_id"),
    ).order_by("name", "pk")


@transaction.atomic
def pooled_opt_in_set(*, project: PooledProject, organisation: Organisation, by: User, opted_in: bool) -> PooledOptIn:
    """A member's manager opts the organisation in to ``project`` or out of
    it (audited in the organisation's log). Refused, with nothing written,
    for anyone but a manager of the organisation, and for an organisation
    that is not a member of the project's federation."""
    if not Membership.objects.filter(user=by, organisation=organisation, role=Role.MANAGER, is_active=True).exists():
        raise ValidationError({"opted_in": ["Only a manager of the organisation can opt it in or out."]})
    if organisation.member_of_id != project.federation_id:
        raise ValidationError({"opted_in": ["Your organisation is not a member of this project's federation."]})
    answer, created = PooledOptIn.objects.select_for_update().get_or_create(
        project=project, organisation=organisation, defaults={"opted_in": opted_in, "changed_by": by}
    )
    if not created:
        if answer.opted_in == opted_in:
            return answer  # already so: nothing to write or audit
        answer.opted_in = opted_in
        answer.changed_at = timezone.now()
        answer.changed_by = by
        answer.save(update_fields=["opted_in", "changed_at", "changed_by"])
    audit_log(
        action=AuditAction.CHANGE,
        actor=by,
        obj=answer,
        summary=f"{'Opted in to' if opted_in else 'Opted out of'} pooled evaluation project {project.pk}",
    )
    return answer


@transaction.atomic
def pooled_export_request(
    *,
    project: PooledProject,
    by: User,
    period_from=None,
    period_to=None,
    measures: list[str] | None = None,
    format: str = "csv",
) -> PooledExport:
    """Records the request, audits it with its filters, and queues the build
    once the request commits. Refused while no member has opted in."""
    measures = list(measures or [])
    errors = filter_errors(period_from=period_from, period_to=period_to, measures=measures)
    if not pooled_members_opted_in(project).exists():
        errors["__all__"] = ["No member has opted in to this project yet: there is nothing to pool."]
    if errors:
        raise ValidationError(errors)
    export = PooledExport.objects.create(
        federation_id=project.federation_id,
        project=project,
        **request_fields(by=by, period_from=period_from, period_to=period_to, measures=measures, format=format),
    )
    audit_log(
        action=AuditAction.EXPORT,
        actor=by,
        obj=export,
        summary=(
            f"Pooled export requested for project {project.pk}: period {period_from or 'any'} to "
            f"{period_to or 'any'}; measures {','.join(export.measures) or 'all'}; format {format}"
        ),
    )
    transaction.on_commit(lambda: enqueue_pooled_build(export.pk))
    return export


def enqueue_pooled_build(export_id: int) -> None:
    from operations.evaluation.tasks import build_pooled_export

    build_pooled_export.delay(export_id)


def _pooled_builder(export: PooledExport) -> Builder:
    """One scope per member opted in when the build starts, each with the
    branch export's row selection and this export's filters."""
    shows_member = export.project.shows_member
    scopes = [
        sources.Scope(
            organisation_id=organisation.pk,
            period_from=export.period_from,
            period_to=export.period_to,
            measures=tuple(export.measures),
            member=organisation.name if shows_member else "",
        )
        for organisation in pooled_members_opted_in(export.project).only("pk", "name")
    ]
    return Builder(export, scopes, pooled=True)


def _pooled_done(export: PooledExport, builder: Builder, fields: dict) -> bool:
    """Marks it done and records each member's inclusion, in one transaction;
    each member's own audit log says its rows went into the export."""
    with transaction.atomic():
        if not mark_done(export, fields):
            return False
        included_at = fields["finished_at"]
        PooledInclusion.objects.bulk_create(
            PooledInclusion(
                project_id=export.project_id,
                export=export,
                organisation_id=scope.organisation_id,
                included_at=included_at,
                participant_rows=builder.written_by_organisation[scope.organisation_id],
            )
            for scope in builder.scopes
        )
        for scope in builder.scopes:
            audit_log(
                action=AuditAction.EXPORT,
                actor=export.requested_by,
                obj=export,
                organisation=scope.organisation_id,
                summary=f"Included in pooled export {export.pk} of federation project {export.project_id}",
            )
    return True


def pooled_export_build(*, export_id: int) -> str:
    """Builds a pooled export's file (called by the task). Returns the final status."""
    return run_build(
        model=PooledExport, export_id=export_id, builder=_pooled_builder, finish=_pooled_done, prefix="pooled"
    )
