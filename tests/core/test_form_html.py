"""Form fields written in Python (operations/core/form_html.py) say what the
crispy template pack said: the same inputs with the same names, values,
states and ids, the same labels and legends, the same errors tied to their
inputs — and every value escaped."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms

from operations.core.form_html import form_html
from volunteers.matching.forms import ContactLogForm
from volunteers.matching.models import DirectoryEntry

KEPT = ("type", "name", "value", "id", "for", "checked", "required", "aria-invalid", "aria-describedby", "maxlength")


class Outline(HTMLParser):
    """The form's controls and texts, ignoring whitespace and CSS classes
    other than ``is-invalid``."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "textarea", "label", "legend", "fieldset"}:
            kept = tuple(sorted((k, v) for k, v in attrs.items() if k in KEPT))
            self.items.append((tag, kept, "is-invalid" in (attrs.get("class") or "")))

    def handle_data(self, data):
        if data.strip():
            self.text.append(re.sub(r"\s+", " ", data.strip()))


def outline(html: str) -> tuple[list, list]:
    parser = Outline()
    parser.feed(html)
    return parser.items, parser.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"duration_minutes": "0", "mode": "phone", "note": "Talked about sleep.", "topics": ["feeding", "housing"]},
        {"contact_date": "2026-11-20", "duration_minutes": "45", "mode": "walk", "has_concern": "on"},
    ],
)
def test_the_contact_log_form_says_what_crispy_said(organisation, data):
    DirectoryEntry.objects.create(organisation=organisation, name="Home-Start <Borders>")
    chosen = DirectoryEntry.objects.create(organisation=organisation, name="Citizens Advice")
    if data is not None:
        data = {**data, "signposted_to": [str(chosen.pk)]}
    form = ContactLogForm(data, organisation_id=organisation.pk)
    if data is not None:
        form.is_valid()
    ours, crispy = outline(form_html(form)), outline(render_crispy_form(form))
    assert ours == crispy


class Hostile(forms.Form):
    name = forms.CharField(label="Name <b>", initial='"><script>alert(1)</script>')
    note = forms.CharField(widget=forms.Textarea, initial="</textarea><script>alert(2)</script>")
    kind = forms.ChoiceField(choices=[("<x>", "<i>odd</i>")], widget=forms.RadioSelect)


def test_every_value_is_escaped():
    html = form_html(Hostile())
    assert "<script>" not in html
    assert "<b>" not in html
    assert "<i>" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;" in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_a_widget_it_does_not_know_is_refused_not_drawn_wrongly():
    class WithSelect(forms.Form):
        when = forms.DateField(widget=forms.SelectDateWidget, initial=dt.date(2026, 1, 1))

    with pytest.raises(TypeError, match="cannot draw"):
        form_html(WithSelect())
