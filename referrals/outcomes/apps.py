from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "referrals.outcomes"
    label = "outcomes"
    verbose_name = "Outcome measures and assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core import gdpr
        from referrals.outcomes.gdpr import erase, subject_access

        gdpr.register(subject_access=subject_access, erase=erase)
