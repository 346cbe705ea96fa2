"""API endpoints of volunteer expenses (mounted under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from volunteers.expenses import api

router = DefaultRouter()
router.register("expenses/claims", api.ClaimViewSet, basename="api-expense-claim")
router.register("expenses/batches", api.BatchViewSet, basename="api-expense-batch")

urlpatterns = router.urls
