"""Bootstrap 5 markup for a form's fields, written in Python.

The volunteer's contact-log form is the page opened most from a phone; the
crispy template pack spent about 6 ms a request on its seven fields (nested
templates for every radio and checkbox). This writes the same markup the
pack writes — a label (or a fieldset and legend for a group of choices),
``is-invalid`` with ``aria-invalid`` and ``aria-describedby`` pointing at
the error, the widget's own attributes — for the widgets it knows; any other
widget is refused rather than drawn wrongly. Every value is escaped."""

from __future__ import annotations

import datetime as dt
from html import escape

from django import forms
from django.utils.safestring import SafeString, mark_safe

_INPUT_CLASSES = {"date": "dateinput", "number": "numberinput", "text": "textinput", "time": "timeinput"}


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {name}")
        elif value not in (None, False):
            parts.append(f' {name}="{escape(str(value))}"')
    return "".join(parts)


def _errors(field: forms.BoundField) -> tuple[dict, str]:
    """The attributes an invalid input carries, and the error's markup."""
    if not field.errors:
        return {}, ""
    error_id = f"{field.auto_id}_error"
    messages = "".join(
        f'<p id="error_{number}_{field.auto_id}"><strong>{escape(str(message))}</strong></p>'
        for number, message in enumerate(field.errors, start=1)
    )
    return (
        {"aria-invalid": "true", "aria-describedby": error_id},
        f'<div id="{error_id}" class="invalid-feedback d-block">{messages}</div>',
    )


def _label_text(field: forms.BoundField) -> str:
    text = escape(str(field.label))
    return f'{text}<span class="asteriskField">*</span>' if field.field.required else text


def _value(field: forms.BoundField, widget: forms.Widget) -> str | None:
    value = field.value()
    if value in (None, ""):
        return None
    if isinstance(value, dt.date) and getattr(widget, "format", None):
        return value.strftime(widget.format)
    return str(value)


def _control_attrs(field: forms.BoundField, css: str, invalid: dict, **before_widget) -> dict:
    """An input's or textarea's attributes in the order Django writes them:
    its own, the widget's, then class, required, the error's and the id."""
    return {
        "name": field.html_name,
        **before_widget,
        **field.field.widget.attrs,
        "class": f"{css} is-invalid" if field.errors else css,
        "required": field.field.required,
        **invalid,
        "id": field.auto_id,
    }


def _labelled(field: forms.BoundField, control: str, error_html: str) -> str:
    label_class = "form-label requiredField" if field.field.required else "form-label"
    return (
        f'<div id="div_{field.auto_id}" class="mb-3"><label for="{field.auto_id}" class="{label_class}">'
        f"{_label_text(field)}</label>{control}{error_html}</div>"
    )


def _input(field: forms.BoundField) -> str:
    widget = field.field.widget
    invalid, error_html = _errors(field)
    css = f"{_INPUT_CLASSES.get(widget.input_type, 'textinput')} form-control"
    attrs = {"type": widget.input_type, **_control_attrs(field, css, invalid, value=_value(field, widget))}
    return _labelled(field, f"<input{_attrs(attrs)}>", error_html)


def _textarea(field: forms.BoundField) -> str:
    invalid, error_html = _errors(field)
    # The field's maxlength is already among the widget's attributes (Django puts it there).
    attrs = _control_attrs(field, "textarea form-control", invalid)
    # A newline after the opening tag, as Django writes it: browsers drop one.
    control = f"<textarea{_attrs(attrs)}>\n{escape(field.value() or '')}</textarea>"
    return _labelled(field, control, error_html)


def _choices(field: forms.BoundField, input_type: str) -> str:
    invalid, error_html = _errors(field)
    value = field.value()
    chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
    boxes = []
    for number, (choice, label) in enumerate(field.field.choices):
        choice_id = f"{field.auto_id}_{number}"
        attrs = {
            "type": input_type,
            "class": "form-check-input is-invalid" if field.errors else "form-check-input",
            "name": field.html_name,
            "value": str(choice),
            "id": choice_id,
            "checked": str(choice) in chosen,
            "required": field.field.required and input_type == "radio",
            **invalid,
        }
        boxes.append(
            f'<div class="form-check"><input{_attrs(attrs)}>'
            f'<label for="{choice_id}" class="form-check-label">{escape(str(label))}</label></div>'
        )
    legend_class = "form-label requiredField fs-6" if field.field.required else "form-label fs-6"
    return (
        f'<div id="div_{field.auto_id}" class="mb-3"><fieldset><legend class="{legend_class}">'
        f"{_label_text(field)}</legend><div>{''.join(boxes)}</div>{error_html}</fieldset></div>"
    )


def _checkbox(field: forms.BoundField) -> str:
    invalid, error_html = _errors(field)
    attrs = {
        "type": "checkbox",
        "name": field.html_name,
        "class": "checkboxinput form-check-input is-invalid" if field.errors else "checkboxinput form-check-input",
        "checked": bool(field.value()),
        "required": field.field.required,
        **invalid,
        "id": field.auto_id,
    }
    return (
        f'<div class="mb-3"><div id="div_{field.auto_id}" class="form-check"><input{_attrs(attrs)}>'
        f'<label for="{field.auto_id}" class="form-check-label">{_label_text(field)}</label>{error_html}</div></div>'
    )


def field_html(field: forms.BoundField) -> str:
    widget = field.field.widget
    # CheckboxSelectMultiple is a RadioSelect in Django: asked first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return _choices(field, "checkbox")
    if isinstance(widget, forms.RadioSelect):
        return _choices(field, "radio")
    if isinstance(widget, forms.CheckboxInput):
        return _checkbox(field)
    if isinstance(widget, forms.Textarea):
        return _textarea(field)
    if isinstance(widget, forms.widgets.Input) and widget.input_type in _INPUT_CLASSES:
        return _input(field)
    raise TypeError(f"form_html cannot draw a {type(widget).__name__}; render {field.name} with crispy")


def form_html(form: forms.Form) -> SafeString:
    """Every visible field of ``form``, then its non-field errors first."""
    non_field = "".join(
        f'<div class="alert alert-block alert-danger"><ul class="m-0"><li>{escape(str(e))}</li></ul></div>'
        for e in form.non_field_errors()
    )
    return mark_safe(non_field + "".join(field_html(field) for field in form.visible_fields()))  # noqa: S308 (escaped above)
