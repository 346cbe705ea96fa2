"""/api/v1/: each app registers its endpoints in its own ``api_urls``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from operations.core import api as core_api

router = DefaultRouter()
router.register("organisations", core_api.OrganisationViewSet, basename="api-organisation")
router.register("council-areas", core_api.CouncilAreaViewSet, basename="api-council-area")
router.register("services", core_api.ServiceViewSet, basename="api-service")

urlpatterns = [
    path("auth/token/", core_api.obtain_token, name="api-token"),
    path("me/", core_api.me, name="api-me"),
    path("", include("referrals.api_urls")),
    # A referring team's system, with its partner token only: referrals it makes, and their state.
    path("", include("referrals.partners.api_urls")),
    path("", include("operations.outcomes.api_urls")),
    path("", include("volunteers.api_urls")),
    path("", include("volunteers.matching.api_urls")),
    path("", include("volunteers.safeguarding.api_urls")),
    path("", include("volunteers.expenses.api_urls")),
    path("", include("operations.groups.api_urls")),
    path("", include("operations.dashboard.api_urls")),
    path("", include("operations.notifications.api_urls")),
    path("", include("operations.evaluation.api_urls")),
    path("", include(router.urls)),
]
