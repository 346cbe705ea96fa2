from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "volunteers.safeguarding"
    label = "safeguarding"
    verbose_name = "Concerns and safeguarding"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core.signals import organisation_created
        from volunteers.matching.signals import contact_log_concern_flagged
        from volunteers.safeguarding import receivers
        from volunteers.signals import supervision_concern_noted

        organisation_created.connect(receivers.make_safeguarding_settings, dispatch_uid="safeguarding-settings")
        contact_log_concern_flagged.connect(receivers.raise_concern_from_contact_log, dispatch_uid="concern-from-log")
        supervision_concern_noted.connect(receivers.open_supervision_concerns, dispatch_uid="concern-from-supervision")
