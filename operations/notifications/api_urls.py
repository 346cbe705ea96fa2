"""API endpoint of the notifications app (mounted under /api/v1/)."""

from django.urls import path

from operations.notifications import api

urlpatterns = [path("reminder-settings/", api.reminder_settings, name="api-reminder-settings")]
