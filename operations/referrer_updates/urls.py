"""Pages of word back to the referrer (mounted at the site's root): the
public status page, a coordinator's note, the managers' wording."""

from django.urls import path

from operations.referrer_updates import views

app_name = "referrer_updates"
urlpatterns = [
    path("referral-status/<str:token>/", views.status_page, name="status"),
    path("referrals/<int:pk>/referrer-note/", views.note_send, name="note"),
    path("referrer-updates/settings/", views.settings_edit, name="settings"),
]
