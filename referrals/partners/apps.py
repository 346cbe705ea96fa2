from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "referrals.partners"
    label = "partners"
    verbose_name = "Partner systems"
    default_auto_field = "django.db.models.BigAutoField"
