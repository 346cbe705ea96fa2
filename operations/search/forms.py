from __future__ import annotations

from django import forms

from operations.core.searching import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        error_messages={
            "max_length": f"Search for at most {MAX_QUERY_LENGTH} characters: "
            "a name, a postcode, a phone number or a record number."
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
