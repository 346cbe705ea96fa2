"""Who sent a text: the number it came from, looked up among the people of
the organisation it was sent to (never another's).

Parents are found by the number texts go to (``Parent.phone``, kept in the
national form "07700900123" by the referrals services, looked up through
an index); volunteers and PSOs by the mobile on their profile, which is free
text ("07700 900 123"), so their numbers are normalised here (an
organisation has tens of them, not thousands). Staff have no number of
their own in the system: a coordinator who texts from her phone lands
unmatched, as an unknown number does.

One person found: the text is theirs. Several (a couple sharing a phone, a
number moved from one family to another): it stays unmatched with the
candidates kept, for a coordinator to choose."""

from __future__ import annotations

from dataclasses import dataclass

from operations.notifications.numbers import normalise_number
from referrals.models import Parent
from volunteers.models import VolunteerProfile


@dataclass(frozen=True)
class Senders:
    parent_ids: tuple[int, ...] = ()
    volunteer_ids: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.parent_ids) + len(self.volunteer_ids)

    @property
    def one_parent(self) -> int | None:
        return self.parent_ids[0] if self.count == 1 and self.parent_ids else None

    @property
    def one_volunteer(self) -> int | None:
        return self.volunteer_ids[0] if self.count == 1 and self.volunteer_ids else None

    @property
    def candidates(self) -> list[str]:
        """As kept on the text: ``["parent:12", "volunteer:3"]``."""
        return [f"parent:{pk}" for pk in self.parent_ids] + [f"volunteer:{pk}" for pk in self.volunteer_ids]


def stored_forms(number: str) -> list[str]:
    """The forms a UK mobile may be kept in (E.164 and national): what an exact, indexed lookup asks for."""
    number = normalise_number(number)
    if not number:
        return []
    forms = [number, number.lstrip("+")]
    if number.startswith("+44"):
        forms.append("0" + number[3:])
    return forms


def senders_of(*, organisation_id: int, number: str) -> Senders:
    """Everyone in the organisation whose number this is."""
    number = normalise_number(number)
    if not number:
        return Senders()
    parents = (
        Parent.objects.filter(organisation_id=organisation_id, phone__in=stored_forms(number), erased_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    volunteers = (
        VolunteerProfile.objects.filter(organisation_id=organisation_id)
        .exclude(phone="")
        .order_by("pk")
        .values_list("pk", "phone")
    )
    return Senders(
        parent_ids=tuple(parents),
        volunteer_ids=tuple(pk for pk, phone in volunteers if normalise_number(phone) == number),
    )
