"""Forms validate and normalise; the services enforce the rules and write."""

from __future__ import annotations

from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from django import forms
from django.urls import reverse
from django.utils import timezone

from operations.core.dates import short_date
from operations.core.models import CouncilArea, Role, Service, User
from operations.core.validators import single_line
from operations.groups import creche
from operations.groups.models import (
    MAX_YOUNG_PARENT_AGE_LIMIT,
    MIN_YOUNG_PARENT_AGE_LIMIT,
    Audience,
    Booking,
    Format,
    Recurrence,
    Stage,
    Weekday,
    WeekOfMonth,
)
from referrals.models import Child, Parent
from volunteers.selectors import creche_fitness


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d") -> None:  # noqa: A002 - Django's own argument name
        # A date input takes only ISO dates: the site's "08/10/2026" left a
        # group's first date empty on its edit page, so saving it failed.
        super().__init__(attrs, format=format)


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            # The form field has already turned an aware value into local time.
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return local.strftime("%Y-%m-%dT%H:%M")
        return value


def facilitator_choices(organisation_id: int):
    return (
        User.objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
            memberships__role__in=[Role.VOLUNTEER, Role.PSO],
        )
        .order_by("first_name", "last_name", "pk")
        .distinct()
    )


def creche_fit_choices(organisation_id: int, *, also_unfit: Sequence[User] = ()):
    """The volunteers and PSOs fit to work with children now, the only
    people the crèche rota offers; and, for the field's help, why each of
    ``also_unfit`` (the rota as it stands) is no longer offered."""
    people = list(facilitator_choices(organisation_id).only("pk", "first_name", "last_name", "username"))
    reasons = creche_fitness(organisation_id, {p.pk for p in people} | {p.pk for p in also_unfit})
    fit = facilitator_choices(organisation_id).filter(pk__in=[p.pk for p in people if not reasons.get(p.pk)])
    left_off = [
        f"{person.get_full_name() or person.username} ({'; '.join(r.message for r in reasons[person.pk])})"
        for person in also_unfit
        if reasons.get(person.pk)
    ]
    return fit, left_off


def rota_help(left_off: list[str]) -> str:
    text = (
        "At least 2 adults. Only people fit to work with children are offered: "
        "active, PVG for children, core training (safeguarding) current."
    )
    if left_off:
        text += f" No longer offered, so taken off when you save: {', '.join(left_off)}."
    return text


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """A list of ticks, readable and usable on a phone (not a Ctrl-click box)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class GroupForm(forms.Form):
    name = forms.CharField(max_length=150, validators=[single_line])
    service = forms.ModelChoiceField(queryset=Service.objects.none())
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    audience = forms.ChoiceField(choices=Audience.choices, initial=Audience.PARENTS_AND_CARERS)
    young_parent_age_limit = forms.IntegerField(
        label="Young parents up to age",
        min_value=MIN_YOUNG_PARENT_AGE_LIMIT,
        max_value=MAX_YOUNG_PARENT_AGE_LIMIT,
        initial=19,
        required=False,
        help_text="For a young parents' group: the oldest a parent may be on the session date (19 when empty).",
    )
    format = forms.ChoiceField(choices=Format.choices)
    stage = forms.ChoiceField(choices=Stage.choices, initial=Stage.BOTH)
    venue_name = forms.CharField(max_length=150, required=False, validators=[single_line])
    venue_address = forms.CharField(max_length=300, required=False)
    council_area = forms.ModelChoiceField(queryset=CouncilArea.objects.all(), required=False)
    step_free_access = forms.BooleanField(required=False)
    transport_offered = forms.BooleanField(required=False)
    joining_link = forms.URLField(required=False, help_text="Needed for an online group.", assume_scheme="https")
    facilitators = PersonChoiceField(queryset=User.objects.none(), required=False)
    professional_facilitators = forms.CharField(
        max_length=300, required=False, help_text="Professionals who co-facilitate, for example a health visitor."
    )
    recurrence = forms.ChoiceField(choices=Recurrence.choices)
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int)
    week_of_month = forms.TypedChoiceField(
        choices=WeekOfMonth.choices, coerce=int, initial=WeekOfMonth.FIRST, help_text="For monthly groups."
    )
    start_time = forms.TimeField(widget=TimeInput)
    end_time = forms.TimeField(widget=TimeInput)
    starts_on = forms.DateField(widget=DateInput)
    ends_on = forms.DateField(widget=DateInput, required=False)
    adult_places = forms.IntegerField(min_value=1, max_value=500, initial=12)
    creche_on = forms.BooleanField(label="Crèche", required=False)
    creche_adults = PersonChoiceField(
        queryset=User.objects.none(), required=False, label="Crèche rota", help_text="At least 2 adults."
    )
    creche_child_cap = forms.IntegerField(min_value=1, max_value=100, required=False, label="Cap on children")
    is_active = forms.BooleanField(required=False, initial=True, label="Running")

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(organisation_id=organisation_id, is_active=True)
        self.fields["facilitators"].queryset = facilitator_choices(organisation_id)
        fit, left_off = creche_fit_choices(organisation_id, also_unfit=self.initial.get("creche_adults", ()))
        self.fields["creche_adults"].queryset = fit
        self.fields["creche_adults"].help_text = rota_help(left_off)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "A session must end after it starts.")
        if data.get("format") == Format.ONLINE and not data.get("joining_link"):
            self.add_error("joining_link", "An online group needs a joining link.")
        if data.get("creche_on") and len(data.get("creche_adults") or []) < 2:
            self.add_error("creche_adults", "A crèche needs at least 2 adults on the rota.")
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last date cannot be before the first.")
        return data

    def service_values(self) -> dict:
        values = {
            key: value for key, value in self.cleaned_data.items() if key not in ("facilitators", "creche_adults")
        }
        if values.get("young_parent_age_limit") is None:
            values.pop("young_parent_age_limit", None)  # the model's default
        return values

    @staticmethod
    def initial_for(group) -> dict:
        from operations.groups.services import GROUP_FIELDS

        initial = {name: getattr(group, name) for name in GROUP_FIELDS}
        initial["facilitators"] = list(group.facilitators.all())
        initial["creche_adults"] = list(group.creche_adults.all())
        return initial


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(widget=DateTimeInput, label="Starts")
    ends_at = forms.DateTimeField(widget=DateTimeInput, label="Ends")
    adult_places = forms.IntegerField(min_value=0, max_value=500)
    creche_on = forms.BooleanField(label="Crèche", required=False)
    creche_adults = PersonChoiceField(
        queryset=User.objects.none(), required=False, label="Crèche rota", help_text="At least 2 adults."
    )
    creche_child_cap = forms.IntegerField(min_value=1, max_value=100, required=False, label="Cap on children")
    note = forms.CharField(max_length=200, required=False, help_text="For example why it moved.")

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fit, left_off = creche_fit_choices(organisation_id, also_unfit=self.initial.get("creche_adults", ()))
        self.fields["creche_adults"].queryset = fit
        self.fields["creche_adults"].help_text = rota_help(left_off)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "A session must end after it starts.")
        if data.get("creche_on") and len(data.get("creche_adults") or []) < 2:
            self.add_error("creche_adults", "A crèche needs at least 2 adults on the rota.")
        return data


class CancelSessionForm(forms.Form):
    note = forms.CharField(
        max_length=200,
        required=False,
        label="Reason for cancelling",
        widget=forms.TextInput(attrs={"placeholder": "Reason (optional)", "class": "form-control-sm"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # One line beside the session's buttons: the label is for screen readers.
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_class = "visually-hidden"


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Parent) -> str:
        return obj.display_name


class BookingForm(forms.Form):
    parent = ParentChoiceField(queryset=Parent.objects.none(), required=False, label="Known parent")
    attendee_name = forms.CharField(max_length=150, required=False, label="Or a new attendee: name")
    attendee_phone = forms.CharField(max_length=20, required=False, label="Phone (optional)")
    attendee_consent = forms.BooleanField(
        required=False, label="The new attendee agreed we keep their name and phone for this group"
    )
    transport_needed = forms.BooleanField(required=False)
    audience_override_reason = forms.CharField(
        max_length=Booking._meta.get_field("audience_override_reason").max_length,
        required=False,
        label="Reason to book outside the group's audience (coordinators only)",
        help_text="Only when the parent is outside who the group is for; kept on the booking and in the audit log.",
    )

    def __init__(self, *args, user, session, staff: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["parent"].queryset = Parent.objects.visible_to(user).order_by("first_name", "last_name", "pk")
        if session.creche_on:
            # Choosing a parent brings her recorded children in as tick boxes (groups/_recorded_children.html).
            self.fields["parent"].widget.attrs.update(
                {
                    "hx-get": reverse("groups:booking-new", args=[session.pk]),
                    "hx-trigger": "change",
                    "hx-target": "#recorded-children",
                    "hx-swap": "outerHTML",
                }
            )
        if not session.group.transport_offered:
            del self.fields["transport_needed"]
        if not staff or session.group.audience == Audience.PARENTS_AND_CARERS:
            del self.fields["audience_override_reason"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("parent") is None:
            if not data.get("attendee_name", "").strip():
                self.add_error("attendee_name", "Choose a known parent, or give the new attendee's name.")
            if not data.get("attendee_consent"):
                self.add_error("attendee_consent", "Ask the attendee's consent to keep their details.")
        return data


class CrecheChildForm(forms.Form):
    first_name = forms.CharField(max_length=100, required=False, label="Child's first name")
    date_of_birth = forms.DateField(widget=DateInput, required=False)

    def __init__(self, *args, session_date=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session_date = session_date

    def clean(self) -> dict:
        data = super().clean()
        name, born = data.get("first_name", "").strip(), data.get("date_of_birth")
        if name and born is None and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", "Give the child's date of birth.")
        if born is not None and not name:
            self.add_error("first_name", "Give the child's first name.")
        if born is not None and self.session_date is not None:
            problem = creche.date_of_birth_problem(born, self.session_date)
            if problem:
                self.add_error("date_of_birth", problem)
        return data


CrecheChildFormSet = forms.formset_factory(CrecheChildForm, extra=3, max_num=6)


def recorded_child_name(child: Child) -> str:
    """The name a crèche child is booked under: a baby not yet named is "Baby"."""
    return child.name.strip() or "Baby"


class RecordedChildrenForm(forms.Form):
    """The known parent's children on record (born, no loss recorded) as
    tick boxes, so nobody retypes a name and date of birth the referral
    already holds; a child too old for the crèche on the session date is
    named in the help text rather than offered."""

    recorded_children = forms.ModelMultipleChoiceField(
        queryset=Child.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Children on record",
    )

    def __init__(self, *args, user, parent_id: int | None, session_date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recorded_children"]
        field.label_from_instance = lambda child: f"{recorded_child_name(child)}, born {short_date(child.birth_date)}"
        self.has_parent = parent_id is not None
        self.offered: list[Child] = []
        if parent_id is None:
            return
        # Children are staff-only records: visible_to keeps them to the coordinator's organisation.
        recorded = list(
            Child.objects.visible_to(user)
            .filter(parent_id=parent_id, birth_date__isnull=False, loss_date__isnull=True)
            .only("pk", "name", "birth_date", "parent_id")
            .order_by("birth_date", "pk")
        )
        offered = [child for child in recorded if not creche.date_of_birth_problem(child.birth_date, session_date)]
        too_old = [recorded_child_name(child) for child in recorded if child not in offered]
        field.queryset = Child.objects.visible_to(user).filter(pk__in=[child.pk for child in offered])
        self.offered = offered
        if too_old:
            field.help_text = (
                f"Not offered: {', '.join(too_old)} "
                f"(crèche places are for children under {creche.MAX_CRECHE_AGE_YEARS} on the session date)."
            )

    def children(self) -> list:
        from operations.groups.services import CrecheChild

        return [
            CrecheChild(first_name=recorded_child_name(child), date_of_birth=child.birth_date, child_id=child.pk)
            for child in self.cleaned_data.get("recorded_children", [])
        ]


class WalkInForm(forms.Form):
    attendee_name = forms.CharField(max_length=150, label="Name")
    attendee_consent = forms.BooleanField(label="They agreed we keep their name for this group")
    child_first_name = forms.CharField(max_length=100, required=False, label="Child for the crèche (optional)")
    child_date_of_birth = forms.DateField(required=False, widget=DateInput, label="Child's date of birth")

    def __init__(self, *args, session_date=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session_date = session_date

    def clean(self) -> dict:
        data = super().clean()
        name, born = (data.get("child_first_name") or "").strip(), data.get("child_date_of_birth")
        if name and born is None and "child_date_of_birth" not in self.errors:
            self.add_error("child_date_of_birth", "Give the child's date of birth.")
        if born is not None and not name:
            self.add_error("child_first_name", "Give the child's first name.")
        if born is not None and self.session_date is not None:
            problem = creche.date_of_birth_problem(born, self.session_date)
            if problem:
                self.add_error("child_date_of_birth", problem)
        return data

    def children(self) -> list:
        from operations.groups.services import CrecheChild

        born = self.cleaned_data.get("child_date_of_birth")
        if born is None:
            return []
        return [CrecheChild(first_name=self.cleaned_data["child_first_name"], date_of_birth=born)]


class HeadCountForm(forms.Form):
    mothers = forms.IntegerField(min_value=0, max_value=500, initial=0)
    fathers = forms.IntegerField(min_value=0, max_value=500, initial=0)
    other_carers = forms.IntegerField(min_value=0, max_value=500, initial=0)
    children = forms.IntegerField(min_value=0, max_value=500, initial=0)
    needed_interpreter = forms.IntegerField(min_value=0, max_value=500, initial=0, label="Needed an interpreter")

    def clean(self) -> dict:
        data = super().clean()
        adults = sum(data.get(name) or 0 for name in ("mothers", "fathers", "other_carers"))
        if (data.get("needed_interpreter") or 0) > adults:
            self.add_error("needed_interpreter", "More adults needed an interpreter than came.")
        return data
