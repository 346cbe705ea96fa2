"""The search box in the top bar: parents, referrals, volunteers and PSOs,
and groups, each kind as only its own ``visible_to`` lets the searcher see.

It reads referrals, volunteers and groups, so it lives in the top layer
(as the home page does): it may import every app, and no app imports it.
The page lists what was found; opening a parent is the parent's own page,
which audits the view as it always has."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from operations.core.access import require_membership
from operations.core.models import STAFF_ROLES
from operations.core.searching import read_query
from operations.groups import selectors as group_selectors
from operations.search.forms import SearchForm
from referrals import selectors as referral_selectors
from volunteers import selectors as volunteer_selectors

#: Rows shown of each kind; one more is read to say that there are more.
ROWS = 20


def _first(rows: list, limit: int = ROWS) -> tuple[list, bool]:
    """The first ``limit`` rows, and whether there were more."""
    return rows[:limit], len(rows) > limit


def results(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    query = read_query(text)
    is_staff = membership.role in STAFF_ROLES
    context: dict = {"form": form, "query": query, "searched": not query.is_empty, "is_staff": is_staff}
    if query.is_empty:
        return render(request, "search/results.html", context, status=400 if form.errors else 200)
    if is_staff:
        # Volunteers and PSOs see no parent's record and no referral: not searched at all.
        parents, context["more_parents"] = _first(
            list(referral_selectors.parents_search(request.user, text)[: ROWS + 1])
        )
        context["parents"] = parents
        context["referral"] = referral_selectors.referral_numbered(request.user, query.record_number)
    people, context["more_people"] = _first(volunteer_selectors.people_found(request.user, query, limit=ROWS + 1))
    groups, context["more_groups"] = _first(group_selectors.groups_found(request.user, query, limit=ROWS + 1))
    context |= {"people": people, "groups": groups}
    context["found"] = bool(context.get("parents") or context.get("referral") or people or groups)
    return render(request, "search/results.html", context)
