"""API endpoints of the evaluation app (mounted under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from operations.evaluation import api

router = DefaultRouter()
router.register("evaluation-projects", api.EvaluationProjectViewSet, basename="api-evaluation-project")
router.register("exports", api.ExportViewSet, basename="api-export")

urlpatterns = router.urls
