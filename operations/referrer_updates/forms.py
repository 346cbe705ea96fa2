from __future__ import annotations

import uuid

from django import forms

from operations.referrer_updates import wording
from operations.referrer_updates.models import ReferrerUpdateSettings
from operations.referrer_updates.services import NOTE_MAX_LENGTH
from operations.referrer_updates.wording import Event


class ReferrerNoteForm(forms.Form):
    """A coordinator's note to the referrer. ``key`` is made when the form
    is shown, so sending the same form twice sends one note."""

    text = forms.CharField(
        label="Note to the referrer",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Goes by email to the referrer's work address, with the reference and the parent's initial. "
        "Write only what they need: never health details or what the parent told you in confidence.",
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["key"].initial = uuid.uuid4().hex


def _placeholder_help(event: str) -> str:
    names = ", ".join(f"{{{name}}}" for name in wording.placeholders_for(event))
    return f"Leave empty for the standard wording: “{wording.DEFAULT_WORDING[event]}” Placeholders: {names}."


class ReferrerUpdateSettingsForm(forms.ModelForm):
    """The organisation's wording of each update. A placeholder the message
    does not have, or a stray brace, is a field error: what managers write
    is what referrers read."""

    class Meta:
        model = ReferrerUpdateSettings
        fields = ["send_updates", "subject", *wording.AUTOMATIC_EVENTS]
        widgets = {event: forms.Textarea(attrs={"rows": 3}) for event in wording.AUTOMATIC_EVENTS}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        names = ", ".join(f"{{{name}}}" for name in wording.SUBJECT_PLACEHOLDERS)
        self.fields[
            "subject"
        ].help_text = f"Leave empty for the standard subject: “{wording.DEFAULT_SUBJECT}” Placeholders: {names}."
        for event in wording.AUTOMATIC_EVENTS:
            self.fields[event].help_text = _placeholder_help(event)
            self.fields[event].max_length = 1500

    def clean_subject(self) -> str:
        subject = " ".join(self.cleaned_data["subject"].split())
        errors = wording.wording_errors(subject, allowed=wording.SUBJECT_PLACEHOLDERS)
        if errors:
            raise forms.ValidationError(errors)
        return subject

    def clean(self) -> dict:
        cleaned = super().clean()
        for event in wording.AUTOMATIC_EVENTS:
            text = (cleaned.get(event) or "").strip()
            errors = wording.wording_errors(text, allowed=wording.placeholders_for(Event(event)))
            if errors:
                self.add_error(event, errors)
            else:
                cleaned[event] = text
        return cleaned
