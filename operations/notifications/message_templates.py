"""Which words a message to a parent goes in: the organisation's template in
her language (``Parent.language``), else its English one, else the built-in
wording (``wording.DEFAULTS``). Read once per message run, not per parent."""

from __future__ import annotations

from operations.notifications import wording
from operations.notifications.models import MessageTemplate
from operations.notifications.wording import Wording

ENGLISH = "english"


def language_key(language: str) -> str:
    """How a language is compared: "  polish " and "Polish" are the same."""
    return " ".join((language or "").split()).lower()


class TemplateBook:
    """An organisation's templates of one purpose (one named quick text),
    read in one query, by language."""

    def __init__(self, *, organisation_id: int, purpose: str, name: str = "") -> None:
        self.purpose = purpose
        rows = MessageTemplate.objects.filter(organisation_id=organisation_id, purpose=purpose, name=name)
        self.by_language = {language_key(row.language): row for row in rows}

    def template_for(self, language: str) -> MessageTemplate | None:
        """Her language's template, or the English one, or None (the built-in wording)."""
        return self.by_language.get(language_key(language)) or self.by_language.get(ENGLISH)

    def wording(self, language: str) -> Wording:
        default = wording.DEFAULTS[self.purpose]
        row = self.template_for(language)
        if row is None or not _still_valid(row):
            return default
        return Wording(
            subject=row.subject or default.subject,
            body=row.body,
            named_subject=row.subject or default.named_subject,
            named_body=row.named_body or row.body,
        )

    def render(self, *, language: str, named: bool, values: dict[str, str], link_sentence: str = "") -> tuple[str, str]:
        """(subject, body) filled in. With ``link_sentence`` ("Join online:
        {link}") and a link among the values, a body that does not place the
        link itself ends with that sentence."""
        subject, body = self.wording(language).pick(named=named)
        if link_sentence and values.get("link") and "link" not in wording.placeholders_in(body):
            body = f"{body} {link_sentence}"
        return wording.fill(subject, values), wording.fill(body, values)


def _still_valid(row: MessageTemplate) -> bool:
    """A template saved through the page is valid; one changed some other way
    (the admin, an older rule) with a bad placeholder falls back to the
    built-in wording rather than sending braces to a parent."""
    return all(
        wording.is_valid(text, purpose=row.purpose, named=named)
        for text, named in ((row.subject, False), (row.body, False), (row.named_body, True))
    )


def quick_texts(organisation_id: int) -> list[MessageTemplate]:
    """The organisation's quick texts (every language), by name."""
    return list(
        MessageTemplate.objects.filter(organisation_id=organisation_id, purpose="text_from_staff").order_by(
            "name", "language", "pk"
        )
    )
