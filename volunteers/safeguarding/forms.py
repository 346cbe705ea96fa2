"""Forms validate and normalise; the services enforce the rules and write."""

from __future__ import annotations

import uuid

from django import forms

from volunteers.safeguarding.models import About, Kind, Urgency
from volunteers.safeguarding.services import DETAILS_MAX_LENGTH


class RaiseConcernForm(forms.Form):
    """Phone-first: three questions as big radio buttons, then what was seen.

    How urgent comes first, so "someone is in danger now" shows what to do
    before anything else is asked. The family is a choice among the
    person's own open families unless the page was opened from one
    (``families`` is then None and the view passes the match itself)."""

    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how urgent it is."},
    )
    about = forms.ChoiceField(
        label="Who is it about?",
        # Said to the person raising it: "you", not "the volunteer themself".
        choices=[
            (value, "You: your own safety or wellbeing" if value == About.VOLUNTEER else label)
            for value, label in About.choices
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say who the concern is about."},
    )
    match = forms.TypedChoiceField(
        label="Which family?",
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        help_text="Leave it empty if the concern is about you.",
    )
    kind = forms.ChoiceField(
        label="What kind of concern?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say what kind of concern it is."},
    )
    details = forms.CharField(
        label="What did you see or hear?",
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="In your own words. Your coordinator will call you if they need more.",
        error_messages={
            "required": "Say briefly what you saw or heard.",
            "max_length": f"Keep it to {DETAILS_MAX_LENGTH} characters; the coordinator will call you for more.",
        },
    )
    # Made when the form is first shown and kept in the phone's draft: a form
    # sent again (a lost reply on a poor connection) is kept once.
    client_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, families: list[tuple[int, str]] | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_key", str(uuid.uuid4()))
        if families:
            self.fields["match"].choices = families
        else:
            # Opened from a family (the view knows it), or no family to choose.
            del self.fields["match"]

    def clean_client_key(self) -> uuid.UUID | None:
        # A missing or mangled key only loses the protection against a
        # duplicate; it is no reason to refuse a concern.
        try:
            return uuid.UUID(self.cleaned_data["client_key"])
        except (TypeError, ValueError):
            return None
