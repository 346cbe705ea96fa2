"""Managers edit their organisation's matching weights, review rhythm, what
volunteers see of a parent's contact details and the signposting directory
(with the council areas each service serves) here, scoped to their
organisation."""

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
        "volunteer_contact_details",
    ]


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(OrganisationScopedAdmin):
    list_display = ["name", "areas_served", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    filter_horizontal = ["council_areas"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("council_areas")

    @admin.display(description="Council areas served")
    def areas_served(self, entry: DirectoryEntry) -> str:
        return ", ".join(area.name for area in entry.council_areas.all()) or "All of Scotland"
