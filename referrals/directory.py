"""Reads of the referrer directory: the directory page, a referrer's page,
the likely duplicates, and the referral form's pickers. Each in a fixed
number of queries whatever the size of the directory, every one scoped with
the model's ``visible_to`` (coordinators and managers of the organisation)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from referrals.models import Referral, Referrer, ReferringOrganisation
from referrals.referrers import Entry, LikelyDuplicate, likely_duplicates, name_key

#: People shown on the directory page at most: a search narrows a longer one.
DIRECTORY_LIMIT = 400
#: A referrer's page lists their latest referrals.
REFERRER_REFERRALS_SHOWN = 50
NO_TEAM = "No team"


@dataclass
class TeamGroup:
    """One team of the directory page and the people shown under it
    (``team`` None: the people without a team)."""

    team: ReferringOrganisation | None
    people: list[Referrer] = field(default_factory=list)


@dataclass
class Directory:
    groups: list[TeamGroup]
    shown: int
    more: bool  # more people than DIRECTORY_LIMIT matched


def _people(user, *, query: str, include_inactive: bool) -> QuerySet[Referrer]:
    people = Referrer.objects.visible_to(user)
    if not include_inactive:
        people = people.filter(is_active=True)
    if query:
        people = people.filter(Q(name__icontains=query) | Q(referring_organisation__name__icontains=query))
    return people


def referrer_directory(user, *, query: str = "", include_inactive: bool = False) -> Directory:
    """The directory page: teams by name, each with its people (and how many
    referrals each made), then the people without a team. A search finds
    people by their name or their team's name, and teams by name. Two
    queries."""
    query = name_key(query)
    matching = _people(user, query=query, include_inactive=include_inactive)
    people = list(
        matching.select_related("referring_organisation")
        .annotate(referrals_made=Count("referrals"))
        .order_by("name", "pk")[: DIRECTORY_LIMIT + 1]
    )
    more = len(people) > DIRECTORY_LIMIT
    people = people[:DIRECTORY_LIMIT]
    own = Q() if include_inactive else Q(is_active=True)
    if query:
        own &= Q(name__icontains=query)
    team_ids = {person.referring_organisation_id for person in people if person.referring_organisation_id}
    teams = ReferringOrganisation.objects.visible_to(user).filter(own | Q(pk__in=team_ids)).order_by("name", "pk")
    groups = {team.pk: TeamGroup(team) for team in teams}
    loose = TeamGroup(None)
    for person in people:
        groups.get(person.referring_organisation_id, loose).people.append(person)
    found = list(groups.values()) + ([loose] if loose.people else [])
    return Directory(groups=found, shown=len(people), more=more)


@dataclass(frozen=True)
class DuplicatePair:
    """A likely duplicate as the directory shows it: both entries' words and why."""

    keep: int
    keep_label: str
    duplicate: int
    duplicate_label: str
    why: str


def _pairs(found: list[LikelyDuplicate], labels: dict[int, str]) -> list[DuplicatePair]:
    return [
        DuplicatePair(pair.keep, labels[pair.keep], pair.duplicate, labels[pair.duplicate], pair.why) for pair in found
    ]


def _person_label(name: str, team: str | None) -> str:
    return f"{name}, {team}" if team else name


def duplicate_people(user) -> list[DuplicatePair]:
    """Likely duplicate people of the whole directory (``referrers.likely_duplicates``). One query."""
    rows = Referrer.objects.visible_to(user).values_list(
        "pk", "name", "email", "referring_organisation_id", "referring_organisation__name"
    )
    entries, labels = [], {}
    for pk, name, email, team_id, team in rows:
        entries.append(Entry(pk, name, email, team_id))
        labels[pk] = _person_label(name, team)
    return _pairs(likely_duplicates(entries), labels)


def duplicate_teams(user) -> list[DuplicatePair]:
    """Likely duplicate teams: the same email, or names differing only in case or spacing. One query."""
    rows = ReferringOrganisation.objects.visible_to(user).values_list("pk", "name", "email")
    entries = [Entry(pk, name, email) for pk, name, email in rows]
    return _pairs(likely_duplicates(entries, people=False), {pk: name for pk, name, _ in rows})


def referrals_made_by(user, referrer: Referrer) -> tuple[list[Referral], int]:
    """A referrer's latest referrals (newest first) and how many they made in all."""
    referrals = Referral.objects.visible_to(user).filter(referrer=referrer)
    latest = list(
        referrals.select_related("parent", "service").order_by("-received_on", "-pk")[:REFERRER_REFERRALS_SHOWN]
    )
    total = len(latest) if len(latest) < REFERRER_REFERRALS_SHOWN else referrals.count()
    return latest, total


# --- The pickers of the referral and directory forms --------------------------------


def _active_or(current: int | None, include_inactive: bool) -> Q:
    return Q() if include_inactive else Q(is_active=True) | Q(pk=current or 0)


def referrer_choices(
    user, *, current: int | None = None, include_inactive: bool = False
) -> list[tuple[str, list[tuple[int, str]]]]:
    """The referral form's referrer select: the active people of the
    directory grouped by team (the people without a team last), and the
    referral's ``current`` referrer even if deactivated since (a merge
    offers the deactivated too). One query."""
    rows = (
        Referrer.objects.visible_to(user)
        .filter(_active_or(current, include_inactive))
        .order_by("referring_organisation__name", "referring_organisation_id", "name", "pk")
        .values_list("pk", "name", "role", "is_active", "referring_organisation__name")
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    for pk, name, role, is_active, team in rows:
        label = f"{name} ({role})" if role else name
        if not is_active:
            label += " (deactivated)"
        groups.setdefault(team or NO_TEAM, []).append((pk, label))
    loose = groups.pop(NO_TEAM, None)
    return [*groups.items(), *([(NO_TEAM, loose)] if loose else [])]


def team_choices(user, *, current: int | None = None, include_inactive: bool = False) -> list[tuple[int, str]]:
    """The active teams of the directory (and ``current`` even if deactivated), by name. One query."""
    return list(
        ReferringOrganisation.objects.visible_to(user)
        .filter(_active_or(current, include_inactive))
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
