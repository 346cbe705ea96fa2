"""Forms of the expenses pages: they validate and normalise; the services
(``volunteers.expenses.services``) enforce the rules and write."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms

from operations.core.dates import short_date
from volunteers.expenses import targets
from volunteers.expenses.models import ExpenseCategory, ExpenseClaim, ExpenseSettings, Kind, pounds
from volunteers.expenses.services import NOTE_MAX_LENGTH, own_contact_logs
from volunteers.matching.forms import DateInput


def _no_form_tag(form: forms.BaseForm) -> FormHelper:
    helper = FormHelper(form)
    helper.form_tag = False
    return helper


def _first_name(log) -> str:
    """What a volunteer calls the mother: her preferred name."""
    parent = log.match.parent
    return parent.preferred_name or parent.first_name


#: The claim field of a contact log, beside the plug-ins' (``targets``): ``for_what`` is "contact_log:12".
CONTACT = "contact_log"


class ClaimForm(forms.Form):
    """Phone-first: what for (mileage or a cost), which contact or group
    session, then the miles or the amount and the receipt photo. The page
    shows the mileage fields or the cost fields as the first answer says
    (CSS); without it both show and the service keeps what the kind needs."""

    kind = forms.ChoiceField(label="What are you claiming?", choices=Kind.choices, widget=forms.RadioSelect)
    for_what = forms.ChoiceField(label="What is this for?")
    miles = forms.DecimalField(label="Miles", required=False, min_value=Decimal("0.1"), max_digits=5, decimal_places=1)
    from_place = forms.CharField(label="From (optional)", max_length=100, required=False)
    to_place = forms.CharField(label="To (optional)", max_length=100, required=False)
    category = forms.TypedChoiceField(label="What was it for?", coerce=int, required=False)
    amount = forms.DecimalField(
        label="Amount (£)", required=False, min_value=Decimal("0.01"), max_digits=7, decimal_places=2
    )
    spent_on = forms.DateField(label="Date paid (if not the day of the contact)", required=False, widget=DateInput)
    receipt = forms.FileField(
        label="Photo of the receipt",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}),
    )
    note = forms.CharField(
        label="Anything to add (optional)", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, config: ExpenseSettings, claim: ExpenseClaim | None = None, **kwargs) -> None:
        # The page passes ``request.POST or None``: a GET's form is (None, None), and starts from the claim.
        if claim is not None and not kwargs.get("data") and not any(args):
            kwargs["initial"] = {
                "kind": claim.kind,
                "for_what": _chosen(claim),
                "miles": claim.miles,
                "from_place": claim.from_place,
                "to_place": claim.to_place,
                "category": claim.category_id,
                "amount": Decimal(claim.amount_pence) / 100 if claim.kind == Kind.OUT_OF_POCKET else None,
                "spent_on": claim.spent_on if claim.kind == Kind.OUT_OF_POCKET else None,
                "note": claim.note,
            }
        super().__init__(*args, **kwargs)
        logs = list(own_contact_logs(user).order_by("-contact_date", "-pk")[:30])
        groups = [
            (
                "Contacts with families",
                [
                    (
                        f"{CONTACT}:{log.pk}",
                        f"{short_date(log.contact_date)} · {_first_name(log)} · {log.get_mode_display()}",
                    )
                    for log in logs
                ],
            )
        ]
        for name, target in targets.targets().items():
            groups.append((target.label, [(f"{name}:{pk}", words) for pk, words in target.options(user)]))
        groups = [(label, options) for label, options in groups if options]
        self.has_choices = bool(groups)
        self.fields["for_what"].choices = [("", "Choose a contact or a session")] + groups
        categories = ExpenseCategory.objects.filter(organisation_id=config.organisation_id, is_active=True)
        self.fields["category"].choices = [("", "Choose one")] + [(c.pk, c.name) for c in categories]
        self.fields["miles"].help_text = f"Paid at {config.rate_words}."
        self.fields["receipt"].help_text = (
            "Needed for every cost."
            if config.receipt_needed_above_pence == 0
            else f"Needed for costs over {pounds(config.receipt_needed_above_pence)}."
        )
        if claim is not None and claim.receipt_file:
            self.fields["receipt"].help_text = "A new photo replaces the one you sent; leave empty to keep it."
        self.helper = _no_form_tag(self)

    def clean(self):
        """The service's field of the choice: ``contact_log`` or a plug-in's (``group_session``) with its id."""
        cleaned = super().clean()
        chosen = cleaned.pop("for_what", "")
        if chosen:
            name, _, pk = chosen.partition(":")
            cleaned[name] = int(pk)
        return cleaned

    def add_error(self, field, error):
        # The service names what the claim is for by its own field; here it is one choice.
        if field == CONTACT or field in targets.targets():
            field = "for_what"
        super().add_error(field, error)

    def clean_receipt(self):
        # A ClearableFileInput's "clear" box is not offered: False would mean "remove".
        receipt = self.cleaned_data.get("receipt")
        return receipt or None


def _chosen(claim: ExpenseClaim) -> str | None:
    """The ``for_what`` value of what a claim is for now, when it is still on record."""
    if claim.contact_log_id:
        return f"{CONTACT}:{claim.contact_log_id}"
    for name, target in targets.targets().items():
        linked = target.linked(claim)
        if linked is not None:
            return f"{name}:{linked[0]}"
    return None


class DecisionForm(forms.Form):
    """The question (query) or the reason (reject): one text box, shown beside the buttons."""

    text = forms.CharField(
        label="Question or reason",
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to query or to reject; the volunteer reads it.",
    )


class PaidForm(forms.Form):
    paid_on = forms.DateField(label="Paid on", widget=DateInput)


class ExpenseSettingsForm(forms.Form):
    pence_per_mile = forms.IntegerField(
        label="Rate per mile (pence)", min_value=1, max_value=200, help_text="Claims made from now on use it."
    )
    receipt_needed_above = forms.DecimalField(
        label="Receipt needed for costs over (£)",
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
        decimal_places=2,
        help_text="0 means every out-of-pocket cost needs a photo of its receipt.",
    )
    categories = forms.CharField(
        label="Categories of out-of-pocket costs",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One a line. Remove a line to stop offering it (claims already made keep it).",
    )

    def __init__(self, *args, config: ExpenseSettings, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "pence_per_mile": config.pence_per_mile,
                "receipt_needed_above": Decimal(config.receipt_needed_above_pence) / 100,
                "categories": "\n".join(
                    ExpenseCategory.objects.filter(organisation_id=config.organisation_id, is_active=True).values_list(
                        "name", flat=True
                    )
                ),
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = _no_form_tag(self)

    def clean_categories(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["categories"].splitlines() if line.strip()]
