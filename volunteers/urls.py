"""Pages of the volunteers app (mounted at /volunteers/)."""

from django.urls import path

from volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_list, name="list"),
    path("new/", views.volunteer_create, name="create"),
    path("compliance/", views.compliance, name="compliance"),
    path("me/", views.my_details, name="me"),
    path("me/break/", views.my_break, name="me-break"),
    path("me/break/end/", views.my_break_end, name="me-break-end"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
    path("<int:pk>/edit/", views.volunteer_edit, name="edit"),
    path("<int:pk>/status/", views.volunteer_status, name="status"),
    path("<int:pk>/pvg/", views.pvg_edit, name="pvg"),
    path("<int:pk>/training/", views.training_add, name="training-add"),
    path("<int:pk>/references/", views.reference_add, name="reference-add"),
    path("<int:pk>/supervisor/", views.pairing_change, name="pairing"),
    path("supervision/new/", views.supervision_new, name="supervision-new"),
    path("supervision/<int:pk>/", views.supervision_detail, name="supervision-detail"),
    path("disclosure-tasks/<int:pk>/done/", views.disclosure_task_done, name="disclosure-task-done"),
    path("actions/<int:pk>/done/", views.action_done, name="action-done"),
]
