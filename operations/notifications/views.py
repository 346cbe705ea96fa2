from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from operations.core import downloads
from operations.core.access import manager_required, require_membership, staff_required
from operations.core.downloads import Column
from operations.notifications.concerns import concern_names
from operations.notifications.forms import LogFilterForm, PreferenceForm, ReminderSettingsForm
from operations.notifications.kinds import kind_label
from operations.notifications.models import Notification, NotificationPreference, Status
from operations.notifications.reminder_settings import reminder_settings_for
from operations.notifications.services import notification_mark_read, notification_retry, reminder_settings_save

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
