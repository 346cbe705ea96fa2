from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from operations.core import downloads
from operations.core.access import manager_required, require_membership, staff_required
from operations.core.downloads import Column
from operations.core.forms import apply_service_errors
from operations.notifications import staff_texts, wording
from operations.notifications.concerns import concern_names
from operations.notifications.forms import (
    LogFilterForm,
    MessageTemplateForm,
    PreferenceForm,
    ReminderSettingsForm,
    StaffTextForm,
)
from operations.notifications.kinds import kind_label
from operations.notifications.models import (
    MessagePurpose,
    MessageTemplate,
    Notification,
    NotificationPreference,
    Status,
)
from operations.notifications.reminder_settings import reminder_settings_for
from operations.notifications.services import (
    message_template_delete,
    message_template_save,
    notification_mark_read,
    notification_retry,
    reminder_settings_save,
)
from referrals.access import get_parent_for
from referrals.contact import contact_permissions, safe_contact_summary
from volunteers.access import get_volunteer_for

#: Rows per page of the log, as on the other lists; the caption gives the total.
LOG_PAGE_SIZE = 25
#: What a row of the log shows: the subject, body and address stay unread.
LOG_ROW_FIELDS = [
    "due_at", "kind", "channel", "status", "last_error", "cancelled_reason", "attempts", "sent_at", "recipient_user_id",
    "delivery_status", "delivery_detail", "delivered_at",
    "recipient_user__first_name", "recipient_user__last_name", "recipient_user__username",
]  # fmt: skip


#: The log's download: the page's columns, and why a message failed or was cancelled.
LOG_COLUMNS = [
    Column("Due", lambda n: n.due_at),
    Column("Kind", lambda n: kind_label(n.kind)),
    Column("Channel", lambda n: n.get_channel_display()),
    Column("To", lambda n: str(n.recipient_user) if n.recipient_user_id else "a parent"),
    Column("Status", lambda n: n.get_status_display()),
    Column("Attempts", lambda n: n.attempts),
    Column("Sent", lambda n: n.sent_at),
    Column("Last error", lambda n: n.last_error),
    Column("Cancelled because", lambda n: n.cancelled_reason),
    Column("Delivery", lambda n: n.delivery_in_words),
]


@staff_required
def notification_log(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.visible_to(request.user).select_related("recipient_user").only(*LOG_ROW_FIELDS)
    kinds = Notification.objects.visible_to(request.user).order_by("kind").values_list("kind", flat=True).distinct()
    filter_form = LogFilterForm(request.GET or None, kinds=list(kinds))
    filters = {}
    if filter_form.is_bound:
        filter_form.is_valid()  # the filters it can read apply; a value it does not know is ignored
        filters = filter_form.cleaned_data
    for name in ("kind", "status", "channel"):
        if filters.get(name):
            notifications = notifications.filter(**{name: filters[name]})
    if fmt := downloads.requested_format(request):
        return downloads.download(
            request,
            fmt=fmt,
            title="Notification log",
            filename="notification-log",
            columns=LOG_COLUMNS,
            rows=notifications.order_by("-due_at", "-pk").iterator(chunk_size=2000),
            filters=downloads.filters_described(filter_form),
        )
    page = Paginator(notifications.order_by("-due_at", "-pk"), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/log.html", {"page": page, "filter_form": filter_form})


@staff_required
@require_POST
def notification_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    if notification.status != Status.FAILED:
        messages.error(request, "Only a failed notification can be retried.")
    else:
        notification_retry(notification=notification)
        messages.success(request, "The notification will be sent again.")
    return redirect("notifications:log")


def notification_centre(request: HttpRequest) -> HttpResponse:
    require_membership(request)
    inbox = Notification.objects.inbox_of(request.user).order_by("-sent_at", "-pk")
    page = Paginator(inbox, 30).get_page(request.GET.get("page"))
    # Names are added here, for this viewer, never stored in a row (one list, read once).
    page.object_list = list(page.object_list)
    names = concern_names(request.user, page.object_list)
    for notification in page.object_list:
        notification.names = names.get(notification.pk, "")
    return render(request, "notifications/centre.html", {"page": page})


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification reads it and goes where it points. A POST (the
    inbox's "Open" is a button), because opening a page writes nothing; only
    its recipient finds it (anyone else gets a 404)."""
    require_membership(request)
    notification = get_object_or_404(Notification.objects.inbox_of(request.user).only("pk", "link"), pk=pk)
    notification_mark_read(user=request.user, notification_ids=[notification.pk])
    # Links are the app's own paths; anything else falls back to the inbox.
    link = notification.link
    if link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:centre")


@require_POST
def notification_mark_read_view(request: HttpRequest) -> HttpResponse:
    require_membership(request)
    ids = [int(value) for value in request.POST.getlist("notification") if value.isdigit()]
    notification_mark_read(user=request.user, notification_ids=ids or None)
    return redirect("notifications:centre")


def notification_preferences(request: HttpRequest) -> HttpResponse:
    require_membership(request)
    # Saved on the first POST: opening the page writes nothing.
    preference = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user
    )
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your notification settings are saved.")
        return redirect("notifications:centre")
    return render(request, "notifications/preferences.html", {"form": form})


@manager_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    """When the organisation's reminders go, and which are sent at all."""
    membership = require_membership(request)
    instance = reminder_settings_for(membership.organisation_id)
    form = ReminderSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        reminder_settings_save(form=form, actor=request.user)
        messages.success(request, "Reminder settings saved. The next hourly scan uses them.")
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


# --- Message templates (managers) ---------------------------------------------------


def _template_for(user, pk: int) -> MessageTemplate:
    return get_object_or_404(MessageTemplate.objects.visible_to(user), pk=pk)


@manager_required
def message_templates(request: HttpRequest) -> HttpResponse:
    """Every message to parents with its built-in wording and the
    organisation's templates (translations), and the quick texts."""
    templates = list(MessageTemplate.objects.visible_to(request.user).order_by("purpose", "name", "language", "pk"))
    sections = [
        {
            "purpose": purpose,
            "label": label,
            "default": wording.DEFAULTS[purpose],
            "templates": [template for template in templates if template.purpose == purpose],
        }
        for purpose, label in MessagePurpose.choices
        if purpose != MessagePurpose.QUICK_TEXT
    ]
    quick_texts = [template for template in templates if template.purpose == MessagePurpose.QUICK_TEXT]
    return render(
        request,
        "notifications/templates_list.html",
        {"sections": sections, "quick_texts": quick_texts, "placeholders": wording.PLACEHOLDERS},
    )


def _template_page(request: HttpRequest, template: MessageTemplate, *, initial: dict | None = None) -> HttpResponse:
    """Add or edit: "Preview" shows the wording filled with sample values
    (nothing saved); "Save" saves a valid form."""
    membership = require_membership(request)
    form = MessageTemplateForm(
        request.POST or None, instance=template, initial=initial, organisation_id=membership.organisation_id
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" not in request.POST:
            message_template_save(form=form, actor=request.user)
            messages.success(request, "Template saved. Messages written from now on use it.")
            return redirect("notifications:templates")
        purpose = form.instance.purpose
        values = wording.sample_values(purpose)
        preview = {
            "body": wording.fill(form.instance.body, values),
            "named_body": wording.fill(form.instance.named_body, values) if form.instance.named_body else "",
        }
        preview["segments"] = wording.sms_segments(preview["body"])
    return render(
        request,
        "notifications/template_form.html",
        {"form": form, "template": template, "preview": preview, "placeholders": wording.PLACEHOLDERS},
    )


@manager_required
def message_template_new(request: HttpRequest) -> HttpResponse:
    """A new template; ``?purpose=&language=&name=`` start a translation of one."""
    purposes = dict(MessagePurpose.choices)
    initial = {
        "purpose": request.GET.get("purpose") if request.GET.get("purpose") in purposes else "",
        "language": (request.GET.get("language") or "English")[:60],
        "name": (request.GET.get("name") or "")[:80],
    }
    source = request.GET.get("from")
    if source and source.isdigit():
        # A translation starts from the wording it translates.
        original = MessageTemplate.objects.visible_to(request.user).filter(pk=source).first()
        if original is not None:
            initial.update(purpose=original.purpose, name=original.name, body=original.body, language="")
            initial.update(named_body=original.named_body, subject=original.subject)
    return _template_page(request, MessageTemplate(), initial=initial)


@manager_required
def message_template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _template_page(request, _template_for(request.user, pk))


@manager_required
@require_POST
def message_template_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    message_template_delete(template=_template_for(request.user, pk), actor=request.user)
    messages.success(request, "Template removed: that message uses the English template or the usual wording again.")
    return redirect("notifications:templates")


# --- Texting someone from their record (coordinators and managers) -----------------------


def _text_page(request: HttpRequest, *, parent=None, profile=None) -> HttpResponse:
    """One form for both records: a quick text (in her language) or one's
    own words; refused with the reason when a text is not safe for her."""
    membership = require_membership(request)
    organisation_id = membership.organisation_id
    if parent is not None:
        refusal = staff_texts.parent_sms_refusal(parent)
        language, first_name = parent.language, parent.preferred_name or parent.first_name
        back = reverse("referrals:parent-detail", args=[parent.pk])
        safe_contact = safe_contact_summary(contact_permissions(parent))
    else:
        refusal = staff_texts.volunteer_sms_refusal(profile)
        language, first_name = "English", profile.user.first_name
        back = reverse("volunteers:detail", args=[profile.pk])
        safe_contact = ""
    names = staff_texts.quick_text_names(organisation_id)
    form = StaffTextForm(request.POST or None, quick_texts=names)
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        if not body.strip() and form.cleaned_data["quick_text"]:
            body = staff_texts.quick_text_for(
                organisation_id=organisation_id,
                name=form.cleaned_data["quick_text"],
                language=language,
                first_name=first_name,
            )
        token = form.cleaned_data["token"]
        try:
            sent = staff_texts.staff_text_send(
                actor=request.user, body=body, parent=parent, profile=profile, token=str(token or "")
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"Your text is in the outbox. {staff_texts.when_it_goes(sent.held_until, timezone.now())}"
            )
            return redirect(back)
    now = timezone.now()
    held = staff_texts.held_until(now)
    quick = {
        name: staff_texts.quick_text_for(
            organisation_id=organisation_id, name=name, language=language, first_name=first_name
        )
        for name in names
    }
    return render(
        request,
        "notifications/text_form.html",
        {
            "form": form,
            "parent": parent,
            "profile": profile,
            "refusal": refusal,
            "back": back,
            "safe_contact": safe_contact,
            "quick": quick,
            "held": staff_texts.when_it_goes(held, now) if held else "",
        },
    )


@staff_required
def text_parent(request: HttpRequest, pk: int) -> HttpResponse:
    return _text_page(request, parent=get_parent_for(request.user, pk))


@staff_required
def text_volunteer(request: HttpRequest, pk: int) -> HttpResponse:
    return _text_page(request, profile=get_volunteer_for(request.user, pk))
