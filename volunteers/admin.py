from django.contrib import admin

from volunteers.models import Course, LivedExperience, VolunteerSettings


@admin.register(VolunteerSettings)
class VolunteerSettingsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "supervision_interval_weeks", "supervision_grace_weeks", "max_caseload_limit"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "is_required", "valid_for_months"]
    list_filter = ["organisation"]


@admin.register(LivedExperience)
class LivedExperienceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
