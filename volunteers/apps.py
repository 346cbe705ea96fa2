from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "volunteers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core import retention
        from volunteers.retention import RULE

        retention.register(RULE)
