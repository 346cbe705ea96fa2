"""Pages of the referrals app (mounted at /referrals/)."""

from django.urls import path

from referrals import directory_views, transfer_views, views

app_name = "referrals"
urlpatterns = [
    path("", views.board, name="board"),
    path("waiting/", views.waiting_list, name="waiting-list"),
    path("new/", views.referral_new, name="referral-new"),
    path("<int:pk>/", views.referral_detail, name="referral-detail"),
    path("<int:pk>/edit/", views.referral_edit, name="referral-edit"),
    path("<int:pk>/move/", views.referral_transition, name="referral-transition"),
    # Transfers to another organisation on this installation (issue 24).
    path("<int:pk>/transfer/", transfer_views.transfer_propose, name="transfer-propose"),
    path("transfers/", transfer_views.transfer_list, name="transfer-list"),
    path("transfers/<int:pk>/", transfer_views.transfer_detail, name="transfer-detail"),
    path("transfers/<int:pk>/accept/", transfer_views.transfer_accept, name="transfer-accept"),
    path("transfers/<int:pk>/decline/", transfer_views.transfer_decline, name="transfer-decline"),
    path("transfers/<int:pk>/withdraw/", transfer_views.transfer_withdraw, name="transfer-withdraw"),
    path("parents/", views.parent_list, name="parent-list"),
    path("parents/<int:pk>/", views.parent_detail, name="parent-detail"),
    path("parents/<int:pk>/edit/", views.parent_edit, name="parent-edit"),
    path("parents/<int:pk>/contact/", views.parent_contact_safety, name="parent-contact-safety"),
    path("parents/<int:pk>/subject-access/", views.parent_subject_access, name="parent-subject-access"),
    path("parents/<int:pk>/erase/", views.parent_erase, name="parent-erase"),
    path("parents/<int:pk>/restriction/", views.parent_restriction, name="parent-restriction"),
    path("parents/<int:pk>/children/new/", views.child_add, name="child-add"),
    path("children/<int:pk>/", views.child_edit, name="child-edit"),
    path("children/<int:pk>/review-loss/", views.child_review_loss, name="child-review-loss"),
    # The referrer directory: teams that refer and their people.
    path("referrers/", directory_views.directory_page, name="referrers"),
    path("referrers/new/", directory_views.referrer_new, name="referrer-new"),
    path("referrers/<int:pk>/", directory_views.referrer_detail, name="referrer-detail"),
    path("referrers/<int:pk>/edit/", directory_views.referrer_edit, name="referrer-edit"),
    path("referrers/<int:pk>/merge/", directory_views.referrer_merge, name="referrer-merge"),
    path("referrers/teams/new/", directory_views.referring_organisation_new, name="referring-organisation-new"),
    path(
        "referrers/teams/<int:pk>/edit/",
        directory_views.referring_organisation_edit,
        name="referring-organisation-edit",
    ),
    path(
        "referrers/teams/<int:pk>/merge/",
        directory_views.referring_organisation_merge,
        name="referring-organisation-merge",
    ),
]
