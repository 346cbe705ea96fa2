from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "volunteers.matching"
    label = "matching"
    verbose_name = "Matching, visits and contact logs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core.signals import organisation_created
        from referrals.online.signals import submission_received
        from referrals.signals import transfer_changed
        from volunteers.matching import receivers

        organisation_created.connect(receivers.make_matching_settings, dispatch_uid="matching-settings")
        submission_received.connect(
            receivers.record_online_lived_experience, dispatch_uid="matching-online-lived-experience"
        )
        transfer_changed.connect(receivers.end_matches_of_transferred_family, dispatch_uid="matching-transfer")
