"""Pages of the safeguarding loop (mounted under /concerns/)."""

from django.urls import path

from volunteers.safeguarding.views import raising, settings, working

app_name = "safeguarding"

urlpatterns = [
    # Everyone's: raising one, and the ones you raised.
    path("new/", raising.concern_new, name="concern-new"),
    path("mine/", raising.concern_mine, name="concern-mine"),
    # Working them: the worklist, one concern, its steps.
    path("", working.concern_list, name="concern-list"),
    path("<int:pk>/", working.concern_detail, name="concern-detail"),
    path("<int:pk>/acknowledge/", working.concern_acknowledge, name="concern-acknowledge"),
    path("<int:pk>/plan/", working.concern_plan, name="concern-plan"),
    path("<int:pk>/close/", working.concern_close, name="concern-close"),
    # The manager's safeguarding settings.
    path("settings/", settings.safeguarding_settings, name="settings"),
]
