"""API endpoints of the referrals app (mounted under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from referrals import api, directory_api, transfer_api

router = DefaultRouter()
router.register("referrals", api.ReferralViewSet, basename="api-referral")
router.register("parents", api.ParentViewSet, basename="api-parent")
router.register("children", api.ChildViewSet, basename="api-child")
router.register(
    "referring-organisations", directory_api.ReferringOrganisationViewSet, basename="api-referring-organisation"
)
router.register("referrers", directory_api.ReferrerViewSet, basename="api-referrer")
router.register("transfers", transfer_api.TransferViewSet, basename="api-transfer")

urlpatterns = router.urls
