"""PlainSelect writes the options Django's Select would, escaped (no database)."""

from __future__ import annotations

import re

from django import forms

from operations.core.forms import PlainSelect

CHOICES = [("", "Any area"), (1, "Angus"), (2, "Dumfries & <Galloway>"), ('x"y', "Quote's")]


def _options(markup: str) -> list[str]:
    return re.findall(r"<option[^>]*>[^<]*</option>", markup)


def test_plain_select_options_match_djangos_select():
    for value in [None, "", 2, "2", 'x"y', "missing"]:
        plain = PlainSelect(choices=CHOICES, attrs={"class": "form-select"}).render("area", value, {"id": "id_area"})
        django = forms.Select(choices=CHOICES, attrs={"class": "form-select"}).render("area", value, {"id": "id_area"})
        assert _options(plain) == _options(django), value
        assert plain.startswith('<select name="area" class="form-select" id="id_area">')
    assert "Dumfries &amp; &lt;Galloway&gt;" in PlainSelect(choices=CHOICES).render("area", None)
