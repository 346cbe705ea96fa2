"""Forms validate and normalise; the services write."""

from __future__ import annotations

from django import forms

from operations.core.models import Service
from operations.evaluation import anonymise
from operations.evaluation.models import K_MAX, K_MIN, MAX_SUPPRESSED_PERCENT_MAX, ExportFormat
from operations.outcomes.models import MeasureCode

QUASI_IDENTIFIER_LABELS = {
    anonymise.AGE: "Age band",
    anonymise.AREA: "Council area",
    anonymise.PARENT_ROLE: "Parent role",
    anonymise.REFERRAL_SOURCE: "Referral source",
    anonymise.SERVICE_KIND: "Kind of service",
    anonymise.MEMBER: "Member organisation",
}


class ProjectForm(forms.Form):
    name = forms.CharField(max_length=150)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    k = forms.IntegerField(
        label="k (smallest group size)", min_value=K_MIN, max_value=K_MAX, initial=5,
        help_text="Every combination of the quasi-identifiers must describe at least k people.",
    )  # fmt: skip
    quasi_identifiers = forms.MultipleChoiceField(
        label="Quasi-identifiers",
        choices=[(key, QUASI_IDENTIFIER_LABELS[key]) for key in anonymise.QUASI_IDENTIFIERS],
        initial=list(anonymise.DEFAULT_QUASI_IDENTIFIERS),
        widget=forms.CheckboxSelectMultiple,
        help_text="Columns someone could know about a parent from elsewhere; k-anonymity is reached on these.",
    )
    max_suppressed_percent = forms.IntegerField(
        label="Suppress at most this share of rows before generalising further (%)",
        min_value=0, max_value=MAX_SUPPRESSED_PERCENT_MAX, initial=5,
    )  # fmt: skip


class PooledProjectForm(ProjectForm):
    """A federation's project: the member organisation may be a quasi-identifier too."""

    quasi_identifiers = forms.MultipleChoiceField(
        label="Quasi-identifiers",
        choices=[(key, QUASI_IDENTIFIER_LABELS[key]) for key in anonymise.POOLED_QUASI_IDENTIFIERS],
        initial=list(anonymise.DEFAULT_QUASI_IDENTIFIERS),
        widget=forms.CheckboxSelectMultiple,
        help_text="Columns someone could know about a parent from elsewhere; k-anonymity is reached on these "
        "over the pooled rows. Choose Member organisation only if the analysis needs to compare members: "
        "the exports then say which member each row came from.",
    )


class ExportFiltersForm(forms.Form):
    """The filters every export takes; a branch export chooses services too."""

    period_from = forms.DateField(
        label="Referrals received from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = forms.DateField(
        label="Referrals received up to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    measures = forms.MultipleChoiceField(
        choices=MeasureCode.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: every measure.",
    )  # fmt: skip
    format = forms.ChoiceField(choices=ExportFormat.choices, initial=ExportFormat.CSV, widget=forms.RadioSelect)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", "The end of the period is before its start.")
        return cleaned


class ExportRequestForm(ExportFiltersForm):
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: every service.",
    )
    field_order = ("period_from", "period_to", "services", "measures", "format")

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = Service.objects.filter(organisation_id=organisation_id).order_by("name")


class OptInForm(forms.Form):
    opted_in = forms.TypedChoiceField(
        label="Your organisation's answer",
        choices=[
            ("yes", "Opt in: pool our evaluation data in this project's exports"),
            ("no", "Opt out: leave our data out of its exports from now on"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
