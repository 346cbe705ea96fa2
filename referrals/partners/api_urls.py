"""The partner API (mounted under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from referrals.partners import api

router = DefaultRouter()
router.register("partner/referrals", api.PartnerReferralViewSet, basename="api-partner-referral")

urlpatterns = router.urls
