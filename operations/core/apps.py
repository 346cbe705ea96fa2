from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "operations.core"
    label = "core"
    verbose_name = "Organisations and services"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing security connects the sign-in receiver that remembers a voluntary enrolment.
        from operations.core import security  # noqa: F401


class OperationsAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "operations.core.admin_site.OperationsAdminSite"
