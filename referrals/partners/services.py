"""Writes of the partner API: credentials (made and revoked by managers)
and the referrals a partner system makes, once per Idempotency-Key."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Organisation, Service, User
from referrals import services as referral_services
from referrals.models import Channel, ReferrerKind, ReferringOrganisation, Source
from referrals.partners.models import PartnerCredential, PartnerReferral

#: Every token starts so, so a leaked one is recognised (and secret scanners can be taught it).
TOKEN_PREFIX = "pptk_"  # noqa: S105 (a prefix, not a secret)

#: The kind of team a credential belongs to, as the referral's source.
SOURCE_OF_KIND: dict[str, str] = {
    ReferrerKind.HEALTH_VISITING: Source.HEALTH_VISITOR,
    ReferrerKind.MIDWIFERY: Source.MIDWIFE,
    ReferrerKind.GP_PRACTICE: Source.GP,
    ReferrerKind.PERINATAL_MENTAL_HEALTH: Source.PERINATAL_MENTAL_HEALTH,
    ReferrerKind.SOCIAL_WORK: Source.SOCIAL_WORK,
    ReferrerKind.CHARITY: Source.OTHER_CHARITY,
    ReferrerKind.OTHER: Source.OTHER,
}


class IdempotencyKeyReused(Exception):
    """The key was used before with a different request."""


class AlreadyReferred(Exception):
    """The charity cannot take this referral through the API: the parent
    already has an open referral for the service, or her record may not be
    processed. Which of the two is not said."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def partner_credential_create(
    *, actor: User, organisation: Organisation, data: dict[str, Any]
) -> tuple[PartnerCredential, str]:
    """Makes a credential for a team of the organisation's directory and
    returns it with its token, which is never stored nor shown again."""
    team: ReferringOrganisation = data["referring_organisation"]
    person = data.get("referrer")
    errors = {}
    if team.organisation_id != organisation.pk or not team.is_active:
        errors["referring_organisation"] = "Choose an active team from your organisation's directory."
    if person is not None and (person.referring_organisation_id != team.pk or not person.is_active):
        errors["referrer"] = "Choose an active person of this team, or leave it empty."
    if not (data.get("name") or "").strip():
        errors["name"] = "Say what the credential is for."
    if errors:
        raise ValidationError(errors)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    credential = PartnerCredential.objects.create(
        organisation=organisation,
        referring_organisation=team,
        referrer=person,
        name=data["name"].strip(),
        token_prefix=token[: len(TOKEN_PREFIX) + 4],
        token_hash=token_hash(token),
        created_by=actor,
    )
    audit_log(action=AuditAction.PERMISSION, actor=actor, obj=credential, summary="Partner API credential made")
    return credential, token


@transaction.atomic
def partner_credential_revoke(*, actor: User, credential: PartnerCredential) -> PartnerCredential:
    """Revokes a credential at once: its next request is refused."""
    updated = PartnerCredential.objects.filter(pk=credential.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    if not updated:
        raise ValidationError("This credential was already revoked.")
    audit_log(action=AuditAction.PERMISSION, actor=actor, obj=credential, summary="Partner API credential revoked")
    credential.refresh_from_db()
    return credential


def partner_credential_for_token(token: str) -> PartnerCredential | None:
    """The active credential a token stands for, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return (
        PartnerCredential.objects.select_related("organisation", "referring_organisation", "referrer")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )


def _referral_data(credential: PartnerCredential, data: dict[str, Any]) -> dict[str, Any]:
    """How the referral came in, and from whom, is the credential's to say, never the request's."""
    team, person = credential.referring_organisation, credential.referrer
    return {
        "channel": Channel.PARTNER_API,
        "source": SOURCE_OF_KIND.get(team.kind, Source.OTHER),
        "referrer": person,
        "referrer_name": (f"{person.name}, {team.name}" if person else team.name)[:150],
        "referrer_contact": ((person.email or person.phone) if person else (team.email or team.phone))[:150],
        "referrer_updates_consent": bool(data.get("referrer_updates_consent")) and person is not None,
        "reason": data.get("reason", ""),
        "urgency": data.get("urgency") or 3,
        "received_on": timezone.localdate(),
    }


@transaction.atomic
def partner_referral_create(
    *,
    credential: PartnerCredential,
    key: str,
    request_hash: str,
    service: Service,
    data: dict[str, Any],
    parent_data: dict[str, Any],
    child_data: dict[str, Any] | None,
    safety_data: dict[str, Any],
) -> tuple[PartnerReferral, bool]:
    """Makes the referral a partner system sent, once per key: returns
    (the record, True) when made now, (the record, False) for a key already
    used with the same request. Raises ``IdempotencyKeyReused`` for a key
    used with another request, ``AlreadyReferred`` when the parent already
    has an open referral for the service, and ValidationError for a rule
    broken; then nothing is written and the key stays free."""
    try:
        with transaction.atomic():
            record = PartnerReferral.objects.create(credential=credential, key=key, request_hash=request_hash)
    except IntegrityError:
        # The key is taken (or was, an instant ago, by a request that has now committed).
        existing = PartnerReferral.objects.select_related("referral__service").get(credential=credential, key=key)
        if existing.request_hash != request_hash:
            raise IdempotencyKeyReused from None
        return existing, False
    try:
        referral = referral_services.referral_create(
            actor=None,
            organisation=credential.organisation,
            service=service,
            referral_data=_referral_data(credential, data),
            parent_data={**parent_data, "contact_consent_given_on": timezone.localdate()},
            child_data=child_data,
            safety_data=safety_data,
            # Past the service's end date: kept, closed as not eligible (the charity sees it, the referrer is told).
            record_not_eligible=True,
        )
    except referral_services.DuplicateReferral:
        raise AlreadyReferred from None
    except ValidationError as exc:
        if getattr(exc, "error_dict", {}) and exc.message_dict.get("parent") == [referral_services.RESTRICTED_MESSAGE]:
            # A record the charity may not process: the partner learns no more than for a duplicate.
            raise AlreadyReferred from None
        raise
    record.referral = referral
    record.save(update_fields=["referral"])
    audit_log(
        action=AuditAction.CREATE,
        obj=referral,
        organisation=credential.organisation_id,
        summary=f"Referral received from a partner system (credential #{credential.pk})",
    )
    return record, True
