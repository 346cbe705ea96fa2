"""Forms validate and normalise; services write."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from operations.core.forms import row_helper
from operations.core.models import CouncilArea, Service
from operations.core.searching import MAX_QUERY_LENGTH
from referrals import services
from referrals.directory import referrer_choices, team_choices
from referrals.models import Child, Parent, Referral, Referrer, ReferrerKind, ReferringOrganisation, Urgency
from referrals.validators import normalise_postcode, normalise_uk_phone, pregnancy_date_errors
from referrals.workflow import Status, move_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

INTAKE_PARENT_FIELDS = list(services.PARENT_DETAIL_FIELDS)
# The edit form offers exactly what the service accepts: one list, no drift.
PARENT_EDIT_FIELDS = list(services.PARENT_FIELDS)
# The referrer is picked from the directory or added (``ReferrerPicker``); the
# free-text referrer of referrals made before the directory stays editable on them.
REFERRAL_FIELDS = ["source", "referrer_updates_consent", "reason", "urgency", "received_on"]
LEGACY_REFERRER_FIELDS = ["referrer_name", "referrer_contact"]
REFERRER_UPDATES_HELP = (
    "Only then is the referrer told how the referral goes (received, waiting, support started, ended): "
    "never what the parent said."
)
SAFETY_FIELDS = list(services.CONTACT_SAFETY_FIELDS)
SAFETY_HELP = {
    "contact_through_referrer": "Nothing is sent to the parent: we reach them through the referrer.",
    "may_name_service": "Leave unticked if a message must not name us.",
    "best_contact_times": "For example: weekday mornings, never after 5pm.",
}
#: "Messages may name the service" read as a second "Service" field on the intake form.
SAFETY_LABELS = {"may_name_service": "Messages may say who they are from"}
CONSENT_HELP = {
    "lawful_basis_article6": "Why we may hold the parent's details (UK GDPR Article 6).",
    "lawful_basis_article9": "Why we may hold health details, such as mental health (UK GDPR Article 9).",
}


EVALUATION_CHOICES = [
    ("", "Not asked yet"),
    ("yes", "Yes: agrees to take part in evaluation"),
    ("no", "No: does not agree"),
]


def _safety_clean(form: forms.Form, data: dict) -> None:
    channels = any(data.get(field) for field in services.SAFE_CHANNEL_FIELDS)
    if channels and data.get("contact_through_referrer"):
        form.add_error("contact_through_referrer", "Tick the channels that are safe, or “None is safe”, not both.")


def _dates(fields: dict) -> dict:
    for field in fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DATE
    return fields


class _ParentCleaning:
    def _widen_postcode(self) -> None:
        # Accept spaces and stray characters so the postcode message, not a length error, explains.
        if "postcode" in self.fields:
            self.fields["postcode"].max_length = 20
            self.fields["postcode"].validators = []
            self.fields["postcode"].widget.attrs["maxlength"] = 20
        if "phone" in self.fields:
            self.fields["phone"].max_length = 30
            self.fields["phone"].validators = []
            self.fields["phone"].widget.attrs["maxlength"] = 30

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data.get("postcode", ""))

    def clean_phone(self) -> str:
        return normalise_uk_phone(self.cleaned_data.get("phone", ""))

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born is not None and born > timezone.localdate():
            raise ValidationError("The date of birth cannot be in the future.")
        return born


#: The new-referrer fields of the referral form and the field of the
#: directory's services each stands for (``referrers.referrer_add_inline``).
NEW_REFERRER_FIELDS = {
    "new_referrer_name": "name",
    "new_referrer_role": "role",
    "new_referrer_team": "referring_organisation",
    "new_team_name": "team_name",
    "new_team_kind": "team_kind",
    "new_referrer_email": "email",
    "new_referrer_phone": "phone",
}
REFERRER_INVALID = "Choose a referrer from your organisation's directory."
TEAM_INVALID = "Choose a team from your organisation's directory."


class ReferrerPicker:
    """The referral form's referrer: a person of the organisation's
    directory (a select grouped by team: works without JavaScript, and a
    browser's select finds a name as it is typed), or a new one added there
    and then, with their team (one of the directory, or a new one by name).
    The view adds the new one through the directory's service in the
    referral's own transaction."""

    def _add_referrer_fields(self, user, *, current: Referrer | None = None) -> None:
        self._user = user
        self.fields["referrer"] = forms.TypedChoiceField(
            label="Referrer from the directory",
            required=False,
            coerce=int,
            empty_value=None,
            choices=[
                ("", "None, or not in the directory yet"),
                *referrer_choices(user, current=current and current.pk),
            ],
            error_messages={"invalid_choice": REFERRER_INVALID},
            help_text="The people of your referrer directory, by team. Not there? Add them below.",
        )
        teams = team_choices(user)
        self.fields["new_referrer_name"] = forms.CharField(label="Referrer's name", required=False, max_length=150)
        self.fields["new_referrer_role"] = forms.CharField(
            label="Their role", required=False, max_length=100, help_text="For example: health visitor, midwife."
        )
        self.fields["new_referrer_team"] = forms.TypedChoiceField(
            label="Their team",
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "Choose a team, or type a new one below"), *teams],
            error_messages={"invalid_choice": TEAM_INVALID},
        )
        self.fields["new_team_name"] = forms.CharField(
            label="Or a team not in the directory yet", required=False, max_length=150
        )
        self.fields["new_team_kind"] = forms.ChoiceField(
            label="Kind of team", required=False, choices=[("", "Choose the kind"), *ReferrerKind.choices]
        )
        self.fields["new_referrer_email"] = forms.EmailField(label="Work email", required=False, max_length=254)
        self.fields["new_referrer_phone"] = forms.CharField(label="Work phone", required=False, max_length=30)
        consent = self.fields.get("referrer_updates_consent")
        if consent is not None:
            consent.help_text = REFERRER_UPDATES_HELP

    def referrer_layout(self) -> list:
        """The referrer's part of the form's layout: the select, then the new
        referrer's fields in a <details> (open when they were filled in)."""
        return [
            "referrer",
            HTML(
                '<details class="mb-3 border rounded p-2"{% if form.adds_referrer %} open{% endif %}>'
                '<summary class="fw-semibold">Add a referrer to the directory</summary>'
                '<p class="form-text">Their work details only. They join the directory with this referral.</p>'
            ),
            *NEW_REFERRER_FIELDS,
            HTML("</details>"),
        ]

    @property
    def adds_referrer(self) -> bool:
        return self.is_bound and any((self.data.get(name) or "").strip() for name in NEW_REFERRER_FIELDS)

    def clean_referrer(self) -> Referrer | None:
        pk = self.cleaned_data.get("referrer")
        if pk is None:
            return None
        referrer = (
            Referrer.objects.visible_to(self._user).select_related("referring_organisation").filter(pk=pk).first()
        )
        if referrer is None:
            raise ValidationError(REFERRER_INVALID)
        return referrer

    def clean_new_referrer_team(self) -> ReferringOrganisation | None:
        pk = self.cleaned_data.get("new_referrer_team")
        if pk is None:
            return None
        team = ReferringOrganisation.objects.visible_to(self._user).filter(pk=pk).first()
        if team is None:
            raise ValidationError(TEAM_INVALID)
        return team

    def clean_new_referrer_phone(self) -> str:
        return normalise_uk_phone(self.cleaned_data.get("new_referrer_phone", ""))

    def _clean_referrer_choice(self, data: dict) -> None:
        adding = any(data.get(name) for name in NEW_REFERRER_FIELDS if name != "new_team_kind")
        if data.get("referrer") is not None and adding:
            self.add_error("new_referrer_name", "Choose a referrer from the directory, or add a new one: not both.")
        elif adding and not data.get("new_referrer_name"):
            self.add_error("new_referrer_name", "Give the new referrer's name.")
        if data.get("new_referrer_team") is not None and data.get("new_team_name"):
            self.add_error("new_team_name", "Choose a team from the directory, or type a new one: not both.")
        if data.get("new_team_name") and not data.get("new_team_kind"):
            self.add_error("new_team_kind", "Choose the kind of team.")

    def new_referrer(self) -> dict | None:
        """The person to add to the directory, or None."""
        if not self.cleaned_data.get("new_referrer_name"):
            return None
        return {
            "name": self.cleaned_data["new_referrer_name"],
            "role": self.cleaned_data.get("new_referrer_role", ""),
            "referring_organisation": self.cleaned_data.get("new_referrer_team"),
            "email": self.cleaned_data.get("new_referrer_email", ""),
            "phone": self.cleaned_data.get("new_referrer_phone", ""),
        }

    def new_team(self) -> dict | None:
        name = self.cleaned_data.get("new_team_name")
        return {"name": name, "kind": self.cleaned_data.get("new_team_kind")} if name else None

    def new_referrer_errors(self, exc: ValidationError) -> ValidationError:
        """The directory service's refusal, keyed by this form's fields."""
        fields = {service: form for form, service in NEW_REFERRER_FIELDS.items()}
        if not hasattr(exc, "error_dict"):
            return ValidationError({"new_referrer_name": exc.messages})
        return ValidationError({fields.get(field, "__all__"): messages for field, messages in exc.message_dict.items()})


class IntakeForm(ReferrerPicker, _ParentCleaning, forms.Form):
    """A new referral: the parent (unless already chosen), a pregnancy or child, and the referral."""

    def __init__(self, *args, user, parent: Parent | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.fields["service"] = forms.ModelChoiceField(
            queryset=Service.objects.visible_to(user).active(),
            error_messages={"invalid_choice": "Choose a service of your organisation."},
        )
        if parent is None:
            self.fields.update(_dates(forms.fields_for_model(Parent, fields=INTAKE_PARENT_FIELDS)))
            self.fields["council_area"].queryset = CouncilArea.objects.all()
            child = _dates(forms.fields_for_model(Child, fields=["due_date", "birth_date"]))
            child["due_date"].help_text = "For a pregnancy. Leave empty if the baby is born."
            child["birth_date"].help_text = "If the baby is born."
            self.fields.update(child)
            self.fields.update(forms.fields_for_model(Parent, fields=SAFETY_FIELDS))
            self.fields["contact_consent"] = forms.BooleanField(
                label="The parent agrees to be contacted by us", required=False
            )
            self.fields["evaluation_consent"] = forms.ChoiceField(
                label="Does the parent agree to take part in evaluation?",
                choices=EVALUATION_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                help_text="Separate from support, and can be withdrawn at any time.",
            )
            self.fields.update(
                forms.fields_for_model(Parent, fields=["lawful_basis_article6", "lawful_basis_article9"])
            )
            for name, text in (SAFETY_HELP | CONSENT_HELP).items():
                self.fields[name].help_text = text
            for name, text in SAFETY_LABELS.items():
                self.fields[name].label = text
        self.fields.update(_dates(forms.fields_for_model(Referral, fields=REFERRAL_FIELDS)))
        self._add_referrer_fields(user)
        self.fields["urgency"].initial = Urgency.ROUTINE
        self._widen_postcode()
        self.fields["received_on"].initial = timezone.localdate
        self.fields["record_not_eligible"] = forms.BooleanField(
            label="Record it as not eligible", required=False, help_text="The referral is kept, closed as not eligible."
        )
        self.fields["eligibility_override_reason"] = forms.CharField(
            label="Or accept it anyway, because…",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="Recorded on the referral and in the audit log.",
        )
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.show_past_end = bool(
            self.is_bound and (self.data.get("record_not_eligible") or self.data.get("eligibility_override_reason"))
        )
        self._layout()

    def _layout(self) -> None:
        """The parent, the family, safe contact, consent, the referral; the
        past-the-end choice only once the service has said it applies."""
        parts = [Fieldset("Service", "service")]
        if self.parent is None:
            parts += [
                Fieldset("The parent", *INTAKE_PARENT_FIELDS),
                Fieldset("Pregnancy or child", "due_date", "birth_date"),
                Fieldset(
                    "Safe contact",
                    HTML(
                        '<p class="form-text mt-0">Ask the referrer or the parent how we may contact the parent '
                        "safely (for example where there is domestic abuse). Tick the channels that are safe, or "
                        "“None is safe”. Leave them all unticked if nobody could say yet: the referral cannot join "
                        "the waiting list until this is recorded.</p>"
                    ),
                    *SAFETY_FIELDS,
                ),
                Fieldset(
                    "Consent and lawful basis",
                    "contact_consent",
                    "evaluation_consent",
                    "lawful_basis_article6",
                    "lawful_basis_article9",
                ),
            ]
        parts.append(Fieldset("The referral", *_referral_layout(self)))
        if self.show_past_end:
            # First, where the warning above it is read.
            parts.insert(
                0,
                Fieldset(
                    "Past the service's end date",
                    "record_not_eligible",
                    "eligibility_override_reason",
                    css_class="border border-warning rounded p-3 mb-3",
                ),
            )
        self.helper.layout = Layout(*parts)

    def offer_past_end(self) -> None:
        """The service refused a parent past the end: ask what to do."""
        self.show_past_end = True
        self._layout()

    def clean(self) -> dict:
        data = super().clean()
        if self.parent is None and (data.get("due_date") or data.get("birth_date")):
            for field, message in pregnancy_date_errors(
                due_date=data.get("due_date"),
                birth_date=data.get("birth_date"),
                loss_date=None,
                today=timezone.localdate(),
            ).items():
                self.add_error(field, message)
        received = data.get("received_on")
        if received and received > timezone.localdate():
            self.add_error("received_on", "The date received cannot be in the future.")
        if self.parent is None:
            _safety_clean(self, data)
        self._clean_referrer_choice(data)
        return data

    def parent_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in INTAKE_PARENT_FIELDS if f in self.cleaned_data}
        if self.parent is not None:
            return data
        # Asked on the day the referral came in (or today, when it is not given).
        asked_on = self.cleaned_data.get("received_on") or timezone.localdate()
        data["lawful_basis_article6"] = self.cleaned_data.get("lawful_basis_article6", "")
        data["lawful_basis_article9"] = self.cleaned_data.get("lawful_basis_article9", "")
        if self.cleaned_data.get("contact_consent"):
            data["contact_consent_given_on"] = asked_on
        answer = self.cleaned_data.get("evaluation_consent")
        if answer:
            data["evaluation_consent_asked_on"] = asked_on
            data["evaluation_consent_given_on"] = asked_on if answer == "yes" else None
        return data

    def safety_data(self) -> dict | None:
        if self.parent is not None:
            return None
        return {f: self.cleaned_data[f] for f in SAFETY_FIELDS if f in self.cleaned_data}

    def past_end_data(self) -> dict:
        return {
            "record_not_eligible": bool(self.cleaned_data.get("record_not_eligible")),
            "eligibility_override_reason": self.cleaned_data.get("eligibility_override_reason", ""),
        }

    def child_data(self) -> dict | None:
        due, born = self.cleaned_data.get("due_date"), self.cleaned_data.get("birth_date")
        if self.parent is not None or not (due or born):
            return None
        return {"due_date": due, "birth_date": born}

    def referral_data(self) -> dict:
        """The referral's details, with the directory's referrer (or None: a
        referrer added on the form is set by the view once it is saved)."""
        data = {f: self.cleaned_data[f] for f in REFERRAL_FIELDS if f in self.cleaned_data}
        data["referrer"] = self.cleaned_data.get("referrer")
        return data


def _referral_layout(form: ReferrerPicker) -> list:
    """The referral's fields: how it came, who referred (the directory's
    picker), the parent's agreement to updates, then the rest."""
    legacy = [name for name in LEGACY_REFERRER_FIELDS if name in form.fields]
    rest = [name for name in REFERRAL_FIELDS if name not in ("source", "referrer_updates_consent")]
    return ["source", *form.referrer_layout(), *legacy, "referrer_updates_consent", *rest]


class ParentForm(_ParentCleaning, forms.ModelForm):
    class Meta:
        model = Parent
        fields = PARENT_EDIT_FIELDS
        widgets = {
            "date_of_birth": DATE,
            "contact_consent_given_on": DATE,
            "evaluation_consent_asked_on": DATE,
            "evaluation_consent_given_on": DATE,
            "evaluation_consent_withdrawn_on": DATE,
        }
        help_texts = {
            **CONSENT_HELP,
            "evaluation_consent_asked_on": "The day the parent was asked, whether they said yes or no.",
            "evaluation_consent_given_on": "Only if they said yes.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._widen_postcode()

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("needs_agreed") and (
            data.get("refugee_or_asylum_seeking") or data.get("substance_use") or data.get("ethnicity")
        ):
            self.add_error("needs_agreed", "Needs can be recorded only when the parent agrees.")
        given, withdrawn = data.get("evaluation_consent_given_on"), data.get("evaluation_consent_withdrawn_on")
        if withdrawn is not None and (given is None or withdrawn < given):
            # A field error here also keeps the model's constraint from repeating it as a form-wide error.
            self.add_error("evaluation_consent_withdrawn_on", "Consent can only be withdrawn after it was given.")
        return data


class ContactSafetyForm(forms.ModelForm):
    """Safe contact asks for an answer: some channels, or none safe."""

    class Meta:
        model = Parent
        fields = SAFETY_FIELDS
        help_texts = SAFETY_HELP
        labels = SAFETY_LABELS

    def clean(self) -> dict:
        data = super().clean()
        if not any(data.get(field) for field in (*services.SAFE_CHANNEL_FIELDS, "contact_through_referrer")):
            self.add_error(None, "Tick the channels that are safe, or “None is safe: contact through the referrer”.")
        _safety_clean(self, data)
        return data


class ChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = [
            "name",
            "due_date",
            "birth_date",
            "gestation_weeks_at_birth",
            "neonatal_care",
            "loss_kind",
            "loss_date",
        ]
        widgets = {"due_date": DATE, "birth_date": DATE, "loss_date": DATE}

    def clean(self) -> dict:
        data = super().clean()
        for field, message in pregnancy_date_errors(
            due_date=data.get("due_date"),
            birth_date=data.get("birth_date"),
            loss_date=data.get("loss_date"),
            today=timezone.localdate(),
        ).items():
            if field not in self.errors:
                self.add_error(field, message)
        if bool(data.get("loss_kind")) != bool(data.get("loss_date")):
            self.add_error("loss_date", "Record both the kind of loss and its date.")
        return data


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label="Move to", choices=Status.choices)
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when a referral leaves the workflow or a match falls through.",
    )

    def __init__(self, *args, referral: Referral, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Show the allowed moves but accept any state: the service refuses the
        # others and says why (for "matched": confirm a match instead).
        self.fields["to_status"].widget.choices = move_choices(referral.status)
        self.fields["to_status"].error_messages["required"] = "Choose where to move the referral."
        self.fields["to_status"].error_messages["invalid_choice"] = (
            f"A referral that is {referral.get_status_display().lower()} cannot move there."
        )


class BoardFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any open state"), *Status.choices[:7]])
    # Services and council areas as (id, name) choices set below, not model
    # choice fields: those read their options through a server-side cursor
    # (three round trips on PostgreSQL) and build a model instance per option.
    service = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    council_area = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    urgency = forms.TypedChoiceField(required=False, coerce=int, choices=[("", "Any urgency"), *Urgency.choices])

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # One organisation's services: by name, without the join to the
        # organisation that the model's ordering would add.
        services = Service.objects.visible_to(user).order_by("name").values_list("pk", "name")
        self.fields["service"].choices = [("", "Any service"), *services]
        self.fields["council_area"].choices = [("", "Any council area"), *CouncilArea.objects.values_list("pk", "name")]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        self.helper = row_helper(self, column="col-sm-6 col-lg-3")


class ParentSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by name, postcode or phone",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"Search for at most {MAX_QUERY_LENGTH} characters: a name, a postcode or a phone."
        },
        widget=forms.TextInput(attrs={"placeholder": "Name, postcode or phone"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="%s", **kwargs)  # the page's id was "q": kept
        self.helper = row_helper(self, column="col-auto")
        self.helper.label_class = "visually-hidden"


class EraseConfirmForm(forms.Form):
    confirm = forms.CharField(label="Type ERASE to confirm", widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="%s", **kwargs)  # the page's id was "confirm": kept
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_confirm(self) -> str:
        if self.cleaned_data["confirm"] != "ERASE":
            raise ValidationError("Type ERASE to confirm.")
        return self.cleaned_data["confirm"]


class ReferralForm(ReferrerPicker, forms.ModelForm):
    """Changes to a referral's details; the state moves only through transitions.
    How it came in is not among them: it is a fact of its arrival."""

    class Meta:
        model = Referral
        fields = ["service", *REFERRAL_FIELDS, *LEGACY_REFERRER_FIELDS]
        widgets = {"received_on": DATE}
        labels = {"referrer_name": "Referrer (as typed before the directory)", "referrer_contact": "Their contact"}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.visible_to(user)
        self.fields["service"].error_messages["invalid_choice"] = "Choose a service of your organisation."
        referral = self.instance
        if not (referral.referrer_name or referral.referrer_contact):
            # Only a referral made before the directory has these to correct.
            for name in LEGACY_REFERRER_FIELDS:
                del self.fields[name]
        self._add_referrer_fields(user, current=referral.referrer)
        self.initial["referrer"] = referral.referrer_id
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.layout = Layout("service", *_referral_layout(self))

    def clean(self) -> dict:
        data = super().clean()
        self._clean_referrer_choice(data)
        return data

    def validate_unique(self) -> None:
        # The one-open-referral rule is checked by the service, which names the existing referral.
        return None


class RestrictionForm(forms.Form):
    """A manager records a restriction of processing asked for by the parent."""

    requested_on = forms.DateField(label="Date the parent asked", widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(
        label="Why processing is restricted",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the parent contests the accuracy of the record while it is checked.",
    )


class SubjectAccessForm(forms.Form):
    """The day the parent asked, for the report's header (a GET form: the
    report is read, never written)."""

    requested_on = forms.DateField(label="Date the parent asked", widget=DATE, required=False)

    def clean_requested_on(self):
        day = self.cleaned_data["requested_on"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return day


class LiftRestrictionForm(forms.Form):
    reason = forms.CharField(
        label="Why the restriction is lifted",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the record was corrected and the parent was told.",
    )


class TimelineFilterForm(forms.Form):
    """The kinds of entry the parent's timeline shows; none ticked shows every kind."""

    kind = forms.MultipleChoiceField(
        label="Show",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose from the kinds listed.",
        },
    )

    def __init__(self, *args, kinds: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds.items())
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(InlineCheckboxes("kind"))

    def chosen(self) -> list[str]:
        """The kinds ticked, or every kind when none is (or the choice was not understood)."""
        every = [code for code, _ in self.fields["kind"].choices]
        if self.is_valid() and self.cleaned_data["kind"]:
            return self.cleaned_data["kind"]
        return every
