"""Markup built in Python escapes exactly as Django's format_html (no database)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from referrals.cards import _html


def test_html_escapes_like_format_html():
    values = {"a": "<script>'x' & \"y\"</script>", "b": mark_safe("<b>kept</b>"), "c": 42, "d": ""}
    template = '<p title="{a}">{a}{b}{c}{d}</p>'
    built = _html(template, **values)
    assert built == format_html(template, **values)
    assert isinstance(built, SafeString)
