"""The candidate page's repeated markup, built in Python: the rows of the
ranked and excluded volunteers and the matching-needs fields.

As templates, each row cost a few dozen variable lookups and two URL
reversals, and the needs form through crispy about 3 ms (every option of
its selects is a template of its own). The markup is the one the
templates and crispy-forms' Bootstrap 5 pack gave; the proposals page
writes a score's components through ``components_html`` too."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from volunteers.matching.scoring import Assessment


def components_html(assessment: Assessment) -> SafeString:
    """Each soft-score component with its points and reason."""
    return format_html(
        '<ul class="list-unstyled small mb-0">{}</ul>',
        format_html_join(
            "",
            '<li><span class="fw-semibold">{}</span> {}/{} <span class="text-body-secondary">— {}</span></li>',
            ((c.label, c.points, c.out_of, c.reason) for c in assessment.components),
        ),
    )


def _hidden_form(*, action: str, csrf_token: str, volunteer_id: int, button: SafeString, css: str = "") -> SafeString:
    """A plain POST naming one volunteer: works without JavaScript."""
    return format_html(
        '<form method="post" action="{}"{}><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="volunteer" value="{}">{}</form>',
        action,
        format_html(' class="{}"', css) if css else "",
        csrf_token,
        volunteer_id,
        button,
    )


def ranked_rows_html(
    ranked: Sequence[Assessment], *, confirm_url: str, conflict_url: str, can_match: bool, csrf_token: str
) -> SafeString:
    """Rows of the volunteers who pass every hard constraint, with the Match
    button (only while the referral waits) and the conflict-of-interest one."""
    if not ranked:
        return mark_safe(
            '<tr><td colspan="4">Nobody passes every hard constraint. See who was excluded and why below.</td></tr>'
        )
    match_button = mark_safe('<button type="submit" class="btn btn-sm btn-primary">Match</button>')
    conflict_button = mark_safe(
        '<button type="submit" class="btn btn-sm btn-link p-0">Record a conflict of interest</button>'
    )

    def match_form(volunteer_id: int) -> SafeString | str:
        if not can_match:
            return ""
        return _hidden_form(action=confirm_url, csrf_token=csrf_token, volunteer_id=volunteer_id, button=match_button)

    def conflict_form(volunteer_id: int) -> SafeString:
        return _hidden_form(
            action=conflict_url, csrf_token=csrf_token, volunteer_id=volunteer_id, button=conflict_button, css="mt-1"
        )

    return format_html_join(
        "",
        '<tr><td>{}</td><td class="fs-5">{}</td><td>{}</td><td>{}{}</td></tr>',
        (
            (
                assessment.volunteer.name,
                assessment.score,
                components_html(assessment),
                match_form(assessment.volunteer.volunteer_id),
                conflict_form(assessment.volunteer.volunteer_id),
            )
            for assessment in ranked
        ),
    )


def excluded_rows_html(excluded: Sequence[Assessment]) -> SafeString:
    """Rows of the best-looking excluded volunteers: what they would have
    scored and every hard constraint they fail."""
    if not excluded:
        return mark_safe('<tr><td colspan="3">Nobody was excluded.</td></tr>')
    return format_html_join(
        "",
        '<tr><td>{}</td><td>{}</td><td><ul class="mb-0 small">{}</ul></td></tr>',
        (
            (
                assessment.volunteer.name,
                assessment.score,
                format_html_join("", "<li>{}</li>", ((e.reason,) for e in assessment.exclusions)),
            )
            for assessment in excluded
        ),
    )


def _field_errors(field: forms.BoundField) -> tuple[SafeString | str, SafeString | str]:
    """(the attributes marking the control invalid, the messages under it)."""
    if not field.errors:
        return "", ""
    error_id = f"{field.auto_id}_error"
    messages = format_html_join(
        "",
        '<p id="error_{}_{}"><strong>{}</strong></p>',
        ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
    )
    return (
        format_html(' aria-invalid="true" aria-describedby="{}"', error_id),
        format_html('<div id="{}" class="invalid-feedback">{}</div>', error_id, messages),
    )


def _select_html(field: forms.BoundField) -> SafeString:
    """A labelled single or multiple select, its current choices selected."""
    widget = field.field.widget
    multiple = widget.allow_multiple_selected
    chosen = set(widget.format_value(field.value()))
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) in chosen else "", label)
            for value, label in field.field.choices
        ),
    )
    invalid, errors = _field_errors(field)
    size = widget.attrs.get("size")
    return format_html(
        '<div id="div_{id}" class="mb-3"><label for="{id}" class="form-label">{label}</label>'
        '<select name="{name}"{size} class="{kind} form-select{invalid_class}"{invalid} id="{id}"{multiple}>'
        "{options}</select>{errors}</div>",
        id=field.auto_id,
        label=field.label,
        name=field.html_name,
        size=format_html(' size="{}"', size) if size else "",
        kind="selectmultiple" if multiple else "select",
        invalid_class=" is-invalid" if field.errors else "",
        invalid=invalid,
        multiple=mark_safe(" multiple") if multiple else "",
        options=options,
        errors=errors,
    )


def _checkbox_html(field: forms.BoundField) -> SafeString:
    invalid, errors = _field_errors(field)
    checked = field.field.widget.check_test(field.value())
    return format_html(
        '<div class="mb-3"><div id="div_{id}" class="form-check">'
        '<input type="checkbox" name="{name}" class="checkboxinput form-check-input{invalid_class}"{invalid}'
        ' id="{id}"{checked}><label for="{id}" class="form-check-label">{label}</label>{errors}</div></div>',
        id=field.auto_id,
        name=field.html_name,
        invalid_class=" is-invalid" if field.errors else "",
        invalid=invalid,
        checked=mark_safe(" checked") if checked else "",
        label=field.label,
        errors=errors,
    )


def _field_html(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return _checkbox_html(field)
    if isinstance(widget, forms.Select):
        return _select_html(field)
    raise TypeError(f"{field.name}: only selects and check boxes are rendered here")


def needs_fields_html(form: forms.Form) -> SafeString:
    """The matching-needs form's fields (selects and check boxes), with the
    errors of a refused submission."""
    non_field = form.non_field_errors()
    return format_html(
        "{}{}",
        format_html(
            '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
            format_html_join("", "<li>{}</li>", ((error,) for error in non_field)),
        )
        if non_field
        else "",
        format_html_join("", "{}", ((_field_html(field),) for field in form)),
    )
