"""The directory kind: the services families are signposted to, with the
council areas each serves (none: a national service), written through
``volunteers.matching.services.directory_entry_save``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from operations.imports.cells import fold
from operations.imports.kinds import register
from operations.imports.kinds.base import Applied, Checked, Column, ImportContext, ImportKind
from operations.imports.kinds.rows import RowReader, area_problem, council_area_named
from referrals.validators import normalise_uk_phone
from volunteers.matching import services
from volunteers.matching.models import DirectoryEntry

HEADERS = {"name": "Name", "description": "What it offers", "phone": "Phone", "website": "Website"}


class DirectoryKind(ImportKind):
    key = "directory"
    label = "Signposting directory"
    model = DirectoryEntry
    columns = (
        Column(
            "External ID",
            "The entry's id in your old system (or any short unique code).",
            "D-5",
            required=True,
            aliases=("Organisation ID", "Resource ID", "Service ID", "Contact ID"),
        ),
        Column(
            "Name",
            "The service's name.",
            "Borders Women's Aid",
            required=True,
            aliases=("Organisation Name", "Organization Name", "Service name", "Resource"),
        ),
        Column(
            "What it offers",
            "One or two sentences a volunteer reads when signposting.",
            "Support for women and children experiencing domestic abuse",
            aliases=("Description", "Services offered", "Notes", "Summary"),
        ),
        Column("Phone", "The service's phone number.", "01896 000000", aliases=("Telephone", "Phone Number", "Tel")),
        Column(
            "Website",
            "The service's web address.",
            "https://example.org",
            aliases=("Web", "Web site", "URL", "Web Address"),
        ),
        Column(
            "Council areas",
            "The council areas it serves, separated by ; (blank: all of Scotland).",
            "Scottish Borders",
            aliases=("Areas", "Areas served", "Local Authority", "Coverage"),
        ),
        Column("Active", "No for a service that has closed (blank: Yes).", "Yes", aliases=("Is active",)),
    )

    def check(self, row: dict[str, str], line: int, context: ImportContext) -> Checked:
        read = RowReader(row)
        external_id = read.text("External ID")
        read.problems.extend(self.missing_required(row))
        website = read.text("Website", max_length=200)
        if website and "://" not in website:
            website = f"https://{website}"
        active = read.yes_no("Active")
        data = {
            "name": read.text("Name", max_length=150),
            "description": read.text("What it offers", max_length=300),
            "phone": read.normalised("Phone", normalise_uk_phone),
            "website": website,
            "is_active": True if active is None else active,
        }
        areas = []
        for name in read.items("Council areas"):
            area = council_area_named(name, context)
            if area is None:
                read.problems.append(area_problem("Council areas", name))
            else:
                areas.append(area)
        if not read.problems:
            try:
                DirectoryEntry(organisation=context.organisation, **data).full_clean(
                    exclude=["organisation"], validate_unique=False
                )
            except ValidationError as error:
                read.service_errors(error, HEADERS)
        existing = context.existing(self.key, external_id)
        seen = context.seen.setdefault(self.key, {})
        if fold(data["name"]) in seen:
            read.add("Name", f"The same service is also on line {seen[fold(data['name'])]}.", "Keep one row.")
        seen.setdefault(fold(data["name"]), line)
        same = DirectoryEntry.objects.filter(organisation=context.organisation, name__iexact=data["name"])
        if isinstance(existing, DirectoryEntry):
            same = same.exclude(pk=existing.pk)
        if data["name"] and same.exists():
            read.add(
                "Name",
                f"“{data['name']}” is already in the directory.",
                "Leave the row out (change the entry in the directory), or give this service another name.",
            )
        return Checked(
            line=line,
            external_id=external_id,
            data={"entry": data, "areas": [a.pk for a in areas]},
            problems=read.problems,
        )

    def apply(self, checked: Checked, context: ImportContext) -> Applied:
        data, area_ids = checked.data["entry"], sorted(checked.data["areas"])
        existing = context.existing(self.key, checked.external_id)
        from operations.core.models import CouncilArea

        areas = list(CouncilArea.objects.filter(pk__in=area_ids))
        if isinstance(existing, DirectoryEntry):
            same = all(getattr(existing, field) == value for field, value in data.items()) and area_ids == sorted(
                existing.council_areas.values_list("pk", flat=True)
            )
            if same:
                return Applied(existing, "unchanged")
        entry = services.directory_entry_save(
            actor=context.user,
            organisation_id=context.organisation.pk,
            data=data,
            council_areas=areas,
            entry=existing if isinstance(existing, DirectoryEntry) else None,
        )
        return Applied(entry, "updated" if isinstance(existing, DirectoryEntry) else "created")

    def untouched(self, record: DirectoryEntry, imported_at: dt.datetime) -> bool:
        """No contact log has signposted a family to it since the import."""
        del imported_at  # the directory keeps no edit time: what points at it tells
        from volunteers.matching.models import ContactLog

        return not ContactLog.signposted_to.through.objects.filter(directoryentry=record).exists()

    def undo(self, record: DirectoryEntry) -> None:
        record.council_areas.clear()
        record.delete()


register(DirectoryKind())
