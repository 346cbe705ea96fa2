"""Volunteers and PSOs: one row per person, with their council areas,
languages, availability, PVG membership, training, one reference and a
supervisor. Written through volunteers.services, so every rule the profile
pages enforce holds here too."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q

from operations.core.audit import AuditEvent
from operations.core.models import CouncilArea, Membership, Role, User
from operations.imports.cells import CellError, fold, parse_choice, parse_date, parse_int, parse_list
from operations.imports.kinds import register
from operations.imports.kinds.base import Applied, Checked, Column, ImportContext, ImportKind, Planned, Problem
from volunteers import fitness, services
from volunteers.models import (
    Course,
    DisclosureTask,
    Gender,
    Kind,
    PvgRecord,
    PvgScheme,
    Reference,
    Status,
    StatusChange,
    SupervisorPairing,
    TrainingRecord,
    VolunteerProfile,
)
from volunteers.selectors import settings_for

KEY = "volunteers"

#: Rows an import writes itself: their presence does not mean the record was used.
IMPORT_MADE = (StatusChange, TrainingRecord, PvgRecord, Reference, SupervisorPairing, DisclosureTask)
#: Other systems' words for the roles.
_ROLE_WORDS = {
    "volunteer": Kind.BEFRIENDER,
    "befriender": Kind.BEFRIENDER,
    "peersupporter": Kind.BEFRIENDER,
    "peersupportvolunteer": Kind.BEFRIENDER,
    "staff": Kind.PSO,
    "peersupportofficer": Kind.PSO,
    "groupfacilitator": Kind.FACILITATOR,
    "doula": Kind.BIRTH_COMPANION,
}

_DAYS = {fold(label): day for day, label in fitness.WEEKDAYS} | {day: day for day, _ in fitness.WEEKDAYS}
_PARTS = {
    "am": "am",
    "morning": "am",
    "morn": "am",
    "pm": "pm",
    "afternoon": "pm",
    "aft": "pm",
    "eve": "eve",
    "evening": "eve",
    "evenings": "eve",
}


def parse_availability(text: str) -> list[str]:
    """ "Mon am; Wednesday evening, sat_pm" -> ["mon_am", "wed_eve", "sat_pm"] (the grid's order)."""
    cells: set[str] = set()
    for part in parse_list(text):
        words = [word for word in re.split(r"[\s_\-/]+", part.strip().lower()) if word]
        if len(words) != 2 or fold(words[0]) not in _DAYS or fold(words[1]) not in _PARTS:
            raise CellError(
                f"“{part}” is not a weekday and part of the day.",
                "Write times such as “Mon am; Wed pm; Sat evening”, separated by semicolons.",
            )
        cells.add(f"{_DAYS[fold(words[0])]}_{_PARTS[fold(words[1])]}")
    return [cell for cell in fitness.AVAILABILITY_CELLS if cell in cells]


class VolunteersKind(ImportKind):
    key = KEY
    label = "Volunteers and PSOs"
    model = VolunteerProfile
    columns = (
        Column(
            "External ID",
            "The person's id in the spreadsheet or system you are moving from: the same id updates the same person.",
            "V-0014",
            required=True,
            aliases=("ID", "Volunteer ID", "Contact ID", "Person ID", "Record ID", "Client ID", "Internal Contact ID"),
        ),
        Column(
            "First name",
            "Their first name.",
            "Aisha",
            required=True,
            aliases=("Forename", "Forenames", "Given name", "Firstname"),
        ),
        Column(
            "Last name",
            "Their last name.",
            "Khan",
            required=True,
            aliases=("Surname", "Family name", "Lastname"),
        ),
        Column(
            "Email",
            "Their email address (used to sign in once they set a password).",
            "aisha.khan@example.org",
            aliases=("Email Address", "E-mail", "Email 1", "Primary Email", "Email (Primary)"),
        ),
        Column(
            "Phone",
            "A phone number to reach them on.",
            "07700 900123",
            aliases=("Mobile", "Mobile phone", "Mobile Number", "Telephone", "Phone Number", "Phone (Primary)"),
        ),
        Column(
            "Roles",
            "One or more of: " + ", ".join(Kind.labels) + " (separate several with semicolons).",
            "Volunteer befriender",
            aliases=("Role", "Volunteer role", "Volunteer type", "Type"),
        ),
        Column(
            "Status",
            "Where they are: " + ", ".join(Status.labels) + ". Blank means Applicant.",
            "Active",
            aliases=("Volunteer status", "Current status"),
        ),
        Column(
            "Status since",
            "When they reached that status (day/month/year); blank means today.",
            "01/09/2025",
            aliases=("Start date", "Active since", "Date started"),
        ),
        Column(
            "Council areas",
            "The council areas they can work in, separated by semicolons.",
            "Glasgow City; East Renfrewshire",
            aliases=("Council area", "Local authority", "Areas covered", "Area"),
        ),
        Column(
            "Localities",
            "Towns and neighbourhoods they can reach, separated by commas.",
            "Shawlands, Giffnock",
            aliases=("Locality", "Town", "Neighbourhood"),
        ),
        Column(
            "Languages",
            "Languages they speak, separated by semicolons or commas.",
            "English; Urdu",
            aliases=("Language", "Languages spoken", "Preferred language"),
        ),
        Column(
            "Availability",
            "When they are free: weekday and morning/afternoon/evening, separated by semicolons.",
            "Mon am; Wed pm; Sat evening",
            aliases=("Available", "Availability times"),
        ),
        Column(
            "Gender",
            "Female, Male or Other; blank when not recorded.",
            "Female",
            aliases=("Sex",),
        ),
        Column(
            "Maximum caseload",
            "How many families they may support at once.",
            "2",
            aliases=("Max caseload", "Caseload"),
        ),
        Column(
            "PVG number",
            "Their PVG scheme membership number (blank if they have none yet).",
            "1234 5678 9012 3456",
            aliases=("PVG No", "PVG No.", "PVG membership number", "PVG", "Disclosure number"),
        ),
        Column(
            "PVG scheme",
            "Which PVG scheme: Children, Protected adults, or Children and protected adults.",
            "Children and protected adults",
            aliases=("PVG type",),
        ),
        Column(
            "PVG issued",
            "The date the PVG membership was issued (day/month/year).",
            "14/04/2026",
            aliases=("PVG date", "PVG issue date", "Disclosure date"),
        ),
        Column(
            "PVG renewal due",
            "When the PVG membership is due for renewal; blank works it out for memberships from 1 Apr 2026.",
            "14/04/2031",
            aliases=("PVG renewal", "PVG expiry", "PVG expiry date"),
        ),
        Column(
            "Training",
            "Courses completed, each as “course: date”, separated by semicolons (course names as on the "
            "training page).",
            "Core befriending training: 12/10/2025; Safeguarding: 19/10/2025",
            aliases=("Training completed", "Courses", "Training record"),
        ),
        Column(
            "Reference name",
            "The name of a referee.",
            "Jo Smith",
            aliases=("Referee", "Referee name", "Reference 1 name"),
        ),
        Column(
            "Reference relationship",
            "How the referee knows them.",
            "Former manager",
            aliases=("Referee relationship", "Reference 1 relationship"),
        ),
        Column(
            "Reference received",
            "The date the reference came back (day/month/year).",
            "02/09/2025",
            aliases=("Reference date", "Reference 1 received"),
        ),
        Column(
            "Supervisor",
            "Their supervisor: the External ID of a PSO on an earlier row, or the email of a PSO or coordinator "
            "already here.",
            "P-0002",
            aliases=("Supervisor email", "Line manager", "Supervised by"),
        ),
        Column(
            "Notes",
            "Notes for coordinators (not shown to the volunteer).",
            "Prefers morning visits.",
            aliases=("Coordinator notes", "Comments", "Note"),
        ),
    )

    # --- check ------------------------------------------------------------------

    def check(self, row: dict[str, str], line: int, context: ImportContext) -> Checked:
        problems = self.missing_required(row)
        data: dict = {}
        external_id = row.get("External ID", "")[:100]

        def read(header: str, parse, *args):
            try:
                return parse(row.get(header, ""), *args)
            except CellError as error:
                problems.append(Problem(header, error.problem, error.fix))
                return None

        data["first_name"] = row.get("First name", "")[:150]
        data["last_name"] = row.get("Last name", "")[:150]
        email = row.get("Email", "").strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    Problem("Email", f"“{email}” is not an email address.", "Correct it, or leave it blank.")
                )
        data["email"] = email
        data["phone"] = row.get("Phone", "")[:40]

        kinds = []
        for part in parse_list(row.get("Roles", "")):
            try:
                kinds.append(_ROLE_WORDS.get(fold(part)) or parse_choice(part, Kind))
            except CellError as error:
                problems.append(Problem("Roles", error.problem, error.fix))
        kinds = kinds or [Kind.BEFRIENDER]
        data["kinds"] = list(dict.fromkeys(kinds))
        data["role"] = Role.PSO if Kind.PSO in data["kinds"] else Role.VOLUNTEER
        data["status"] = read("Status", parse_choice, Status) or Status.APPLICANT
        data["status_since"] = read("Status since", parse_date)
        if data["status_since"] and data["status_since"] > context.today:
            problems.append(
                Problem("Status since", "The status date is in the future.", "Give today's date or earlier.")
            )

        areas = []
        by_name = _council_areas_by_name(context)
        for name in parse_list(row.get("Council areas", "")):
            area = by_name.get(fold(name)) or by_name.get(fold(name.replace("&", "and")))
            if area is None:
                problems.append(
                    Problem(
                        "Council areas",
                        f"“{name}” is not one of Scotland's council areas.",
                        "Write the council area's name, for example “Glasgow City” or “Na h-Eileanan Siar”.",
                    )
                )
            else:
                areas.append(area.pk)
        data["council_areas"] = areas
        data["localities"] = row.get("Localities", "")[:300]
        data["languages"] = ", ".join(parse_list(row.get("Languages", "")))
        if len(data["languages"]) > 200:
            problems.append(Problem("Languages", "The list of languages is too long.", "Keep it under 200 characters."))
        data["availability"] = read("Availability", parse_availability) or []
        data["gender"] = read("Gender", parse_choice, Gender) or ""
        caseload = read("Maximum caseload", parse_int)
        limit = _caseload_limit(context)
        if caseload is not None and not 0 <= caseload <= limit:
            problems.append(
                Problem("Maximum caseload", f"{caseload} is more than allowed.", f"Give a number from 0 to {limit}.")
            )
        data["max_caseload"] = 2 if caseload is None else caseload

        self._check_pvg(row, data, problems, read, context)
        self._check_training(row, data, problems, context)
        data["reference"] = None
        ref_name, ref_relationship = row.get("Reference name", ""), row.get("Reference relationship", "")
        received = read("Reference received", parse_date)
        if ref_name or ref_relationship or received:
            if not ref_name or not ref_relationship:
                problems.append(
                    Problem(
                        "Reference name" if not ref_name else "Reference relationship",
                        "A reference needs the referee's name and how they know the person.",
                        "Fill in both, or leave the reference columns blank.",
                    )
                )
            elif received and received > context.today:
                problems.append(Problem("Reference received", "The date is in the future.", "Give the date it came."))
            else:
                data["reference"] = (ref_name[:150], ref_relationship[:100], received)
        data["supervisor"] = self._check_supervisor(row.get("Supervisor", ""), external_id, problems, context)
        data["coordinator_notes"] = row.get("Notes", "")

        existing = context.existing(KEY, external_id) if external_id else None
        seen = context.seen.setdefault(KEY, {"emails": {}})
        if email:
            earlier = seen["emails"].get(email)
            if earlier:
                problems.append(
                    Problem("Email", f"This email is on line {earlier} too.", "Each person needs their own email.")
                )
            else:
                seen["emails"][email] = line
            if existing is None and _email_taken(email, context):
                problems.append(
                    Problem(
                        "Email",
                        "Someone with this email is already a volunteer or PSO here (not from an import).",
                        "Remove this row if it is the same person, or correct the email.",
                    )
                )
        return Checked(line=line, external_id=external_id, data=data, problems=problems)

    def _check_pvg(self, row, data, problems, read, context) -> None:
        number = row.get("PVG number", "").strip()
        scheme = read("PVG scheme", parse_choice, PvgScheme)
        issued = read("PVG issued", parse_date)
        renewal = read("PVG renewal due", parse_date)
        data["pvg"] = None
        if not (number or scheme or issued or renewal):
            return
        if not number:
            problems.append(Problem("PVG number", "The PVG number is blank.", "Give the membership number."))
        if not scheme and not row.get("PVG scheme", "").strip():
            problems.append(
                Problem("PVG scheme", "The PVG scheme is blank.", "Write Children, Protected adults or both.")
            )
        if not issued and not row.get("PVG issued", "").strip():
            problems.append(Problem("PVG issued", "The PVG issue date is blank.", "Give the date it was issued."))
        elif issued and issued > context.today:
            problems.append(Problem("PVG issued", "The PVG date is in the future.", "Give the date it was issued."))
        elif issued and renewal is not None and renewal <= issued:
            problems.append(
                Problem("PVG renewal due", "The renewal date is not after the issue date.", "Correct either date.")
            )
        if number and scheme and issued:
            data["pvg"] = (number[:40], scheme, issued, renewal)

    def _check_training(self, row, data, problems, context) -> None:
        courses = {fold(course.name): course for course in _courses(context)}
        entries = []
        for part in re.split(r";", row.get("Training", "")):
            if not part.strip():
                continue
            name, _, when = part.rpartition(":")
            if not name.strip():
                name, when = part, ""
            course = courses.get(fold(name))
            if course is None:
                listed = ", ".join(course.name for course in courses.values())
                problems.append(
                    Problem("Training", f"“{name.strip()}” is not one of your courses.", f"Use one of: {listed}.")
                )
                continue
            try:
                completed = parse_date(when.strip())
            except CellError as error:
                problems.append(Problem("Training", error.problem, error.fix))
                continue
            if completed is None:
                problems.append(
                    Problem(
                        "Training",
                        f"No date for “{course.name}”.",
                        "Write the course then the date: “Course: 12/10/2025”.",
                    )
                )
            elif completed > context.today:
                problems.append(
                    Problem("Training", "A completion date is in the future.", "Give the date it was done.")
                )
            else:
                entries.append((course.pk, completed))
        data["training"] = entries

    def _check_supervisor(self, text: str, external_id: str, problems, context) -> int | str | None:
        """The supervisor's user id, or ("planned", external id) in a dry run."""
        text = text.strip()
        if not text:
            return None
        if "@" in text:
            user = (
                User.objects.filter(
                    email__iexact=text,
                    memberships__organisation=context.organisation,
                    memberships__is_active=True,
                    memberships__role__in=services.SUPERVISOR_ROLES,
                )
                .distinct()
                .first()
            )
            if user is None:
                problems.append(
                    Problem(
                        "Supervisor",
                        f"No PSO or coordinator here has the email “{text}”.",
                        "Give the email of a PSO or coordinator of your organisation, or a PSO's External ID.",
                    )
                )
                return None
            return user.pk
        if text == external_id:
            problems.append(Problem("Supervisor", "Nobody supervises themselves.", "Give their supervisor's id."))
            return None
        found = context.existing(KEY, text)
        if isinstance(found, Planned):
            return f"planned:{text}"
        if found is None:
            problems.append(
                Problem(
                    "Supervisor",
                    f"No PSO with the External ID “{text}” is on an earlier row or imported before.",
                    "Put the supervisor's row above this one, or give their email.",
                )
            )
            return None
        if not services.is_supervisor_in(user=found.user, organisation_id=context.organisation.pk):
            problems.append(
                Problem("Supervisor", f"“{text}” is not a PSO.", "Give the External ID of a PSO, or their email.")
            )
            return None
        return found.user_id

    # --- apply ------------------------------------------------------------------

    def apply(self, checked: Checked, context: ImportContext) -> Applied:
        data = checked.data
        existing = context.existing(KEY, checked.external_id)
        wanted = set(data["council_areas"])
        areas = [area for area in _council_areas(context) if area.pk in wanted]
        fields = _profile_values(data)
        if existing is None:
            profile = services.volunteer_create(
                organisation=context.organisation,
                actor=context.user,
                username=_free_username(data),
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                council_areas=areas,
                **fields,
            )
            action = "created"
        else:
            profile = existing
            changed = {key: value for key, value in fields.items() if getattr(profile, key) != value}
            if data["email"] != profile.email:
                changed["email"] = data["email"]
            same_areas = set(profile.council_areas.values_list("pk", flat=True)) == {area.pk for area in areas}
            if changed or not same_areas:
                services.volunteer_update(
                    profile=profile, actor=context.user, council_areas=None if same_areas else areas, **changed
                )
            action = "updated" if changed or not same_areas else "unchanged"
        if data["status"] != profile.status:
            services.volunteer_change_status(
                profile=profile,
                actor=context.user,
                status=data["status"],
                reason="Imported" if data["status"] == Status.LEFT else "",
                on=data["status_since"] or context.today,
            )
            action = "updated" if action == "unchanged" else action
            profile.refresh_from_db()
        if data["pvg"]:
            number, scheme, issued, renewal = data["pvg"]
            current = PvgRecord.objects.filter(profile=profile).first()
            if (
                current is None
                or (current.membership_number, current.scheme, current.issued_on)
                != (
                    number,
                    scheme,
                    issued,
                )
                or (renewal and renewal != current.renewal_due)
            ):
                services.pvg_record_save(
                    profile=profile,
                    actor=context.user,
                    membership_number=number,
                    scheme=scheme,
                    issued_on=issued,
                    renewal_due=renewal,
                )
                action = "updated" if action == "unchanged" else action
        had = set(profile.training_records.values_list("course_id", "completed_on"))
        for course_id, completed in data["training"]:
            if (course_id, completed) not in had:
                course = next(course for course in _courses(context) if course.pk == course_id)
                services.training_record_add(profile=profile, actor=context.user, course=course, completed_on=completed)
                action = "updated" if action == "unchanged" else action
        if data["reference"]:
            name, relationship, received = data["reference"]
            if not profile.references.filter(name=name, relationship=relationship).exists():
                services.reference_add(
                    profile=profile, actor=context.user, name=name, relationship=relationship, received_on=received
                )
                action = "updated" if action == "unchanged" else action
        supervisor_id = data["supervisor"]
        if isinstance(supervisor_id, str):  # only in a dry run; apply resolves again
            found = context.existing(KEY, supervisor_id.removeprefix("planned:"))
            supervisor_id = getattr(found, "user_id", None)
        if supervisor_id:
            current = SupervisorPairing.objects.filter(volunteer=profile, ended_on__isnull=True).first()
            if current is None or current.supervisor_id != supervisor_id:
                services.supervisor_pair(
                    profile=profile, supervisor=User.objects.get(pk=supervisor_id), actor=context.user
                )
                action = "updated" if action == "unchanged" else action
        return Applied(record=profile, action=action)

    def apply_many(self, checked_rows: list[Checked], context: ImportContext) -> list[Applied]:
        """New people without a supervisor are written together by
        volunteers_create_many (the same rules, a fixed number of queries);
        the others (updates, pairings) one by one through apply(), after them."""
        results: dict[int, Applied] = {}
        new = [
            (index, checked)
            for index, checked in enumerate(checked_rows)
            if not checked.data["supervisor"] and context.existing(KEY, checked.external_id) is None
        ]
        if new:
            courses = {course.pk: course for course in _courses(context)}
            usernames = _free_usernames([checked.data for _, checked in new])
            people = [
                services.NewVolunteer(
                    username=username,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    role=data["role"],
                    values=_profile_values(data),
                    council_areas=data["council_areas"],
                    status=data["status"],
                    status_on=data["status_since"] or context.today,
                    status_reason="Imported" if data["status"] == Status.LEFT else "",
                    pvg=data["pvg"],
                    training=[(courses[course_id], completed) for course_id, completed in data["training"]],
                    reference=data["reference"],
                )
                for username, data in zip(usernames, (checked.data for _, checked in new), strict=True)
            ]
            profiles = services.volunteers_create_many(
                organisation=context.organisation, actor=context.user, people=people
            )
            for (index, checked), profile in zip(new, profiles, strict=True):
                results[index] = Applied(record=profile, action="created")
                context.remember(KEY, checked.external_id, profile)
        for index, checked in enumerate(checked_rows):
            if index not in results:
                results[index] = self.apply(checked, context)
                context.remember(KEY, checked.external_id, results[index].record)
        return [results[index] for index in range(len(checked_rows))]

    # --- undo -------------------------------------------------------------------

    def untouched(self, record: VolunteerProfile, imported_at: dt.datetime) -> bool:
        """Nothing done with the person since: no sign-in, no change by anyone,
        nothing linked to them beyond what the import made, supervising nobody
        who was not imported."""
        user = record.user
        if user.last_login is not None:
            return False
        for relation in VolunteerProfile._meta.related_objects:
            if relation.related_model in IMPORT_MADE or not relation.field.concrete:
                continue
            if relation.related_model._base_manager.filter(**{relation.field.name: record}).exists():
                return False
        if AuditEvent.objects.filter(
            Q(object_type=VolunteerProfile._meta.label, object_id=str(record.pk)),
            created_at__gt=imported_at,
        ).exists():
            return False
        if VolunteerProfile.objects.filter(user=user).exclude(pk=record.pk).exists():
            return False
        if Membership.objects.filter(user=user).exclude(organisation_id=record.organisation_id).exists():
            return False
        from operations.imports.models import ImportedRecord

        imported_profiles = ImportedRecord.objects.filter(organisation_id=record.organisation_id, kind=KEY).values(
            "object_id"
        )
        return (
            not SupervisorPairing.objects.filter(supervisor=user).exclude(volunteer_id__in=imported_profiles).exists()
        )

    def undo(self, record: VolunteerProfile) -> None:
        user = record.user
        SupervisorPairing.objects.filter(supervisor=user).delete()
        record.delete()  # training, PVG, references, status changes and pairings go with it
        Membership.objects.filter(user=user, organisation_id=record.organisation_id).delete()
        if not user.has_usable_password() and user.last_login is None:
            user.delete()


def _council_areas(context: ImportContext) -> list[CouncilArea]:
    cached = context.seen.get("volunteers:areas")
    if cached is None:
        cached = context.seen["volunteers:areas"] = list(CouncilArea.objects.all())
    return cached


def _council_areas_by_name(context: ImportContext) -> dict[str, CouncilArea]:
    cached = context.seen.get("volunteers:areas-by-name")
    if cached is None:
        cached = context.seen["volunteers:areas-by-name"] = {fold(area.name): area for area in _council_areas(context)}
    return cached


def _courses(context: ImportContext) -> list[Course]:
    cached = context.seen.get("volunteers:courses")
    if cached is None:
        cached = context.seen["volunteers:courses"] = list(Course.objects.filter(organisation=context.organisation))
    return cached


def _caseload_limit(context: ImportContext) -> int:
    if "volunteers:limit" not in context.seen:
        context.seen["volunteers:limit"] = settings_for(context.organisation.pk).max_caseload_limit
    return context.seen["volunteers:limit"]


def _email_taken(email: str, context: ImportContext) -> bool:
    """Someone of the organisation has it (read once per run: one query, not one per row)."""
    taken = context.seen.get("volunteers:emails")
    if taken is None:
        rows = VolunteerProfile.objects.filter(organisation=context.organisation).values_list("email", "user__email")
        taken = context.seen["volunteers:emails"] = {email.lower() for pair in rows for email in pair if email}
    return email in taken


def _profile_values(data: dict) -> dict:
    """The profile's own fields of a checked row."""
    keys = ("kinds", "phone", "localities", "languages", "availability", "gender", "max_caseload", "coordinator_notes")
    return {key: data[key] for key in keys}


def _username_base(data: dict) -> str:
    base = data["email"] or f"{data['first_name']}.{data['last_name']}".lower().replace(" ", "")
    return re.sub(r"[^\w.@+-]", "", base)[:140] or "volunteer"


def _free_usernames(rows: list[dict]) -> list[str]:
    """``_free_username`` for a chunk: one query for the chunk's usernames;
    only a name already taken is looked at again, one by one."""
    from django.db.models.functions import Lower

    bases = [_username_base(data) for data in rows]
    taken = set(
        User.objects.annotate(lowered=Lower("username"))
        .filter(lowered__in={base.lower() for base in bases})
        .values_list("lowered", flat=True)
    )
    chosen: list[str] = []
    for base, data in zip(bases, rows, strict=True):
        candidate = base
        if candidate.lower() in taken:
            candidate = _free_username(data, also_taken=taken)
        taken.add(candidate.lower())
        chosen.append(candidate)
    return chosen


def _free_username(data: dict, also_taken: set[str] = frozenset()) -> str:
    """The email, or first.last, made unique with a number."""
    base = _username_base(data)
    candidate, number = base, 1
    while candidate.lower() in also_taken or User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


register(VolunteersKind())
