"""Demo data of the notifications app, called by `manage.py seed_demo`:
each organisation's quick texts, and a Polish translation of the session
reminder and the visit reminder (the review names language barriers).
Idempotent: an organisation that already has templates is left alone."""

from __future__ import annotations

from operations.notifications.models import MessagePurpose, MessageTemplate

TEMPLATES = [
    (MessagePurpose.QUICK_TEXT, "Running late", "English", "Sorry {first_name}, I am running about 15 minutes late."),
    (MessagePurpose.QUICK_TEXT, "Running late", "Polish", "Przepraszam {first_name}, spóźnię się około 15 minut."),
    (MessagePurpose.QUICK_TEXT, "Call back", "English", "Hello {first_name}, could you call us back when it suits?"),
    (MessagePurpose.SESSION_REMINDER, "", "Polish", "Przypominamy o spotkaniu {when}."),
    (MessagePurpose.PARENT_VISIT_REMINDER, "", "Polish", "Dzień dobry {first_name}, przypominamy o wizycie {when}."),
]  # fmt: skip


def seed(*, organisations: dict, users: dict) -> None:
    for organisation in organisations.values():
        if MessageTemplate.objects.filter(organisation=organisation).exists():
            continue
        for purpose, name, language, body in TEMPLATES:
            template = MessageTemplate(
                organisation=organisation, purpose=purpose, name=name, language=language, body=body
            )
            template.full_clean()
            template.save()
