from django import forms

from operations.core.forms import ClientKeyField, row_helper
from operations.notifications.kinds import kind_label
from operations.notifications.models import (
    Channel,
    MessagePurpose,
    MessageTemplate,
    NotificationPreference,
    ReminderSettings,
    Status,
)
from operations.notifications.numbers import normalise_number
from operations.notifications.reminder_settings import SWITCHES
from operations.notifications.staff_texts import MAX_LENGTH
from operations.notifications.wording import PLACEHOLDERS


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


class MessageTemplateForm(forms.ModelForm):
    """A template's wording in one language. The placeholders are checked
    by the model's clean (an unknown one is a field error); one template per
    message and language is checked here, against the organisation's own."""

    class Meta:
        model = MessageTemplate
        fields = ["purpose", "name", "language", "subject", "body", "named_body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 3, "maxlength": 600}),
            "named_body": forms.Textarea(attrs={"rows": 3, "maxlength": 600}),
        }

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation_id = organisation_id
        self.fields["purpose"].label = "Message"
        if self.instance.pk:
            # A template stays the message it was written for; a new language is a new template.
            self.fields["purpose"].disabled = True
        usable = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        self.fields[
            "body"
        ].help_text = f"{self.fields['body'].help_text} Placeholders: {usable} ({{group}} and {{service}} only below)."

    def clean(self) -> dict:
        cleaned = super().clean()
        purpose, language = cleaned.get("purpose"), " ".join((cleaned.get("language") or "").split())
        name = " ".join((cleaned.get("name") or "").split()) if purpose == MessagePurpose.QUICK_TEXT else ""
        if purpose and language:
            same = MessageTemplate.objects.filter(
                organisation_id=self.instance.organisation_id, purpose=purpose, name=name, language__iexact=language
            ).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("language", "There is already a template for this message in this language.")
        return cleaned


class StaffTextForm(forms.Form):
    """A text to a parent or a volunteer: a quick text, or one's own words."""

    quick_text = forms.ChoiceField(label="Quick text", required=False)
    body = forms.CharField(
        label="Message",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_LENGTH, "data-sms-counter": "1"}),
        help_text="Up to 160 characters is one text message; longer ones are sent as two or three.",
    )
    token = ClientKeyField()

    def __init__(self, *args, quick_texts: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quick_text"].choices = [("", "None: write my own"), *((name, name) for name in quick_texts)]
        if not quick_texts:
            self.fields["quick_text"].widget = forms.HiddenInput()
