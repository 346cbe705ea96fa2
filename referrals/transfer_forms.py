"""Forms of transfers to another organisation (``referrals.transfers`` holds the rules)."""

from __future__ import annotations

from django import forms

from operations.core.models import Organisation, Service
from referrals.transfers import REASON_MAX, receiving_organisations


class TransferProposeForm(forms.Form):
    receiving_organisation = forms.ModelChoiceField(
        label="Organisation the family is moving to",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Choose…",
    )
    reason = forms.CharField(
        label="Why the family is moving",
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to the other organisation before they decide: no name, address or phone. "
        "For example: moving to Fife in March to be near her mother.",
    )
    consent = forms.BooleanField(
        label="The parent agreed to the transfer and to her record being passed on",
        required=False,
    )
    include_needs = forms.BooleanField(
        label="Pass on the needs the parent agreed to record",
        required=False,
    )
    summary_note = forms.CharField(
        label="Summary for the receiving organisation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Read by them only after they accept. Contact logs are never passed on.",
    )
    safeguarding_note = forms.CharField(
        label="Safeguarding note (only if they must know)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Concerns are never passed on otherwise. Read by them only after they accept.",
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_organisation"].queryset = receiving_organisations(organisation)
        self.fields["receiving_organisation"].error_messages["invalid_choice"] = (
            "Choose one of the organisations listed."
        )


class TransferAcceptForm(forms.Form):
    service = forms.ModelChoiceField(
        label="Service that will support the family",
        queryset=Service.objects.none(),
        required=False,
        empty_label="Choose…",
    )
    eligibility_override_reason = forms.CharField(
        label="If the family is past this service's end date: why you take them anyway",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.visible_to(user).active().order_by("name")
        self.fields["service"].error_messages["invalid_choice"] = "Choose one of your organisation's services."


class TransferDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why you cannot take the family",
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The sending organisation reads this.",
    )
