from django.apps import AppConfig


class ClosuresConfig(AppConfig):
    name = "operations.closures"
    label = "closures"
    verbose_name = "Closing a service"
    default_auto_field = "django.db.models.BigAutoField"
