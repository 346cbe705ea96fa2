"""Demo data of volunteer expenses, called by `manage.py seed_demo` after
matching (whose contact logs the claims are for). In each named
organisation the volunteer of its first active match claims through the
services: mileage waiting for a decision, a bus fare with a receipt photo
that was queried, mileage approved and waiting to be paid, and two claims
paid in a batch; so every state of the worklist and of "My expenses" is
there. Idempotent: an organisation with claims is left alone."""

from __future__ import annotations

import io

from django.utils import timezone
from PIL import Image, ImageDraw

from operations.core.demo import work_in
from operations.core.models import Organisation, User
from volunteers.expenses import services
from volunteers.expenses.models import ExpenseCategory, ExpenseClaim
from volunteers.matching.models import ContactLog

#: Organisation slug -> the coordinator who decides (operations.core.demo.USERS).
DECIDERS = {
    "tweed-valley": "coordinator",
    "family-start-east-lothian": "coordinator2",
    "capital-peer-network": "coordinator3",
}


class _Photo(io.BytesIO):
    """A receipt photo as an upload: the bytes and their size."""

    @property
    def size(self) -> int:
        return len(self.getvalue())


def receipt_photo(words: str) -> _Photo:
    """A small drawn receipt (PNG): fictional, and a photo by its content."""
    image = Image.new("RGB", (240, 160), "white")
    pen = ImageDraw.Draw(image)
    pen.rectangle((4, 4, 235, 155), outline="black")
    for line, text in enumerate(("BORDERS BUSES", "Single, Hawick", words, "Thank you")):
        pen.text((16, 16 + 32 * line), text, fill="black")
    photo = _Photo()
    image.save(photo, "PNG")
    photo.seek(0)
    return photo


def seed(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    for slug, organisation in organisations.items():
        if slug not in DECIDERS or ExpenseClaim.objects.filter(organisation=organisation).exists():
            continue
        log = (
            ContactLog.objects.filter(organisation=organisation, match__status="active")
            .select_related("match__volunteer__user")
            .order_by("match_id", "-contact_date")
            .first()
        )
        if log is None:
            continue
        volunteer = log.match.volunteer.user
        decider = users[DECIDERS[slug]]
        work_in(volunteer, organisation)
        work_in(decider, organisation)
        _claims(log, volunteer, decider)


def _claims(log: ContactLog, volunteer: User, decider: User) -> None:
    bus = ExpenseCategory.objects.get(organisation_id=log.organisation_id, name="Bus or train fare")
    parking = ExpenseCategory.objects.get(organisation_id=log.organisation_id, name="Parking")

    def mileage(miles: str, to_place: str) -> ExpenseClaim:
        data = {"kind": "mileage", "contact_log": log, "miles": miles, "from_place": "Home", "to_place": to_place}
        return services.claim_submit(actor=volunteer, data=data)

    def cost(category: ExpenseCategory, amount: str, words: str) -> ExpenseClaim:
        photo = receipt_photo(words)
        data = {"kind": "out_of_pocket", "contact_log": log, "category": category, "amount": amount}
        return services.claim_submit(actor=volunteer, data=data, upload=photo, upload_size=photo.size)

    paid_mileage = mileage("14.2", "Denholm")
    paid_parking = cost(parking, "2.40", "Parking £2.40")
    for claim in (paid_mileage, paid_parking):
        services.claim_approve(actor=decider, claim=claim)
    batch = services.batch_create(actor=decider)
    services.batch_mark_paid(actor=decider, batch=batch, paid_on=timezone.localdate())

    services.claim_approve(actor=decider, claim=mileage("8.5", "Jedburgh"))
    services.claim_query(
        actor=decider,
        claim=cost(bus, "6.80", "Return £6.80"),
        question="The ticket says a return: did you travel back the same day?",
    )
    mileage("11", "Hawick health centre")
