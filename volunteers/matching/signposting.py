"""The signposting list of a contact log, in the order a volunteer needs it.

A Borders family has no use for a Glasgow drop-in: the services of the
family's own council area come first, then the national ones (a directory
entry with no areas serves anywhere), then everything else, which the form
keeps folded away as "Services elsewhere". Each section is in name order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from volunteers.matching.models import DirectoryEntry


@dataclass(frozen=True)
class Signpost:
    pk: int
    name: str
    #: The council areas the service serves; empty for a national service.
    area_ids: frozenset[int]


@dataclass(frozen=True)
class SignpostSections:
    local: tuple[Signpost, ...]
    national: tuple[Signpost, ...]
    elsewhere: tuple[Signpost, ...]

    @property
    def in_order(self) -> tuple[Signpost, ...]:
        return self.local + self.national + self.elsewhere


def signpost_sections(signposts: list[Signpost], *, council_area_id: int | None) -> SignpostSections:
    """Splits ``signposts`` into the family's area's, the national and the
    others. A family with no area recorded has no local section: every
    service tied to an area is "elsewhere"."""
    local, national, elsewhere = [], [], []
    for signpost in sorted(signposts, key=lambda s: (s.name.casefold(), s.pk)):
        if not signpost.area_ids:
            national.append(signpost)
        elif council_area_id is not None and council_area_id in signpost.area_ids:
            local.append(signpost)
        else:
            elsewhere.append(signpost)
    return SignpostSections(local=tuple(local), national=tuple(national), elsewhere=tuple(elsewhere))


def active_signposts(organisation_id: int) -> list[Signpost]:
    """The organisation's active directory entries with their areas, as
    plain rows in two queries whatever the size of the directory."""
    entries = DirectoryEntry.objects.filter(organisation_id=organisation_id, is_active=True)
    areas: dict[int, set[int]] = defaultdict(set)
    for entry_id, area_id in DirectoryEntry.council_areas.through.objects.filter(
        directoryentry__in=entries
    ).values_list("directoryentry_id", "councilarea_id"):
        areas[entry_id].add(area_id)
    return [
        Signpost(pk=pk, name=name, area_ids=frozenset(areas.get(pk, ())))
        for pk, name in entries.values_list("pk", "name")
    ]
