from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "volunteers.matching"
    label = "matching"
    verbose_name = "Matching, visits and contact logs"
    default_auto_field = "django.db.models.BigAutoField"
