"""The referrers kind: the people who refer (a named midwife, health visitor …)
with their team, which joins the directory by name when it is not there.

The referrals kind finds or adds a referral's referrer the same way
(``referrer_find``, ``referrer_add``): by work email first, then by name
within the team, the directory's own rule for a likely duplicate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower

from operations.core.models import Organisation, User
from operations.imports.kinds import register
from operations.imports.kinds.base import Applied, Checked, Column, ImportContext, ImportKind
from operations.imports.kinds.rows import RowReader, rows_hanging_off, without_blanks
from referrals import referrers
from referrals.models import Referrer, ReferrerKind, ReferringOrganisation
from referrals.validators import normalise_uk_phone

HEADERS = {
    "name": "Name",
    "role": "Role",
    "email": "Work email",
    "phone": "Work phone",
    "referring_organisation": "Team",
    "team_name": "Team",
    "team_kind": "Kind of team",
}


def referrer_find(*, organisation: Organisation, name: str, email: str, team: str) -> Referrer | None:
    """The directory's person for a row: the same work email, or the same
    name in the same team (case and spacing ignored)."""
    people = referrer_directory(organisation=organisation, people=[{"name": name, "email": email}])
    return referrer_among(people, name=name, email=email, team=team)


def referrer_directory(*, organisation: Organisation, people: list[dict[str, Any]]) -> list[Referrer]:
    """The directory's people that rows naming ``people`` (name, email) may
    mean, in one query, oldest first: what ``referrer_among`` chooses from."""
    emails = {person["email"].lower() for person in people if person["email"]}
    names = {" ".join(person["name"].split()).lower() for person in people if person["name"]}
    return list(
        Referrer.objects.filter(organisation=organisation)
        .annotate(email_lower=Lower("email"), name_lower=Lower("name"))
        .filter(Q(email_lower__in=emails) | Q(name_lower__in=names))
        .select_related("referring_organisation")
        .order_by("pk")
    )


def referrer_among(people: list[Referrer], *, name: str, email: str, team: str) -> Referrer | None:
    """Of ``people``, the first with the same work email, else the first
    with the same name in the same team (case and spacing ignored)."""
    if email:
        found = next((person for person in people if person.email.lower() == email.lower()), None)
        if found is not None:
            return found
    key, team_key = referrers.name_key(name), referrers.name_key(team)
    for person in people:
        their_team = person.referring_organisation.name if person.referring_organisation_id else ""
        if referrers.name_key(person.name) == key and referrers.name_key(their_team) == team_key:
            return person
    return None


def referrer_add(*, actor: User, organisation: Organisation, data: dict[str, Any], team: str, kind: str) -> Referrer:
    """Adds a person to the directory, with their team by name (found, or added)."""
    return referrers.referrer_add_inline(
        actor=actor,
        organisation=organisation,
        data=data,
        new_team={"name": team, "kind": kind or ReferrerKind.OTHER} if team else None,
    )


def read_work_details(read: RowReader, *, name: str, role: str, email: str, phone: str) -> dict[str, Any]:
    """A referrer's name, role, work email and phone from the row, checked as
    the directory's form checks them."""
    details = {
        "name": read.text(name, max_length=150),
        "role": read.text(role, max_length=100),
        "email": read.text(email, max_length=254),
        "phone": read.normalised(phone, normalise_uk_phone),
    }
    if details["email"]:
        try:
            validate_email(details["email"])
        except ValidationError:
            read.add(email, f"“{details['email']}” is not an email address.", "Correct the email, or leave it blank.")
    return details


class ReferrersKind(ImportKind):
    key = "referrers"
    label = "Referrers and their teams"
    model = Referrer
    columns = (
        Column(
            "External ID",
            "The referrer's id in your old system.",
            "R-17",
            required=True,
            aliases=("Contact ID", "Referrer ID", "Agency Contact ID", "Professional ID"),
        ),
        Column(
            "Name",
            "The referrer's full name.",
            "Fiona Gilmour",
            required=True,
            aliases=("Full name", "Referrer name", "Display Name", "Contact Name"),
        ),
        Column("Role", "Their job, for example Health visitor.", "Health visitor", aliases=("Job Title", "Job title")),
        Column("Work email", "Their work email.", "fiona.gilmour@nhs.scot", aliases=("Email", "Email Address")),
        Column("Work phone", "Their work phone.", "01896 000000", aliases=("Phone", "Phone Number", "Telephone")),
        Column(
            "Team",
            "The team or organisation they work in (added to the directory when new).",
            "Galashiels health visiting team",
            aliases=("Organisation", "Organization", "Organisation Name", "Current Employer", "Agency"),
        ),
        Column(
            "Kind of team",
            "Health visiting team, Midwifery team, GP practice, Social work office …",
            "Health visiting team",
            aliases=("Organisation type", "Agency type"),
        ),
        Column("Team email", "The team's shared email.", ""),
        Column("Team phone", "The team's phone.", ""),
    )

    def check(self, row: dict[str, str], line: int, context: ImportContext) -> Checked:
        read = RowReader(row)
        external_id = read.text("External ID")
        read.problems.extend(self.missing_required(row))
        person = read_work_details(read, name="Name", role="Role", email="Work email", phone="Work phone")
        team = {
            "name": read.text("Team", max_length=150),
            "kind": read.choice("Kind of team", ReferrerKind) or "",
            "email": read.text("Team email", max_length=254),
            "phone": read.normalised("Team phone", normalise_uk_phone),
        }
        if (team["email"] or team["phone"]) and not team["name"]:
            read.add("Team", "The row gives the team's email or phone but not its name.", "Give the team's name.")
        existing = context.existing(self.key, external_id)
        seen = context.seen.setdefault(self.key, {})
        same = (
            person["email"].casefold() or None,
            referrers.name_key(person["name"]),
            referrers.name_key(team["name"]),
        )
        for key in ((same[0],) if same[0] else ()) + ((same[1], same[2]),):
            if key in seen:
                read.add("", f"The same referrer is also on line {seen[key]}.", "Keep one row for each person.")
                break
        for key in ((same[0],) if same[0] else ()) + ((same[1], same[2]),):
            seen.setdefault(key, line)
        if not isinstance(existing, Referrer) and person["name"]:
            found = referrer_find(
                organisation=context.organisation, name=person["name"], email=person["email"], team=team["name"]
            )
            if found is not None:
                read.add(
                    "",
                    f"{found} is already in the referrer directory.",
                    "Leave the row out: the person is in the directory already (change their details there).",
                )
        return Checked(
            line=line, external_id=external_id, data={"person": person, "team": team}, problems=read.problems
        )

    def _team(self, context: ImportContext, team: dict[str, Any]) -> ReferringOrganisation | None:
        if not team["name"]:
            return None
        found = ReferringOrganisation.objects.filter(
            organisation=context.organisation, name__iexact=team["name"]
        ).first()
        wanted = without_blanks(team)
        if found is not None and all(
            getattr(found, field) == value for field, value in wanted.items() if field != "name"
        ):
            return found
        return referrers.referring_organisation_save(
            actor=context.user, organisation=context.organisation, data=wanted, team=found
        )

    def apply(self, checked: Checked, context: ImportContext) -> Applied:
        person, team_data = checked.data["person"], checked.data["team"]
        team = self._team(context, team_data)
        data = {**without_blanks(person), "referring_organisation": team}
        existing = context.existing(self.key, checked.external_id)
        if not isinstance(existing, Referrer):
            made = referrers.referrer_save(actor=context.user, organisation=context.organisation, data=data)
            return Applied(made, "created")
        if all(getattr(existing, field) == value for field, value in data.items()):
            return Applied(existing, "unchanged")
        changed = referrers.referrer_save(
            actor=context.user, organisation=context.organisation, data=data, referrer=existing
        )
        return Applied(changed, "updated")

    def untouched(self, record: Referrer, imported_at: dt.datetime) -> bool:
        """No referral names the person (nor anything else) since the import."""
        del imported_at  # the directory keeps no edit time: what hangs off it tells
        return not rows_hanging_off(record)

    def undo(self, record: Referrer) -> None:
        team, added_on = record.referring_organisation, record.created_at
        record.delete()
        # A team added along with the person (in the same moment) goes too, once nobody else is in it.
        if team is not None and team.created_at >= added_on - dt.timedelta(seconds=5) and not rows_hanging_off(team):
            team.delete()


register(ReferrersKind())
