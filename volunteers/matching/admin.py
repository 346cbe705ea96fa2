"""Managers edit their organisation's matching weights, review rhythm and
signposting directory here (scoped to their organisation)."""

from django.contrib import admin

from operations.core.admin import OrganisationScopedAdmin
from volunteers.matching.models import DirectoryEntry, MatchingSettings


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(OrganisationScopedAdmin):
    list_display = [
        "organisation",
        "weight_availability",
        "weight_travel",
        "weight_lived_experience",
        "weight_language",
        "weight_load",
        "weight_waiting",
        "review_interval_months",
    ]


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(OrganisationScopedAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
