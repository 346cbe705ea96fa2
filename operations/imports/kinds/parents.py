"""The parents kind: one row per parent, with their children and pregnancy in
two columns ("Children's dates of birth", several in one cell, and "Due
date"), safe contact, consents, language and council area.

A row naming a person already on file (the same names and date of birth:
the referral form's own check, ``referrals.services.find_existing_parent``)
or one named twice in the file is a problem, never a silent merge."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from operations.core.dates import short_date
from operations.imports.cells import fold
from operations.imports.kinds import register
from operations.imports.kinds.base import Applied, Checked, Column, ImportContext, ImportKind
from operations.imports.kinds.rows import (
    RowReader,
    area_problem,
    changed_since,
    council_area_named,
    rows_hanging_off,
    without_blanks,
)
from referrals import services
from referrals.models import Article6Basis, Article9Condition, Child, Parent, ParentRole
from referrals.validators import normalise_postcode, normalise_uk_phone, pregnancy_date_errors

#: Words of the "Safe to contact by" cell and the safe-contact field each means.
SAFE_CHANNEL_WORDS = {
    "sms": "safe_sms",
    "text": "safe_sms",
    "texts": "safe_sms",
    "textmessage": "safe_sms",
    "textmessages": "safe_sms",
    "email": "safe_email",
    "emails": "safe_email",
    "phone": "safe_phone",
    "phonecall": "safe_phone",
    "phonecalls": "safe_phone",
    "call": "safe_phone",
    "calls": "safe_phone",
    "telephone": "safe_phone",
    "mobile": "safe_phone",
    "voicemail": "safe_voicemail",
    "voicemails": "safe_voicemail",
    "none": "contact_through_referrer",
    "nonesafe": "contact_through_referrer",
    "noneissafe": "contact_through_referrer",
    "throughthereferrer": "contact_through_referrer",
    "referrer": "contact_through_referrer",
}

#: The service's field names and the column each comes from (for its refusals).
HEADERS = {
    "role": "Role",
    "first_name": "First name",
    "last_name": "Last name",
    "preferred_name": "Preferred name",
    "pronouns": "Pronouns",
    "date_of_birth": "Date of birth",
    "phone": "Phone",
    "email": "Email",
    "address_line_1": "Address line 1",
    "address_line_2": "Address line 2",
    "town": "Town",
    "postcode": "Postcode",
    "council_area": "Council area",
    "language": "Language",
    "interpreter_needed": "Interpreter needed",
    "contact_consent_given_on": "Agreed to be contacted on",
    "evaluation_consent_asked_on": "Evaluation consent asked on",
    "evaluation_consent_given_on": "Evaluation consent given on",
    "lawful_basis_article6": "Article 6 basis",
    "lawful_basis_article9": "Article 9 condition",
    "contact_through_referrer": "Safe to contact by",
    "safe_sms": "Safe to contact by",
    "best_contact_times": "Best times to contact",
    "may_name_service": "Messages may name the service",
    "due_date": "Due date",
    "birth_date": "Children's dates of birth",
}


class ParentsKind(ImportKind):
    key = "parents"
    label = "Parents and their children"
    model = Parent
    columns = (
        Column(
            "External ID",
            "The parent's id in your old system, so a second import updates them instead of adding them again.",
            "C-1042",
            required=True,
            aliases=("Contact ID", "Client ID", "Person ID", "Internal Contact ID", "Lamplight ID", "Record ID"),
        ),
        Column("First name", "The parent's first name.", "Aileen", required=True, aliases=("Forename", "Given name")),
        Column("Last name", "The parent's last name.", "Tait", required=True, aliases=("Surname", "Family name")),
        Column("Preferred name", "What the parent likes to be called.", "", aliases=("Known as", "Nick Name")),
        Column("Role", "Mother, Father or Other carer (blank: Mother).", "Mother", aliases=("Relationship",)),
        Column("Pronouns", "The parent's pronouns, if they gave them.", ""),
        Column(
            "Date of birth",
            "The parent's date of birth (finds them if already on file).",
            "14/02/1996",
            aliases=("DOB", "Birth Date", "Birth date"),
        ),
        Column(
            "Phone",
            "A UK phone number.",
            "07700 900123",
            aliases=("Mobile Phone", "Mobile", "Phone (Mobile)", "Telephone", "Phone Number", "Mobile Number"),
        ),
        Column("Email", "The parent's email address.", "", aliases=("Email Address", "E-mail", "Primary Email")),
        Column(
            "Address line 1",
            "First line of the address.",
            "4 Bank Street",
            aliases=("Address 1", "Street Address", "Address Line1", "Address"),
        ),
        Column(
            "Address line 2",
            "Second line of the address.",
            "",
            aliases=("Address 2", "Supplemental Address 1", "Address Line2"),
        ),
        Column("Town", "Town or city.", "Galashiels", aliases=("City", "Town/City", "Town or City")),
        Column("Postcode", "A UK postcode.", "TD1 1EN", aliases=("Post Code", "Postal Code", "Post code")),
        Column(
            "Council area",
            "The council area the parent lives in (blank: your organisation's only area, if it serves one).",
            "Scottish Borders",
            aliases=("Local Authority", "Council", "Local authority area"),
        ),
        Column(
            "Language",
            "The language the parent speaks best (blank: English).",
            "English",
            aliases=("Preferred Language", "First Language", "Main language"),
        ),
        Column("Interpreter needed", "Yes when an interpreter is needed.", "No", aliases=("Interpreter",)),
        Column(
            "Children's dates of birth",
            "Each child's date of birth, separated by ; (children already on file are not added twice).",
            "03/05/2025",
            aliases=("Child DOB", "Children DOB", "Childrens dates of birth", "Baby DOB"),
        ),
        Column(
            "Due date",
            "The expected due date of a current pregnancy.",
            "",
            aliases=("EDD", "Expected due date", "Estimated Due Date"),
        ),
        Column(
            "Safe to contact by",
            "The channels that are safe: Text, Phone, Email, Voicemail (separated by ;), or None (contact "
            "through the referrer). Blank: not asked yet.",
            "Text; Phone",
            aliases=("Safe contact", "Safe contact methods", "Contact preferences", "Preferred contact method"),
        ),
        Column("Messages may name the service", "Yes when texts and voicemails may say who they are from.", "No"),
        Column(
            "Best times to contact",
            "When it is best to get in touch.",
            "Weekday mornings",
            aliases=("Best time to contact", "Contact times"),
        ),
        Column(
            "Agreed to be contacted on",
            "The day the parent agreed to be contacted.",
            "10/01/2026",
            aliases=("Consent date", "Consent to contact date", "Date consent given"),
        ),
        Column("Evaluation consent asked on", "The day the parent was asked about evaluation.", ""),
        Column("Evaluation consent given on", "The day the parent agreed to take part in evaluation.", ""),
        Column("Article 6 basis", "The lawful basis, for example Consent or Legitimate interests.", "Consent"),
        Column(
            "Article 9 condition", "The condition for health data, for example Explicit consent.", "Explicit consent"
        ),
    )

    def check(self, row: dict[str, str], line: int, context: ImportContext) -> Checked:
        read = RowReader(row)
        external_id = read.text("External ID")
        read.problems.extend(self.missing_required(row))
        parent_data: dict[str, Any] = {
            "first_name": read.text("First name", max_length=100),
            "last_name": read.text("Last name", max_length=100),
            "preferred_name": read.text("Preferred name", max_length=100),
            "pronouns": read.text("Pronouns", max_length=40),
            "role": read.choice("Role", ParentRole),
            "date_of_birth": read.date("Date of birth"),
            "phone": read.normalised("Phone", normalise_uk_phone),
            "email": read.text("Email"),
            "address_line_1": read.text("Address line 1", max_length=150),
            "address_line_2": read.text("Address line 2", max_length=150),
            "town": read.text("Town", max_length=80),
            "postcode": read.normalised("Postcode", normalise_postcode),
            "language": read.text("Language", max_length=60),
            "interpreter_needed": read.yes_no("Interpreter needed"),
            "contact_consent_given_on": read.date("Agreed to be contacted on"),
            "evaluation_consent_asked_on": read.date("Evaluation consent asked on"),
            "evaluation_consent_given_on": read.date("Evaluation consent given on"),
            "lawful_basis_article6": read.choice("Article 6 basis", Article6Basis),
            "lawful_basis_article9": read.choice("Article 9 condition", Article9Condition),
        }
        area_text = read.text("Council area")
        if area_text:
            parent_data["council_area"] = council_area_named(area_text, context)
            if parent_data["council_area"] is None:
                read.problems.append(area_problem("Council area", area_text))
        else:
            parent_data["council_area"] = self._served_area(context)
        parent_data = without_blanks(parent_data)
        safety = self._safety(read)
        children = self._children(read, context.today)

        if not read.problems:
            # No query: the kind's columns and the service's own rules make its
            # constraints unreachable (see services._valid_new_parent).
            try:
                services.parent_check(organisation=context.organisation, data=parent_data, safety_data=safety)
            except ValidationError as error:
                read.service_errors(error, HEADERS)
        existing = context.existing(self.key, external_id)
        if isinstance(existing, Parent) and (existing.processing_restricted or existing.erased_at is not None):
            read.add(
                "External ID",
                services.RESTRICTED_MESSAGE if existing.erased_at is None else "This parent's record has been erased.",
                "Leave the row out: the record cannot be changed by an import.",
            )
        if not read.problems:
            self._duplicates(read, parent_data, existing, line, context)
        data = {"parent": parent_data, "safety": safety, "children": children}
        if not read.problems:
            # What a referral of the same run needs to know of a parent not saved yet (a dry run).
            planned = context.seen.setdefault(self.key, {}).setdefault("planned", {})
            planned[external_id] = {"children": children, "safe_contact": safety is not None}
        return Checked(line=line, external_id=external_id, data=data, problems=read.problems)

    def prepare_chunk(self, rows: list[dict[str, str]], context: ImportContext) -> None:
        """The parents on file whom the chunk's rows name (the same names and
        date of birth), read in one query; kept until the next chunk."""
        people = [_person(RowReader(row)) for row in rows]
        found = services.find_existing_parents(organisation=context.organisation, people=people)
        on_file = dict(zip((_key(person) for person in people), found, strict=True))
        context.seen.setdefault(self.key, {})["on_file"] = on_file

    def _served_area(self, context: ImportContext):
        """The organisation's only council area (None when it serves none or several), read once per run."""
        seen = context.seen.setdefault(self.key, {})
        if "served_area" not in seen:
            served = list(context.organisation.council_areas.all()[:2])
            seen["served_area"] = served[0] if len(served) == 1 else None
        return seen["served_area"]

    def _safety(self, read: RowReader) -> dict[str, Any] | None:
        words = read.items("Safe to contact by")
        if not words:
            return None
        fields = {SAFE_CHANNEL_WORDS.get(fold(word)) for word in words}
        if None in fields:
            unknown = ", ".join(word for word in words if fold(word) not in SAFE_CHANNEL_WORDS)
            read.add(
                "Safe to contact by",
                f"“{unknown}” is not a way of contacting we know.",
                "Write the safe channels as Text, Phone, Email or Voicemail (separated by ;), or None.",
            )
            return None
        if "contact_through_referrer" in fields and len(fields) > 1:
            read.add(
                "Safe to contact by",
                "The row gives safe channels and “None” together.",
                "Give the channels that are safe, or None (contact through the referrer), not both.",
            )
            return None
        safety: dict[str, Any] = {
            name: name in fields for name in (*services.SAFE_CHANNEL_FIELDS, "contact_through_referrer")
        }
        safety["may_name_service"] = bool(read.yes_no("Messages may name the service"))
        safety["best_contact_times"] = read.text("Best times to contact", max_length=150)
        return safety

    def _children(self, read: RowReader, today: dt.date) -> list[dict[str, Any]]:
        children = []
        for text in read.items("Children's dates of birth"):
            born = RowReader({"Children's dates of birth": text}).date("Children's dates of birth")
            if born is None:
                read.add(
                    "Children's dates of birth",
                    f"“{text}” is not a date we can read.",
                    "Write each date as day/month/year, separated by ;, for example 03/05/2025; 11/09/2027.",
                )
                continue
            children.append({"birth_date": born})
        due = read.date("Due date")
        if due is not None:
            children.append({"due_date": due})
        for child in children:
            for field, message in pregnancy_date_errors(
                due_date=child.get("due_date"), birth_date=child.get("birth_date"), loss_date=None, today=today
            ).items():
                read.add(HEADERS.get(field, ""), str(message), "Correct the date.")
        return children

    def _duplicates(self, read: RowReader, data: dict, existing, line: int, context: ImportContext) -> None:
        """The same person twice: in the file (names and date of birth; the
        engine catches a repeated External ID) or already on file under
        another record."""
        seen = context.seen.setdefault(self.key, {})
        seen.setdefault("people", {})
        person = (fold(data.get("first_name", "")), fold(data.get("last_name", "")), data.get("date_of_birth"))
        if person[2] is not None and person in seen["people"]:
            read.add(
                "",
                f"The same person (names and date of birth) is also on line {seen['people'][person]}.",
                "Keep one row for the parent: put both rows' details on one, and remove the other.",
            )
        if person[2] is not None:
            seen["people"].setdefault(person, line)
        if isinstance(existing, Parent):
            return
        on_file = seen.get("on_file", {})
        if _key(data) in on_file:
            found = on_file[_key(data)]  # read with the chunk (prepare_chunk)
        else:
            found = services.find_existing_parent(organisation=context.organisation, data=data)
        if found is not None:
            read.add(
                "",
                f"{found.display_name}, born {short_date(found.date_of_birth)}, is already on file "
                f"(parent record #{found.pk}).",
                "If it is the same person, leave the row out: they are on file already (if an earlier import "
                "brought them, use the External ID it was given). If it is someone else, check the names and "
                "date of birth.",
            )

    def apply(self, checked: Checked, context: ImportContext) -> Applied:
        data, actor = checked.data, context.user
        existing = context.existing(self.key, checked.external_id)
        if not isinstance(existing, Parent):
            parent = services.parent_create(
                actor=actor, organisation=context.organisation, data=data["parent"], safety_data=data["safety"]
            )
            for child in data["children"]:
                services.child_save(actor=actor, parent=parent, data=child)
            return Applied(parent, "created")
        parent, changed = existing, False
        different = {field: value for field, value in data["parent"].items() if getattr(parent, field) != value}
        if different:
            parent = services.parent_update(actor=actor, parent=parent, data=different)
            changed = True
        safety = data["safety"]
        if safety and any(getattr(parent, field) != value for field, value in safety.items()):
            parent = services.parent_record_contact_safety(actor=actor, parent=parent, data=safety)
            changed = True
        for child in data["children"]:
            if not services.same_child_on_file(parent, child):
                services.child_save(actor=actor, parent=parent, data=child)
                changed = True
        return Applied(parent, "updated" if changed else "unchanged")

    def apply_many(self, checked_rows: list[Checked], context: ImportContext) -> list[Applied]:
        """New parents and their children are written together by
        parents_create_many (the same rules, a fixed number of queries); the
        parents on file are updated one by one through apply(), after them."""
        results: dict[int, Applied] = {}
        new = [
            (index, checked)
            for index, checked in enumerate(checked_rows)
            if not isinstance(context.existing(self.key, checked.external_id), Parent)
        ]
        if new:
            people = [
                services.NewParent(data["parent"], data["safety"], data["children"])
                for data in (checked.data for _, checked in new)
            ]
            parents = services.parents_create_many(actor=context.user, organisation=context.organisation, people=people)
            for (index, checked), parent in zip(new, parents, strict=True):
                results[index] = Applied(parent, "created")
                context.remember(self.key, checked.external_id, parent)
        for index, checked in enumerate(checked_rows):
            if index not in results:
                results[index] = self.apply(checked, context)
                context.remember(self.key, checked.external_id, results[index].record)
        return [results[index] for index in range(len(checked_rows))]

    def untouched(self, record: Parent, imported_at: dt.datetime) -> bool:
        """Nothing but the import's own children hangs off the parent (no
        referral, booking, match, concern …) and nobody edited them since."""
        if changed_since(record, imported_at):
            return False
        if any(changed_since(child, imported_at, field="created_at") for child in record.children.all()):
            return False
        return not rows_hanging_off(record, allowed={"children"})

    def undo(self, record: Parent) -> None:
        Child.objects.filter(parent=record).delete()
        record.delete()


def _person(read: RowReader) -> dict[str, Any]:
    """The names and date of birth of a row, read as ``check`` reads them."""
    return {
        "first_name": read.text("First name", max_length=100),
        "last_name": read.text("Last name", max_length=100),
        "date_of_birth": read.date("Date of birth"),
    }


def _key(person: dict[str, Any]) -> tuple:
    return person.get("first_name", ""), person.get("last_name", ""), person.get("date_of_birth")


register(ParentsKind())
