from __future__ import annotations

from django import forms

from operations.core.models import Service
from operations.dashboard.modes import PAGE_DEFAULT, Mode, mode_from
from operations.dashboard.period import Filters, default_period, period_errors


class PeriodForm(forms.Form):
    """A period of whole days: empty dates mean the last 12 months; an end
    before the start, or a period too long, is a field error."""

    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

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


class DashboardFilterForm(PeriodForm):
    """The period, service and figures (exact or suppressed). Empty dates
    mean the last 12 months; an empty mode is the page's default; a service
    of another organisation or an unknown mode is a field error."""

    service = forms.ModelChoiceField(queryset=Service.objects.none(), required=False, empty_label="All services")
    # A plain field, not a ChoiceField: ``mode_from`` is the one reading of
    # ``?mode=``, shared with the API and the downloads.
    mode = forms.CharField(label="Figures", required=False, widget=forms.RadioSelect(choices=Mode.choices))

    def __init__(self, *args, user, default_mode: Mode = PAGE_DEFAULT, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.default_mode = default_mode
        self.fields["service"].queryset = Service.objects.visible_to(user).order_by("name")

    def clean_mode(self) -> Mode:
        try:
            return mode_from(self.cleaned_data, default=self.default_mode)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def chosen_mode(self) -> Mode:
        return self.cleaned_data["mode"]

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(date_from=data["date_from"], date_to=data["date_to"], service=data.get("service"))
