"""The federation pages' filters (a period and a kind of service: each member
has its own services) and the member manager's sharing switch. There is no
mode: a federation officer only ever sees suppressed figures."""

from __future__ import annotations

from django import forms

from operations.core.models import ServiceKind
from operations.coverage.selectors import DEFAULT_MEASURE, MEASURES
from operations.dashboard.period import Filters, default_period, period_errors


class FederationFilterForm(forms.Form):
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    service_kind = forms.ChoiceField(
        label="Kind of service",
        required=False,
        choices=[("", "All kinds of service"), *ServiceKind.choices],
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        default_from, default_to = default_period()
        cleaned["date_from"] = cleaned.get("date_from") or default_from
        cleaned["date_to"] = cleaned.get("date_to") or default_to
        for field, message in period_errors(cleaned["date_from"], cleaned["date_to"]).items():
            self.add_error(field, message)
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(date_from=data["date_from"], date_to=data["date_to"], service_kind=data.get("service_kind", ""))


class FederationCoverageForm(FederationFilterForm):
    measure = forms.ChoiceField(
        label="Map shows",
        required=False,
        choices=[(key, words) for key, (words, _, _) in MEASURES.items()],
    )

    def clean_measure(self) -> str:
        return self.cleaned_data.get("measure") or DEFAULT_MEASURE


class SharingForm(forms.Form):
    share = forms.TypedChoiceField(
        label="Share this organisation's figures",
        choices=[("yes", "Share"), ("no", "Do not share")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
