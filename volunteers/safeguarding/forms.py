"""Forms of the safeguarding pages: they validate and normalise; the
services (``volunteers.safeguarding.services``) enforce the rules and write."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from operations.core.forms import ClientKeyField, row_helper
from operations.core.models import Membership, User
from volunteers.matching.forms import DateInput
from volunteers.safeguarding import selectors
from volunteers.safeguarding.models import About, ConcernStatus, Kind, Outcome, SafeguardingSettings, Urgency
from volunteers.safeguarding.services import DETAILS_MAX_LENGTH, NOTE_MAX_LENGTH


class _NamedWithRole:
    """People by name, with their role when the form knows it: "Ann Bell (Coordinator)"."""

    #: Replaced per form (a new dict), never mutated.
    roles: dict[int, str] = {}

    def label_from_instance(self, obj: User) -> str:
        role = self.roles.get(obj.pk)
        return f"{obj} ({role})" if role else str(obj)


class PersonChoiceField(_NamedWithRole, forms.ModelChoiceField):
    pass


class PeopleChoiceField(_NamedWithRole, forms.ModelMultipleChoiceField):
    pass


def _roles(organisation_id: int) -> dict[int, str]:
    """Each active member's role as a person reads it, for the choice labels."""
    return {
        membership.user_id: membership.get_role_display()
        for membership in Membership.objects.filter(organisation_id=organisation_id, is_active=True)
    }


# --- Raising a concern -------------------------------------------------------


class RaiseConcernForm(forms.Form):
    """Phone-first: three questions as big radio buttons, then what was seen.

    How urgent comes first, so "someone is in danger now" shows what to do
    before anything else is asked. The family is a choice among the
    person's own open families unless the page was opened from one
    (``families`` is then None and the view passes the match itself)."""

    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how urgent it is."},
    )
    about = forms.ChoiceField(
        label="Who is it about?",
        # Said to the person raising it: "you", not "the volunteer themself".
        choices=[
            (value, "You: your own safety or wellbeing" if value == About.VOLUNTEER else label)
            for value, label in About.choices
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say who the concern is about."},
    )
    match = forms.TypedChoiceField(
        label="Which family?",
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        help_text="Leave it empty if the concern is about you.",
    )
    kind = forms.ChoiceField(
        label="What kind of concern?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say what kind of concern it is."},
    )
    details = forms.CharField(
        label="What did you see or hear?",
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="In your own words. Your coordinator will call you if they need more.",
        error_messages={
            "required": "Say briefly what you saw or heard.",
            "max_length": f"Keep it to {DETAILS_MAX_LENGTH} characters; the coordinator will call you for more.",
        },
    )
    client_key = ClientKeyField()

    def __init__(self, *args, families: list[tuple[int, str]] | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if families:
            self.fields["match"].choices = families
        else:
            # Opened from a family (the view knows it), or no family to choose.
            del self.fields["match"]


# --- The worklist's filters ---------------------------------------------------


class ConcernFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[(selectors.STATUS_OPEN, "Open"), *ConcernStatus.choices, (selectors.STATUS_ALL, "Any")],
        required=False,
    )
    urgency = forms.ChoiceField(label="Urgency", choices=[("", "Any"), *Urgency.choices], required=False)
    owner = PersonChoiceField(label="Owner", queryset=User.objects.none(), required=False, empty_label="Anyone")
    age = forms.ChoiceField(
        label="Raised",
        choices=[("", "Any time"), *((key, label) for key, (label, _, _) in selectors.AGES.items())],
        required=False,
    )

    def __init__(self, *args, owners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.helper = row_helper(self, column="col-6 col-lg-3")

    def filters(self) -> selectors.WorklistFilters:
        """What to filter by: each field that was valid (a stale owner in a
        bookmarked address drops that filter, not the page)."""
        data = getattr(self, "cleaned_data", {})
        owner = data.get("owner")
        return selectors.WorklistFilters(
            status=data.get("status") or selectors.STATUS_OPEN,
            urgency=data.get("urgency") or "",
            owner_id=owner.pk if owner else None,
            age=data.get("age") or "",
        )


# --- Working a concern --------------------------------------------------------


class PlanForm(forms.Form):
    owner = PersonChoiceField(
        label="Who owns the follow-up",
        queryset=User.objects.none(),
        empty_label="Choose someone",
        error_messages={
            "required": "Choose who owns the follow-up.",
            "invalid_choice": "Choose a coordinator, manager or PSO of your organisation.",
        },
    )
    follow_up_on = forms.DateField(
        label="Follow up on",
        widget=DateInput(),
        help_text="The owner is reminded on this date.",
        error_messages={"required": "Give the date to follow it up.", "invalid": "Give the date as day, month, year."},
    )
    note = forms.CharField(
        label="What action is planned",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        error_messages={"required": "Say what action is planned."},
    )

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        # Its own ids: the close form on the same page has a "note" too.
        kwargs.setdefault("auto_id", "id_plan_%s")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.workers(organisation_id)
        self.fields["owner"].roles = _roles(organisation_id)
        self.helper = FormHelper(self)
        self.helper.form_tag = False


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome.", "invalid_choice": "Choose the outcome."},
    )
    note = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        help_text="Kept on the timeline. The person who raised it sees that it is closed, never this note.",
        error_messages={"required": "Say what was done."},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_close_%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False


# --- The manager's settings ---------------------------------------------------


class SafeguardingSettingsForm(forms.ModelForm):
    """Leads and the deputy are offered from the organisation's active
    coordinators, managers and PSOs; anyone else sent anyway is refused by
    name. Ranges of the escalation times come from the model's validators."""

    leads = PeopleChoiceField(
        label="Designated safeguarding leads",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Told of every concern at once; they see and work every concern.",
        error_messages={
            "required": "Name at least one designated safeguarding lead.",
            "invalid_choice": "Leads are coordinators, managers or PSOs of your organisation.",
        },
    )
    deputy = PersonChoiceField(
        label="Deputy safeguarding lead",
        queryset=User.objects.none(),
        required=False,
        empty_label="No deputy",
        help_text="Told, with the manager, when a concern is not acknowledged in time.",
        error_messages={"invalid_choice": "The deputy is a coordinator, manager or PSO of your organisation."},
    )

    class Meta:
        model = SafeguardingSettings
        fields = [
            "leads",
            "deputy",
            "emergency_number",
            "emergency_instructions",
            "on_call_phone",
            "on_call_instructions",
            "danger_now_minutes",
            "today_working_hours",
            "this_week_working_days",
        ]
        widgets = {
            "emergency_instructions": forms.Textarea(attrs={"rows": 3}),
            "on_call_instructions": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"on_call_instructions": "What to do next"}
        help_texts = {
            "emergency_number": "Shown first, the moment someone says a person is in danger now.",
            "emergency_instructions": "Shown before anything is sent.",
            "on_call_instructions": "Shown after the emergency number, with the on-call phone.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organisation_id = self.instance.organisation_id
        people = selectors.workers(organisation_id)
        roles = _roles(organisation_id)
        for name in ("leads", "deputy"):
            self.fields[name].queryset = people
            self.fields[name].roles = roles
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("Who is told", "leads", "deputy"),
            Fieldset(
                "When someone is in danger now",
                "emergency_number",
                "emergency_instructions",
                "on_call_phone",
                "on_call_instructions",
            ),
            Fieldset(
                "Escalation when nobody acknowledges a concern",
                "danger_now_minutes",
                "today_working_hours",
                "this_week_working_days",
            ),
        )
