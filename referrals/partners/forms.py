from __future__ import annotations

from django import forms

from referrals.models import Referrer, ReferringOrganisation
from referrals.partners.models import PartnerCredential


class PartnerCredentialForm(forms.ModelForm):
    """A new credential for a team of the organisation's own directory."""

    class Meta:
        model = PartnerCredential
        fields = ["name", "referring_organisation", "referrer"]

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referring_organisation"].queryset = ReferringOrganisation.objects.filter(
            organisation_id=organisation_id, is_active=True
        )
        self.fields["referrer"].queryset = Referrer.objects.filter(
            organisation_id=organisation_id, is_active=True, referring_organisation__isnull=False
        ).select_related("referring_organisation")
        self.fields["referrer"].label_from_instance = str

    def clean(self) -> dict:
        cleaned = super().clean()
        team, person = cleaned.get("referring_organisation"), cleaned.get("referrer")
        if team is not None and person is not None and person.referring_organisation_id != team.pk:
            self.add_error("referrer", "Choose a person of this team, or leave it empty.")
        return cleaned
