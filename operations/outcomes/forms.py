"""Forms validate and normalise; services write."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from operations.outcomes import measures
from operations.outcomes.models import Questionnaire, Timepoint
from operations.outcomes.selectors import Chosen
from referrals.models import Parent, Referral


def item_field(name: str) -> str:
    return f"item_{name}"


class AssessmentForm(forms.Form):
    """One completed measure: the referral, timepoint, date, and one radio
    group per item. The choice stored is the option's position on the form."""

    referral = forms.ModelChoiceField(
        queryset=Referral.objects.none(),
        error_messages={"invalid_choice": "Choose one of this parent's referrals."},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    timepoint = forms.ChoiceField(choices=Timepoint.choices, widget=forms.Select(attrs={"class": "form-select"}))
    taken_on = forms.DateField(
        label="Date completed",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def __init__(self, *args, parent: Parent, chosen: Chosen, wording: dict[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rules = chosen.rules
        referrals = parent.referrals.select_related("service").order_by("-received_on", "-pk")
        self.fields["referral"].queryset = referrals
        self.fields["referral"].label_from_instance = lambda r: f"#{r.pk} {r.service.name} ({r.get_status_display()})"
        first = referrals.first()
        if first is not None:
            self.fields["referral"].initial = first.pk
        optional = self.rules.max_missing > 0
        for number in self.rules.item_numbers:
            text = wording.get(number, "")
            self.fields[item_field(number)] = forms.TypedChoiceField(
                label=f"Item {number}" + (f": {text}" if text else ""),
                choices=list(enumerate(self.rules.item_labels(number))),
                coerce=int,
                empty_value=None,
                required=not optional,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose an option for item {number}."},
            )
        # Crispy draws the fields; each item's radio group in its own box,
        # after a note when an item may be left out.
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        note = [HTML('{% include "outcomes/_optional_item_note.html" %}')] if optional else []
        self.helper.layout = Layout(
            "referral",
            "timepoint",
            "taken_on",
            *note,
            *(Field(item_field(number), wrapper_class="border rounded p-2") for number in self.rules.item_numbers),
        )

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise ValidationError("The date cannot be in the future.")
        return taken_on

    def responses(self) -> list[int | None]:
        return [self.cleaned_data.get(item_field(number)) for number in self.rules.item_numbers]


class AlertCloseForm(forms.Form):
    action_taken = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Who was contacted, what was agreed, and any onward referral.",
    )


class QuestionnaireForm(forms.ModelForm):
    items = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text='One item per line, in order. Start a line with "(R)" for an item scored in reverse.',
    )

    class Meta:
        model = Questionnaire
        fields = ["name", "scale_min", "scale_max", "higher_is_better", "active"]
        labels = {"scale_min": "Lowest point of the scale", "scale_max": "Highest point of the scale"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["items"].initial = "\n".join(
                ("(R) " if item.reverse_scored else "") + item.text for item in self.instance.items.all()
            )


class WordingForm(forms.Form):
    permission_note = forms.CharField(
        max_length=300,
        required=False,
        help_text="Who granted permission to show this wording, and when (required when any wording is given).",
    )

    def __init__(self, *args, rules: measures.Measure, current: dict[int, str], note: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        self.fields["permission_note"].initial = note
        for number in rules.item_numbers:
            self.fields[item_field(number)] = forms.CharField(
                label=f"Item {number}", max_length=400, required=False, initial=current.get(number, "")
            )

    def texts(self) -> dict[int, str]:
        return {number: self.cleaned_data.get(item_field(number), "") for number in self.rules.item_numbers}
