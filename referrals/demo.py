"""Demo data of the referrals app, called by `manage.py seed_demo` after the
organisations, services and users exist. Idempotent: a family that already
exists (by organisation and name) is left alone.

About 40 fictional families across the demo services, in every workflow
state up to waiting (the matching demo confirms matches for some and logs
their contacts, which makes them matched, active, ending or closed), with
pregnancies, births, a birth to confirm, a baby loss under review, an older
under-five with an expected baby, and parents whose contact safety is not
yet recorded. Phone numbers are in Ofcom's drama range. Each organisation
has a small referrer directory (teams and their people, one likely
duplicate to merge); most professional referrals name one of its people,
and a few came in through the online forms."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from operations.core.models import Service
from referrals import services, transfers
from referrals.models import Parent, Referral, Transfer
from referrals.workflow import Status

FIRST_NAMES = [
    "Ailsa", "Beth", "Caitlin", "Darcy", "Eilidh", "Freya", "Greer", "Hollie", "Iona", "Jenna",
    "Kerry", "Lana", "Maisie", "Nadia", "Orla", "Priya", "Rowan", "Shannon", "Tilly", "Una",
    "Vari", "Wren", "Yasmin", "Zara", "Amina", "Bronagh", "Chloe", "Dana", "Ewan", "Fergus",
]  # fmt: skip
LAST_NAMES = [
    "Abernethy", "Blackadder", "Craigmyle", "Dunlop", "Ettrick", "Fairbairn", "Gilchrist", "Hislop",
    "Inglis", "Jardine", "Kinnear", "Lauder", "Melrose", "Nisbet", "Ormiston", "Purves", "Redpath",
    "Swinton", "Turnbull", "Usher", "Veitch", "Wauchope", "Yule", "Oliphant",
]  # fmt: skip
POSTCODES = {
    "tweed-valley": ("S12000026", ["TD1 1AB", "TD6 9BD", "TD7 4EG", "TD9 7HJ", "TD5 7LN"]),
    "family-start-east-lothian": ("S12000010", ["EH41 3AA", "EH32 9BB", "EH39 4CC", "EH21 6DD"]),
    "capital-peer-network": ("S12000036", ["EH6 5AA", "EH11 2BB", "EH16 4CC", "EH4 1DD"]),
}
COORDINATOR = {
    "tweed-valley": "coordinator",
    "family-start-east-lothian": "coordinator2",
    "capital-peer-network": "coordinator3",
}
MANAGER = {
    "tweed-valley": "manager",
    "family-start-east-lothian": "manager2",
    "capital-peer-network": "manager3",
}
PATH = [Status.CONTACTED, Status.ASSESSED, Status.WAITING]
EXIT_REASONS = {
    Status.NOT_ELIGIBLE: "Lives outside the area we cover",
    Status.DECLINED: "Parent decided support was not needed now",
    Status.WITHDRAWN: "Family moved away",
}
#: Every state, open ones more often (a realistic board).
STATES = [
    Status.RECEIVED, Status.RECEIVED, Status.CONTACTED, Status.ASSESSED, Status.WAITING, Status.WAITING,
    Status.WAITING, Status.MATCHED, Status.ACTIVE, Status.ACTIVE, Status.ENDING, Status.CLOSED,
    Status.NOT_ELIGIBLE, Status.DECLINED, Status.WITHDRAWN,
]  # fmt: skip
LATE_REFERRAL_REASON = "Referred late by the unit; the manager agreed to a short period of support."
#: States reached without safe contact recorded (the demo leaves some parents there unrecorded).
BEFORE_WAITING = {Status.RECEIVED, Status.CONTACTED, Status.ASSESSED, *EXIT_REASONS}
FAMILIES_PER_ORGANISATION = {"tweed-valley": 16, "family-start-east-lothian": 12, "capital-peer-network": 12}

#: Each organisation's referrer directory: teams (name, kind) and their people
#: (name, role, work email, work phone in Ofcom's drama range). Tweed Valley
#: also has "fiona gilmour", typed again by someone in a hurry: the directory
#: flags her as a likely duplicate of Fiona Gilmour, to merge.
DIRECTORY = {
    "tweed-valley": [
        (("Borders General Hospital midwifery", "midwifery"), [
            ("Fiona Gilmour", "Community midwife", "fiona.gilmour@example.org", "01632 960101"),
            ("fiona gilmour", "Midwife", "", ""),
            ("Catriona Elliot", "Specialist midwife", "catriona.elliot@example.org", "01632 960102"),
        ]),
        (("Galashiels health visiting team", "health_visiting"), [
            ("Morag Henderson", "Health visitor", "morag.henderson@example.org", "01632 960111"),
            ("Jamie Scott", "Health visitor", "jamie.scott@example.org", ""),
        ]),
        (("Tweed GP practice", "gp_practice"), [("Dr Alan Rutherford", "GP", "", "01632 960121")]),
        (("Borders perinatal mental health team", "perinatal_mh"), [
            ("Hannah Murray", "Community psychiatric nurse", "hannah.murray@example.org", ""),
        ]),
        (("Galashiels social work office", "social_work"), [("Euan Laidlaw", "Social worker", "", "01632 960131")]),
    ],
    "family-start-east-lothian": [
        (("East Lothian health visiting team", "health_visiting"), [
            ("Kirsty Baird", "Health visitor", "kirsty.baird@example.org", "01632 960141"),
        ]),
        (("Roodlands midwifery", "midwifery"), [("Shona Main", "Community midwife", "", "01632 960142")]),
    ],
    "capital-peer-network": [
        (("Royal Infirmary midwifery", "midwifery"), [
            ("Aisha Rahman", "Specialist midwife", "aisha.rahman@example.org", ""),
        ]),
        (("Leith GP practice", "gp_practice"), [("Dr Neil Fraser", "GP", "", "01632 960151")]),
    ],
}  # fmt: skip
#: The source of a referral and the kind of team that makes it.
TEAM_KIND_OF_SOURCE = {
    "midwife": "midwifery",
    "health_visitor": "health_visiting",
    "gp": "gp_practice",
    "perinatal_mh": "perinatal_mh",
    "social_work": "social_work",
}


def seed(*, organisations: dict, users: dict) -> None:
    rng = random.Random(2026)  # noqa: S311 - demo variety, not security
    today = timezone.localdate()
    used: set[tuple[str, str]] = set()
    number = 0
    for slug, count in FAMILIES_PER_ORGANISATION.items():
        organisation = organisations[slug]
        actor = users[COORDINATOR[slug]]
        service_list = list(Service.objects.filter(organisation=organisation).order_by("pk"))
        area_code, postcodes = POSTCODES[slug]
        directory = _seed_directory(organisation, actor, DIRECTORY[slug])
        for i in range(count):
            number += 1
            while True:
                name = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
                if name not in used:
                    used.add(name)
                    break
            plan = {
                "state": STATES[(number - 1) % len(STATES)],
                "service": service_list[i % len(service_list)],
                "postcode": rng.choice(postcodes),
                "received_days_ago": rng.randint(1, 80),
                "urgency": rng.choice([1, 2, 3, 3, 3]),
                "family": number % 8,
                "age": rng.randint(17, 41),
                "safe": number % 5 != 0,
                "extra": rng.randint(10, 200),
                "directory": directory,
            }
            _seed_family(organisation, actor, name, area_code, plan, today, number)
        _seed_restriction(organisation, users[MANAGER[slug]], today)
    _seed_eligibility_examples(organisations["tweed-valley"], users["coordinator"], today)
    _seed_transfer(organisations, users)


@transaction.atomic
def _seed_transfer(organisations: dict, users: dict) -> None:
    """A family moving from Edinburgh to the Borders: Capital Perinatal Peer
    Network proposes to transfer her to Tweed Valley, whose coordinator has
    it to decide (Referrals → Transfers)."""
    sending, receiving = organisations["capital-peer-network"], organisations["tweed-valley"]
    if Transfer.objects.filter(sending_organisation=sending, receiving_organisation=receiving).exists():
        return
    referral = (
        Referral.objects.filter(organisation=sending, status=Status.WAITING, parent__processing_restricted=False)
        .order_by("pk")
        .first()
    )
    if referral is None:
        return
    transfers.transfer_propose(
        actor=users[COORDINATOR["capital-peer-network"]],
        referral=referral,
        receiving_organisation=receiving,
        reason="Moving to Galashiels next month to be near her parents.",
        consent=True,
        summary_note="Waiting for a befriender since her referral; would like someone who can visit in the mornings.",
    )


#: Two waiting families whose eligibility matters now: one referred at 24 weeks
#: to the birth companions (from 28 weeks), so "Eligible from" and left out of
#: proposals; one whose baby turns one in a week, sooner than befriending's
#: typical wait, so "At risk of ageing out".
ELIGIBILITY_EXAMPLES = [
    (("Morven", "Learmonth"), "Birth companions", {"due_date": 16 * 7}),
    (("Skye", "Tait"), "Befriending", {"birth_date": -358}),
]


@transaction.atomic
def _seed_eligibility_examples(organisation, actor, today) -> None:
    from operations.core.models import CouncilArea

    for (first, last), service_name, child_days in ELIGIBILITY_EXAMPLES:
        service = Service.objects.filter(organisation=organisation, name=service_name).first()
        if (
            service is None
            or Parent.objects.filter(organisation=organisation, first_name=first, last_name=last).exists()
        ):
            continue
        child = {field: today + timedelta(days=days) for field, days in child_days.items()}
        if "birth_date" in child:
            child["due_date"] = child["birth_date"]
        referral = services.referral_create(
            actor=actor,
            organisation=organisation,
            service=service,
            parent_data={
                "first_name": first,
                "last_name": last,
                "role": "mother",
                "date_of_birth": today - timedelta(days=365 * 29),
                "phone": "07700 900998",
                "postcode": "TD1 1AB",
                "council_area": CouncilArea.objects.get(gss_code="S12000026"),
                "language": "English",
            },
            child_data=child,
            referral_data={"source": "midwife", "reason": "Feeling isolated.", "urgency": 3, "received_on": today},
        )
        services.parent_record_contact_safety(
            actor=actor,
            parent=referral.parent,
            data={"safe_sms": True, "safe_phone": True, "best_contact_times": "Afternoons"},
        )
        for target in PATH[: PATH.index(Status.WAITING) + 1]:
            referral = services.referral_transition(actor=actor, referral=referral, to_status=target)


@transaction.atomic
def _seed_directory(organisation, actor, teams: list) -> dict[str, list]:
    """The organisation's referrer directory (left alone once there), and its
    people by the kind of their team, for the demo referrals to name."""
    from referrals import referrers
    from referrals.models import Referrer, ReferringOrganisation

    if not ReferringOrganisation.objects.filter(organisation=organisation).exists():
        for (team_name, kind), people in teams:
            team = referrers.referring_organisation_save(
                actor=actor, organisation=organisation, data={"name": team_name, "kind": kind}
            )
            for name, role, email, phone in people:
                referrers.referrer_save(
                    actor=actor,
                    organisation=organisation,
                    data={"name": name, "role": role, "email": email, "phone": phone, "referring_organisation": team},
                )
    by_kind: dict[str, list] = {}
    for referrer in Referrer.objects.filter(organisation=organisation).select_related("referring_organisation"):
        by_kind.setdefault(referrer.referring_organisation.kind, []).append(referrer)
    return by_kind


def _referrer_of(plan: dict, source: str, number: int) -> dict:
    """Who made a demo referral: a person of the directory whose team makes
    referrals of this source (their agreement to updates on every other one),
    else the free text of referrals made before the directory. A few
    self-referrals and professional ones came in through the online forms."""
    people = plan["directory"].get(TEAM_KIND_OF_SOURCE.get(source, ""), [])
    if source == "self":
        return {"referrer_name": "", "channel": "self_online" if number % 4 == 0 else "staff"}
    if not people:
        return {"referrer_name": "Fictional referrer"}
    return {
        "referrer": people[number % len(people)],
        "referrer_updates_consent": number % 2 == 0,
        "channel": "professional_online" if number % 5 == 0 else "staff",
    }


def _intake_answers(received) -> dict:
    """Consent and lawful basis as a referrer's form would give them."""
    return {
        "contact_consent_given_on": received,
        "lawful_basis_article6": "legitimate_interests",
        "lawful_basis_article9": "not_for_profit",
    }


def _seed_restriction(organisation, manager, today) -> None:
    """One family per organisation who declined support and asked that their
    record be kept but not used (GDPR Article 18) while they check it."""
    parent = (
        Parent.objects.filter(organisation=organisation, referrals__status=Status.DECLINED, safeguarding_hold=False)
        .order_by("pk")
        .first()
    )
    if parent is None or parent.processing_restricted or parent.processing_restrictions.exists():
        return
    services.parent_restrict(
        actor=manager,
        parent=parent,
        requested_on=today - timedelta(days=3),
        reason="Asked us to keep the record unused while she checks the address we hold.",
    )


@transaction.atomic
def _seed_family(organisation, actor, name, area_code, plan, today, number) -> None:
    first, last = name
    if Parent.objects.filter(organisation=organisation, first_name=first, last_name=last).exists():
        return
    from operations.core.models import CouncilArea

    family = plan["family"]
    # Dates relative to today so the demo always looks current.
    if family in (0, 1, 2):  # pregnant
        child = {"due_date": today + timedelta(days=plan["extra"] % 200 + 14)}
    elif family == 3:  # due date past, birth not yet recorded: "confirm the birth"
        child = {"due_date": today - timedelta(days=20 + plan["extra"] % 20)}
    elif family == 4:  # baby loss, under review
        child = {"due_date": today + timedelta(days=120)}
    else:  # born; one in eight close to a first birthday, so "ending soon" has rows
        born = today - timedelta(days=340 if family == 7 else plan["extra"] + 20)
        child = {"due_date": born + timedelta(days=(number % 5) - 2), "birth_date": born}
    received = today - timedelta(days=plan["received_days_ago"])
    source = ["midwife", "health_visitor", "self", "gp", "perinatal_mh", "social_work"][number % 6]
    referral = services.referral_create(
        actor=actor,
        organisation=organisation,
        service=plan["service"],
        parent_data={
            "first_name": first,
            "last_name": last,
            "role": "father" if number % 13 == 0 else "mother",
            "date_of_birth": today - timedelta(days=365 * plan["age"] + number),
            "phone": f"07700 900{number:03d}",
            "email": f"{first.lower()}.{last.lower()}@example.org",
            "postcode": plan["postcode"],
            "council_area": CouncilArea.objects.get(gss_code=area_code),
            "language": "Polish" if number % 11 == 0 else "English",
            "interpreter_needed": number % 11 == 0,
            # Asked at intake; a few left for the referral page's checklist to show.
            **(_intake_answers(received) if number % 4 != 1 else {}),
        },
        child_data=child,
        referral_data={
            "source": source,
            **_referrer_of(plan, source, number),
            "reason": "Feeling isolated and low since moving to the area.",
            "urgency": plan["urgency"],
            "received_on": received,
        },
        # Stored only for a family already past the service's end date (a baby
        # older than a short service's end): the override shows on the referral.
        eligibility_override_reason=LATE_REFERRAL_REASON,
    )
    parent = referral.parent
    state = plan["state"]
    if plan["safe"]:
        services.parent_record_contact_safety(
            actor=actor,
            parent=parent,
            data={"safe_sms": True, "safe_phone": number % 3 != 0, "may_name_service": number % 2 == 0,
                  "best_contact_times": "Weekday mornings"},
        )  # fmt: skip
    elif state not in BEFORE_WAITING:
        # Safe contact must be recorded before the waiting list: here the answer is "none is safe".
        services.parent_record_contact_safety(actor=actor, parent=parent, data={"contact_through_referrer": True})
    if family == 6:  # an older under-five as well
        services.child_save(
            actor=actor, parent=parent, data={"birth_date": today - timedelta(days=900), "name": "Older child"}
        )
    if family == 4:
        loss_child = parent.children.get()
        services.child_save(
            actor=actor,
            parent=parent,
            child=loss_child,
            data={"loss_kind": "miscarriage", "loss_date": today - timedelta(days=10)},
        )

    if state in EXIT_REASONS:
        steps, exit_to = PATH[: number % 3], state
    else:
        # Matched and later are entered only by matching (a confirmed match, a
        # first contact): these families wait, and the matching demo takes
        # them on through its services.
        if state == Status.RECEIVED:
            steps = []
        else:
            steps = PATH[: PATH.index(state) + 1] if state in PATH else PATH
        exit_to = None
    for target in steps:
        referral = services.referral_transition(actor=actor, referral=referral, to_status=target)
    if exit_to:
        services.referral_transition(actor=actor, referral=referral, to_status=exit_to, reason=EXIT_REASONS[exit_to])
