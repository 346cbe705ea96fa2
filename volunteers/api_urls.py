"""API endpoints of the volunteers app (mounted under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from volunteers import api

router = DefaultRouter()
router.register("volunteers", api.VolunteerViewSet, basename="api-volunteer")
router.register("supervisions", api.SupervisionViewSet, basename="api-supervision")

urlpatterns = router.urls
