from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "volunteers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core import retention
        from volunteers.retention import RULE

        retention.register(RULE)

        from operations.core import config_cache
        from volunteers.models import Course, LivedExperience, VolunteerSettings

        config_cache.renew_on_change(VolunteerSettings)
        config_cache.renew_on_change(Course)
        config_cache.renew_on_change(LivedExperience)
