"""API endpoint of the dashboard (mounted under /api/v1/)."""

from django.urls import path

from operations.dashboard import api

urlpatterns = [path("dashboard/", api.dashboard, name="api-dashboard")]
