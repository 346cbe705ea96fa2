from __future__ import annotations

from django import forms
from django.utils import timezone

from operations.core.models import CouncilArea
from operations.coverage.models import EARLIEST_YEAR, MOST_BIRTHS_IN_AN_AREA
from operations.coverage.selectors import DEFAULT_MEASURE, MEASURES
from operations.dashboard.forms import DashboardFilterForm


class MeasureForm(forms.Form):
    """What the map shows (the organisation's coverage and the federation's)."""

    measure = forms.ChoiceField(
        label="Map shows",
        required=False,
        choices=[(key, words) for key, (words, _, _) in MEASURES.items()],
    )

    def clean_measure(self) -> str:
        return self.cleaned_data.get("measure") or DEFAULT_MEASURE


class CoverageFilterForm(DashboardFilterForm, MeasureForm):
    """The dashboard's period, service and figures, and what the map shows."""


def year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, EARLIEST_YEAR - 1, -1)]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="Year", coerce=int, choices=year_choices)


class BirthsForm(forms.Form):
    """Births in each of the 32 council areas for one year. A blank box means
    not known (the area's rate is then left out); 0 is a figure."""

    def __init__(self, *args, areas: list[CouncilArea], initial_births: dict[int, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area in areas:
            self.fields[self.field_name(area)] = forms.IntegerField(
                label=area.name,
                required=False,
                min_value=0,
                max_value=MOST_BIRTHS_IN_AN_AREA,
                initial=initial_births.get(area.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    @staticmethod
    def field_name(area: CouncilArea) -> str:
        return f"area_{area.pk}"

    def births(self) -> dict[int, int | None]:
        """Area id -> births (None to remove the figure)."""
        return {area.pk: self.cleaned_data.get(self.field_name(area)) for area in self.areas}
