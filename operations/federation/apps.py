from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "operations.federation"
    label = "federation"
    verbose_name = "Federations"
    default_auto_field = "django.db.models.BigAutoField"
