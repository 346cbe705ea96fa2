"""Managers record each volunteer's reference in their finance system here
(scoped to their organisation); it is written on the payment batch's file."""

from django.contrib import admin

from operations.core.admin import OrganisationScopedAdmin
from operations.core.models import active_membership
from volunteers.expenses.models import PayeeReference
from volunteers.models import VolunteerProfile


@admin.register(PayeeReference)
class PayeeReferenceAdmin(OrganisationScopedAdmin):
    list_display = ["volunteer", "reference"]
    search_fields = ["reference", "volunteer__user__first_name", "volunteer__user__last_name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the manager's own organisation's volunteers and PSOs.
        if db_field.name == "volunteer" and not request.user.is_superuser:
            membership = active_membership(request.user)
            kwargs["queryset"] = VolunteerProfile.objects.filter(
                organisation_id=membership.organisation_id if membership else None
            ).select_related("user")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
