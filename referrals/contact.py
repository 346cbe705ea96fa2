"""Contact safety: the one place anything that sends a message reads from.

Nothing is safe until a coordinator records it: a new parent gets no
message on any channel and the service is never named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from operations.core.dates import short_date

if TYPE_CHECKING:
    from referrals.models import Parent


#: Each channel as the pages say it.
CHANNEL_WORDS = {"sms": "text message", "email": "email", "phone": "phone call", "voicemail": "voicemail"}


@dataclass(frozen=True)
class ContactPermissions:
    sms: bool
    email: bool
    phone: bool
    voicemail: bool
    may_name_service: bool
    best_times: str
    recorded: bool
    #: The recorded answer "none is safe": every contact goes through the referrer.
    through_referrer: bool = False
    #: The day she texted STOP: no text goes, whatever "SMS is safe" says.
    sms_stopped_on: date | None = None

    @property
    def safe_channels(self) -> tuple[str, ...]:
        return tuple(name for name in ("sms", "email", "phone", "voicemail") if getattr(self, name))

    @property
    def safe_channel_words(self) -> str:
        """The safe channels as a person reads them: "text message, phone call"."""
        return ", ".join(CHANNEL_WORDS[name] for name in self.safe_channels)

    @property
    def any_safe(self) -> bool:
        return bool(self.safe_channels)

    def allows(self, channel: str) -> bool:
        return channel in self.safe_channels


def safe_contact_summary(permissions: ContactPermissions, *, sender: str = "") -> str:
    """The safe-contact answers in one line of words, the same wherever a
    volunteer or a coordinator reads them: "Text message: yes; phone call:
    yes; email: no; voicemail: no. Best times: after 10am. Messages must not
    say who they are from." A channel reads "yes" only when it is recorded
    safe and the parent has that detail (``contact_permissions``). With a
    ``sender`` (the organisation's name), the last sentence names it as the
    parent would hear it."""
    if not permissions.recorded:
        return "Nothing is recorded as safe yet: ask your coordinator before any contact."
    if permissions.through_referrer:
        return "None is safe: contact through the referrer."
    channels = "; ".join(
        f"{words}: {'yes' if permissions.allows(name) else 'no'}" for name, words in CHANNEL_WORDS.items()
    )
    sentences = [channels[0].upper() + channels[1:] + "."]
    if permissions.sms_stopped_on is not None:
        sentences.append(f"Texts stopped by the parent on {short_date(permissions.sms_stopped_on)}.")
    if permissions.best_times:
        sentences.append(f"Best times: {permissions.best_times}.")
    who = f"they are from {sender}" if sender else "who they are from"
    sentences.append(f"Messages may say {who}." if permissions.may_name_service else f"Messages must not say {who}.")
    return " ".join(sentences)


NOTHING_SAFE = ContactPermissions(
    sms=False, email=False, phone=False, voicemail=False, may_name_service=False, best_times="", recorded=False
)


def contact_permissions(parent: Parent) -> ContactPermissions:
    """Which channels are safe for ``parent``, whether a message may name the service, and the best times."""
    if parent.contact_safety_recorded_at is None:
        return NOTHING_SAFE
    return ContactPermissions(
        # A channel is only safe when it is recorded safe and the parent has that contact detail;
        # a text is never safe after she texted STOP, however the record is edited since.
        sms=parent.safe_sms and bool(parent.phone) and parent.sms_stopped_at is None,
        email=parent.safe_email and bool(parent.email),
        phone=parent.safe_phone and bool(parent.phone),
        voicemail=parent.safe_voicemail and bool(parent.phone),
        may_name_service=parent.may_name_service,
        best_times=parent.best_contact_times,
        recorded=True,
        through_referrer=parent.contact_through_referrer,
        sms_stopped_on=timezone.localdate(parent.sms_stopped_at) if parent.sms_stopped_at else None,
    )


def baby_age_messages_allowed(parent: Parent) -> bool:
    """Messages about a baby's age ("your baby is six months old") are never
    sent to a family with a baby loss recorded (domain.md)."""
    return not parent.children.filter(loss_date__isnull=False).exists()


def message_channel(parent: Parent) -> tuple[str | None, str, bool]:
    """Where a written message to ``parent`` goes: (channel, address, may it
    name the service). SMS when safe, else email; (None, "", False) when
    neither is. The one rule for both sending a message and counting, before
    a destructive action, whom it would reach."""
    permissions = contact_permissions(parent)
    if permissions.allows("sms"):
        return "sms", parent.phone, permissions.may_name_service
    if permissions.allows("email"):
        return "email", parent.email, permissions.may_name_service
    return None, "", False
