"""API endpoint of the notifications app (mounted under /api/v1/)."""

from django.urls import path

from operations.notifications import api

urlpatterns = [
    path("reminder-settings/", api.reminder_settings, name="api-reminder-settings"),
    path("parents/<int:pk>/text/", api.text_parent, name="api-parent-text"),
    path("volunteers/<int:pk>/text/", api.text_volunteer, name="api-volunteer-text"),
]
