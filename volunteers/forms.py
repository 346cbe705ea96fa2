"""Forms validate and normalise; the services enforce the rules and write."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db.models import Q

from operations.core.forms import row_helper
from operations.core.models import CouncilArea, Membership, Role, User
from operations.core.searching import MAX_QUERY_LENGTH
from volunteers.fitness import AVAILABILITY_CHOICES
from volunteers.models import (
    Course,
    Gender,
    Kind,
    LivedExperience,
    PvgScheme,
    Status,
    SupervisionMode,
    VolunteerProfile,
    Wellbeing,
)
from volunteers.services import SUPERVISOR_ROLES


class DateInput(forms.DateInput):
    input_type = "date"


class ProfileForm(forms.Form):
    kinds = forms.MultipleChoiceField(choices=Kind.choices, widget=forms.CheckboxSelectMultiple)
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    council_areas = forms.ModelMultipleChoiceField(
        queryset=CouncilArea.objects.all(), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    localities = forms.CharField(max_length=300, required=False, help_text="Towns and neighbourhoods, comma-separated.")
    languages = forms.CharField(max_length=200, required=False, help_text="Comma-separated, e.g. English, Polish.")
    availability = forms.MultipleChoiceField(
        choices=AVAILABILITY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    lived_experience = forms.ModelMultipleChoiceField(
        queryset=LivedExperience.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    gender = forms.ChoiceField(choices=Gender.choices, required=False)
    max_caseload = forms.IntegerField(initial=2)
    preferences = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    coordinator_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Seen by coordinators and managers only."
    )

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lived_experience"].queryset = LivedExperience.objects.filter(organisation_id=organisation_id)

    def service_values(self) -> dict:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_for(profile: VolunteerProfile) -> dict:
        return {
            "kinds": profile.kinds,
            "phone": profile.phone,
            "email": profile.email,
            "council_areas": list(profile.council_areas.all()),
            "localities": profile.localities,
            "languages": profile.languages,
            "availability": profile.availability,
            "lived_experience": list(profile.lived_experience.all()),
            "gender": profile.gender,
            "max_caseload": profile.max_caseload,
            "preferences": profile.preferences,
            "coordinator_notes": profile.coordinator_notes,
        }


class VolunteerCreateForm(ProfileForm):
    existing_user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Existing member",
        help_text="A volunteer or PSO of your organisation without a profile. Or create an account below.",
    )
    username = forms.CharField(max_length=150, required=False, help_text="For a new account.")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=[(Role.VOLUNTEER, "Volunteer"), (Role.PSO, "Perinatal Support Officer")])

    field_order = ["existing_user", "username", "first_name", "last_name", "email", "role"]

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, organisation_id=organisation_id, **kwargs)
        self.fields["existing_user"].queryset = (
            User.objects.filter(
                memberships__organisation_id=organisation_id,
                memberships__role__in=[Role.VOLUNTEER, Role.PSO],
                memberships__is_active=True,
            )
            .exclude(volunteer_profiles__organisation_id=organisation_id)
            .order_by("last_name", "first_name")
        )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("existing_user") and not data.get("username"):
            self.add_error("username", "Choose an existing member or give a username for a new account.")
        return data

    def service_values(self) -> dict:
        values = dict(self.cleaned_data)
        values["user"] = values.pop("existing_user")
        return values


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    on = forms.DateField(label="Date", widget=DateInput)
    reason = forms.CharField(max_length=300, required=False, help_text="Needed when someone leaves.")


class PvgForm(forms.Form):
    membership_number = forms.CharField(max_length=40, label="PVG scheme membership number")
    scheme = forms.ChoiceField(choices=PvgScheme.choices, label="Type")
    issued_on = forms.DateField(label="Date of issue", widget=DateInput)
    renewal_due = forms.DateField(
        required=False,
        widget=DateInput,
        help_text="Empty for memberships from 1 Apr 2026 (five years is filled in). Enter it for older records.",
    )


class TrainingForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.none())
    completed_on = forms.DateField(widget=DateInput)
    expires_on = forms.DateField(required=False, widget=DateInput)

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(organisation_id=organisation_id)


class ReferenceForm(forms.Form):
    name = forms.CharField(max_length=150, label="Referee's name")
    relationship = forms.CharField(max_length=100)
    received_on = forms.DateField(required=False, widget=DateInput)


def supervisors_in(organisation_id: int):
    return User.objects.filter(
        memberships__organisation_id=organisation_id,
        memberships__is_active=True,
        memberships__role__in=SUPERVISOR_ROLES,
    ).order_by("last_name", "first_name")


class SupervisorChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, loads: dict[int, int] | None = None, **kwargs) -> None:
        self.loads = loads or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, user: User) -> str:
        count = self.loads.get(user.pk, 0)
        return f"{user} ({count} supervisee{'s' if count != 1 else ''})"


class PairingForm(forms.Form):
    supervisor = SupervisorChoiceField(queryset=User.objects.none())

    def __init__(self, *args, organisation_id: int, loads: dict[int, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors_in(organisation_id)
        self.fields["supervisor"].loads = loads


class SupervisionForm(forms.Form):
    supervisor = forms.ModelChoiceField(queryset=User.objects.none())
    volunteers = forms.ModelMultipleChoiceField(
        queryset=VolunteerProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose several for group supervision.",
    )
    held_on = forms.DateField(label="Date", widget=DateInput)
    mode = forms.ChoiceField(choices=SupervisionMode.choices)
    duration_minutes = forms.IntegerField(label="Duration (minutes)", initial=60)
    wellbeing = forms.ChoiceField(choices=Wellbeing.choices, label="Wellbeing check")
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Discussion notes",
        help_text="Seen by the supervisor, coordinators and managers; never by volunteers.",
    )

    def __init__(self, *args, user: User, organisation_id: int, volunteers, is_staff: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].queryset = volunteers
        self.fields["volunteers"].label_from_instance = lambda profile: str(profile.user)
        if is_staff:
            self.fields["supervisor"].queryset = supervisors_in(organisation_id)
        else:
            # A PSO logs their own sessions.
            self.fields["supervisor"].queryset = User.objects.filter(pk=user.pk)
            self.fields["supervisor"].widget = forms.HiddenInput()
        self.fields["supervisor"].initial = user.pk


class ActionForm(forms.Form):
    description = forms.CharField(max_length=300, required=False, label="Action")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    due_on = forms.DateField(required=False, widget=DateInput, label="Due")

    def __init__(self, *args, owners=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners

    def clean(self) -> dict:
        data = super().clean()
        if data.get("description") and not data.get("owner"):
            self.add_error("owner", "Choose who owns this action.")
        if data.get("owner") and not data.get("description"):
            self.add_error("description", "Say what the action is.")
        return data


ActionFormSet = forms.formset_factory(ActionForm, extra=3, max_num=10)


class VolunteerFilterForm(forms.Form):
    name = forms.CharField(
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": f"Type at most {MAX_QUERY_LENGTH} characters of the name."},
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Kind.choices], required=False)
    # Choices are the organisation's areas as (id, name) rows, set by the view:
    # no model instance per option.
    area = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    language = forms.CharField(required=False, max_length=50)
    fit = forms.ChoiceField(
        choices=[("", "Fit or not"), ("yes", "Fit to match"), ("no", "Not fit")], required=False, label="Fit to match"
    )

    def __init__(self, *args, areas: Iterable[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Any area"), *areas]
        self.helper = row_helper(self, column="col-6 col-md")


def owners_for(organisation_id: int, *, supervisors, volunteers):
    """People who may own a supervision action: the supervisors and the
    volunteers the form offers, if still members of the organisation. The
    service holds the owner to the session's own participants; offering
    managers or people who have left only led to a refusal after typing."""
    current = Membership.objects.filter(organisation_id=organisation_id, is_active=True).values("user_id")
    return (
        User.objects.filter(pk__in=current)
        .filter(Q(pk__in=supervisors.order_by().values("pk")) | Q(pk__in=volunteers.order_by().values("user_id")))
        .order_by("last_name", "first_name")
    )


class OwnDetailsForm(forms.Form):
    """Her week, areas and languages on "My details": the week is drawn as a
    grid of big toggles by the template, one checkbox per cell."""

    availability = forms.MultipleChoiceField(
        choices=AVAILABILITY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple, label="When I'm free"
    )
    council_areas = forms.ModelMultipleChoiceField(
        queryset=CouncilArea.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Council areas I cover",
    )
    languages = forms.CharField(
        max_length=200,
        required=False,
        label="Languages I speak",
        help_text="Separated by commas, e.g. English, Polish.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Drawn as big toggle buttons (Bootstrap's btn-check): easy to hit with a thumb.
        for name in ("availability", "council_areas"):
            self.fields[name].widget.attrs["class"] = "btn-check"

    @staticmethod
    def initial_for(profile: VolunteerProfile) -> dict:
        return {
            "availability": profile.availability,
            "council_areas": list(profile.council_areas.all()),
            "languages": profile.languages,
        }


class BreakForm(forms.Form):
    unavailable_until = forms.DateField(
        widget=DateInput,
        label="I'm unavailable until",
        help_text="The day you are back: you are back in matching on that day. At most a year ahead.",
    )
    unavailable_reason = forms.CharField(
        max_length=300,
        required=False,
        label="Reason (optional)",
        help_text="Seen by coordinators only.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
