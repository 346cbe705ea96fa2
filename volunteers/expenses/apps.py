from django.apps import AppConfig


class ExpensesConfig(AppConfig):
    name = "volunteers.expenses"
    label = "expenses"
    verbose_name = "Volunteer expenses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core.signals import organisation_created
        from volunteers.expenses import receivers

        organisation_created.connect(receivers.make_expense_settings, dispatch_uid="expense-settings")
