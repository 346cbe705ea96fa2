from django import forms

from operations.core.forms import row_helper
from operations.notifications.kinds import kind_label
from operations.notifications.models import Channel, NotificationPreference, ReminderSettings, Status
from operations.notifications.numbers import normalise_number
from operations.notifications.reminder_settings import SWITCHES


class LogFilterForm(forms.Form):
    """The notification log's filters; a value it does not know is ignored."""

    kind = forms.ChoiceField(label="Kind", required=False)
    status = forms.ChoiceField(label="Status", choices=[("", "All"), *Status.choices], required=False)
    channel = forms.ChoiceField(label="Channel", choices=[("", "All"), *Channel.choices], required=False)

    def __init__(self, *args, kinds: list[str], **kwargs) -> None:
        # The page's ids were f-kind, f-status and f-channel: kept.
        super().__init__(*args, auto_id="f-%s", **kwargs)
        named = sorted(((kind, kind_label(kind)) for kind in kinds), key=lambda choice: choice[1])
        self.fields["kind"].choices = [("", "All kinds"), *named]
        self.helper = row_helper(self, column="col-sm-3", columns={"kind": "col-sm-4"})


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email"]


class ReminderSettingsForm(forms.ModelForm):
    """When each reminder goes, and which are sent at all. Ranges come from
    the model's validators; the pairs (first before second) from its clean()."""

    # Wider than the number kept (E.164, at most 16 characters): people type spaces and brackets.
    sms_number = forms.CharField(
        label=ReminderSettings._meta.get_field("sms_number").verbose_name,
        help_text=ReminderSettings._meta.get_field("sms_number").help_text,
        max_length=30,
        required=False,
    )
    send = forms.MultipleChoiceField(
        label="Send these reminders",
        required=False,
        choices=list(SWITCHES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Concerns and safety alerts always go at once; they cannot be turned off.",
    )

    class Meta:
        model = ReminderSettings
        fields = [
            "visit_hours_before",
            "contact_log_hours_after",
            "session_hours_before",
            "supervision_days_before",
            "pvg_first_months_before",
            "pvg_second_months_before",
            "training_days_before",
            "eligibility_first_weeks_before",
            "eligibility_second_weeks_before",
            "birth_overdue_days",
            "match_review_days_before",
            "outcome_baseline_days",
            "outcome_review_months",
            "outcome_ending_days",
            "quiet_match_days",
            "sms_number",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["send"].initial = [name for name in SWITCHES if self.instance.is_on(name)]

    def clean_sms_number(self) -> str:
        """Kept in E.164 ("07700 900123" -> "+447700900123"), as replies are matched by it."""
        text = self.cleaned_data.get("sms_number", "").strip()
        if not text:
            return ""
        number = normalise_number(text)
        if not number:
            raise forms.ValidationError("Enter a mobile number, for example 07700 900123 or +44 7700 900123.")
        return number

    def save(self, commit: bool = True) -> ReminderSettings:
        self.instance.turned_off = [name for name in SWITCHES if name not in self.cleaned_data["send"]]
        return super().save(commit=commit)


class InboxFilterForm(forms.Form):
    """The inbox's one filter: the texts waiting for someone (the default), or all."""

    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "To deal with"), ("all", "All texts")],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="f-%s", **kwargs)
        self.helper = row_helper(self, column="col-sm-4")

    @property
    def to_deal_with(self) -> bool:
        return not (self.is_valid() and self.cleaned_data["show"] == "all")


class TextLinkForm(forms.Form):
    """Who sent a text: one parent or one volunteer (the buttons of the link page)."""

    parent = forms.IntegerField(required=False, min_value=1)
    volunteer = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("parent")) == bool(cleaned.get("volunteer")):
            raise forms.ValidationError("Choose one person: a parent or a volunteer.")
        return cleaned
