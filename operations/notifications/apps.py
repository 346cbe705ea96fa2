from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "operations.notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"
    default_auto_field = "django.db.models.BigAutoField"
