"""API endpoints of the volunteers app (mounted under /api/v1/)."""

urlpatterns: list = []
