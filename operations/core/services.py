"""Writes for the base layer: typed, keyword-only, one transaction each."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from operations.core.audit import AuditAction, audit_log
from operations.core.models import CouncilArea, Federation, Membership, Organisation, Role, Service, User
from operations.core.signals import organisation_created, service_changed


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str,
    member_of: Federation | None = None,
    shares_with_federation: bool = False,
    council_areas: list[CouncilArea] | None = None,
) -> Organisation:
    """A new organisation, with every app's settings made with their defaults
    (a federation's branch when ``member_of`` is given)."""
    organisation = Organisation.objects.create(
        name=name, slug=slug, member_of=member_of, shares_with_federation=bool(member_of and shares_with_federation)
    )
    if council_areas:
        organisation.council_areas.set(council_areas)
    organisation_set_up(organisation=organisation)
    return organisation


def organisation_set_up(*, organisation: Organisation) -> None:
    """Tells every app a new organisation exists (the admin saves the row itself)."""
    organisation_created.send(sender=Organisation, organisation=organisation)


def service_saved(*, service: Service, created: bool) -> None:
    """After the admin or the API saved a service: a changed policy moves the
    open referrals' eligibility dates (the referrals app listens), once the
    change has committed."""
    if not created:
        service_id = service.pk
        transaction.on_commit(lambda: service_changed.send(sender=Service, service_id=service_id))


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
) -> Membership:
    """Changes a member's role or switches their membership on or off, and
    audits it as a permission change. Admin forms save through here."""
    before = Membership.objects.filter(pk=membership.pk).values_list("role", "is_active").first()
    membership.role = role
    membership.is_active = is_active
    membership.full_clean()
    membership.save()
    if before is None:
        summary = f"Membership created with the role {Role(role).label}"
    else:
        old_role, was_active = before
        changes = []
        if old_role != role:
            changes.append(f"role {Role(old_role).label} -> {Role(role).label}")
        if was_active != is_active:
            changes.append("reactivated" if is_active else "deactivated")
        if not changes:
            return membership
        summary = "Membership " + ", ".join(changes)
    audit_log(action=AuditAction.PERMISSION, actor=actor, obj=membership, summary=summary)
    return membership


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The authenticator a person is enrolling: their unconfirmed device, or a new one."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
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
    )
    return True


RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"


def recovery_code_display(code: str) -> str:
    """``abcd2345`` as ``abcd-2345``: easier to copy by hand."""
    return f"{code[:4]}-{code[4:]}"


def recovery_code_normalise(typed: str) -> str:
    return "".join(typed.split()).replace("-", "").lower()


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """Ten new single-use recovery codes for a person with an authenticator;
    any earlier codes stop working. The codes are returned to be shown once
    and are never logged."""
    device, _ = StaticDevice.objects.select_for_update().get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in sorted(codes)])
    audit_log(
        action=AuditAction.CHANGE,
        actor=user,
        obj=device,
        summary="Two-factor recovery codes made; earlier codes no longer work",
    )
    return [recovery_code_display(code) for code in sorted(codes)]


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


@transaction.atomic
def recovery_code_use(*, user: User, typed: str) -> StaticDevice | None:
    """Signs in with one recovery code, which then stops working; None for a
    wrong or used code (counted by django-otp's throttle, like TOTP codes).

    The device row is locked and the code deleted by one DELETE, so the same
    code used twice at once lets in one of the two."""
    device = StaticDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=True).order_by("pk").first()
    if device is None:
        return None
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return None
    used, _ = StaticToken.objects.filter(device=device, token=recovery_code_normalise(typed)).delete()
    if not used:
        device.throttle_increment()
        return None
    device.throttle_reset()
    audit_log(
        action=AuditAction.LOGIN,
        actor=user,
        obj=device,
        summary=f"Signed in with a recovery code; {recovery_codes_left(user)} left",
    )
    return device


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


@transaction.atomic
def federation_sharing_set(*, organisation: Organisation, share: bool, actor: User) -> Organisation:
    """Switches sharing of ``organisation``'s figures with its federation on
    or off: its manager only, audited (no personal data). Refuses an
    organisation in no federation. Counts only, suppressed, are shared:
    never a record."""
    # Lock the organisation row only (its federation, an outer join, cannot be locked).
    locked = Organisation.objects.select_for_update(of=("self",)).select_related("member_of")
    organisation = locked.get(pk=organisation.pk)
    if organisation.member_of_id is None:
        raise ValueError("This organisation is not a member of a federation.")
    if not Membership.objects.filter(
        user_id=actor.pk, organisation_id=organisation.pk, role=Role.MANAGER, is_active=True
    ).exists():
        raise PermissionError("Only the organisation's managers can switch sharing.")
    share = bool(share)
    if organisation.shares_with_federation == share:
        return organisation
    organisation.shares_with_federation = share
    organisation.sharing_changed_at = timezone.now()
    organisation.sharing_changed_by = actor
    organisation.save(update_fields=["shares_with_federation", "sharing_changed_at", "sharing_changed_by"])
    audit_log(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=organisation,
        organisation=organisation,
        summary=(
            f"Sharing of figures with {organisation.member_of.name} switched on"
            if share
            else f"Sharing of figures with {organisation.member_of.name} switched off"
        ),
    )
    return organisation
