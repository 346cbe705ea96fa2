"""Forms of the referrer directory's pages: they validate and normalise, the
services in ``referrals.referrers`` write."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from operations.core.forms import row_helper
from operations.core.searching import MAX_QUERY_LENGTH
from referrals.directory import referrer_choices, team_choices
from referrals.models import Referrer, ReferringOrganisation
from referrals.validators import normalise_uk_phone


class _WorkPhone:
    def _widen_phone(self) -> None:
        # Spaces and brackets are accepted, so the phone message, not a length error, explains.
        self.fields["phone"].validators = []

    def clean_phone(self) -> str:
        return normalise_uk_phone(self.cleaned_data.get("phone", ""))


def _helper(form: forms.BaseForm) -> FormHelper:
    helper = FormHelper(form)
    helper.form_tag = False
    return helper


class ReferringOrganisationForm(_WorkPhone, forms.ModelForm):
    """A team of the directory; ``is_active`` only once it exists (deactivate, never delete)."""

    class Meta:
        model = ReferringOrganisation
        fields = ["name", "kind", "email", "phone", "is_active"]
        labels = {"name": "Team name", "kind": "Kind of team", "is_active": "Active: offered on the referral form"}
        help_texts = {"name": "For example: Galashiels health visiting team."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["is_active"]
        self._widen_phone()
        self.helper = _helper(self)

    def validate_unique(self) -> None:
        # The service checks the name (case ignored) and says so on the field.
        return None


class ReferrerForm(_WorkPhone, forms.ModelForm):
    """A person of the directory: their work details only."""

    referring_organisation = forms.TypedChoiceField(
        label="Team",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a team from your organisation's directory."},
    )

    class Meta:
        model = Referrer
        fields = ["name", "role", "email", "phone", "is_active"]
        labels = {"is_active": "Active: offered on the referral form"}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._user = user
        current = self.instance.referring_organisation_id
        self.fields["referring_organisation"].choices = [
            ("", "No team"),
            *team_choices(user, current=current),
        ]
        self.initial.setdefault("referring_organisation", current)
        if self.instance.pk is None:
            del self.fields["is_active"]
        self._widen_phone()
        self.order_fields(["name", "role", "referring_organisation", "email", "phone", "is_active"])
        self.helper = _helper(self)

    def clean_referring_organisation(self) -> ReferringOrganisation | None:
        pk = self.cleaned_data.get("referring_organisation")
        if pk is None:
            return None
        team = ReferringOrganisation.objects.visible_to(self._user).filter(pk=pk).first()
        if team is None:
            raise ValidationError("Choose a team from your organisation's directory.")
        return team


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label="Search by name or team",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": f"Search for at most {MAX_QUERY_LENGTH} characters: a name or a team."},
        widget=forms.TextInput(attrs={"placeholder": "Name or team", "type": "search"}),
    )
    inactive = forms.BooleanField(label="Include deactivated", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = row_helper(self, column="col-auto")


class MergeForm(forms.Form):
    """Which record to keep when merging a duplicate into it."""

    keep = forms.TypedChoiceField(coerce=int, error_messages={"required": "Choose the record to keep."})

    def __init__(self, *args, choices: list, label: str, invalid: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].label = label
        self.fields["keep"].choices = [("", "Choose…"), *choices]
        self.fields["keep"].error_messages["invalid_choice"] = invalid
        self.helper = _helper(self)


def referrer_merge_form(data, *, user, duplicate: Referrer, initial: dict) -> MergeForm:
    """Merge ``duplicate`` into another person of the directory (deactivated ones too)."""
    groups = [
        (team, [(pk, label) for pk, label in people if pk != duplicate.pk])
        for team, people in referrer_choices(user, current=None, include_inactive=True)
    ]
    return MergeForm(
        data,
        choices=[(team, people) for team, people in groups if people],
        label="Keep this record",
        invalid="Choose a referrer of your organisation's directory.",
        initial=initial,
    )


def team_merge_form(data, *, user, duplicate: ReferringOrganisation, initial: dict) -> MergeForm:
    teams = [(pk, name) for pk, name in team_choices(user, include_inactive=True) if pk != duplicate.pk]
    return MergeForm(
        data,
        choices=teams,
        label="Keep this team",
        invalid="Choose a team of your organisation's directory.",
        initial=initial,
    )
