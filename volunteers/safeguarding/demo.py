"""Demo data of safeguarding, called by `manage.py seed_demo` after matching
(whose contact logs already raised a concern or two). Each organisation's
coordinator is its safeguarding lead and its manager the deputy, with an
on-call phone from Ofcom's range for drama (01632 960xxx: never a real
line). In the named organisations the demo volunteer raises two concerns
through the services, one worked to an action plan and one closed, so every
state of the worklist is there. Idempotent: an organisation whose
settings already name a lead is left alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from operations.core.demo import work_in
from operations.core.models import Organisation, User
from volunteers.matching.models import Match
from volunteers.safeguarding import services
from volunteers.safeguarding.models import About, Kind, Outcome, Urgency

#: Organisation slug -> (lead, deputy, on-call phone) usernames from operations.core.demo.USERS.
PEOPLE = {
    "tweed-valley": ("coordinator", "manager", "01632 960111"),
    "family-start-east-lothian": ("coordinator2", "manager2", "01632 960222"),
    "capital-peer-network": ("coordinator3", "manager3", "01632 960333"),
}


def seed(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    for slug, organisation in organisations.items():
        lead, deputy, phone = PEOPLE[slug]
        config = services.settings_for(organisation.pk)
        if config.leads.exists():
            continue
        config.on_call_phone = phone
        config.deputy = users[deputy]
        config.save(update_fields=["on_call_phone", "deputy"])
        config.leads.set([users[lead]])
        _concerns(organisation, users, lead)


def _concerns(organisation: Organisation, users: dict[str, User], lead: str) -> None:
    match = (
        Match.objects.filter(organisation=organisation, status="active")
        .select_related("volunteer__user", "parent")
        .order_by("pk")
        .first()
    )
    if match is None:
        return
    volunteer = match.volunteer.user
    work_in(volunteer, organisation)
    work_in(users[lead], organisation)
    planned = services.concern_raise(
        actor=volunteer,
        data={
            "match": match,
            "about": About.PARENT,
            "kind": Kind.PRACTICAL_CRISIS,
            "urgency": Urgency.TODAY,
            "details": "The boiler has broken and there is no heating; she is worried about the baby at night.",
        },
    )
    services.concern_plan(
        actor=users[lead],
        concern=planned,
        owner=users[lead],
        follow_up_on=timezone.localdate() + dt.timedelta(days=2),
        note="Called her; referred to the council's emergency repairs line. Will ring back on Thursday.",
    )
    closed = services.concern_raise(
        actor=volunteer,
        data={
            "match": match,
            "about": About.CHILD,
            "kind": Kind.BABY_WELFARE,
            "urgency": Urgency.THIS_WEEK,
            "details": "Baby has not been feeding well for a few days.",
        },
    )
    services.concern_close(
        actor=users[lead],
        concern=closed,
        outcome=Outcome.HEALTH,
        note="Spoke to the health visitor, who is visiting tomorrow.",
    )
