from django.contrib import admin

from operations.core.admin import OrganisationScopedAdmin
from operations.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(OrganisationScopedAdmin):
    list_display = ["kind", "channel", "status", "due_at", "attempts", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
