"""Forms validate and normalise; the services enforce the rules and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from operations.core.forms import ClientKeyField, row_helper
from volunteers.fitness import AVAILABILITY_CHOICES
from volunteers.matching.assignment import MODE_COUNT, MODE_SCORE
from volunteers.matching.models import ContactMode, EndingType, MatchStatus, Topic
from volunteers.matching.services import MAX_CONTACT_MINUTES, OVERRIDE_REASON_MAX_LENGTH
from volunteers.matching.signposting import active_signposts, signpost_sections
from volunteers.models import Gender, LivedExperience


class DateInput(forms.DateInput):
    """A native date picker: it needs ISO dates, whatever the locale's format."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%H:%M")


class ContactLogForm(forms.Form):
    """Phone-first: big touch targets, native date and number pickers. The
    page shows the date, length and how first, and folds the rest under
    "More" (``more_open`` says when to unfold it)."""

    #: Under the page's "More" disclosure.
    MORE_FIELDS = ("topics", "signposted_to", "note")

    contact_date = forms.DateField(label="Date", widget=DateInput(), initial=timezone.localdate)
    duration_minutes = forms.IntegerField(
        label="How long (minutes)",
        min_value=1,
        max_value=MAX_CONTACT_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": MAX_CONTACT_MINUTES}),
        error_messages={
            "min_value": "Give how long the contact lasted (at least 1 minute).",
            "max_value": "A contact lasts 12 hours at most.",
        },
    )
    mode = forms.ChoiceField(label="How", choices=ContactMode.choices, widget=forms.RadioSelect)
    topics = forms.MultipleChoiceField(
        label="What you talked about", choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    # Ids of the organisation's directory entries (the service checks them
    # again): plain choices, not a model choice field, which would read the
    # directory through a server-side cursor on PostgreSQL on every page.
    signposted_to = forms.MultipleChoiceField(
        label="Signposted to", required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label="Short note", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # No "I have a concern" tick box: the page's "Raise a concern" button asks
    # the three questions. The API still takes ``has_concern`` (older apps).
    client_key = ClientKeyField()

    def __init__(self, *args, organisation_id: int, council_area_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.signposts = signpost_sections(active_signposts(organisation_id), council_area_id=council_area_id)
        self.fields["signposted_to"].choices = [(s.pk, s.name) for s in self.signposts.in_order]

    @property
    def more_open(self) -> bool:
        """Unfolded when something under "More" has an error or a value, so
        nothing typed or wrong is hidden."""
        if not self.is_bound:
            return False
        if any(name in self.errors for name in self.MORE_FIELDS):
            return True
        return any(
            any(value.strip() for value in self.data.getlist(self.add_prefix(name)))
            if hasattr(self.data, "getlist")
            else bool(self.data.get(self.add_prefix(name)))
            for name in self.MORE_FIELDS
        )

    @property
    def elsewhere_ticked(self) -> bool:
        """A service from another area was ticked: its folded list stays open."""
        ticked = set(self["signposted_to"].value() or [])
        return any(str(s.pk) in ticked for s in self.signposts.elsewhere)

    def signpost_boxes(self) -> dict[str, list]:
        """The signposting tick boxes by section ("local", "national",
        "elsewhere"), for the page to show each under its heading."""
        boxes = {str(widget.data["value"]): widget for widget in self["signposted_to"]}
        return {
            section: [boxes[str(s.pk)] for s in getattr(self.signposts, section)]
            for section in ("local", "national", "elsewhere")
        }


class VisitForm(forms.Form):
    planned_for = forms.DateField(label="Date", widget=DateInput())
    at_time = forms.TimeField(label="Time", required=False, widget=TimeInput())
    mode = forms.ChoiceField(label="How", choices=ContactMode.choices, initial=ContactMode.HOME_VISIT)
    place = forms.CharField(max_length=150, required=False)
    client_key = ClientKeyField()


class MatchMoveForm(forms.Form):
    to_status = forms.ChoiceField(
        label="Move to", choices=[c for c in MatchStatus.choices if c[0] != MatchStatus.CONFIRMED]
    )
    ending_type = forms.ChoiceField(label="Ending type", choices=[("", "—"), *EndingType.choices], required=False)
    closing_note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, offer_ending: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not offer_ending:
            # The page ends a match through its confirmation (MatchEndForm), not this quick move.
            self.fields["to_status"].choices = [c for c in self.fields["to_status"].choices if c[0] != "ended"]
            del self.fields["ending_type"], self.fields["closing_note"]


class MatchEndForm(forms.Form):
    """Ending a match: the confirmation page is this form."""

    ending_type = forms.ChoiceField(label="How did the match end?", choices=[("", "—"), *EndingType.choices])
    closing_note = forms.CharField(
        label="Closing note", widget=forms.Textarea(attrs={"rows": 3}), help_text="Seen by coordinators only."
    )


class ExtensionForm(forms.Form):
    extended_until = forms.DateField(label="Extend support until", widget=DateInput())
    extension_reason = forms.CharField(label="Reason", max_length=300)


class EligibilityOverrideForm(forms.Form):
    """The match confirmation's reason to match a parent outside their eligibility."""

    eligibility_override_reason = forms.CharField(
        label="Reason to match outside eligibility",
        max_length=OVERRIDE_REASON_MAX_LENGTH,
        required=False,
        help_text="Kept on the match and shown on the referral.",
    )


class ReviewForm(forms.Form):
    held_on = forms.DateField(widget=DateInput(), initial=timezone.localdate)
    going_well = forms.BooleanField(label="Going well", required=False, initial=True)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MatchingNeedsForm(forms.Form):
    required_gender = forms.ChoiceField(
        label="Required gender of the volunteer (only if the parent made it a requirement)",
        choices=[("", "No requirement"), *[c for c in Gender.choices if c[0]]],
        required=False,
    )
    availability = forms.MultipleChoiceField(
        label="Times that suit the parent",
        choices=AVAILABILITY_CHOICES,
        required=False,
        # Tick boxes, not a list box that needs Ctrl-click to choose two.
        widget=forms.CheckboxSelectMultiple,
    )
    # Ids from a plain list, not a ModelMultipleChoiceField: that one reads
    # its queryset through a server-side cursor on PostgreSQL (three round
    # trips on the candidate page); the service checks the organisation.
    lived_experience = forms.TypedMultipleChoiceField(
        label="Lived experience that would help",
        coerce=int,
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpreter_arranged = forms.BooleanField(required=False)

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lived_experience"].choices = list(
            LivedExperience.objects.filter(organisation_id=organisation_id).values_list("pk", "name")
        )


class ProposalsForm(forms.Form):
    """Which service's waiting list to match, and what to aim for. The page
    shows it unbound with the current choice (the view checks the service)."""

    service = forms.TypedChoiceField(label="Service", coerce=int, required=False)
    mode = forms.ChoiceField(
        label="Aim for",
        choices=[(MODE_SCORE, "Best total score"), (MODE_COUNT, "Most parents matched")],
        initial=MODE_SCORE,
        required=False,
    )

    def __init__(self, *args, services: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = services
        self.helper = row_helper(self, column="col-sm-4", columns={"service": "col-sm-5"})


class MatchFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=[("", "Any"), *MatchStatus.choices], required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = row_helper(self, column="col-auto")
