"""Group sessions as things a volunteer or PSO claims expenses against
(the ``volunteers.expenses.targets`` plug-in): the sessions of the last
three months of the groups she facilitates, or whose crèche rota she was
on, in the organisation she works in; never a cancelled one."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from operations.core.dates import short_date
from operations.core.models import active_membership
from operations.groups.models import Group, GroupSession, SessionExpenseClaim, SessionStatus
from volunteers.expenses.targets import Found, Target

#: How far back she may claim for a session: a claim is made within weeks.
CLAIM_WINDOW = dt.timedelta(days=92)
FIELD = "group_session"
REFUSED = "Choose one of the group sessions you helped at in the last three months."


def _helped_at(actor):
    """The sessions she may claim for, newest first."""
    membership = active_membership(actor)
    if membership is None:
        return GroupSession.objects.none()
    now = timezone.now()
    facilitated = Group.facilitators.through.objects.filter(user_id=actor.pk).values("group_id")
    on_rota = GroupSession.creche_adults.through.objects.filter(user_id=actor.pk).values("groupsession_id")
    return (
        GroupSession.objects.filter(
            organisation_id=membership.organisation_id,
            status=SessionStatus.SCHEDULED,
            starts_at__range=(now - CLAIM_WINDOW, now),
        )
        .filter(Q(group_id__in=facilitated) | Q(pk__in=on_rota))
        .select_related("group")
        .order_by("-starts_at", "-pk")
    )


def session_words(session: GroupSession) -> str:
    """ "Bumps and Babies, 3 Mar 2027"."""
    return f"{session.group.name}, {short_date(session.date)}"


def options(actor) -> list[tuple[int, str]]:
    return [(session.pk, session_words(session)) for session in _helped_at(actor)[:30]]


def find(actor, session_id: int) -> Found | None:
    session = _helped_at(actor).filter(pk=session_id).first()
    return Found(service_id=session.group.service_id, day=session.date) if session else None


def attach(claim, session_id: int | None, actor) -> None:
    """Links the claim to her session (checked again, in the claim's
    transaction), or removes a link when the claim is no longer for one."""
    if session_id is None:
        SessionExpenseClaim.objects.filter(claim=claim).delete()
        return
    session = _helped_at(actor).filter(pk=session_id, organisation_id=claim.organisation_id).first()
    if session is None:
        raise ValidationError({FIELD: REFUSED})
    SessionExpenseClaim.objects.update_or_create(
        claim=claim, defaults={"session": session, "organisation_id": claim.organisation_id}
    )


def linked(claim) -> tuple[int, str] | None:
    link = getattr(claim, "group_session_link", None)
    return (link.session_id, session_words(link.session)) if link is not None else None


TARGETS = {
    FIELD: Target(
        label="Group sessions",
        refused=REFUSED,
        options=options,
        find=find,
        attach=attach,
        linked=linked,
        related="group_session_link__session__group",
    )
}
