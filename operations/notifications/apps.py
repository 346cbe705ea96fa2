from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "operations.notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core import retention
        from operations.notifications.retention import RULE

        retention.register(RULE)

        from operations.core.urgent import on_urgent
        from operations.notifications.due import concern_raised

        on_urgent("concern_raised", concern_raised)
