"""Transferring a family to another organisation on this installation (issue 24).

The sending coordinator proposes, with the parent's consent recorded; the
receiving organisation's coordinators accept (choosing their own service)
or decline with a reason. Until acceptance the receiving side reads only the
proposal: council area, stage ("due in March 2027", "baby 4 months"), the
kind of service asked for and why the family is moving — no name, address
or phone. These fields are copied onto the Transfer when it is proposed, so
the receiving pages never read the sending organisation's records.

On acceptance, in one transaction with the transfer row locked (two
coordinators accepting at once make one parent): a NEW parent record with
the children and pregnancies, safe contact and (if the sending coordinator
chose to) the needs the parent agreed to record, and a NEW referral received
today in the receiving organisation's triage, its eligibility computed by the
receiving service's own policy through ``referrals.services.referral_create``.
The sending referral is closed as "transferred" (``Status.TRANSFERRED``,
entered only here) and keeps its history under the sending organisation's
retention. Contact logs and concerns never travel: a safeguarding note
passes only when the sending coordinator writes one deliberately.

Open matches of the sending side are ended by the transfer itself, as a
planned ending, when it is accepted: ending them first by hand would close
the referral (the matching app closes a referral whose last match ends), and
a closed referral cannot be transferred. The matching app does the ending on
``transfer_changed`` and the volunteer is told by the notifications app.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import STAFF_ROLES, Organisation, Service, User, active_membership
from referrals import services, signals
from referrals.models import Child, Parent, Referral, Source, Transfer, TransferStatus, parent_search_text
from referrals.workflow import OPEN_STATUSES

REASON_MAX = 300

#: The parent's details the receiving organisation gets on acceptance.
COPIED_PARENT_FIELDS = (
    *services.PARENT_DETAIL_FIELDS,
    "contact_consent_given_on",
    "lawful_basis_article6",
    "lawful_basis_article9",
)
#: Passed on only when the sending coordinator ticks "pass on the needs".
NEEDS_FIELDS = ("needs_agreed", "refugee_or_asylum_seeking", "substance_use", "ethnicity")
CHILD_COPIED_FIELDS = (
    "name",
    "due_date",
    "birth_date",
    "gestation_weeks_at_birth",
    "neonatal_care",
    "loss_kind",
    "loss_date",
)


# --- the proposal's words (pure) -------------------------------------------------


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def stage_words(children: list[tuple[date | None, date | None, date | None]], today: date) -> str:
    """What a receiving coordinator needs of the family's stage, without a
    date that could identify anyone: "due in March 2027", "baby 4 months",
    "child 2 years". ``children`` are (due date, birth date, loss date);
    a loss is left out (the summary note may say what the family wants known)."""
    words = []
    for due, born, lost in children:
        if lost is not None:
            continue
        if born is not None:
            months = max(_months_between(born, today), 0)
            if months < 24:
                words.append(f"baby {months} month{'s' if months != 1 else ''}")
            else:
                words.append(f"child {months // 12} years")
        elif due is not None:
            words.append(f"due in {due.strftime('%B %Y')}")
    return ", ".join(words) or "No pregnancy or child recorded"


# --- who may act ------------------------------------------------------------------


def _require_staff_of(actor: User, organisation_id: int) -> None:
    """Coordinators and managers of ``organisation_id`` only: a volunteer or a
    PSO, or anyone working for another organisation, is refused."""
    membership = active_membership(actor)
    if membership is None or membership.role not in STAFF_ROLES or membership.organisation_id != organisation_id:
        raise PermissionDenied("Only the organisation's coordinators and managers can do this.")


def receiving_organisations(organisation: Organisation) -> QuerySet[Organisation]:
    """The organisations a family may be transferred to: every other one on this installation."""
    return Organisation.objects.exclude(pk=organisation.pk).order_by("name")


def get_transfer_for(user, pk: int) -> Transfer:
    """A transfer the user's organisation sends or receives; 404 otherwise."""
    return get_object_or_404(
        Transfer.objects.visible_to(user).select_related(
            "sending_organisation", "receiving_organisation", "council_area", "new_referral"
        ),
        pk=pk,
    )


# --- services -----------------------------------------------------------------------


def _audit_both(*, actor: User, transfer: Transfer, action: str, summary: str) -> None:
    """One audit entry for each side; the summaries name no one."""
    for organisation_id in (transfer.sending_organisation_id, transfer.receiving_organisation_id):
        audit_log(action=action, actor=actor, obj=transfer, organisation=organisation_id, summary=summary)


def _record_answer(locked: Transfer, *, actor: User, status: str, summary: str, **fields: Any) -> Transfer:
    """Records the answer on the locked, pending transfer: audited on both
    sides, announced to the other apps inside the transaction."""
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    for field, value in fields.items():
        setattr(locked, field, value)
    locked.save(update_fields=["status", "decided_by", "decided_at", *fields])
    _audit_both(actor=actor, transfer=locked, action=AuditAction.TRANSITION, summary=summary)
    signals.transfer_changed.send(sender=Transfer, transfer_id=locked.pk, actor=actor)
    return locked


@transaction.atomic
def transfer_propose(
    *,
    actor: User,
    referral: Referral,
    receiving_organisation: Organisation | None,
    reason: str,
    consent: bool,
    include_needs: bool = False,
    summary_note: str = "",
    safeguarding_note: str = "",
) -> Transfer:
    """Proposes to transfer ``referral``'s family to ``receiving_organisation``.
    Refused without the parent's consent, for a referral that is not open or
    already has a transfer waiting, to one's own organisation, for a
    restricted record, and for anyone but the sending side's staff."""
    _require_staff_of(actor, referral.organisation_id)
    locked = Referral.objects.select_for_update().select_related("parent", "service").get(pk=referral.pk)
    errors: dict[str, str] = {}
    if not consent:
        errors["consent"] = "Record that the parent agreed to the transfer: nothing is passed on without it."
    if receiving_organisation is None:
        errors["receiving_organisation"] = "Choose the organisation the family is moving to."
    elif receiving_organisation.pk == locked.organisation_id:
        errors["receiving_organisation"] = "Choose another organisation: this referral is already yours."
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Say briefly why the family is moving (for example: moving to Fife in March)."
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"Keep the reason to {REASON_MAX} characters."
    if locked.status not in OPEN_STATUSES:
        errors["referral"] = (
            f"This referral is {locked.get_status_display().lower()}: only an open referral can be transferred."
        )
    elif Transfer.objects.filter(referral=locked, status=TransferStatus.PROPOSED).exists():
        errors["referral"] = "A transfer of this referral is already waiting for an answer."
    if errors:
        raise ValidationError(errors)
    services.check_not_restricted(locked.parent, field="referral")
    now = timezone.now()
    children = Child.objects.filter(parent_id=locked.parent_id).values_list("due_date", "birth_date", "loss_date")
    transfer = Transfer(
        sending_organisation_id=locked.organisation_id,
        receiving_organisation=receiving_organisation,
        referral=locked,
        council_area_id=locked.parent.council_area_id,
        stage=stage_words(list(children), timezone.localdate())[:150],
        service_kind=locked.service.kind,
        reason=reason,
        include_needs=include_needs and locked.parent.needs_agreed,
        summary_note=(summary_note or "").strip(),
        safeguarding_note=(safeguarding_note or "").strip(),
        consent_recorded_by=actor,
        consent_recorded_at=now,
        proposed_by=actor,
        proposed_at=now,
    )
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError:
        # Two proposals raced past the check: the partial unique constraint caught the second.
        raise ValidationError({"referral": "A transfer of this referral is already waiting for an answer."}) from None
    _audit_both(
        actor=actor,
        transfer=transfer,
        action=AuditAction.CREATE,
        summary="Transfer to another organisation proposed (parent's consent recorded)",
    )
    signals.transfer_changed.send(sender=Transfer, transfer_id=transfer.pk, actor=actor)
    return transfer


def _lock_pending(transfer: Transfer) -> Transfer:
    locked = (
        Transfer.objects.select_for_update()
        .select_related("sending_organisation", "receiving_organisation")
        .get(pk=transfer.pk)
    )
    if locked.status != TransferStatus.PROPOSED:
        raise ValidationError({"transfer": f"This transfer has already been answered: {locked.get_status_display()}."})
    return locked


def _copy_family(*, actor: User, transfer: Transfer, parent: Parent) -> Parent:
    """The receiving organisation's own new record of the family."""
    data: dict[str, Any] = {field: getattr(parent, field) for field in COPIED_PARENT_FIELDS}
    for field in services.CONTACT_SAFETY_FIELDS:
        data[field] = getattr(parent, field)
    data["contact_safety_recorded_at"] = parent.contact_safety_recorded_at
    if transfer.include_needs and parent.needs_agreed:
        data.update({field: getattr(parent, field) for field in NEEDS_FIELDS})
    new_parent = Parent(organisation_id=transfer.receiving_organisation_id, **data)
    new_parent.search_text = parent_search_text(new_parent)
    new_parent.save()
    Child.objects.bulk_create(
        [
            Child(parent=new_parent, **{field: getattr(child, field) for field in CHILD_COPIED_FIELDS})
            for child in Child.objects.filter(parent=parent).order_by("pk")
        ]
    )
    audit_log(action=AuditAction.CREATE, actor=actor, obj=new_parent, summary="Parent added (transferred in)")
    return new_parent


@transaction.atomic
def transfer_accept(
    *, actor: User, transfer: Transfer, service: Service | None, eligibility_override_reason: str = ""
) -> Transfer:
    """The receiving organisation takes the family: a new parent record and a
    new referral to ``service`` (its own), the sending referral closed as
    transferred, open matches ended. The transfer row is locked first, so a
    second acceptance waits and is then refused: one new parent, never two."""
    _require_staff_of(actor, transfer.receiving_organisation_id)
    locked = _lock_pending(transfer)
    if service is None:
        raise ValidationError({"service": "Choose the service that will support the family."})
    referral = Referral.objects.select_for_update().select_related("parent").get(pk=locked.referral_id)
    if referral.status not in OPEN_STATUSES:
        raise ValidationError(
            {"transfer": f"The referral is now {referral.get_status_display().lower()}: it can no longer be taken."}
        )
    services.check_not_restricted(referral.parent, field="transfer")
    receiving = locked.receiving_organisation
    new_parent = _copy_family(actor=actor, transfer=locked, parent=referral.parent)
    new_referral = services.referral_create(
        actor=actor,
        organisation=receiving,
        service=service,
        parent=new_parent,
        referral_data={
            "source": Source.OTHER_CHARITY,
            "reason": f"Transferred from {locked.sending_organisation.name} (transfer #{locked.pk}).",
            "urgency": referral.urgency,
            "received_on": timezone.localdate(),
        },
        eligibility_override_reason=eligibility_override_reason,
    )
    services.referral_close_transferred(
        actor=actor,
        referral=referral,
        reason=f"Transferred to {receiving.name} (transfer #{locked.pk}).",
    )
    return _record_answer(
        locked,
        actor=actor,
        status=TransferStatus.ACCEPTED,
        summary="Transfer accepted: the family's record was passed on",
        new_referral=new_referral,
    )


@transaction.atomic
def transfer_decline(*, actor: User, transfer: Transfer, reason: str) -> Transfer:
    """The receiving organisation cannot take the family: the sending side is
    told why, and the referral stays open with them."""
    _require_staff_of(actor, transfer.receiving_organisation_id)
    locked = _lock_pending(transfer)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why, so the sending organisation can plan what to do next."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters."})
    return _record_answer(
        locked,
        actor=actor,
        status=TransferStatus.DECLINED,
        summary="Transfer declined (reason recorded on the transfer)",
        decision_reason=reason,
    )


@transaction.atomic
def transfer_withdraw(*, actor: User, transfer: Transfer) -> Transfer:
    """The sending side takes back a proposal nobody has answered yet."""
    _require_staff_of(actor, transfer.sending_organisation_id)
    return _record_answer(
        _lock_pending(transfer),
        actor=actor,
        status=TransferStatus.WITHDRAWN,
        summary="Transfer withdrawn by the sending organisation",
    )
