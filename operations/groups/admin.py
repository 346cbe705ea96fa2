"""Managers set their organisation's crèche ratios and Care Inspectorate
thresholds here (scoped to their organisation)."""

from django.contrib import admin

from operations.core.admin import OrganisationScopedAdmin
from operations.groups.models import GroupSettings


@admin.register(GroupSettings)
class GroupSettingsAdmin(OrganisationScopedAdmin):
    list_display = [
        "organisation",
        "children_per_adult_under_2",
        "children_per_adult_2_to_3",
        "children_per_adult_3_plus",
        "minimum_creche_adults",
        "weeks_ahead",
    ]
