from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "operations.outcomes"
    label = "outcomes"
    verbose_name = "Outcome measures and assessments"
    default_auto_field = "django.db.models.BigAutoField"
