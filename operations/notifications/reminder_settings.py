"""Per-organisation reminder settings as the beat scan reads them: every
organisation's row loaded once per scan (one query), with the defaults for
organisations that never opened the settings page."""

from __future__ import annotations

from dataclasses import dataclass, field

from operations.notifications.models import ReminderSettings

#: Every reminder an organisation can turn off, by rule name (the functions
#: in ``operations.notifications.scan.RULES`` plus the parents' session
#: reminders). Urgent notifications (concerns, safety alerts) cannot be.
SWITCHES: dict[str, str] = {
    "visits_tomorrow": "Planned visit (to the volunteer)",
    "contact_logs_missing": "Contact log missing after a visit (to the volunteer)",
    "session_reminders": "Booked group session (to parents, on safe channels only)",
    "parent_visit_reminders": "Planned visit, the day before (to the parent, on safe channels only)",
    "supervision_due": "Supervision due and overdue (to the volunteer and supervisor)",
    "pvg_renewals": "PVG renewal (to coordinators)",
    "training_expiring": "Required training expiring (to coordinators)",
    "eligibility_ending": "Eligibility ending (to coordinators and the matched volunteer)",
    "births_to_confirm": "Birth to confirm after the due date (to coordinators)",
    "referrals_not_contacted": "Referral not contacted within the service's target (to coordinators)",
    "match_reviews_due": "Match review due (to coordinators)",
    "quiet_matches": "Match gone quiet: no contact logged (to coordinators and the supervisor)",
    "concern_follow_ups": "Concern follow-up due (to the concern's owner)",
    "outcome_baseline_due": "Baseline outcome measure due (to coordinators)",
    "outcome_review_due": "Review outcome measure due (to coordinators)",
    "outcome_ending_due": "Ending outcome measure due (to coordinators)",
}


@dataclass
class ReminderConfig:
    by_organisation: dict[int, ReminderSettings]
    default: ReminderSettings = field(default_factory=ReminderSettings)

    @classmethod
    def load(cls) -> ReminderConfig:
        return cls({row.organisation_id: row for row in ReminderSettings.objects.all()})

    def of(self, organisation_id: int) -> ReminderSettings:
        return self.by_organisation.get(organisation_id, self.default)

    def widest(self, name: str) -> int:
        """The largest value any organisation uses: the query's window, narrowed per organisation after."""
        return max(getattr(row, name) for row in [self.default, *self.by_organisation.values()])

    def narrowest(self, name: str) -> int:
        return min(getattr(row, name) for row in [self.default, *self.by_organisation.values()])

    def is_on(self, organisation_id: int, rule: str) -> bool:
        return self.of(organisation_id).is_on(rule)


def reminder_settings_for(organisation_id: int) -> ReminderSettings:
    """The organisation's settings (made when the organisation was created;
    the defaults, unsaved, for one made some other way: reading never writes)."""
    return ReminderSettings.objects.filter(organisation_id=organisation_id).first() or ReminderSettings(
        organisation_id=organisation_id
    )


def reminder_settings_create(*, organisation_id: int) -> ReminderSettings:
    """A new organisation's reminder settings, with the defaults."""
    return ReminderSettings.objects.get_or_create(organisation_id=organisation_id)[0]
