from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A service's policy lives in the base layer, which must not import
        # this app; a receiver is the one place a policy change reaches the
        # stored end dates.
        from operations.core import retention
        from referrals import receivers  # noqa: F401
        from referrals.retention import RULE

        retention.register(RULE)
