"""The referrer directory: the teams that refer to a charity and the people in
them, kept by its coordinators. Writes are services (one transaction each,
field errors on a broken rule, nothing written); the duplicate rule is a
plain function the directory page and its tests share.

A referrer or a team is never deleted while referrals point at it (the
foreign key protects them): it is deactivated, and leaves the pickers. The
one removal is a merge, which first moves every referral to the record kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Organisation, User
from referrals import signals
from referrals.models import Referral, Referrer, ReferrerKind, ReferringOrganisation
from referrals.validators import normalise_uk_phone

REFERRER_FIELDS = ("name", "role", "referring_organisation", "email", "phone", "is_active")
REFERRING_ORGANISATION_FIELDS = ("name", "kind", "email", "phone", "is_active")
#: Lengths of the model's text fields: a longer value is a field error, not a database error.
MAX_LENGTHS = {"name": 150, "role": 100, "email": 254, "phone": 30}
TEAM_EXISTS = "This team is already in the directory."


# --- The duplicate rule (pure) -------------------------------------------------


def name_key(name: str) -> str:
    """A name as duplicates are compared: case and spacing ignored ("Fiona  GILMOUR" = "fiona gilmour")."""
    return " ".join((name or "").casefold().split())


def email_key(email: str) -> str:
    return (email or "").strip().casefold()


@dataclass(frozen=True)
class Entry:
    """What the duplicate rule reads of a directory entry (a person or a team)."""

    pk: int
    name: str
    email: str = ""
    team_id: int | None = None  # a person's team; None for a team itself


@dataclass(frozen=True)
class LikelyDuplicate:
    """Two entries that are probably one: ``duplicate`` is the newer, offered
    to be merged into ``keep`` (the coordinator may choose the other way)."""

    keep: int
    duplicate: int
    why: str


SAME_EMAIL = "same work email"
SAME_NAME_IN_TEAM = "same name in the same team"
SAME_NAME = "same name"


def likely_duplicates(entries: Iterable[Entry], *, people: bool = True) -> list[LikelyDuplicate]:
    """Pairs of entries that are likely the same: the same email, or the same
    name (case and spaces ignored) within one team (for people; "no team"
    counts as a team) or in the directory (for teams). Each newer entry is
    paired with the oldest of its group; a pair found both ways says both."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for entry in sorted(entries, key=lambda entry: entry.pk):
        if email_key(entry.email):
            groups["email", email_key(entry.email)].append(entry.pk)
        if name_key(entry.name):
            groups["name", entry.team_id if people else None, name_key(entry.name)].append(entry.pk)
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key, pks in groups.items():
        why = SAME_EMAIL if key[0] == "email" else (SAME_NAME_IN_TEAM if people else SAME_NAME)
        for pk in pks[1:]:
            if why not in reasons[pks[0], pk]:
                reasons[pks[0], pk].append(why)
    return [LikelyDuplicate(keep, duplicate, " and ".join(why)) for (keep, duplicate), why in sorted(reasons.items())]


# --- Cleaning ------------------------------------------------------------------


def _clean_text(data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    cleaned = dict(data)
    if "name" in cleaned:
        cleaned["name"] = " ".join((cleaned["name"] or "").split())
        if not cleaned["name"]:
            errors["name"] = "Give the name."
    for field in ("role", "email"):
        if field in cleaned:
            cleaned[field] = (cleaned[field] or "").strip()
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = "Enter a valid email address."
    if "phone" in cleaned:
        try:
            cleaned["phone"] = normalise_uk_phone(cleaned["phone"] or "")
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    for field, limit in MAX_LENGTHS.items():
        if field not in errors and len(cleaned.get(field) or "") > limit:
            errors[field] = f"Keep this to {limit} characters."
    return cleaned


def _clean_referrer_data(data: dict[str, Any], *, organisation: Organisation) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = _clean_text({key: value for key, value in data.items() if key in REFERRER_FIELDS}, errors)
    team = cleaned.get("referring_organisation")
    if team is not None and team.organisation_id != organisation.pk:
        # Only reachable by a forged id: the pickers offer the organisation's own teams.
        errors["referring_organisation"] = "Choose a team of your organisation's directory."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_team_data(data: dict[str, Any], *, organisation: Organisation, team: ReferringOrganisation | None):
    errors: dict[str, str] = {}
    cleaned = _clean_text({key: value for key, value in data.items() if key in REFERRING_ORGANISATION_FIELDS}, errors)
    if "kind" in cleaned and cleaned["kind"] not in ReferrerKind.values:
        errors["kind"] = "Choose the kind of team."
    if cleaned.get("name") and "name" not in errors:
        same = ReferringOrganisation.objects.filter(organisation=organisation, name__iexact=cleaned["name"])
        if team is not None:
            same = same.exclude(pk=team.pk)
        if same.exists():
            errors["name"] = TEAM_EXISTS
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- Writes --------------------------------------------------------------------


@transaction.atomic
def referring_organisation_save(
    *, actor: User, organisation: Organisation, data: dict[str, Any], team: ReferringOrganisation | None = None
) -> ReferringOrganisation:
    """Adds a team to the directory, or changes one (deactivating it with
    ``is_active``). Two teams of one organisation never share a name."""
    if team is not None:
        team = ReferringOrganisation.objects.select_for_update().get(pk=team.pk)
        if team.organisation_id != organisation.pk:
            raise ValidationError("This team is in another organisation's directory.")
    cleaned = _clean_team_data(data, organisation=organisation, team=team)
    created = team is None
    if created:
        if not cleaned.get("name"):
            raise ValidationError({"name": "Give the name."})
        team = ReferringOrganisation(organisation=organisation)
    for field, value in cleaned.items():
        setattr(team, field, value)
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        # Another coordinator added the same name meanwhile: the constraint caught it.
        raise ValidationError({"name": TEAM_EXISTS}) from None
    audit_log(
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        actor=actor,
        obj=team,
        summary="Referring team added to the directory" if created else "Referring team changed",
    )
    return team


@transaction.atomic
def referrer_save(
    *, actor: User, organisation: Organisation, data: dict[str, Any], referrer: Referrer | None = None
) -> Referrer:
    """Adds a person to the directory, or changes one (deactivating them
    with ``is_active``). Their work details only."""
    if referrer is not None:
        referrer = Referrer.objects.select_for_update().get(pk=referrer.pk)
        if referrer.organisation_id != organisation.pk:
            raise ValidationError("This referrer is in another organisation's directory.")
    cleaned = _clean_referrer_data(data, organisation=organisation)
    created = referrer is None
    if created:
        if not cleaned.get("name"):
            raise ValidationError({"name": "Give the name."})
        referrer = Referrer(organisation=organisation)
    for field, value in cleaned.items():
        setattr(referrer, field, value)
    referrer.save()
    audit_log(
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        actor=actor,
        obj=referrer,
        summary="Referrer added to the directory" if created else "Referrer changed",
    )
    return referrer


@transaction.atomic
def referrer_add_inline(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    new_team: dict[str, Any] | None = None,
) -> Referrer:
    """A referrer added from the referral form, with their team: one from the
    directory (``data["referring_organisation"]``), or one typed by name
    (``new_team``: name and kind), which joins the directory unless a team of
    that name is already there (then that one is used). Errors about the new
    team are keyed ``team_name`` and ``team_kind``."""
    if new_team and (new_team.get("name") or "").strip():
        name = " ".join(new_team["name"].split())
        team = ReferringOrganisation.objects.filter(organisation=organisation, name__iexact=name).first()
        if team is None:
            try:
                team = referring_organisation_save(
                    actor=actor,
                    organisation=organisation,
                    data={"name": name, "kind": new_team.get("kind") or ReferrerKind.OTHER},
                )
            except ValidationError as exc:
                raise ValidationError(
                    {f"team_{field}": messages for field, messages in exc.message_dict.items()}
                ) from None
        data = {**data, "referring_organisation": team}
    return referrer_save(actor=actor, organisation=organisation, data=data)


def _locked_pair(model, keep, duplicate, *, noun: str):
    """Both records, locked in primary-key order, or a refusal naming why."""
    if keep.pk == duplicate.pk:
        raise ValidationError({"keep": f"Choose another {noun} to keep: a record cannot be merged into itself."})
    locked = {
        row.pk: row for row in model.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk]).order_by("pk")
    }
    if len(locked) != 2:
        raise ValidationError({"keep": f"This {noun} is no longer in the directory."})
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if keep.organisation_id != duplicate.organisation_id:
        raise ValidationError({"keep": f"Choose a {noun} of the same organisation's directory."})
    return keep, duplicate


def _delete_merged(duplicate, *, noun: str) -> None:
    """Removes the merged duplicate; should another app still hold rows that
    protect it (one that does not move them on the merge signal), the merge
    is refused as a whole rather than failing half-way."""
    try:
        with transaction.atomic():
            duplicate.delete()
    except ProtectedError:
        raise ValidationError(
            {"keep": f"This {noun} is still named by other records that could not be moved: nothing was merged."}
        ) from None


def _fill_gaps(keep, duplicate, fields: Iterable[str]) -> list[str]:
    """What the kept record lacks, taken from the duplicate (the kept one's own details win)."""
    filled = []
    for field in fields:
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
            filled.append(field)
    return filled


@transaction.atomic
def referrer_merge(*, actor: User, keep: Referrer, duplicate: Referrer) -> int:
    """Merges ``duplicate`` into ``keep``: every referral it made moves to
    ``keep``, the details ``keep`` lacks are taken from it, and it is
    removed; audited. Refused across organisations. Returns the number of
    referrals moved."""
    keep, duplicate = _locked_pair(Referrer, keep, duplicate, noun="referrer")
    moved = Referral.objects.filter(referrer=duplicate).update(referrer=keep, updated_at=timezone.now())
    if _fill_gaps(keep, duplicate, ("role", "email", "phone", "referring_organisation")):
        keep.save()
    _remove_merged(
        actor=actor,
        keep=keep,
        duplicate=duplicate,
        merged=signals.referrers_merged,
        noun="referrer",
        moved=f"{moved} referrals moved",
    )
    return moved


@transaction.atomic
def referring_organisation_merge(*, actor: User, keep: ReferringOrganisation, duplicate: ReferringOrganisation) -> int:
    """Merges team ``duplicate`` into ``keep``: its people join ``keep`` (so
    their referrals follow), the details ``keep`` lacks are taken from it, and
    it is removed; audited. Refused across organisations. Returns the number
    of people moved."""
    keep, duplicate = _locked_pair(ReferringOrganisation, keep, duplicate, noun="team")
    moved = Referrer.objects.filter(referring_organisation=duplicate).update(referring_organisation=keep)
    filled = _fill_gaps(keep, duplicate, ("email", "phone"))
    if keep.kind == ReferrerKind.OTHER and duplicate.kind != ReferrerKind.OTHER:
        keep.kind = duplicate.kind
        filled.append("kind")
    if filled:
        keep.save()
    _remove_merged(
        actor=actor,
        keep=keep,
        duplicate=duplicate,
        merged=signals.referring_organisations_merged,
        noun="team",
        moved=f"{moved} people moved",
    )
    return moved


def _remove_merged(*, actor: User, keep, duplicate, merged, noun: str, moved: str) -> None:
    """The end of a merge: the layers above move what they hold of the
    duplicate (their receivers of ``merged``), before it goes; then it is
    deleted, with an audit entry on each side."""
    merged.send(sender=type(duplicate), keep_id=keep.pk, duplicate_id=duplicate.pk)
    duplicate_pk = duplicate.pk
    label = "Referrer" if noun == "referrer" else "Referring team"
    audit_log(
        action=AuditAction.DELETE,
        actor=actor,
        obj=duplicate,
        summary=f"{label} merged into {noun} #{keep.pk} as a duplicate",
    )
    _delete_merged(duplicate, noun=noun)
    audit_log(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=keep,
        summary=f"Duplicate {label.lower()} #{duplicate_pk} merged in; {moved}",
    )
