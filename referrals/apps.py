from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A service's policy lives in the base layer, which must not import
        # this app: it announces the change, and the open referrals follow.
        from operations.core.signals import service_changed
        from referrals import receivers

        service_changed.connect(receivers.recompute_eligibility, dispatch_uid="referrals-eligibility")
