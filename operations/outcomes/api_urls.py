"""API endpoints of the outcomes sub-app (mounted under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from operations.outcomes import api

router = DefaultRouter()
router.register("assessments", api.AssessmentViewSet, basename="api-assessment")
router.register("safety-alerts", api.SafetyAlertViewSet, basename="api-safety-alert")

urlpatterns = router.urls
