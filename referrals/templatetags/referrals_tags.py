from __future__ import annotations

from django import template

from referrals.cards import Card, board_html, card_html, csrf_input, eligibility_html

register = template.Library()


@register.simple_tag(takes_context=True)
def triage_columns(context, columns) -> str:
    """The triage board's columns and cards (referrals/cards.py)."""
    return board_html(columns, today=context.get("today"), csrf_token=str(context.get("csrf_token", "")))


@register.simple_tag(takes_context=True)
def referral_card(context, card: Card) -> str:
    """A triage card (referrals/cards.py); ``form`` and ``moved`` come from a move's answer."""
    return card_html(
        card,
        today=context.get("today"),
        csrf=csrf_input(str(context.get("csrf_token", ""))),
        form=context.get("form"),
        moved=context.get("moved", False),
    )


@register.simple_tag(takes_context=True)
def eligibility(context, referral) -> str:
    return eligibility_html(referral, context.get("today"))
