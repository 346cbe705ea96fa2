"""The coordinators' inbox of texts received, at ``/messages/`` (coordinators
and managers of the organisation; volunteers and PSOs never see it: a
volunteer's number, and what parents write, stay with the staff)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from operations.core.access import staff_required
from operations.notifications import inbox, optout
from operations.notifications.forms import InboxFilterForm, TextLinkForm
from referrals.access import get_parent_for
from referrals.forms import ParentSearchForm
from referrals.models import Parent
from referrals.selectors import parents_search
from volunteers.models import VolunteerProfile

#: Texts per page, as on the other lists.
PAGE_SIZE = 25
#: People a search offers on the link page.
SEARCH_LIMIT = 20


@staff_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    filter_form = InboxFilterForm(request.GET or None)
    texts = inbox.texts_for(request.user, to_deal_with=filter_form.to_deal_with)
    page = Paginator(texts, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    candidates = inbox.candidates_of(request.user, page.object_list)
    for text in page.object_list:
        text.candidates_shown = candidates.get(text.pk, [])
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "filter_form": filter_form, "to_deal_with": filter_form.to_deal_with},
    )


@staff_required
def inbox_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Who sent this text: the people who share its number, or a search by
    name; a button beside each links the text to them."""
    text = inbox.get_text_for(request.user, pk)
    status = 200
    if request.method == "POST":
        form = TextLinkForm(request.POST)
        if form.is_valid():
            parent = volunteer = None
            if form.cleaned_data["parent"]:
                parent = Parent.objects.visible_to(request.user).filter(pk=form.cleaned_data["parent"]).first()
            else:
                volunteer = (
                    VolunteerProfile.objects.visible_to(request.user).filter(pk=form.cleaned_data["volunteer"]).first()
                )
            if parent is None and volunteer is None:
                form.add_error(None, "Choose a person of your organisation.")
            else:
                try:
                    inbox.text_link(text=text, actor=request.user, parent=parent, volunteer=volunteer)
                except ValidationError as refusal:
                    form.add_error(None, refusal.messages[0])
                else:
                    messages.success(request, "The text is linked to their record.")
                    return redirect("messages:inbox")
        status = 400
        errors = form.non_field_errors() or [message for field in form.errors.values() for message in field]
    else:
        errors = []
    search = ParentSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    parents, volunteers = [], []
    if query:
        parents = list(parents_search(request.user, query)[:SEARCH_LIMIT])
        volunteers = list(_volunteers_named(request.user, query)[:SEARCH_LIMIT])
    return render(
        request,
        "notifications/inbox_link.html",
        {
            "text": text,
            "candidates": inbox.candidates_of(request.user, [text]).get(text.pk, []),
            "search": search,
            "query": query,
            "parents": parents,
            "volunteers": volunteers,
            "errors": errors,
        },
        status=status,
    )


def _volunteers_named(user, query: str):
    """Volunteers and PSOs whose names hold every word of ``query``."""
    profiles = VolunteerProfile.objects.visible_to(user).select_related("user")
    for word in query.split()[:5]:
        profiles = profiles.filter(
            Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word) | Q(user__username__icontains=word)
        )
    return profiles.order_by("user__last_name", "user__first_name", "pk")


@staff_required
@require_POST
def inbox_done(request: HttpRequest, pk: int) -> HttpResponse:
    text = inbox.get_text_for(request.user, pk)
    inbox.text_mark_done(text=text, actor=request.user)
    messages.success(request, "Marked done.")
    return redirect("messages:inbox")


@staff_required
@require_POST
def texts_again(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator records that the parent agreed to texts again, after she texted STOP."""
    parent = get_parent_for(request.user, pk)
    try:
        optout.sms_consent_record(parent=parent, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, "Her new consent is recorded: texts can go to her again where SMS is safe.")
    return redirect("referrals:parent-detail", pk=parent.pk)
