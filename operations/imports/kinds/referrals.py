"""The referrals kind: one row per referral, keyed by the parent's External ID
(imported by the parents kind), for a service by name.

A referral comes in through ``referral_create`` (eligibility computed by the
service's policy, a second open referral for the same service refused) and
then moves through the workflow's own transitions to the row's status:
received, contacted, assessed, waiting, or an exit (not eligible, declined,
withdrawn) with a reason. "Matched" and "active" are reached only through
the matches kind, which confirms the match; a closed referral is not brought
over (it has no support history here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType

from operations.core.dates import short_date
from operations.core.models import Service
from operations.imports.cells import fold
from operations.imports.kinds import register
from operations.imports.kinds.base import Applied, Checked, Column, ImportContext, ImportKind, Planned
from operations.imports.kinds.referrers import (
    read_work_details,
    referrer_add,
    referrer_among,
    referrer_directory,
    referrer_find,
)
from operations.imports.kinds.rows import (
    RowReader,
    changed_since,
    rows_hanging_off,
    service_named,
    service_problem,
)
from operations.imports.models import ImportedRecord
from referrals import eligibility, services
from referrals.checklist import safe_contact_recorded
from referrals.models import Child, Parent, Referral, ReferralTransition, ReferrerKind, Source, Urgency
from referrals.partners.services import SOURCE_OF_KIND
from referrals.workflow import OPEN_STATUSES, Status

#: The way in, then the exits: what an imported referral's status may be.
PATH = (Status.RECEIVED, Status.CONTACTED, Status.ASSESSED, Status.WAITING)
EXITS = (Status.NOT_ELIGIBLE, Status.DECLINED, Status.WITHDRAWN)
#: A new referrer's kind of team, from the referral's source (the partner API's mapping, read backwards).
TEAM_OF_SOURCE = {source: kind for kind, source in SOURCE_OF_KIND.items() if kind != ReferrerKind.OTHER}
#: What the eligibility rules read of a child.
CHILD_FACTS = ("due_date", "birth_date", "loss_date")
#: What the rules of a new referral read of its parent (a chunk's parents are
#: read with these only: the whole record would cost more than the rest of the check).
PARENT_FACTS = ("organisation", "processing_restricted", "contact_safety_recorded_at")
HEADERS = {
    "service": "Service",
    "received_on": "Date received",
    "source": "Source",
    "reason": "Reason for referral",
    "urgency": "Urgency",
    "referrer_updates_consent": "Referrer may hear how it goes",
    "eligibility_override_reason": "Eligibility override reason",
    "to_status": "Status",
    "reason_for_status": "Status reason",
    "parent": "Parent External ID",
}


def status_steps(current: str, target: str) -> list[str] | None:
    """The workflow's moves from ``current`` to ``target`` an import may make
    ([] when already there; None when it cannot get there)."""
    if current == target:
        return []
    if target in EXITS:
        return [target] if current in OPEN_STATUSES else None
    if current in PATH and target in PATH and PATH.index(target) > PATH.index(current):
        return list(PATH[PATH.index(current) + 1 : PATH.index(target) + 1])
    return None


class ReferralsKind(ImportKind):
    key = "referrals"
    label = "Referrals"
    model = Referral
    depends_on = ("parents",)
    columns = (
        Column(
            "External ID",
            "The referral's id in your old system.",
            "REF-310",
            required=True,
            aliases=("Referral ID", "Case ID", "Activity ID", "Referral Number"),
        ),
        Column(
            "Parent External ID",
            "The External ID the parent was imported with (parents file).",
            "C-1042",
            required=True,
            aliases=("Contact ID", "Client ID", "Person ID", "Parent ID", "Service User ID"),
        ),
        Column(
            "Service",
            "The service, by its name in the system.",
            "Befriending",
            required=True,
            aliases=("Project", "Case Type", "Service name", "Programme"),
        ),
        Column(
            "Date received",
            "The day the referral came in.",
            "12/01/2026",
            required=True,
            aliases=("Date Referred", "Referral Date", "Received", "Start Date", "Date of referral"),
        ),
        Column(
            "Status",
            "Received, Contacted, Assessed, Waiting, Not eligible, Declined or Withdrawn "
            "(blank: Received). Matches come with the matches file.",
            "Waiting",
            aliases=("Case Status", "Referral status", "Stage"),
        ),
        Column(
            "Status reason",
            "Why, for Not eligible, Declined or Withdrawn.",
            "",
            aliases=("Closure reason", "Outcome reason", "Reason closed"),
        ),
        Column(
            "Source",
            "Self-referral, Health visitor, Midwife, GP … (blank: from the referrer's team).",
            "Health visitor",
            aliases=("Referral Source", "Referral type", "Referred from", "How heard"),
        ),
        Column(
            "Referrer name",
            "The person who referred (found in, or added to, the referrer directory).",
            "Fiona Gilmour",
            aliases=("Referred by", "Referrer", "Referrer Name", "Referring professional"),
        ),
        Column(
            "Referrer organisation",
            "The referrer's team.",
            "Galashiels health visiting team",
            aliases=("Referring agency", "Referrer organisation", "Referring organisation", "Agency"),
        ),
        Column(
            "Referrer email",
            "The referrer's work email.",
            "fiona.gilmour@nhs.scot",
            aliases=("Referrer Email", "Referrer e-mail"),
        ),
        Column("Referrer phone", "The referrer's work phone.", "", aliases=("Referrer Phone", "Referrer telephone")),
        Column("Referrer role", "The referrer's job.", "Health visitor", aliases=("Referrer job title",)),
        Column(
            "Reason for referral",
            "Why the parent was referred.",
            "Low mood since the birth",
            aliases=("Reason", "Referral reason", "Presenting issue", "Details", "Referral details"),
        ),
        Column("Urgency", "Urgent, Soon or Routine (blank: Routine).", "Routine", aliases=("Priority",)),
        Column("Referrer may hear how it goes", "Yes when the parent agreed the referrer may have updates.", "No"),
        Column(
            "Eligibility override reason",
            "For a parent already past the service's end date: why you support them anyway.",
            "",
        ),
    )

    # --- check -------------------------------------------------------------------------

    def check(self, row: dict[str, str], line: int, context: ImportContext) -> Checked:
        read = RowReader(row)
        external_id = read.text("External ID")
        read.problems.extend(self.missing_required(row))
        service = None
        service_text = read.text("Service")
        if service_text:
            service = self._service(service_text, context)
            if service is None:
                read.problems.append(service_problem("Service", service_text, context.organisation))
            elif not service.is_active:
                read.add(
                    "Service",
                    f"{service.name} has ended and takes no new referrals.",
                    "Choose a service that is running.",
                )
        received = read.date("Date received")
        read.not_future("Date received", received, context.today)
        status = read.choice("Status", Status) or Status.RECEIVED
        status_reason = read.text("Status reason")
        referrer = read_work_details(
            read, name="Referrer name", role="Referrer role", email="Referrer email", phone="Referrer phone"
        )
        team = read.text("Referrer organisation", max_length=150)
        source = read.choice("Source", Source)
        referral_data = {
            "received_on": received,
            "reason": read.text("Reason for referral"),
            "urgency": read.choice("Urgency", Urgency) or Urgency.ROUTINE,
            "referrer_updates_consent": bool(read.yes_no("Referrer may hear how it goes")),
            "channel": "staff",
        }
        override = read.text("Eligibility override reason")
        if referral_data["referrer_updates_consent"] and not referrer["name"]:
            read.add(
                "Referrer may hear how it goes",
                "Updates go to a referrer, and the row names none.",
                "Give the referrer's name, or write No.",
            )
        if (team or referrer["email"]) and not referrer["name"]:
            read.add(
                "Referrer name",
                "The row gives the referrer's team or email but not their name.",
                "Give the referrer's name.",
            )

        existing = context.existing(self.key, external_id)
        parent, planned = self._parent(read, context)
        known = existing if isinstance(existing, Referral) else None
        self._status(read, status, status_reason, known, parent, planned)
        result = None
        if service is not None and received is not None and (parent is not None or planned is not None):
            result = self._eligibility(read, service, received, parent, planned, status, override, context, known)
            self._duplicates(read, line, parent, service, status, known, context)
        data = {
            "parent_external_id": read.text("Parent External ID"),
            "service": service,
            "status": status,
            "status_reason": status_reason,
            "referral": referral_data,
            "referrer": referrer,
            "team": team,
            "team_kind": TEAM_OF_SOURCE.get(source, ReferrerKind.OTHER),
            "source": source,
            "override": override,
            "eligibility_end": result.end if result else None,
        }
        return Checked(line=line, external_id=external_id, data=data, problems=read.problems)

    # --- read ahead ---------------------------------------------------------------------

    def prepare_chunk(self, rows: list[dict[str, str]], context: ImportContext) -> None:
        """Reads what the chunk's rows name, a query each, instead of row by
        row: the parents (by the External IDs the parents kind kept) with
        their children, and their open referrals; the services once a run."""
        seen = context.seen.setdefault(self.key, {})
        if "services" not in seen:
            by_name: dict[str, Service] = {}
            for service in Service.objects.filter(organisation=context.organisation):
                by_name.setdefault(fold(service.name), service)  # the first, as service_named finds it
            seen["services"] = by_name
        references = list(dict.fromkeys(filter(None, ((row.get(HEADERS["parent"]) or "").strip() for row in rows))))
        ids = dict(
            ImportedRecord.objects.filter(
                organisation=context.organisation,
                kind="parents",
                external_id__in=references,
                content_type=ContentType.objects.get_for_model(Parent),
            ).values_list("external_id", "object_id")
        )
        parents = {parent.pk: parent for parent in Parent.objects.filter(pk__in=ids.values()).only(*PARENT_FACTS)}
        children: dict[int, list[eligibility.ChildFacts]] = {}
        for child in Child.objects.filter(parent_id__in=parents).values("parent_id", *CHILD_FACTS):
            children.setdefault(child.pop("parent_id"), []).append(eligibility.ChildFacts(**child))
        open_referrals: dict[tuple[int, int], Referral] = {}
        for other in Referral.objects.filter(parent_id__in=parents, status__in=OPEN_STATUSES):
            open_referrals.setdefault((other.parent_id, other.service_id), other)  # the first, as .first() finds it
        seen["chunk"] = {
            "parents": {reference: parents.get(ids.get(reference)) for reference in references},
            "read": set(parents),
            "children": children,
            "open": open_referrals,
        }

    def _service(self, text: str, context: ImportContext) -> Service | None:
        known = context.seen.get(self.key, {}).get("services")
        return service_named(context.organisation, text) if known is None else known.get(fold(text))

    def _parent_named(self, reference: str, context: ImportContext) -> Parent | Planned | None:
        """The parent imported with that External ID: read ahead with the
        chunk, or (a row checked outside a chunk, or earlier in this run) asked for."""
        chunk = context.seen.get(self.key, {}).get("chunk", {})
        if reference in chunk.get("parents", {}) and not context.handled("parents", reference):
            return chunk["parents"][reference]
        return context.existing("parents", reference)

    def _children(self, parent: Parent, context: ImportContext) -> list[eligibility.ChildFacts]:
        chunk = context.seen.get(self.key, {}).get("chunk", {})
        if parent.pk in chunk.get("read", ()):
            return chunk["children"].get(parent.pk, [])
        return [eligibility.ChildFacts(**child) for child in Child.objects.filter(parent=parent).values(*CHILD_FACTS)]

    def _open_referral(self, parent: Parent, service: Service, context: ImportContext) -> Referral | None:
        chunk = context.seen.get(self.key, {}).get("chunk", {})
        if parent.pk in chunk.get("read", ()):
            return chunk["open"].get((parent.pk, service.pk))
        return Referral.objects.filter(parent=parent, service=service, status__in=OPEN_STATUSES).first()

    # --- check (continued) -------------------------------------------------------------

    def _parent(self, read: RowReader, context: ImportContext) -> tuple[Parent | None, dict | None]:
        reference = read.text("Parent External ID")
        if not reference:
            return None, None
        found = self._parent_named(reference, context)
        if isinstance(found, Planned):
            # Checked earlier in this run: what the parents kind noted of them (children, safe contact).
            return None, context.seen.get("parents", {}).get("planned", {}).get(reference, {})
        if found is None:
            read.add(
                "Parent External ID",
                f"No parent was imported with the External ID “{reference}”.",
                "Import the parents file first, or add this parent to it.",
            )
            return None, None
        if found.processing_restricted:
            read.add("Parent External ID", services.RESTRICTED_MESSAGE, "Leave the row out while it stands.")
        return found, None

    def _status(self, read, status, reason, known, parent, planned) -> None:
        if status in (Status.MATCHED, Status.ACTIVE, Status.ENDING):
            read.add(
                "Status",
                f"A referral becomes {Status(status).label.lower()} only through its match.",
                "Import it as Waiting, then import the match with the matches file: confirming it "
                "makes the referral matched (and active from the match's start date).",
            )
            return
        if status == Status.CLOSED:
            read.add(
                "Status",
                "A closed referral cannot be brought over: its support happened elsewhere.",
                "Leave closed referrals out, or import the ones that ended early as Withdrawn or Declined "
                "with a reason.",
            )
            return
        if known is not None and status_steps(known.status, status) is None:
            read.add(
                "Status",
                f"This referral is {known.get_status_display().lower()} here and cannot move to "
                f"{Status(status).label.lower()}.",
                "Change it on the referral's page, or leave the row out.",
            )
        if status in EXITS and not reason:
            read.add(
                "Status reason",
                f"Say why the referral is {Status(status).label.lower()}.",
                "Fill in the Status reason.",
            )
        if status == Status.WAITING:
            if parent is not None:
                recorded = safe_contact_recorded(parent)
            else:
                recorded = planned is None or planned.get("safe_contact", True)
            if not recorded:
                read.add(
                    "Status",
                    "Safe contact is not recorded for this parent, so they cannot join the waiting list.",
                    "Fill in “Safe to contact by” in the parents file (or on the parent's "
                    "page), or import the referral as Assessed.",
                )

    def _eligibility(self, read, service, received, parent, planned, status, override, context, known):
        """The service's policy applied to the family's children; a parent
        already past the end is refused unless recorded as not eligible or
        overridden with a reason, as at intake."""
        if parent is not None:
            children = self._children(parent, context)
        else:
            children = [eligibility.ChildFacts(**child) for child in planned.get("children", [])]
        result = eligibility.compute(
            services.policy_of(service), eligibility.Facts(received_on=received, children=tuple(children))
        )
        past_end = result.end is not None and result.end < context.today
        if past_end and known is None and status != Status.NOT_ELIGIBLE and not override:
            read.add(
                "",
                f"Not eligible: the parent is past the service's end date (ended {short_date(result.end)}: "
                f"{result.reason}).",
                "Import it with Status “Not eligible” and a reason, or give an "
                "Eligibility override reason to support them anyway.",
            )
        return result

    def _duplicates(self, read, line, parent, service, status, known, context) -> None:
        seen = context.seen.setdefault(self.key, {}).setdefault("lines", {})
        key = (read.text("Parent External ID"), service.pk)
        if status in OPEN_STATUSES and key in seen:
            read.add(
                "Service",
                f"The parent has another open referral for {service.name} on line {seen[key]}.",
                "A parent has one open referral per service: keep one row.",
            )
        if status in OPEN_STATUSES:
            seen.setdefault(key, line)
        # Even a row that ends declined or withdrawn comes in as received first.
        if parent is None or known is not None:
            return
        other = self._open_referral(parent, service, context)
        if other is not None:
            read.add(
                "Service",
                f"This parent already has an open referral for {service.name} "
                f"(referral #{other.pk}, {other.get_status_display().lower()}).",
                "Leave the row out, or close the other referral first.",
            )

    # --- apply -------------------------------------------------------------------------

    def _referrer(self, data: dict[str, Any], context: ImportContext, directory: list | None = None):
        """The row's referrer, found in the directory or added to it.
        ``directory``: the people read ahead for a chunk (one added joins it)."""
        person = data["referrer"]
        if not person["name"]:
            return None
        if directory is None:
            found = referrer_find(
                organisation=context.organisation, name=person["name"], email=person["email"], team=data["team"]
            )
        else:
            found = referrer_among(directory, name=person["name"], email=person["email"], team=data["team"])
        if found is not None:
            return found
        added = referrer_add(
            actor=context.user,
            organisation=context.organisation,
            data={k: v for k, v in person.items() if v},
            team=data["team"],
            kind=data["team_kind"],
        )
        if directory is not None:
            directory.append(added)
        return added

    def _source(self, data: dict[str, Any], referrer) -> str:
        if data["source"]:
            return data["source"]
        if referrer is None:
            return Source.SELF
        team = referrer.referring_organisation
        return SOURCE_OF_KIND.get(team.kind if team else "", Source.OTHER)

    def _referral_data(self, data: dict[str, Any], referrer) -> dict[str, Any]:
        return {
            **data["referral"],
            "referrer": referrer,
            "referrer_name": referrer.name if referrer else "",
            "referrer_contact": (referrer.email or referrer.phone) if referrer else "",
            "source": self._source(data, referrer),
        }

    def _intake(self, data: dict[str, Any], context: ImportContext) -> dict[str, Any]:
        """How referral_create takes a parent past the service's end: recorded
        as not eligible when the row says so, else the row's override reason."""
        not_eligible = data["status"] == Status.NOT_ELIGIBLE
        past_end = data["eligibility_end"] is not None and data["eligibility_end"] < context.today
        return {
            "eligibility_override_reason": "" if not_eligible else data["override"],
            "record_not_eligible": past_end and not_eligible,
        }

    def apply(self, checked: Checked, context: ImportContext) -> Applied:
        data, actor = checked.data, context.user
        referral_data = self._referral_data(data, self._referrer(data, context))
        existing = context.existing(self.key, checked.external_id)
        if not isinstance(existing, Referral):
            referral = services.referral_create(
                actor=actor,
                organisation=context.organisation,
                service=data["service"],
                # The referrer's agreement is recorded once the referral stands where the
                # old system left it: the referrer is not written to about moves made in the past.
                referral_data={**referral_data, "referrer_updates_consent": False},
                parent=self._parent_named(data["parent_external_id"], context),
                **self._intake(data, context),
            )
            referral = self._move(referral, data, actor)
            if referral_data["referrer_updates_consent"]:
                referral = services.referral_update(
                    actor=actor, referral=referral, data={"referrer_updates_consent": True}
                )
            return Applied(referral, "created")
        fields = {**referral_data, "service": data["service"]}
        fields.pop("channel")
        different = {key: value for key, value in fields.items() if getattr(existing, key) != value}
        referral = existing
        if different:
            referral = services.referral_update(actor=actor, referral=existing, data=different)
        moved = self._move(referral, data, actor)
        changed = bool(different) or moved.status != existing.status
        return Applied(moved, "updated" if changed else "unchanged")

    def apply_many(self, checked_rows: list[Checked], context: ImportContext) -> list[Applied]:
        """New referrals are written together by referrals_create_many (the
        same rules, a fixed number of queries; no update goes to the
        referrer about the moves, see its docstring); rows for referrals
        imported before, one by one through apply(), after them."""
        results: dict[int, Applied] = {}
        new = [
            (index, checked)
            for index, checked in enumerate(checked_rows)
            if not isinstance(context.existing(self.key, checked.external_id), Referral)
        ]
        if new:
            directory = referrer_directory(
                organisation=context.organisation, people=[checked.data["referrer"] for _, checked in new]
            )
            wanted = [self._new_referral(checked.data, context, directory) for _, checked in new]
            made = services.referrals_create_many(
                actor=context.user, organisation=context.organisation, referrals=wanted
            )
            for (index, checked), referral in zip(new, made, strict=True):
                results[index] = Applied(referral, "created")
                context.remember(self.key, checked.external_id, referral)
        for index, checked in enumerate(checked_rows):
            if index not in results:
                results[index] = self.apply(checked, context)
                context.remember(self.key, checked.external_id, results[index].record)
        return [results[index] for index in range(len(checked_rows))]

    def _new_referral(self, data: dict[str, Any], context: ImportContext, directory: list) -> services.NewReferral:
        intake = self._intake(data, context)
        # referral_create moves a parent past the end to "not eligible" itself.
        start = Status.NOT_ELIGIBLE if intake["record_not_eligible"] else Status.RECEIVED
        return services.NewReferral(
            parent=self._parent_named(data["parent_external_id"], context),
            service=data["service"],
            # Agreed updates recorded as the referral comes in: the bulk path tells the referrer nothing of its moves.
            referral_data=self._referral_data(data, self._referrer(data, context, directory)),
            moves=tuple(self._moves(start, data)),
            **intake,
        )

    def _moves(self, current: str, data: dict[str, Any]) -> list[tuple[str, str]]:
        """Each move to the row's status, with its reason (an exit's only)."""
        reason = f"Imported: {data['status_reason']}" if data["status_reason"] else "Imported"
        return [(step, reason if step in EXITS else "") for step in status_steps(current, data["status"]) or []]

    def _move(self, referral: Referral, data: dict[str, Any], actor) -> Referral:
        for step, reason in self._moves(referral.status, data):
            referral = services.referral_transition(actor=actor, referral=referral, to_status=step, reason=reason)
        return referral

    # --- undo --------------------------------------------------------------------------

    def untouched(self, record: Referral, imported_at: dt.datetime) -> bool:
        """No match, contact, update to the referrer … and no move or edit since."""
        if changed_since(record, imported_at):
            return False
        if ReferralTransition.objects.filter(referral=record, at__gt=imported_at + dt.timedelta(seconds=1)).exists():
            return False
        return not rows_hanging_off(record, allowed={"transitions"})

    def undo(self, record: Referral) -> None:
        ReferralTransition.objects.filter(referral=record).delete()
        record.delete()


def fold_status(text: str) -> str:
    return fold(text)


register(ReferralsKind())
