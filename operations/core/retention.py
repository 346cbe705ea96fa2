"""Retention: how long each kind of record is kept, per organisation.

Each app that keeps something for a limited time has a ``retention`` module
whose ``RULE`` says what is due for removal after N months and how it is
removed or anonymised; this base layer finds them through the app registry
(as subject access finds ``gdpr`` modules), so it never imports the apps
above and an app cannot forget to register. A monthly beat task records a dry run for every organisation;
nothing is removed until a manager reviews that dry run and applies it.
Every run is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from operations.core import conventions
from operations.core.audit import AuditAction, audit_log
from operations.core.models import Organisation, User


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: str
    default_months: int
    #: (organisation id, cutoff) -> queryset of what is due for removal
    due: Callable[[int, dt.datetime], models.QuerySet]
    #: removes or anonymises what ``due`` returned; returns how many
    apply: Callable[[models.QuerySet], int]
    #: When not empty, what sets this rule's period instead of the retention
    #: page (for example a deployment setting): the page shows it, offers no field.
    period_set_by: str = ""


def _base_rules() -> list[RetentionRule]:
    """The base layer's own: the audit log and the sign-in lockout counters."""
    from operations.core import security
    from operations.core.audit import AuditEvent

    return [
        RetentionRule(
            key="audit",
            label="Audit log entries",
            default_months=84,
            due=lambda organisation_id, cutoff: AuditEvent.objects.filter(
                organisation_id=organisation_id, created_at__lt=cutoff
            ),
            apply=lambda queryset: queryset.purge(),
        ),
        RetentionRule(
            key="sign_in_attempts",
            label="Failed sign-in records (lockout counters)",
            default_months=3,
            due=security.sign_in_attempts_due,
            apply=security.sign_in_attempts_remove,
        ),
    ]


def rules() -> dict[str, RetentionRule]:
    """Every rule by key: the base layer's, then each installed app's
    ``retention.RULE`` (or ``RULES``, for an app keeping more than one kind
    of record) in INSTALLED_APPS order."""
    found = [
        *_base_rules(),
        *(rule for module in conventions.app_modules("retention") for rule in getattr(module, "RULES", [module.RULE])),
    ]
    return {rule.key: rule for rule in found}


class RetentionSetting(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=40)
    months = models.PositiveSmallIntegerField()

    class Meta:
        app_label = "core"
        constraints = [models.UniqueConstraint(fields=["organisation", "rule"], name="one_retention_setting_per_rule")]

    def __str__(self) -> str:
        rule = rules().get(self.rule)
        return f"{rule.label if rule else self.rule.replace('_', ' ')}: {self.months} months"


class RetentionRun(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    dry_run = models.BooleanField(default=True)
    #: rule key -> number of records (found in a dry run, removed otherwise)
    counts = models.JSONField(default=dict)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "core"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Retention {'dry run' if self.dry_run else 'run'} {self.pk}"


def months_for(organisation_id: int) -> dict[str, int]:
    chosen = dict(RetentionSetting.objects.filter(organisation_id=organisation_id).values_list("rule", "months"))
    return {key: chosen.get(key, rule.default_months) for key, rule in rules().items()}


def _cutoff(now: dt.datetime, months: int) -> dt.datetime:
    return now - dt.timedelta(days=round(months * 30.44))


def retention_dry_run(*, organisation_id: int, by: User | None = None, now: dt.datetime | None = None) -> RetentionRun:
    now = now or timezone.now()
    months = months_for(organisation_id)
    counts = {key: rule.due(organisation_id, _cutoff(now, months[key])).count() for key, rule in rules().items()}
    run = RetentionRun.objects.create(organisation_id=organisation_id, dry_run=True, counts=counts, by=by)
    audit_log(action=AuditAction.VIEW, actor=by, obj=run, organisation=organisation_id, summary="Retention dry run")
    return run


@transaction.atomic
def retention_apply(*, dry_run: RetentionRun, by: User, now: dt.datetime | None = None) -> RetentionRun:
    """Applies the rules a manager reviewed in ``dry_run``, with the same
    periods; what became due since is left for the next review."""
    now = now or timezone.now()
    locked = RetentionRun.objects.select_for_update().get(pk=dry_run.pk)
    if not locked.dry_run or locked.applied_at is not None:
        raise ValueError("This dry run has already been applied.")
    months = months_for(locked.organisation_id)
    removed = {}
    for key, rule in rules().items():
        if locked.counts.get(key):
            removed[key] = rule.apply(rule.due(locked.organisation_id, _cutoff(now, months[key])))
    locked.applied_at = now
    locked.save(update_fields=["applied_at"])
    run = RetentionRun.objects.create(organisation_id=locked.organisation_id, dry_run=False, counts=removed, by=by)
    audit_log(
        action=AuditAction.DELETE,
        actor=by,
        obj=run,
        organisation=locked.organisation_id,
        summary="Retention applied: " + ", ".join(f"{key} {count}" for key, count in removed.items()),
    )
    return run
