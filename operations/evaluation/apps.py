from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "operations.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core import retention
        from operations.evaluation.retention import RULE

        retention.register(RULE)
