from __future__ import annotations

from django import forms

from operations.core.models import Service
from operations.dashboard.period import Filters, default_period, period_errors


class DashboardFilterForm(forms.Form):
    """The period and service. Empty dates mean the last 12 months; a
    service of another organisation is not a choice (a field error)."""

    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    service = forms.ModelChoiceField(queryset=Service.objects.none(), required=False, empty_label="All services")

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.visible_to(user).order_by("name")

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
        return Filters(date_from=data["date_from"], date_to=data["date_to"], service=data.get("service"))
