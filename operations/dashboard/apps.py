from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "operations.dashboard"
    label = "dashboard"
    verbose_name = "Manager dashboard"
    default_auto_field = "django.db.models.BigAutoField"
