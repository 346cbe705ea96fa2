from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "operations.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation exports"
    default_auto_field = "django.db.models.BigAutoField"
