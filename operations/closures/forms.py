"""Forms of a service closure (``operations.closures.services`` holds the rules)."""

from __future__ import annotations

from django import forms

from operations.closures.models import Outcome
from operations.core.models import Organisation, Service
from referrals.forms import DATE
from referrals.transfers import receiving_organisations
from volunteers.matching.models import DirectoryEntry


class ClosurePlanForm(forms.Form):
    service = forms.ModelChoiceField(
        label="Service that is closing",
        queryset=Service.objects.none(),
        empty_label="Choose…",
        error_messages={
            "required": "Choose the service that is closing.",
            "invalid_choice": "Choose a service listed.",
        },
    )
    last_day = forms.DateField(label="Last day of the service", widget=DATE, required=False)
    message = forms.CharField(
        label="Message for families and referrers who look for the service",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown on the online referral forms once the service has closed, e.g. where to go instead.",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.visible_to(user).active().filter(closure__isnull=True)


class ClosureDecisionForm(forms.Form):
    referral = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label="What happens", choices=[("", "Choose…"), *Outcome.choices], required=False)
    new_service = forms.ModelChoiceField(
        label="Our service", queryset=Service.objects.none(), required=False, empty_label="Choose…"
    )
    receiving_organisation = forms.ModelChoiceField(
        label="Other organisation", queryset=Organisation.objects.none(), required=False, empty_label="Choose…"
    )
    consent = forms.BooleanField(label="The parent agreed to the transfer", required=False)
    directory_entry = forms.ModelChoiceField(
        label="Signpost to", queryset=DirectoryEntry.objects.none(), required=False, empty_label="Choose…"
    )

    def __init__(self, *args, closure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_service"].queryset = (
            Service.objects.filter(organisation_id=closure.organisation_id, is_active=True)
            .exclude(pk=closure.service_id)
            .order_by("name")
        )
        self.fields["receiving_organisation"].queryset = receiving_organisations(closure.organisation)
        self.fields["directory_entry"].queryset = DirectoryEntry.objects.filter(
            organisation_id=closure.organisation_id, is_active=True
        ).order_by("name")
