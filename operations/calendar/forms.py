"""The calendar's query: which view, around which date, filtered how.
Everything comes from the address bar, so anything may arrive: a field
that does not read is reported and the rest still applies."""

from __future__ import annotations

import datetime as dt

from django import forms

from operations.calendar.periods import View
from operations.core.forms import row_helper
from operations.core.models import Service
from operations.groups.models import Group
from volunteers.models import VolunteerProfile


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: VolunteerProfile) -> str:
        return str(obj.user)


class CalendarForm(forms.Form):
    view = forms.ChoiceField(
        choices=[(view.value, view.label) for view in View], required=False, widget=forms.HiddenInput
    )
    date = forms.DateField(
        label="Go to date",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %b %Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date like 14/02/2028 (the calendar shows today instead)."},
    )
    # A whole month, as 2028-02: an address someone may type or keep.
    month = forms.CharField(required=False, widget=forms.HiddenInput, max_length=7)
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        empty_label="All services",
        error_messages={"invalid_choice": "That service is not one of yours: showing all services."},
    )
    volunteer = VolunteerChoiceField(
        label="Volunteer or PSO",
        queryset=VolunteerProfile.objects.none(),
        required=False,
        empty_label="Everyone",
        error_messages={"invalid_choice": "That person is not one you can see: showing everyone."},
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        empty_label="All groups",
        error_messages={"invalid_choice": "That group is not one you can see: showing all groups."},
    )

    def __init__(self, *args, user, is_staff: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.visible_to(user).order_by("name")
        self.fields["group"].queryset = Group.objects.visible_to(user).order_by("name")
        if is_staff:
            self.fields["volunteer"].queryset = (
                VolunteerProfile.objects.visible_to(user)
                .select_related("user")
                .order_by("user__first_name", "user__last_name", "pk")
            )
        else:
            # A volunteer or PSO sees their own calendar: nobody to choose.
            del self.fields["volunteer"]
        self.fields["view"].error_messages["invalid_choice"] = "Choose a month, week or day view."
        self.helper = row_helper(self, column="col-12 col-sm-6 col-lg-3")

    def clean_month(self) -> dt.date | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        year, _, month = value.partition("-")
        try:
            return dt.date(int(year), int(month), 1)
        except ValueError:
            raise forms.ValidationError("The month in that address could not be read: showing this month.") from None

    def valid(self, name: str):
        """The field's value when it read, else None: a bad date does not
        throw away a good service filter."""
        return getattr(self, "cleaned_data", {}).get(name) if name not in self.errors else None
