"""Managers edit their organisation's volunteer settings, required courses
and lived-experience vocabulary here (scoped to their organisation)."""

from django.contrib import admin

from operations.core.admin import OrganisationScopedAdmin
from volunteers.models import Course, LivedExperience, VolunteerSettings


@admin.register(VolunteerSettings)
class VolunteerSettingsAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "supervision_interval_weeks", "supervision_grace_weeks", "max_caseload_limit"]


@admin.register(Course)
class CourseAdmin(OrganisationScopedAdmin):
    list_display = ["name", "is_required", "valid_for_months"]
    list_filter = ["is_required"]


@admin.register(LivedExperience)
class LivedExperienceAdmin(OrganisationScopedAdmin):
    list_display = ["name"]
