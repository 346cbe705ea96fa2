from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "operations.core"
    label = "core"
    verbose_name = "Organisations and services"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core import retention
        from operations.core.audit import AuditEvent

        retention.register(
            retention.RetentionRule(
                key="audit",
                label="Audit log entries",
                default_months=84,
                due=lambda organisation_id, cutoff: AuditEvent.objects.filter(
                    organisation_id=organisation_id, created_at__lt=cutoff
                ),
                apply=lambda queryset: queryset.purge(),
            )
        )
        # Importing security also connects the sign-in receiver that remembers a voluntary enrolment.
        from operations.core import security

        retention.register(
            retention.RetentionRule(
                key="sign_in_attempts",
                label="Failed sign-in records (lockout counters)",
                default_months=3,
                due=security.sign_in_attempts_due,
                apply=security.sign_in_attempts_remove,
            )
        )


class OperationsAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "operations.core.admin_site.OperationsAdminSite"
