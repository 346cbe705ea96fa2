"""Pages of the referrals app (mounted at /referrals/)."""

from django.urls import path

from referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.board, name="board"),
    path("waiting/", views.waiting_list, name="waiting-list"),
    path("new/", views.referral_new, name="referral-new"),
    path("<int:pk>/", views.referral_detail, name="referral-detail"),
    path("<int:pk>/edit/", views.referral_edit, name="referral-edit"),
    path("<int:pk>/move/", views.referral_transition, name="referral-transition"),
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
]
