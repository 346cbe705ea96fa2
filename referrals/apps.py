from django.apps import AppConfig

from operations.core import gdpr


class ReferralsConfig(AppConfig):
    name = "referrals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A service's policy lives in the base layer, which must not import
        # this app; a receiver is the one place a policy change reaches the
        # stored end dates.
        from referrals import receivers  # noqa: F401
        from referrals.gdpr import erase, subject_access

        gdpr.register(subject_access=subject_access, erase=erase)

        from operations.core import retention
        from referrals.retention import RULE

        retention.register(RULE)
