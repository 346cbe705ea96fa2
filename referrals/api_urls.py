"""API endpoints of the referrals app (mounted under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from referrals import api

router = DefaultRouter()
router.register("referrals", api.ReferralViewSet, basename="api-referral")
router.register("parents", api.ParentViewSet, basename="api-parent")
router.register("children", api.ChildViewSet, basename="api-child")

urlpatterns = router.urls
