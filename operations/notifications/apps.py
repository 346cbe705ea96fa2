from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "operations.notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core import retention
        from operations.notifications.retention import RULE

        retention.register(RULE)

        from operations.core.urgent import on_urgent
        from operations.notifications import due, due_outcomes

        on_urgent("concern_raised", due.concern_raised)
        on_urgent("safety_alert", due.safety_alert_raised)
        for rule in due_outcomes.RULES:
            if rule not in due.RULES:
                due.RULES.append(rule)

        from operations.notifications import receivers
        from referrals.signals import parent_contact_changed

        parent_contact_changed.connect(receivers.recheck_waiting_messages, dispatch_uid="notifications-recheck")

        from volunteers.matching.signals import match_confirmed

        match_confirmed.connect(receivers.tell_volunteer_of_match, dispatch_uid="notifications-match-confirmed")
