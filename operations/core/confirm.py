"""Destructive actions ask first: one pattern for all of them.

A GET of the action's address answers with a page that says, with the real
numbers, what will happen, a POST button that does it and a "Keep it" link
back. With htmx the same answer, without the page around it, opens in the
``<dialog>`` of ``base.html`` on the page the person was on. Where the
action needs a reason or a note, the page carries that form: an invalid
submission comes back to it with field errors (status 400), nothing done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Confirmation:
    question: str  # "Cancel Tuesday's session on 14 Feb 2028?"
    action_url: str  # where the POST goes
    confirm_label: str  # "Yes, cancel the session"
    back_url: str  # "Keep it" goes back here
    consequences: Sequence[str] = field(default_factory=tuple)  # what will happen, one sentence each
    form: forms.Form | None = None
    back_label: str = "Keep it"
    danger: bool = True


def confirm_page(request: HttpRequest, confirmation: Confirmation, *, status: int = 200) -> HttpResponse:
    """The confirmation: a page, or (asked by htmx) the dialog's content."""
    template = "components/confirm_dialog.html" if request.htmx else "confirm.html"
    return render(request, template, {"confirm": confirmation}, status=status)
