from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "volunteers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core.signals import organisation_created
        from volunteers import receivers

        organisation_created.connect(receivers.make_volunteer_settings, dispatch_uid="volunteers-settings")
