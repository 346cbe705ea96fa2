"""Pages of matching, matches, visits and contact logs (mounted at /matching/)."""

from django.urls import path

from volunteers.matching import views

app_name = "matching"
urlpatterns = [
    path("referrals/<int:referral_pk>/candidates/", views.candidates, name="candidates"),
    path("referrals/<int:referral_pk>/needs/", views.needs_save, name="needs"),
    path("referrals/<int:referral_pk>/confirm/", views.confirm_one, name="confirm"),
    path("referrals/<int:referral_pk>/conflicts/", views.conflict_add, name="conflict-add"),
    path("proposals/", views.proposals, name="proposals"),
    path("matches/", views.match_list, name="match-list"),
    path("matches/<int:pk>/", views.match_detail, name="match-detail"),
    path("matches/<int:pk>/log/", views.contact_log_new, name="contact-log-new"),
    path("matches/<int:pk>/visits/new/", views.visit_new, name="visit-new"),
    path("visits/<int:pk>/cancel/", views.visit_cancel, name="visit-cancel"),
    path("matches/<int:pk>/move/", views.match_move, name="match-move"),
    path("matches/<int:pk>/end/", views.match_end, name="match-end"),
    path("matches/<int:pk>/extend/", views.match_extend, name="match-extend"),
    path("matches/<int:pk>/review/", views.match_review, name="match-review"),
]
