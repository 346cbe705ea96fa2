"""API endpoints of the groups app (mounted under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from operations.groups import api

router = DefaultRouter()
router.register("groups", api.GroupViewSet, basename="api-group")
router.register("group-sessions", api.GroupSessionViewSet, basename="api-group-session")
router.register("bookings", api.BookingViewSet, basename="api-booking")

urlpatterns = router.urls
