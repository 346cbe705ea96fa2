from django.apps import AppConfig


class ReferrerUpdatesConfig(AppConfig):
    name = "operations.referrer_updates"
    label = "referrer_updates"
    verbose_name = "Word back to referrers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Other apps' events: each receiver calls this app's own code.
        from operations.core.signals import organisation_created
        from operations.referrer_updates import receivers
        from referrals.signals import referral_moved

        referral_moved.connect(receivers.tell_referrer, dispatch_uid="referrer-updates-moved")
        organisation_created.connect(receivers.make_settings, dispatch_uid="referrer-updates-settings")
