from django.urls import path

from operations.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_centre, name="centre"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("read/", views.notification_mark_read_view, name="mark-read"),
    path("preferences/", views.notification_preferences, name="preferences"),
    path("log/", views.notification_log, name="log"),
    path("log/<int:pk>/retry/", views.notification_retry_view, name="retry"),
    path("settings/", views.reminder_settings, name="settings"),
    path("templates/", views.message_templates, name="templates"),
    path("templates/new/", views.message_template_new, name="template-new"),
    path("templates/<int:pk>/", views.message_template_edit, name="template-edit"),
    path("templates/<int:pk>/delete/", views.message_template_delete_view, name="template-delete"),
    path("text/parent/<int:pk>/", views.text_parent, name="text-parent"),
    path("text/volunteer/<int:pk>/", views.text_volunteer, name="text-volunteer"),
]
