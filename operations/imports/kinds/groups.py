"""The groups kind: peer support groups with their session pattern (weekday,
start time, length, first and last date), venue, places and crèche, written
through ``operations.groups.services`` (``group_create`` generates the
sessions for the weeks ahead; ``group_update`` moves the future ones)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from operations.groups import services
from operations.groups.models import Audience, Format, Group, GroupSession, Recurrence, Stage, Weekday, WeekOfMonth
from operations.imports.cells import fold
from operations.imports.kinds import register
from operations.imports.kinds.base import Applied, Checked, Column, ImportContext, ImportKind
from operations.imports.kinds.rows import (
    RowReader,
    area_problem,
    council_area_named,
    service_named,
    service_problem,
    volunteer_users,
)

HEADERS = {
    "name": "Name",
    "service": "Service",
    "description": "Description",
    "audience": "Audience",
    "format": "Format",
    "stage": "Stage",
    "venue_name": "Venue",
    "venue_address": "Venue address",
    "council_area": "Council area",
    "joining_link": "Joining link",
    "recurrence": "Repeats",
    "weekday": "Weekday",
    "week_of_month": "Week of the month",
    "start_time": "Start time",
    "end_time": "Length (minutes)",
    "starts_on": "First date",
    "ends_on": "Last date",
    "adult_places": "Adult places",
    "creche_on": "Crèche",
    "creche_child_cap": "Crèche places",
    "creche_adults": "Crèche rota",
    "facilitators": "Facilitators",
    "young_parent_age_limit": "Young parents up to age",
    "step_free_access": "Step-free access",
}


class GroupsKind(ImportKind):
    key = "groups"
    label = "Groups and their sessions"
    model = Group
    depends_on = ("volunteers",)
    columns = (
        Column(
            "External ID",
            "The group's id in your old system.",
            "G-3",
            required=True,
            aliases=("Group ID", "Activity ID", "Project ID"),
        ),
        Column(
            "Name",
            "The group's name.",
            "Galashiels Bumps and Babies",
            required=True,
            aliases=("Group name", "Activity", "Title"),
        ),
        Column(
            "Service",
            "The service it belongs to, by its name in the system.",
            "Peer support groups",
            required=True,
            aliases=("Project", "Programme"),
        ),
        Column("Description", "What happens at the group.", "A relaxed morning for parents and babies."),
        Column(
            "Audience",
            "Mothers only, Mothers, fathers and carers, Fathers or Young parents.",
            "Mothers, fathers and carers",
        ),
        Column("Format", "In person, Online or Drop-in (no booking).", "In person"),
        Column("Stage", "Antenatal, Postnatal or Antenatal and postnatal.", "Postnatal"),
        Column("Venue", "Where it meets.", "Burgh Hall", aliases=("Venue name", "Location")),
        Column("Venue address", "The venue's address.", "Church Street, Galashiels TD1 1BU", aliases=("Address",)),
        Column("Council area", "The council area it meets in.", "Scottish Borders", aliases=("Local Authority",)),
        Column("Joining link", "The link for an online group.", "", aliases=("Online link", "Zoom link")),
        Column(
            "Repeats", "Weekly, Fortnightly or Monthly (blank: Weekly).", "Weekly", aliases=("Recurrence", "Frequency")
        ),
        Column("Weekday", "The day it meets.", "Tuesday", required=True, aliases=("Day", "Day of week")),
        Column("Week of the month", "For a monthly group: First, Second, Third, Fourth or Last.", ""),
        Column("Start time", "When a session starts.", "10:00", required=True, aliases=("Start", "Time")),
        Column(
            "Length (minutes)",
            "How long a session lasts, in minutes (or give an End time).",
            "90",
            aliases=("Length", "Duration", "Duration (minutes)"),
        ),
        Column("End time", "When a session ends (instead of the length).", "", aliases=("End", "Finish time")),
        Column(
            "First date",
            "The first day it meets.",
            "06/01/2026",
            required=True,
            aliases=("Start date", "Starts on", "From"),
        ),
        Column("Last date", "The last day it meets (blank: no end).", "", aliases=("End date", "Ends on", "Until")),
        Column(
            "Adult places",
            "Places for parents at each session (blank: 12).",
            "12",
            aliases=("Places", "Capacity", "Spaces"),
        ),
        Column("Crèche", "Yes when a crèche runs alongside.", "No", aliases=("Creche", "Creche on")),
        Column(
            "Crèche places",
            "The most children the crèche takes (blank: as many as the rota allows).",
            "",
            aliases=("Creche places", "Creche capacity"),
        ),
        Column(
            "Crèche rota",
            "The volunteers on the crèche rota: their External IDs or emails, separated by ;.",
            "",
            aliases=("Creche rota", "Creche staff"),
        ),
        Column(
            "Facilitators",
            "The volunteers or PSOs who run it: External IDs or emails, separated by ;.",
            "V-12",
            aliases=("Facilitator", "Leaders", "Staff"),
        ),
        Column("Young parents up to age", "For a young parents' group: the oldest a parent may be.", ""),
        Column("Step-free access", "Yes when the venue is step-free.", "Yes", aliases=("Accessible",)),
    )

    def check(self, row: dict[str, str], line: int, context: ImportContext) -> Checked:
        read = RowReader(row)
        external_id = read.text("External ID")
        read.problems.extend(self.missing_required(row))
        service = None
        if service_text := read.text("Service"):
            service = service_named(context.organisation, service_text)
            if service is None:
                read.problems.append(service_problem("Service", service_text, context.organisation))
        data = {
            "name": read.text("Name", max_length=150),
            "service": service,
            "description": read.text("Description"),
            "audience": read.choice("Audience", Audience) or Audience.PARENTS_AND_CARERS,
            "format": read.choice("Format", Format) or Format.IN_PERSON,
            "stage": read.choice("Stage", Stage) or Stage.BOTH,
            "venue_name": read.text("Venue", max_length=150),
            "venue_address": read.text("Venue address", max_length=300),
            "joining_link": read.text("Joining link", max_length=200),
            "recurrence": read.choice("Repeats", Recurrence) or Recurrence.WEEKLY,
            "weekday": read.choice("Weekday", Weekday),
            "week_of_month": read.choice("Week of the month", WeekOfMonth) or WeekOfMonth.FIRST,
            "start_time": read.time("Start time"),
            "starts_on": read.date("First date"),
            "ends_on": read.date("Last date"),
            "adult_places": read.integer("Adult places") or 12,
            "creche_on": bool(read.yes_no("Crèche")),
            "creche_child_cap": read.integer("Crèche places"),
            "young_parent_age_limit": read.integer("Young parents up to age") or 19,
            "step_free_access": bool(read.yes_no("Step-free access")),
        }
        data["end_time"] = self._end_time(read, data["start_time"])
        area_text = read.text("Council area")
        data["council_area"] = council_area_named(area_text, context) if area_text else None
        if area_text and data["council_area"] is None:
            read.problems.append(area_problem("Council area", area_text))
        facilitators, missing = volunteer_users(context, read.items("Facilitators"))
        rota, missing_rota = volunteer_users(context, read.items("Crèche rota"))
        for header, absent in (("Facilitators", missing), ("Crèche rota", missing_rota)):
            if absent:
                read.add(
                    header,
                    f"No volunteer found for {', '.join(absent)}.",
                    "Use the External IDs the volunteers were imported with, or their emails.",
                )
        existing = context.existing(self.key, external_id)
        group = existing if isinstance(existing, Group) else None
        if not read.problems:
            try:
                services.group_check(
                    organisation_id=context.organisation.pk,
                    data=data,
                    facilitators=facilitators,
                    creche_adults=rota,
                    group=group,
                )
            except ValidationError as error:
                read.service_errors(error, HEADERS)
        seen = context.seen.setdefault(self.key, {})
        if fold(data["name"]) in seen:
            read.add(
                "Name",
                f"A group of this name is also on line {seen[fold(data['name'])]}.",
                "Give each group its own name, or keep one row.",
            )
        seen.setdefault(fold(data["name"]), line)
        people = {"facilitators": [u.pk for u in facilitators], "creche_adults": [u.pk for u in rota]}
        return Checked(line=line, external_id=external_id, data={"group": data, **people}, problems=read.problems)

    def _end_time(self, read: RowReader, start: dt.time | None) -> dt.time | None:
        end, minutes = read.time("End time"), read.integer("Length (minutes)")
        if end is not None or start is None:
            return end
        if minutes is None:
            read.add(
                "Length (minutes)",
                "The row gives neither the length nor the end time.",
                "Give the Length (minutes), for example 90, or the End time.",
            )
            return None
        finish = dt.datetime.combine(dt.date.min, start) + dt.timedelta(minutes=minutes)
        if minutes <= 0 or finish.date() != dt.date.min:
            read.add(
                "Length (minutes)",
                "A session must end after it starts, on the same day.",
                "Give a length in minutes, for example 90.",
            )
            return None
        return finish.time()

    def apply(self, checked: Checked, context: ImportContext) -> Applied:
        from operations.core.models import User

        data = checked.data["group"]
        facilitators = list(User.objects.filter(pk__in=checked.data["facilitators"]))
        rota = list(User.objects.filter(pk__in=checked.data["creche_adults"]))
        existing = context.existing(self.key, checked.external_id)
        if not isinstance(existing, Group):
            group = services.group_create(
                organisation=context.organisation,
                actor=context.user,
                data=data,
                facilitators=facilitators,
                creche_adults=rota,
                today=context.today,
            )
            return Applied(group, "created")
        same = (
            all(getattr(existing, field) == value for field, value in data.items())
            and sorted(checked.data["facilitators"]) == sorted(existing.facilitators.values_list("pk", flat=True))
            and sorted(checked.data["creche_adults"]) == sorted(existing.creche_adults.values_list("pk", flat=True))
        )
        if same:
            return Applied(existing, "unchanged")
        group = services.group_update(
            group=existing,
            actor=context.user,
            data=data,
            facilitators=facilitators,
            creche_adults=rota,
            today=context.today,
        )
        return Applied(group, "updated")

    def untouched(self, record: Group, imported_at: dt.datetime) -> bool:
        """No booking, head count or expense on any of its sessions, and no
        session moved or cancelled by hand since the import."""
        sessions = GroupSession.objects.filter(group=record)
        if sessions.filter(changed=True).exists() or sessions.exclude(status="scheduled").exists():
            return False
        del imported_at  # groups keep no edit time: their sessions tell
        from operations.imports.kinds.rows import rows_hanging_off

        return not any(rows_hanging_off(session) for session in sessions) and not rows_hanging_off(
            record, allowed={"sessions"}
        )

    def undo(self, record: Group) -> None:
        GroupSession.objects.filter(group=record).delete()
        record.facilitators.clear()
        record.creche_adults.clear()
        record.delete()


register(GroupsKind())
