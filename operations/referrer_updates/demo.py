"""Demo data of word back to the referrer, called by `manage.py seed_demo`
after the referrals app's families exist. Idempotent: the family below is
made once.

In Tweed Valley, a health visitor of the directory referred a mother who
agreed that the health visitor may hear how it goes: the referral was
received and the mother contacted, so the referral's page shows the two
updates (waiting in the outbox until a worker sends them) and the note
form. Fictional people; the email domain is reserved for examples."""

from __future__ import annotations

from django.db import transaction

from operations.core.models import Service, ServiceKind
from referrals import services as referral_services
from referrals.models import Parent, Referrer, ReferrerKind, ReferringOrganisation
from referrals.workflow import Status

TEAM = "Galashiels Health Visiting Team"
HEALTH_VISITOR = ("Morag Bell", "Health visitor", "morag.bell@nhs.example")
FAMILY = ("Catriona", "Wordsworth")


@transaction.atomic
def seed(*, organisations: dict, users: dict) -> None:
    organisation = organisations["tweed-valley"]
    first, last = FAMILY
    if Parent.objects.filter(organisation=organisation, first_name=first, last_name=last).exists():
        return
    service = Service.objects.filter(organisation=organisation, kind=ServiceKind.BEFRIENDING).order_by("pk").first()
    if service is None:
        return
    team = ReferringOrganisation.objects.filter(organisation=organisation, name__iexact=TEAM).first()
    if team is None:
        team = ReferringOrganisation.objects.create(
            organisation=organisation, name=TEAM, kind=ReferrerKind.HEALTH_VISITING, email="hv.galashiels@nhs.example"
        )
    name, role, email = HEALTH_VISITOR
    person = Referrer.objects.filter(organisation=organisation, email__iexact=email).first()
    if person is None:
        person = Referrer.objects.create(
            organisation=organisation, referring_organisation=team, name=name, role=role, email=email
        )
    coordinator = users["coordinator"]
    referral = referral_services.referral_create(
        actor=coordinator,
        organisation=organisation,
        service=service,
        parent_data={"first_name": first, "last_name": last, "phone": "07700 900871", "town": "Galashiels"},
        referral_data={
            "source": "health_visitor",
            "referrer": person,
            "referrer_updates_consent": True,
            "reason": "Feeling low and isolated since the birth; partner works away.",
        },
        safety_data={"safe_phone": True, "safe_sms": True},
    )
    referral_services.referral_transition(actor=coordinator, referral=referral, to_status=Status.CONTACTED)
