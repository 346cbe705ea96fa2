"""The federation pages' filters (a period and a kind of service: each member
has its own services) and the member manager's sharing switch. There is no
mode: a federation officer only ever sees suppressed figures."""

from __future__ import annotations

from django import forms

from operations.core.models import ServiceKind
from operations.coverage.forms import MeasureForm
from operations.dashboard.forms import PeriodForm
from operations.dashboard.period import Filters


class FederationFilterForm(PeriodForm):
    """A period (the last 12 months unless chosen) and a kind of service."""

    service_kind = forms.ChoiceField(
        label="Kind of service",
        required=False,
        choices=[("", "All kinds of service"), *ServiceKind.choices],
    )

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(date_from=data["date_from"], date_to=data["date_to"], service_kind=data.get("service_kind", ""))


class FederationCoverageForm(FederationFilterForm, MeasureForm):
    """The period, kind of service and what the map shows."""


class SharingForm(forms.Form):
    share = forms.TypedChoiceField(
        label="Share this organisation's figures",
        choices=[("yes", "Share"), ("no", "Do not share")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
