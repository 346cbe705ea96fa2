"""Managers' pages for partner API credentials (mounted at /partners/)."""

from django.urls import path

from referrals.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.credential_list, name="list"),
    path("new/", views.credential_new, name="new"),
    path("<int:pk>/revoke/", views.credential_revoke, name="revoke"),
]
