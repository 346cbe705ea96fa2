from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "operations.calendar"
    label = "calendar"
    verbose_name = "Calendar"
