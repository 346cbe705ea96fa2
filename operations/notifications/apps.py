from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "operations.notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Other apps' events: each receiver calls this app's own code.
        from operations.core.signals import organisation_created
        from operations.groups.signals import place_offered, session_changed
        from operations.notifications import receivers
        from operations.notifications.inbound import text_received
        from operations.outcomes.signals import safety_alert_raised
        from referrals.online.signals import submission_received
        from referrals.signals import parent_contact_changed, transfer_changed
        from volunteers.expenses import signals as expenses
        from volunteers.matching.signals import match_confirmed, matches_ended_by_transfer
        from volunteers.safeguarding import signals as safeguarding
        from volunteers.signals import volunteer_break_changed

        parent_contact_changed.connect(receivers.recheck_waiting_messages, dispatch_uid="notifications-recheck")
        safeguarding.concern_raised.connect(receivers.tell_of_concern, dispatch_uid="notifications-concern")
        safeguarding.concern_escalated.connect(
            receivers.tell_of_escalated_concern, dispatch_uid="notifications-concern-escalated"
        )
        safeguarding.concern_acknowledged.connect(
            receivers.tell_raiser_concern_acknowledged, dispatch_uid="notifications-concern-acknowledged"
        )
        safeguarding.concern_closed.connect(
            receivers.tell_raiser_concern_closed, dispatch_uid="notifications-concern-closed"
        )
        expenses.claim_decided.connect(
            receivers.tell_claimant_of_decision, dispatch_uid="notifications-expense-decided"
        )
        expenses.batch_paid.connect(receivers.tell_claimants_of_payment, dispatch_uid="notifications-expense-paid")
        safety_alert_raised.connect(receivers.tell_coordinators_of_safety_alert, dispatch_uid="notifications-alert")
        submission_received.connect(receivers.tell_of_online_submission, dispatch_uid="notifications-online-referral")
        organisation_created.connect(receivers.make_reminder_settings, dispatch_uid="notifications-settings")
        match_confirmed.connect(receivers.tell_volunteer_of_match, dispatch_uid="notifications-match-confirmed")
        transfer_changed.connect(receivers.tell_of_transfer, dispatch_uid="notifications-transfer")
        matches_ended_by_transfer.connect(
            receivers.tell_volunteers_of_transfer, dispatch_uid="notifications-transfer-matches"
        )
        volunteer_break_changed.connect(receivers.tell_of_volunteer_break, dispatch_uid="notifications-volunteer-break")
        text_received.connect(receivers.act_on_text, dispatch_uid="notifications-text-received")
        place_offered.connect(receivers.tell_parent_of_place, dispatch_uid="notifications-place-offered")
        session_changed.connect(
            receivers.tell_attendees_of_session_change, dispatch_uid="notifications-session-changed"
        )
