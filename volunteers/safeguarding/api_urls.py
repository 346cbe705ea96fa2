"""API endpoints of the safeguarding loop (mounted under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from volunteers.safeguarding import api

router = DefaultRouter()
router.register("concerns", api.ConcernViewSet, basename="api-concern")

urlpatterns = router.urls
