from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "operations.coverage"
    label = "coverage"
    verbose_name = "Coverage by council area"
    default_auto_field = "django.db.models.BigAutoField"
