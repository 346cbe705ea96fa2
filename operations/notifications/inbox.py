"""The coordinators' inbox of texts received (``/messages/``): reads, and the
two things a coordinator does with a text (link it to the person who sent
it, mark it done). Staff of the organisation only (``InboundText.visible_to``);
each write is audited by record numbers, never the text or the number."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import User
from operations.notifications.models import InboundText, TextHandling
from referrals.models import Parent
from volunteers.models import VolunteerProfile


def get_text_for(user, pk: int) -> InboundText:
    """One text of the user's organisation, for its staff; 404 otherwise."""
    return get_object_or_404(InboundText.objects.visible_to(user).select_related("parent", "volunteer__user"), pk=pk)


def texts_for(user, *, to_deal_with: bool) -> QuerySet[InboundText]:
    """Newest first; only those waiting for someone when ``to_deal_with``."""
    texts = texts_to_deal_with(user) if to_deal_with else InboundText.objects.visible_to(user)
    texts = texts.select_related("parent", "volunteer__user", "handled_by")
    return texts.order_by("-received_at", "-pk")


def texts_to_deal_with(user) -> QuerySet[InboundText]:
    """Texts nobody has dealt with yet: the top bar counts them (an index-only count)."""
    return InboundText.objects.visible_to(user).filter(handling=TextHandling.NEW)


@dataclass(frozen=True)
class Candidate:
    kind: str  # "parent" or "volunteer"
    pk: int
    name: str


def candidates_of(user, texts: Iterable[InboundText]) -> dict[int, list[Candidate]]:
    """The people each text may be from (several shared the number), by text
    id, as the viewer may see them: two queries for a page of texts."""
    wanted: dict[str, set[int]] = {"parent": set(), "volunteer": set()}
    for text in texts:
        for entry in text.candidates:
            kind, _, pk = entry.partition(":")
            if kind in wanted and pk.isdigit():
                wanted[kind].add(int(pk))
    parents = {
        parent.pk: parent.display_name
        for parent in Parent.objects.visible_to(user)
        .filter(pk__in=wanted["parent"])
        .only("pk", "first_name", "preferred_name", "last_name")
    }
    volunteers = {
        profile.pk: str(profile.user)
        for profile in VolunteerProfile.objects.visible_to(user)
        .filter(pk__in=wanted["volunteer"])
        .select_related("user")
    }
    names = {"parent": parents, "volunteer": volunteers}
    found = {}
    for text in texts:
        shown = []
        for entry in text.candidates:
            kind, _, pk = entry.partition(":")
            name = names.get(kind, {}).get(int(pk)) if pk.isdigit() else None
            if name:
                shown.append(Candidate(kind, int(pk), name))
        found[text.pk] = shown
    return found


@transaction.atomic
def text_link(
    *, text: InboundText, actor: User, parent: Parent | None = None, volunteer: VolunteerProfile | None = None
) -> InboundText:
    """Says who sent a text: one parent or one volunteer of its organisation."""
    if (parent is None) == (volunteer is None):
        raise ValidationError({"__all__": "Choose one person: a parent or a volunteer."})
    person = parent or volunteer
    if person.organisation_id != text.organisation_id:
        raise ValidationError({"__all__": "Choose a person of your organisation."})
    if parent is not None and (parent.erased_at is not None or parent.processing_restricted):
        raise ValidationError({"__all__": "This parent's record is erased or restricted: nothing new is added to it."})
    InboundText.objects.filter(pk=text.pk).update(parent=parent, volunteer=volunteer, candidates=[])
    who = f"parent #{parent.pk}" if parent is not None else f"volunteer #{volunteer.pk}"
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=text, summary=f"Text #{text.pk} linked to {who}")
    text.refresh_from_db()
    return text


@transaction.atomic
def text_mark_done(*, text: InboundText, actor: User) -> InboundText:
    """Nothing more to do about it: it leaves the list to deal with (marking twice keeps the first)."""
    if InboundText.objects.filter(pk=text.pk, handling=TextHandling.NEW).update(
        handling=TextHandling.DONE, handled_at=timezone.now(), handled_by=actor
    ):
        audit_log(action=AuditAction.TRANSITION, actor=actor, obj=text, summary=f"Text #{text.pk} marked done")
    text.refresh_from_db()
    return text
