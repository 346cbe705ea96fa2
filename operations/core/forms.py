from __future__ import annotations

import datetime as dt
import html

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from operations.core.audit import AuditAction


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Puts a service's ValidationError on the form: each message on its
    field when the form has that field, the others on top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class PlainSelect(forms.Select):
    """A single select rendered in Python: the markup of Django's Select
    without a template render per option. List filters offer dozens of
    options (32 council areas) on pages that must render fast, so each option
    is one f-string with its value and label escaped, not a format_html call
    (whose checks for lazy text cost more than the option). Option groups are
    flattened, as before."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        chosen = self.format_value(value)
        options = []
        for choice, label in self._flat_choices():
            choice = "" if choice is None else str(choice)
            # Like Django's Select, only the first option with the value is selected.
            selected = " selected" if choice in chosen else ""
            if selected:
                chosen = []
            options.append(f'<option value="{html.escape(choice)}"{selected}>{html.escape(str(label))}</option>')
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 - every value and label is escaped above
        )

    def _flat_choices(self):
        for choice, label in self.choices:
            if isinstance(label, (list, tuple)):
                yield from label
            else:
                yield choice, label


class OTPTokenForm(forms.Form):
    otp_token = forms.CharField(
        label="Six-digit code from your authenticator app",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_otp_token(self) -> str:
        token = self.cleaned_data["otp_token"].replace(" ", "")
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError("Enter the six digits your authenticator app shows, e.g. 123456.")
        return token


class TwoFactorVerifyForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    otp_token = forms.CharField(
        label="Six-digit code from your authenticator app, or a recovery code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_otp_token(self) -> str:
        typed = "".join(self.cleaned_data["otp_token"].split())
        if typed.isdigit() and len(typed) == 6:
            self.is_recovery_code = False
            return typed
        code = typed.replace("-", "").lower()
        if len(code) == 8 and set(code) <= set("abcdefghijklmnopqrstuvwxyz234567"):
            self.is_recovery_code = True
            return code
        raise forms.ValidationError(
            "Enter the six digits your authenticator app shows (e.g. 123456), or one of your recovery codes "
            "(e.g. abcd-2345)."
        )


class AuditFilterForm(forms.Form):
    """Search the audit log. Every field is optional; a bad value is a field error."""

    actor = forms.CharField(label="Username", max_length=150, required=False)
    action = forms.ChoiceField(label="Action", choices=[("", "Any action"), *AuditAction.choices], required=False)
    object_type = forms.CharField(
        label="Record type", max_length=60, required=False, help_text="For example core.Service or core.Membership."
    )
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        cleaned = super().clean()
        date_from: dt.date | None = cleaned.get("date_from")
        date_to: dt.date | None = cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned


class RetentionForm(forms.Form):
    """One field per registered retention rule: months to keep."""

    def __init__(self, *args, rules: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, rule in rules.items():
            if rule.period_set_by:
                continue
            self.fields[key] = forms.IntegerField(
                label=f"{rule.label}: months to keep",
                min_value=1,
                max_value=600,
                help_text=f"Default {rule.default_months} months.",
            )
