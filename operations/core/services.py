"""Writes for the base layer: typed, keyword-only, one transaction each."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Membership, User


@transaction.atomic
def user_switch_organisation(*, user: User, membership: Membership) -> None:
    if membership.user_id != user.pk or not membership.is_active:
        raise ValueError("A user can only switch to an organisation they belong to.")
    user.active_organisation_id = membership.organisation_id
    user.save(update_fields=["active_organisation"])
    user.__dict__.pop("active_membership", None)
    user.__dict__.pop("organisation_services", None)
    user.__dict__.pop("active_memberships", None)


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    role: str,
    is_active: bool,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Membership:
    """Changes a member's role or switches their membership on or off, and
    audits it as a permission change. Admin forms save through here."""
    before = Membership.objects.filter(pk=membership.pk).values_list("role", "is_active").first()
    membership.role = role
    membership.is_active = is_active
    membership.full_clean()
    membership.save()
    if before is None:
        summary = f"Membership created with role {role}"
    else:
        old_role, was_active = before
        changes = []
        if old_role != role:
            changes.append(f"role {old_role} -> {role}")
        if was_active != is_active:
            changes.append("reactivated" if is_active else "deactivated")
        if not changes:
            return membership
        summary = "Membership " + ", ".join(changes)
    audit_log(action=AuditAction.PERMISSION, actor=actor, obj=membership, summary=summary, request=request)
    return membership


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The authenticator a person is enrolling: their unconfirmed device, or a new one."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str, request: HttpRequest | None = None) -> bool:
    """Confirms an enrolling authenticator with a code it shows; audited.

    A wrong code confirms nothing (django-otp counts it for its throttle)."""
    allowed, _ = device.verify_is_allowed()
    if not allowed or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_log(
        action=AuditAction.CHANGE,
        actor=device.user,
        obj=device,
        summary="Two-factor authenticator enrolled",
        request=request,
    )
    return True


@transaction.atomic
def retention_settings_save(*, organisation_id: int, months: dict[str, int], actor: User) -> None:
    from operations.core.retention import RetentionSetting

    for rule, value in months.items():
        RetentionSetting.objects.update_or_create(
            organisation_id=organisation_id, rule=rule, defaults={"months": value}
        )
    audit_log(
        action=AuditAction.CHANGE,
        actor=actor,
        organisation=organisation_id,
        summary="Retention periods: " + ", ".join(f"{rule} {value} months" for rule, value in months.items()),
    )
