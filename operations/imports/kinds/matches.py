"""The matches kind: open matches between a waiting referral and a volunteer
or PSO, brought over from another system.

Each row goes through matching's own confirmation (``match_confirm``), which
refuses a volunteer not fit to match (checks, training, capacity, area,
language), a parent outside the service's eligibility without a reason, a
referral that is not waiting, a second open match in the role; the dry run
asks the same rules (``match_confirm_refusals``) and writes nothing. A start
date makes the match active from that day (its referral follows). The
volunteer is not sent the "you have been matched" notice: the match already
runs in the old system."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from operations.imports.kinds import register
from operations.imports.kinds.base import Applied, Checked, Column, ImportContext, ImportKind, Planned
from operations.imports.kinds.rows import RowReader, rows_hanging_off, volunteer_for
from referrals.models import Parent, Referral, ReferralTransition
from referrals.workflow import Status
from volunteers.matching import services
from volunteers.matching.models import Match
from volunteers.models import VolunteerProfile


class MatchesKind(ImportKind):
    key = "matches"
    label = "Matches (open)"
    model = Match
    depends_on = ("referrals", "parents", "volunteers")
    columns = (
        Column(
            "External ID",
            "The match's id in your old system.",
            "M-88",
            required=True,
            aliases=("Match ID", "Relationship ID", "Pairing ID"),
        ),
        Column(
            "Referral External ID",
            "The External ID the referral was imported with (referrals file).",
            "REF-310",
            aliases=("Referral ID", "Case ID"),
        ),
        Column(
            "Parent External ID",
            "Or the parent's External ID, when they have one waiting referral.",
            "",
            aliases=("Contact ID", "Client ID", "Parent ID", "Service User ID"),
        ),
        Column(
            "Volunteer External ID",
            "The External ID the volunteer was imported with (volunteers file).",
            "V-12",
            aliases=("Volunteer ID", "Worker ID", "Befriender ID", "Staff ID"),
        ),
        Column("Volunteer email", "Or the volunteer's email.", "", aliases=("Volunteer Email", "Worker email")),
        Column(
            "Start date",
            "The day support started in your old system (blank: confirmed today, not started).",
            "02/02/2026",
            aliases=("Start Date", "Date started", "Match date", "Date matched"),
        ),
        Column(
            "Eligibility override reason",
            "For a parent outside the service's eligibility today: why you match them anyway.",
            "",
        ),
    )

    def check(self, row: dict[str, str], line: int, context: ImportContext) -> Checked:
        read = RowReader(row)
        external_id = read.text("External ID")
        read.problems.extend(self.missing_required(row))
        started_on = read.date("Start date")
        read.not_future("Start date", started_on, context.today)
        override = read.text("Eligibility override reason", max_length=services.OVERRIDE_REASON_MAX_LENGTH)
        referral = self._referral(read, context)
        volunteer = self._volunteer(read, context)
        existing = context.existing(self.key, external_id)
        seen = context.seen.setdefault(self.key, {"volunteers": {}, "referrals": {}})
        if isinstance(existing, Match):
            if existing.volunteer_id != getattr(volunteer, "pk", existing.volunteer_id) or (
                isinstance(referral, Referral) and existing.referral_id != referral.pk
            ):
                read.add(
                    "",
                    "This match was imported with another parent or volunteer.",
                    "End the match on its page and import the new one with a new External ID.",
                )
        elif isinstance(referral, Referral) and isinstance(volunteer, VolunteerProfile) and not read.problems:
            for refusal in services.match_confirm_refusals(
                organisation_id=context.organisation.pk,
                referral_id=referral.pk,
                volunteer_id=volunteer.pk,
                eligibility_override_reason=override,
                also_taken=seen["volunteers"].get(volunteer.pk, 0),
            ):
                read.add("", f"The match is refused: {refusal}", _fix_for(refusal))
        if isinstance(referral, Referral | Planned) and not isinstance(existing, Match):
            key = referral.pk if isinstance(referral, Referral) else referral.external_id
            if key in seen["referrals"]:
                read.add(
                    "",
                    f"The same referral is matched on line {seen['referrals'][key]}.",
                    "Keep one match per referral in the file.",
                )
            seen["referrals"].setdefault(key, line)
        if isinstance(volunteer, VolunteerProfile) and not isinstance(existing, Match):
            seen["volunteers"][volunteer.pk] = seen["volunteers"].get(volunteer.pk, 0) + 1
        data = {
            "referral": referral.pk if isinstance(referral, Referral) else None,
            "referral_external_id": read.text("Referral External ID"),
            "parent_external_id": read.text("Parent External ID"),
            "volunteer_external_id": read.text("Volunteer External ID"),
            "volunteer_email": read.text("Volunteer email"),
            "started_on": started_on,
            "override": override,
        }
        return Checked(line=line, external_id=external_id, data=data, problems=read.problems)

    def _referral(self, read: RowReader, context: ImportContext) -> Referral | Planned | None:
        by_referral, by_parent = read.text("Referral External ID"), read.text("Parent External ID")
        if by_referral:
            found = context.existing("referrals", by_referral)
            if found is None:
                read.add(
                    "Referral External ID",
                    f"No referral was imported with the External ID “{by_referral}”.",
                    "Import the referrals file first, or check the External ID.",
                )
            return found
        if not by_parent:
            read.add(
                "Referral External ID",
                "The row names neither the referral nor the parent.",
                "Give the Referral External ID (or the Parent External ID).",
            )
            return None
        parent = context.existing("parents", by_parent)
        if parent is None:
            read.add(
                "Parent External ID",
                f"No parent was imported with the External ID “{by_parent}”.",
                "Import the parents file first, or check the External ID.",
            )
            return None
        if isinstance(parent, Planned):
            read.add(
                "Parent External ID",
                "This parent is new in this file: their referral is not in yet.",
                "Import the parents and referrals first, then this file.",
            )
            return None
        return self._waiting_referral(read, parent)

    def _waiting_referral(self, read: RowReader, parent: Parent) -> Referral | None:
        waiting = list(Referral.objects.filter(parent=parent, status=Status.WAITING)[:2])
        if len(waiting) == 1:
            return waiting[0]
        read.add(
            "Parent External ID",
            "The parent has no referral waiting." if not waiting else "The parent has several waiting referrals.",
            "Give the Referral External ID of the referral to match (it must be Waiting).",
        )
        return None

    def _volunteer(self, read: RowReader, context: ImportContext) -> VolunteerProfile | Planned | None:
        reference, email = read.text("Volunteer External ID"), read.text("Volunteer email")
        if not reference and not email:
            read.add(
                "Volunteer External ID",
                "The row names no volunteer.",
                "Give the Volunteer External ID (or the volunteer's email).",
            )
            return None
        found = volunteer_for(context, external_id=reference, email=email)
        if found is None:
            read.add(
                "Volunteer External ID",
                f"No volunteer found for “{reference or email}”.",
                "Import the volunteers file first, or check the External ID or email.",
            )
        return found

    def apply(self, checked: Checked, context: ImportContext) -> Applied:
        data = checked.data
        existing = context.existing(self.key, checked.external_id)
        if isinstance(existing, Match):
            return Applied(existing, "unchanged")
        referral = (
            context.existing("referrals", data["referral_external_id"])
            if data["referral_external_id"]
            else self._waiting_referral(RowReader({}), context.existing("parents", data["parent_external_id"]))
        )
        volunteer = volunteer_for(context, external_id=data["volunteer_external_id"], email=data["volunteer_email"])
        if referral is None or volunteer is None:
            raise ValidationError("The referral or the volunteer of this match is not on file.")
        match = services.match_confirm(
            actor=context.user,
            organisation_id=context.organisation.pk,
            referral_id=referral.pk,
            volunteer_id=volunteer.pk,
            eligibility_override_reason=data["override"],
            announce=False,  # the match already runs in the old system: the volunteer and referrer know of it
        )
        if data["started_on"] is not None:
            match = services.match_started_before_import(actor=context.user, match=match, started_on=data["started_on"])
        return Applied(match, "created")

    def untouched(self, record: Match, imported_at: dt.datetime) -> bool:
        """No contact log, visit, review … and no move since the import."""
        if record.status_changed_at > imported_at + dt.timedelta(seconds=1):
            return False
        return not rows_hanging_off(record)

    def undo(self, record: Match) -> None:
        """Removes the match and the moves it made its referral take: the
        referral is back on the waiting list as before the import."""
        referral = record.referral
        moved = ReferralTransition.objects.filter(
            referral=referral, to_status__in=(Status.MATCHED, Status.ACTIVE), at__gte=_first_move(referral, record)
        )
        moved.delete()
        record.delete()
        Referral.objects.filter(pk=referral.pk).update(status=Status.WAITING, support_started_on=None)


def _first_move(referral: Referral, match: Match) -> dt.datetime:
    """When the match moved its referral to "matched" (its latest such move)."""
    last = (
        ReferralTransition.objects.filter(referral=referral, to_status=Status.MATCHED)
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    return last or match.confirmed_at


def _fix_for(refusal: str) -> str:
    if "override" in refusal:
        return "Give an Eligibility override reason to match them anyway, or leave the row out."
    if "not waiting" in refusal:
        return "Import the referral with Status “Waiting” first (safe contact must be recorded)."
    return "Fix it on the volunteer's or parent's record (or choose another volunteer), then check the file again."


register(MatchesKind())
