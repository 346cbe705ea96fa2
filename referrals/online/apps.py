from django.apps import AppConfig


class OnlineReferralsConfig(AppConfig):
    """The public self-referral and professional referral forms (issue 21)."""

    name = "referrals.online"
    label = "online_referrals"
    verbose_name = "Online referral forms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core.signals import organisation_created
        from referrals.online import receivers

        organisation_created.connect(receivers.make_online_settings, dispatch_uid="online-referral-settings")
