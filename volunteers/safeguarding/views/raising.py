"""Raising a concern and "My concerns" (volunteers and PSOs, on a phone)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from operations.core.access import require_membership
from operations.core.forms import apply_service_errors, saved_answer
from volunteers.matching import selectors as matching_selectors
from volunteers.matching.access import get_match_for
from volunteers.matching.models import Match
from volunteers.safeguarding import selectors, services
from volunteers.safeguarding.forms import RaiseConcernForm
from volunteers.safeguarding.models import Urgency
from volunteers.safeguarding.status import raiser_status

#: Rows of "My concerns": a volunteer raises a handful in a year.
MINE_ROWS = 100


def _fixed_match(request: HttpRequest) -> Match | None:
    """The family the page was opened from (``?match=``), visible to the
    user, or 404; None when the page was opened from home."""
    raw = request.GET.get("match", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_match_for(request.user, int(raw))


@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    match = _fixed_match(request)
    families = None
    if match is None:
        families = [(own.pk, own.parent_name) for own in matching_selectors.own_open_matches(request.user)]
    form = RaiseConcernForm(request.POST or None, families=families)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if match is None and data.get("match") is not None:
            # One of the person's own open families (the form's choices).
            data["match"] = get_match_for(request.user, data["match"])
        else:
            data["match"] = match
        try:
            concern = services.concern_raise(actor=request.user, data=data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Sent. Your coordinator and the safeguarding lead have been told.")
            if concern.urgency == Urgency.DANGER_NOW:
                config = services.settings_for(membership.organisation_id)
                messages.warning(request, f"If anyone is still in danger, call {config.emergency_number} now.")
            # The phone's draft of this form is cleared by the page it lands on.
            return saved_answer(request, f"{reverse('safeguarding:concern-mine')}?sent={match.pk if match else 0}")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "match": match,
        "has_families": bool(families),
        "config": services.settings_for(membership.organisation_id),
        "draft_key": f"concern-new-{match.pk if match else 0}",
    }
    return render(request, "safeguarding/concern_new.html", context, status=status)


def concern_mine(request: HttpRequest) -> HttpResponse:
    require_membership(request)
    today = timezone.localdate()
    concerns = [
        (concern, raiser_status(concern, today=today)) for concern in selectors.own_concerns(request.user)[:MINE_ROWS]
    ]
    sent = request.GET.get("sent", "")
    context = {"concerns": concerns, "clear_draft": f"concern-new-{sent}" if sent.isdigit() else ""}
    return render(request, "safeguarding/concern_mine.html", context)
