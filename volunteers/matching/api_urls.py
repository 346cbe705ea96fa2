"""API endpoints of matching (mounted under /api/v1/)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from volunteers.matching import api

router = DefaultRouter()
router.register("matches", api.MatchViewSet, basename="api-match")
router.register("visits", api.VisitViewSet, basename="api-visit")
router.register("contact-logs", api.ContactLogViewSet, basename="api-contact-log")
router.register("directory", api.DirectoryViewSet, basename="api-directory")
router.register("match-reviews", api.MatchReviewViewSet, basename="api-match-review")
router.register("conflicts", api.ConflictViewSet, basename="api-conflict")

urlpatterns = [
    path("referrals/<int:pk>/candidates/", api.candidates, name="api-referral-candidates"),
    path("matching/proposals/", api.proposals, name="api-matching-proposals"),
    path("matching/proposals/confirm/", api.proposals_confirm, name="api-matching-proposals-confirm"),
    *router.urls,
]
