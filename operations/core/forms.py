from __future__ import annotations

import datetime as dt
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from operations.core import record_names
from operations.core.audit import AuditAction


def new_client_key() -> str:
    return str(uuid.uuid4())


class ClientKeyField(forms.CharField):
    """The hidden key a form carries so that, sent twice (a lost reply on a
    poor connection, the phone's offline queue retrying), it is kept once
    (operations.core.sent_once). Made when the form is first shown; the
    phone's script keeps it with the draft and makes a fresh one for the next
    record. A missing or mangled key only loses the protection against a
    duplicate: it is no reason to refuse the record."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, initial=new_client_key, **kwargs)

    def clean(self, value) -> uuid.UUID | None:
        try:
            return uuid.UUID(str(value))
        except (TypeError, ValueError):
            return None


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Puts a service's ValidationError on the form: each message on its
    field when the form has that field, the others on top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


#: The header the phone's offline queue (volunteers/matching/static/matching/phone.js) sends its forms with.
PHONE_QUEUE_HEADER = "X-Phone-Queue"


def saved_answer(request: HttpRequest, url: str) -> HttpResponse:
    """The answer to a form that was saved: the page it leads to (``url``), or,
    when the phone's queue sent it, 204 No Content. The queue then never takes
    a redirect for "saved": a redirect it gets is the sign-in page (signed out
    while the phone was away), and what she typed is kept until she signs in."""
    if request.headers.get(PHONE_QUEUE_HEADER) == "1":
        return HttpResponse(status=204)
    return redirect(url)


def row_helper(form: forms.BaseForm, *, column: str, columns: dict[str, str] | None = None) -> FormHelper:
    """Crispy settings for a list's filter form laid out in one Bootstrap
    row: the template writes the <form> (with its htmx attributes) and the
    button, crispy each field, in a column of class ``column`` (or the
    field's own in ``columns``)."""
    columns = columns or {}
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*(Field(name, wrapper_class=columns.get(name, column)) for name in form.fields))
    return helper


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
    object_type = forms.ChoiceField(label="Record type", required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Words grouped by part of the system ("Referrals: Referral"), the model label as the value.
        self.fields["object_type"].choices = [("", "Any record"), *record_names.type_choices()]

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
