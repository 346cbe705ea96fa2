"""The two public forms: validate and normalise what anyone on the internet
may type; the services write.

Every text field has a ``max_length`` (an answer too long is a field error,
never a truncated record), the dates and postcode are checked as the staff
intake checks them, and there is no file field. ``website`` is the honeypot:
hidden from people (and from screen readers), filled in by bots.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from operations.core.dates import short_date
from operations.core.form_choices import choices_for
from operations.core.models import CouncilArea, Organisation, Service
from referrals.models import ParentRole, ReferrerKind, Source
from referrals.online.models import FormKind, OnlineReferralSettings
from referrals.validators import normalise_postcode, normalise_uk_phone, pregnancy_date_errors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
HONEYPOT = "website"

#: A referrer's kind of team, as the referral's "referred by".
SOURCE_OF_KIND = {
    ReferrerKind.HEALTH_VISITING: Source.HEALTH_VISITOR,
    ReferrerKind.MIDWIFERY: Source.MIDWIFE,
    ReferrerKind.GP_PRACTICE: Source.GP,
    ReferrerKind.PERINATAL_MENTAL_HEALTH: Source.PERINATAL_MENTAL_HEALTH,
    ReferrerKind.SOCIAL_WORK: Source.SOCIAL_WORK,
    ReferrerKind.CHARITY: Source.OTHER_CHARITY,
    ReferrerKind.OTHER: Source.OTHER,
}

#: Fields the parent's record takes as they are.
PARENT_FIELDS = (
    "role",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "phone",
    "email",
    "town",
    "postcode",
    "council_area",
    "language",
    "interpreter_needed",
)
#: The organisation's lived-experience list, offered by the volunteers layer (operations.core.form_choices).
LIVED_EXPERIENCE_LIST = "lived-experience"
CHANNELS = ("safe_sms", "safe_email", "safe_phone", "safe_voicemail")
REFERRER_FIELDS = ("referrer_name", "referrer_role", "referrer_team", "referrer_team_kind", "referrer_email")


def _text(
    label: str, max_length: int, *, required: bool = True, help_text: str = "", initial: str = "", **attrs: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        initial=initial or None,
        widget=forms.TextInput(attrs={"maxlength": max_length, **attrs}),
        error_messages={"max_length": f"Keep this to {max_length} characters or fewer."},
    )


class OnlineReferralForm(forms.Form):
    """The self-referral form; ``ProfessionalReferralForm`` adds the referrer's part."""

    kind = FormKind.SELF

    service = forms.ChoiceField(label="What support would you like?", widget=forms.RadioSelect)
    role = forms.ChoiceField(label="You are the baby's", choices=ParentRole.choices, initial=ParentRole.MOTHER)
    first_name = _text("First name", 100, autocomplete="given-name")
    last_name = _text("Last name", 100, autocomplete="family-name")
    preferred_name = _text("Name you like to be called (if different)", 100, required=False)
    date_of_birth = forms.DateField(label="Your date of birth", widget=DATE)
    due_date = forms.DateField(label="When is your baby due?", required=False, widget=DATE)
    birth_date = forms.DateField(
        label="Or, if your baby is born: the baby's date of birth", required=False, widget=DATE
    )
    council_area = forms.ChoiceField(label="Council area you live in", required=False)
    town = _text("Town or village", 80, autocomplete="address-level2")
    postcode = _text("Postcode (if you want to give it)", 20, required=False, autocomplete="postal-code")
    phone = _text("Phone number", 30, required=False, autocomplete="tel", inputmode="tel")
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"maxlength": 254, "autocomplete": "email"}),
        error_messages={"max_length": "Keep this to 254 characters or fewer."},
    )
    language = _text("Language you would like to speak", 60, initial="English")
    interpreter_needed = forms.BooleanField(label="I would like an interpreter", required=False)
    safe_sms = forms.BooleanField(label="Text message", required=False)
    safe_email = forms.BooleanField(label="Email", required=False)
    safe_phone = forms.BooleanField(label="Phone call", required=False)
    safe_voicemail = forms.BooleanField(label="Voicemail", required=False)
    may_name_service = forms.BooleanField(label="Messages may say who they are from", required=False)
    best_contact_times = _text(
        "When is it safe to contact you, and when not?",
        150,
        required=False,
        help_text="For example: weekday mornings; never after 5pm.",
    )
    lived_experience = forms.TypedMultipleChoiceField(
        label="Would you like a volunteer who has been through something similar? (optional)",
        help_text="Tick any that matter to you. The team will try, but cannot always promise.",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": "Choose from the list."},
    )
    reason = forms.CharField(
        label="Anything you would like us to know (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        error_messages={"max_length": "Keep this to 2000 characters or fewer."},
    )
    contact_consent = forms.BooleanField(
        label="I agree that {organisation} may contact me about support",
        error_messages={"required": "We can only take the form if you agree that we may contact you."},
    )
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.services = {str(s.pk): s for s in Service.objects.filter(organisation=organisation).active()}
        self.fields["service"].choices = [(pk, s.name) for pk, s in self.services.items()]
        self.fields["service"].error_messages["invalid_choice"] = "Choose one of the services listed."
        self.fields["service"].error_messages["required"] = "Choose the support you would like."
        areas = list(organisation.council_areas.order_by("name").values_list("pk", "name")) or list(
            CouncilArea.objects.values_list("pk", "name")
        )
        self.area_names = [name for _, name in areas]
        self.fields["council_area"].choices = [("", "Choose…"), *areas, ("elsewhere", "Somewhere else")]
        self.fields["council_area"].error_messages["invalid_choice"] = "Choose your council area from the list."
        consent = self.fields["contact_consent"]
        consent.label = consent.label.format(organisation=organisation.name)
        lived = choices_for(LIVED_EXPERIENCE_LIST, organisation)
        if lived:
            self.fields["lived_experience"].choices = lived
        else:
            del self.fields["lived_experience"]  # nothing to ask
        self.fields[HONEYPOT].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    # --- the honeypot --------------------------------------------------------

    def is_spam(self) -> bool:
        """The hidden field was filled: a bot. Read before validation, so a
        bot's garbage gets the same answer as a person's form."""
        return bool(self.data.get(HONEYPOT, "").strip())

    def raw_answers(self) -> dict[str, str]:
        """What a bot sent, for the spam hold: the form's own fields only,
        each cut to its length (nothing it sends is trusted)."""
        answers = {}
        for name, field in self.fields.items():
            value = " ".join(self.data.getlist(name)) if hasattr(self.data, "getlist") else self.data.get(name, "")
            limit = getattr(field, "max_length", None) or 100
            if value:
                answers[str(field.label)] = str(value)[:limit]
        return answers

    # --- cleaning --------------------------------------------------------

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data.get("postcode", ""))

    def clean_phone(self) -> str:
        return normalise_uk_phone(self.cleaned_data.get("phone", ""))

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise ValidationError("The date of birth cannot be in the future.")
        return born

    def clean(self) -> dict:
        data = super().clean()
        today = timezone.localdate()
        if "due_date" not in self.errors and "birth_date" not in self.errors:
            for field, message in pregnancy_date_errors(
                due_date=data.get("due_date"), birth_date=data.get("birth_date"), loss_date=None, today=today
            ).items():
                self.add_error(field, message)
        self._clean_contact(data)
        return data

    def _clean_contact(self, data: dict) -> None:
        """At least one safe way to reach her, with the detail it needs."""
        channels = [name for name in CHANNELS if data.get(name)]
        if not channels:
            self.add_error("safe_sms", "Tick at least one way it is safe to contact you.")
        self._detail_for_channels(data, channels)

    def _detail_for_channels(self, data: dict, channels: list[str]) -> None:
        if any(name in channels for name in ("safe_sms", "safe_phone", "safe_voicemail")) and not data.get("phone"):
            if "phone" not in self.errors:
                self.add_error("phone", "Give a phone number, as a text, call or voicemail is safe.")
        if "safe_email" in channels and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Give an email address, as email is safe.")

    # --- what the services take --------------------------------------------

    @property
    def chosen_service(self) -> Service:
        return self.services[self.cleaned_data["service"]]

    def parent_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in PARENT_FIELDS}
        area = data.pop("council_area")
        data["council_area"] = CouncilArea.objects.filter(pk=area).first() if area and area.isdigit() else None
        data["contact_consent_given_on"] = timezone.localdate()
        return data

    def child_data(self) -> dict[str, Any]:
        return {"due_date": self.cleaned_data.get("due_date"), "birth_date": self.cleaned_data.get("birth_date")}

    def safety_data(self) -> dict[str, Any]:
        fields = (*CHANNELS, "may_name_service", "best_contact_times", "contact_through_referrer")
        return {name: self.cleaned_data[name] for name in fields if name in self.cleaned_data}

    def referral_data(self) -> dict[str, Any]:
        return {"source": Source.SELF, "reason": self.cleaned_data.get("reason", "")}

    def referrer_data(self) -> dict[str, Any] | None:
        return None

    def lived_experience_ids(self) -> list[int]:
        """The lived experience she would like her volunteer to share (ids of the organisation's list)."""
        return list(self.cleaned_data.get("lived_experience") or [])

    def acknowledge_to(self) -> str:
        """Where the acknowledgement goes: her email, only when she said email is safe."""
        return self.cleaned_data.get("email", "") if self.cleaned_data.get("safe_email") else ""

    def acknowledgement_names_service(self) -> bool:
        return bool(self.cleaned_data.get("may_name_service"))

    def answers(self) -> dict[str, str]:
        """What was typed, as labels and readable values, for a coordinator
        reading a held submission."""
        shown = {}
        for name, field in self.fields.items():
            if name == HONEYPOT:
                continue
            value = self.cleaned_data.get(name)
            if name == "service":
                value = self.chosen_service.name
            elif name == "council_area":
                value = dict(self.fields["council_area"].choices).get(value or "", "")
            elif isinstance(value, list):
                value = ", ".join(str(dict(field.choices).get(item, item)) for item in value)
            elif hasattr(field, "choices") and value:
                value = dict(field.choices).get(value, value)
            if isinstance(value, bool):
                value = "Yes" if value else ""
            elif hasattr(value, "isoformat"):
                value = short_date(value)
            if value:
                shown[str(field.label)] = str(value)
        return shown


class ProfessionalReferralForm(OnlineReferralForm):
    """A midwife, health visitor, GP … refers a parent who agreed."""

    kind = FormKind.PROFESSIONAL

    referrer_name = _text("Your name", 150, autocomplete="name")
    referrer_role = _text("Your role", 100, help_text="For example: health visitor, midwife, GP.")
    referrer_team = _text("Your team or practice", 150, help_text="For example: Galashiels health visiting team.")
    referrer_team_kind = forms.ChoiceField(label="Kind of team", choices=ReferrerKind.choices)
    referrer_email = forms.EmailField(
        label="Your work email",
        max_length=254,
        widget=forms.EmailInput(attrs={"maxlength": 254, "autocomplete": "work email"}),
        error_messages={"max_length": "Keep this to 254 characters or fewer."},
    )
    referrer_phone = _text("Your work phone", 30, required=False, inputmode="tel")
    contact_through_referrer = forms.BooleanField(label="None of these is safe: contact her through me", required=False)
    parent_agreed = forms.BooleanField(
        label="The parent agreed to be referred",
        error_messages={"required": "Refer a parent only when she has agreed to it."},
    )
    referrer_updates_consent = forms.BooleanField(
        label="The parent agreed that we may tell you how the referral goes", required=False
    )

    #: The parent's part, worded to the referrer.
    LABELS = {
        "service": "What support would she like?",
        "role": "The parent is the baby's",
        "first_name": "Parent's first name",
        "last_name": "Parent's last name",
        "preferred_name": "Name she likes to be called (if different)",
        "date_of_birth": "Parent's date of birth",
        "due_date": "When is the baby due?",
        "birth_date": "Or, if the baby is born: the baby's date of birth",
        "council_area": "Council area she lives in",
        "town": "Her town or village",
        "postcode": "Her postcode (if known)",
        "phone": "Her phone number",
        "email": "Her email address",
        "language": "Language she would like to speak",
        "interpreter_needed": "She would like an interpreter",
        "best_contact_times": "When is it safe to contact her, and when not?",
        "lived_experience": "Would she like a volunteer who has been through something similar? (optional)",
        "reason": "Reason for the referral, and anything we should know",
        "contact_consent": "The parent agreed that {organisation} may contact her",
    }

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        for name, label in self.LABELS.items():
            if name not in self.fields:
                continue
            self.fields[name].label = label.format(organisation=organisation.name)
        self.fields["contact_consent"].error_messages["required"] = (
            "Refer a parent only when she has agreed that we may contact her."
        )
        if "lived_experience" in self.fields:
            self.fields[
                "lived_experience"
            ].help_text = "Tick any that matter to her. The team will try, but cannot always promise."

    def clean_referrer_phone(self) -> str:
        return normalise_uk_phone(self.cleaned_data.get("referrer_phone", ""))

    def clean_referrer_email(self) -> str:
        return self.cleaned_data["referrer_email"].strip().lower()

    def _clean_contact(self, data: dict) -> None:
        channels = [name for name in CHANNELS if data.get(name)]
        if channels and data.get("contact_through_referrer"):
            self.add_error("contact_through_referrer", "Tick the ways that are safe, or “None of these”, not both.")
        elif not channels and not data.get("contact_through_referrer"):
            self.add_error("safe_sms", "Tick the ways it is safe to contact her, or “None of these”.")
        self._detail_for_channels(data, channels)

    def referral_data(self) -> dict[str, Any]:
        return {
            "source": SOURCE_OF_KIND[self.cleaned_data["referrer_team_kind"]],
            "reason": self.cleaned_data.get("reason", ""),
            "referrer_name": self.cleaned_data["referrer_name"],
            "referrer_contact": self.cleaned_data["referrer_email"],
            "referrer_updates_consent": bool(self.cleaned_data.get("referrer_updates_consent")),
        }

    def referrer_data(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data["referrer_name"],
            "role": self.cleaned_data["referrer_role"],
            "team": self.cleaned_data["referrer_team"],
            "kind": self.cleaned_data["referrer_team_kind"],
            "email": self.cleaned_data["referrer_email"],
            "phone": self.cleaned_data.get("referrer_phone", ""),
        }

    def acknowledge_to(self) -> str:
        return self.cleaned_data["referrer_email"]

    def acknowledgement_names_service(self) -> bool:
        return True  # a work address: the referrer knows whom she referred to


FORMS: dict[str, type[OnlineReferralForm]] = {
    FormKind.SELF: OnlineReferralForm,
    FormKind.PROFESSIONAL: ProfessionalReferralForm,
}


class OnlineSettingsForm(forms.ModelForm):
    """The manager's switches and the words above the forms."""

    class Meta:
        model = OnlineReferralSettings
        fields = ["self_form_open", "professional_form_open", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}
