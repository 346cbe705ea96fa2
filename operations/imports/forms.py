"""The import pages' forms: upload, the columns step, how to import."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from operations.imports.kinds import kind_choices
from operations.imports.models import ApplyMode
from operations.imports.reading import SUFFIXES

IGNORE = ""


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you importing?",
        choices=(),
        error_messages={"required": "Choose what you are importing.", "invalid_choice": "Choose from the list."},
    )
    file = forms.FileField(
        label="The file",
        help_text="A CSV file or an Excel workbook (.xlsx), with one row per record and the column headings in the "
        "first row.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # No kind chosen for her: a file uploaded as the wrong kind would be checked against the wrong columns.
        self.fields["kind"].choices = [("", "Choose…"), *kind_choices()]
        limit = filesizeformat(settings.IMPORT_MAX_BYTES)
        self.fields["file"].help_text += f" At most {limit}: use the import_data command for larger files."
        self.fields["file"].widget.attrs["accept"] = ",".join(SUFFIXES)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the page takes at most "
                f"{filesizeformat(settings.IMPORT_MAX_BYTES)}. Split it, or ask your administrator to use the "
                "import_data command for larger files."
            )
        name = upload.name.lower()
        if name.endswith(".xls"):
            raise forms.ValidationError("This is an old Excel .xls file. Open it in Excel and save it as .xlsx or CSV.")
        if not name.endswith(SUFFIXES):
            raise forms.ValidationError("Upload a CSV file or an Excel workbook (.xlsx).")
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file: which of the kind's columns it is, or ignore it."""

    def __init__(self, *args, batch, kind, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(IGNORE, "Ignore this column")] + [
            (column.header, f"{column.header}{' (needed)' if column.required else ''}") for column in kind.columns
        ]
        for index, header in enumerate(batch.headers):
            self.fields[str(index)] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=batch.mapping.get(str(index), IGNORE)
            )

    def mapping(self) -> dict[str, str]:
        return {name: value or "" for name, value in self.cleaned_data.items()}


class ApplyForm(forms.Form):
    mode = forms.ChoiceField(
        label="How to import",
        choices=ApplyMode.choices,
        initial=ApplyMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
