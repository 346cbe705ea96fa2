from django import forms

from operations.notifications.models import NotificationPreference, ReminderSettings
from operations.notifications.reminder_settings import SWITCHES


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email"]


class ReminderSettingsForm(forms.ModelForm):
    """When each reminder goes, and which are sent at all. Ranges come from
    the model's validators; the pairs (first before second) from its clean()."""

    send = forms.MultipleChoiceField(
        label="Send these reminders",
        required=False,
        choices=list(SWITCHES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Concerns and safety alerts always go to coordinators at once; they cannot be turned off.",
    )

    class Meta:
        model = ReminderSettings
        exclude = ["organisation", "turned_off"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["send"].initial = [name for name in SWITCHES if self.instance.is_on(name)]

    def save(self, commit: bool = True) -> ReminderSettings:
        self.instance.turned_off = [name for name in SWITCHES if name not in self.cleaned_data["send"]]
        return super().save(commit=commit)
