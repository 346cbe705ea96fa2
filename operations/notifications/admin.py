from django.contrib import admin

from operations.core.admin import OrganisationScopedAdmin
from operations.notifications.kinds import kind_label
from operations.notifications.models import Notification


class KindFilter(admin.SimpleListFilter):
    """The kinds in words ("Planned visit"), not their codes."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = model_admin.get_queryset(request).order_by().values_list("kind", flat=True).distinct()
        return sorted(((kind, kind_label(kind)) for kind in kinds), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(OrganisationScopedAdmin):
    list_display = ["kind_words", "channel", "status", "due_at", "attempts", "sent_at"]
    list_filter = ["status", "channel", KindFilter]
    fields = ["kind_words" if field.name == "kind" else field.name for field in Notification._meta.fields]
    readonly_fields = fields

    @admin.display(description="kind", ordering="kind")
    def kind_words(self, notification: Notification) -> str:
        return notification.kind_label

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
