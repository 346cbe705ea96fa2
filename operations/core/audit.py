"""The append-only audit log: who did what, to which record, when, from where.

Call ``audit_log`` from services and views for every view of a parent's
record, every change to referrals, matches, assessments and concerns, every
export and download, logins and permission changes. The summary must never
hold personal data: name the record by type and id, never by a person's name.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.dispatch import receiver
from django.utils import timezone

from operations.core import context, record_names
from operations.core.dates import date_time
from operations.core.models import Organisation, User, active_membership


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    TRANSITION = "transition", "Moved to a new state"
    DELETE = "delete", "Deleted or erased"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    PERMISSION = "permission", "Changed a role or permission"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, user) -> AuditEventQuerySet:
        membership = active_membership(user)
        if membership is None or membership.role != "manager":
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)

    def search(
        self,
        *,
        actor: str = "",
        action: str = "",
        object_type: str = "",
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> AuditEventQuerySet:
        """The audit page's filters; dates are whole days in local time."""
        queryset = self
        if actor:
            queryset = queryset.filter(actor_username__iexact=actor)
        if action:
            queryset = queryset.filter(action=action)
        if object_type:
            queryset = queryset.filter(object_type__iexact=object_type)
        if date_from:
            queryset = queryset.filter(created_at__date__gte=date_from)
        if date_to:
            queryset = queryset.filter(created_at__date__lte=date_to)
        return queryset

    def purge(self) -> int:
        """Deletes these events: only the retention rule for the audit log
        calls it, after a manager applied a reviewed dry run."""
        return self._raw_delete(self.db)

    def update(self, **kwargs):  # noqa: ARG002
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Kept as text too, so the record still says who after a user is removed.
    actor_username = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=context.USER_AGENT_LENGTH, blank=True)
    # The web request's X-Request-ID, or the Celery task's id: finds the
    # server's log lines for the same request.
    request_id = models.CharField(max_length=context.REQUEST_ID_LENGTH, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        # The admin's title for an entry: in words, as the audit page says it.
        record = f" {record_names.type_words(self.object_type)} #{self.object_id}" if self.object_type else ""
        when = date_time(timezone.localtime(self.created_at))
        return f"{when} {self.actor_username} {self.get_action_display()}{record}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


def audit_log(
    *,
    action: str,
    actor: User | None = None,
    obj: models.Model | None = None,
    organisation: Organisation | int | None = None,
    summary: str = "",
) -> AuditEvent:
    """Writes one audit event. ``obj`` names the record (type and id only).

    The address, browser and request id come from the acting context
    (``operations.core.context``) that the middleware or the task class set;
    without an ``actor``, the context's signed-in user is the actor."""
    acting = context.current()
    if actor is not None:
        actor_id, actor_username = actor.pk, actor.get_username()
    else:
        actor_id, actor_username = acting.user_id, acting.username
    if organisation is None:
        organisation_id = getattr(obj, "organisation_id", None)
        if organisation_id is None and actor is not None:
            membership = active_membership(actor)
            organisation_id = membership.organisation_id if membership else None
        elif organisation_id is None:
            organisation_id = acting.organisation_id
    else:
        organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    event = _event(acting, actor_id, actor_username, organisation_id, action, obj, summary)
    event.save()
    return event


def _event(acting, actor_id, actor_username, organisation_id, action, obj, summary) -> AuditEvent:
    """One unsaved audit event (shared by audit_log and audit_log_many)."""
    return AuditEvent(
        actor_id=actor_id,
        actor_username=actor_username,
        organisation_id=organisation_id,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        ip_address=acting.client_address,
        user_agent=acting.user_agent,
        request_id=acting.request_id,
    )


def audit_log_many(*, actor: User | None, organisation: Organisation | int, entries: list[tuple]) -> int:
    """Writes many audit events in one query (a bulk import): ``entries`` are
    (action, obj, summary) — the same rows ``audit_log`` would write one by one."""
    acting = context.current()
    actor_id, actor_username = (actor.pk, actor.get_username()) if actor else (acting.user_id, acting.username)
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    events = [
        _event(acting, actor_id, actor_username, organisation_id, action, obj, summary)
        for action, obj, summary in entries
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs) -> None:
    audit_log(action=AuditAction.LOGIN, actor=user)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_log(action=AuditAction.LOGOUT, actor=user)


@receiver(user_login_failed)
def _audit_failed_login(sender, credentials, request=None, **kwargs) -> None:
    # The attempted username is not stored: it may be a mistyped password.
    audit_log(action=AuditAction.LOGIN_FAILED, summary="Failed sign-in attempt")
