"""The public forms (mounted at /refer/) and the staff pages (at /online-referrals/)."""

from django.urls import path

from referrals.online import views

app_name = "online_referrals"
urlpatterns = [
    path("refer/<slug:slug>/", views.self_referral, name="self"),
    path("refer/<slug:slug>/professional/", views.professional_referral, name="professional"),
    path("online-referrals/", views.manage, name="manage"),
    path("online-referrals/print/", views.print_codes, name="print"),
    path("online-referrals/to-check/", views.to_check, name="to-check"),
    path("online-referrals/to-check/<int:pk>/dealt-with/", views.dealt_with, name="dealt-with"),
]
