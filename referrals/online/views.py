"""Pages of the online referral forms.

The two public forms (``/refer/<organisation slug>/`` and
``/refer/<slug>/professional/``) are the only pages anyone reaches without
signing in. They answer the same whatever is sent (no enumeration): a
parent already on the board, a restricted record or a bot all get the same
"sent" page with a reference. The staff pages (``/online-referrals/``) are
the manager's switches, addresses and QR codes, and the coordinators' list
of held submissions.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from operations.core.access import manager_required, require_membership, staff_required
from operations.core.audit import AuditAction, audit_log
from operations.core.models import Organisation
from operations.core.network import client_ip
from operations.core.page_panels import panels_for
from referrals.online import limits, selectors, services
from referrals.online.access import get_submission_for
from referrals.online.forms import FORMS, OnlineReferralForm, OnlineSettingsForm
from referrals.online.models import FormKind
from referrals.online.precheck import PROFESSIONAL, SELF, precheck
from referrals.services import policy_of

#: The page a higher layer may add panels to: where else to turn (the signposting directory).
PRECHECK_PAGE = "online-referral-precheck"
#: The form itself: higher layers may add notices, such as services that have closed (operations/closures).
FORM_PAGE = "online-referral-form"


@login_not_required
@never_cache
def self_referral(request: HttpRequest, slug: str) -> HttpResponse:
    return _public_form(request, slug, FormKind.SELF)


@login_not_required
@never_cache
def professional_referral(request: HttpRequest, slug: str) -> HttpResponse:
    return _public_form(request, slug, FormKind.PROFESSIONAL)


def _public_form(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    config = selectors.online_settings_for(organisation)
    context = {"organisation": organisation, "config": config, "kind": kind, "is_professional": kind != FormKind.SELF}
    if not config.is_open(kind):
        return render(request, "online_referrals/closed.html", context)
    form_class = FORMS[kind]
    if request.method != "POST":
        return _form_page(request, form_class(organisation=organisation), context)

    if _content_length(request) > settings.ONLINE_REFERRAL_MAX_BYTES:
        return render(request, "online_referrals/too_large.html", context, status=413)
    if limits.over_limit(address=client_ip(request), organisation_id=organisation.pk):
        return render(request, "online_referrals/too_many.html", context, status=429)
    form = form_class(request.POST, organisation=organisation)
    if form.is_spam():
        submission = services.online_submission_hold_spam(
            organisation=organisation, form=kind, answers=form.raw_answers()
        )
        return _sent(request, submission.reference, context)
    if not form.is_valid():
        return _form_page(request, form, context)
    if request.POST.get("action") == "send":
        submission = services.online_submission_receive(
            organisation=organisation,
            form=kind,
            service=form.chosen_service,
            parent_data=form.parent_data(),
            child_data=form.child_data(),
            safety_data=form.safety_data(),
            referral_data=form.referral_data(),
            referrer_data=form.referrer_data(),
            answers=form.answers(),
            acknowledge_to=form.acknowledge_to(),
            acknowledgement_names_service=form.acknowledgement_names_service(),
            lived_experience_ids=form.lived_experience_ids(),
        )
        return _sent(request, submission.reference, context)
    return _form_page(request, form, {**context, **_checked(request, form, organisation, kind)})


def _content_length(request: HttpRequest) -> int:
    length = request.META.get("CONTENT_LENGTH") or ""
    return int(length) if length.isdigit() else 0


def _checked(request: HttpRequest, form: OnlineReferralForm, organisation: Organisation, kind: str) -> dict:
    """The pre-check's answer for a valid form, from what was typed only."""
    result = precheck(
        organisation_name=organisation.name,
        policy=policy_of(form.chosen_service),
        due_date=form.cleaned_data.get("due_date"),
        birth_date=form.cleaned_data.get("birth_date"),
        today=timezone.localdate(),
        voice=SELF if kind == FormKind.SELF else PROFESSIONAL,
    )
    outside_area = form.cleaned_data.get("council_area") == "elsewhere"
    return {
        "checked": True,
        "precheck": result,
        "outside_area": outside_area,
        "elsewhere": panels_for(PRECHECK_PAGE, request, organisation) if not result.can_support or outside_area else [],
    }


def _form_page(request: HttpRequest, form: OnlineReferralForm, context: dict) -> HttpResponse:
    organisation = context["organisation"]
    return render(
        request,
        "online_referrals/form.html",
        {
            **context,
            "form": form,
            "services": list(form.services.values()),
            "closed_services": panels_for(FORM_PAGE, request, organisation),
            "areas": form.area_names,
            "other_form_url": reverse(
                "online_referrals:self" if context["is_professional"] else "online_referrals:professional",
                args=[organisation.slug],
            ),
        },
    )


def _sent(request: HttpRequest, reference: str, context: dict) -> HttpResponse:
    """The one answer to every form that was sent."""
    return render(
        request,
        "online_referrals/sent.html",
        {**context, "reference": reference, "reply_days": selectors.reply_within_days(context["organisation"])},
    )


# --- staff pages ----------------------------------------------------------


@manager_required
def manage(request: HttpRequest) -> HttpResponse:
    """The manager opens and closes the forms, and finds their addresses, QR codes and the snippet."""
    membership = require_membership(request)
    organisation = membership.organisation
    config = selectors.online_settings_for(organisation)
    form = OnlineSettingsForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        try:
            services.online_settings_save(actor=request.user, organisation=organisation, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Online referral forms saved.")
            return redirect("online_referrals:manage")
    return render(
        request,
        "online_referrals/manage.html",
        {
            "form": form,
            "config": config,
            "addresses": selectors.public_addresses(request, organisation),
            "spam_held": selectors.spam_held_count(request.user),
        },
    )


@manager_required
def print_codes(request: HttpRequest) -> HttpResponse:
    """The QR codes and addresses on a page to print for leaflets and posters."""
    membership = require_membership(request)
    return render(
        request,
        "online_referrals/print.html",
        {
            "organisation": membership.organisation,
            "addresses": selectors.public_addresses(request, membership.organisation),
        },
    )


@staff_required
def to_check(request: HttpRequest) -> HttpResponse:
    """Held submissions for a coordinator to read, and the spam held apart."""
    held = selectors.held_to_check(request.user)
    spam = selectors.spam_held(request.user)
    audit_log(action=AuditAction.VIEW, actor=request.user, summary="Held online submissions viewed")
    return render(
        request,
        "online_referrals/to_check.html",
        {
            "held": held[: selectors.SHOWN_AT_ONCE],
            "held_count": held.count(),
            "spam": spam[: selectors.SHOWN_AT_ONCE],
            "spam_count": spam.count(),
            "shown_at_once": selectors.SHOWN_AT_ONCE,
        },
    )


@staff_required
@require_POST
def dealt_with(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for(request.user, pk)
    try:
        services.online_submission_dealt_with(actor=request.user, submission=submission)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Submission {submission.reference} marked as dealt with.")
    return redirect("online_referrals:to-check")
