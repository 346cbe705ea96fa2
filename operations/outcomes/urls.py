"""Pages of the outcomes sub-app (mounted at /outcomes/)."""

from django.urls import path

from operations.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("parents/<int:pk>/new/", views.assessment_new, name="assessment-new"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert-detail"),
    path("questionnaires/", views.questionnaire_list, name="questionnaire-list"),
    path("questionnaires/new/", views.questionnaire_new, name="questionnaire-new"),
    path("questionnaires/<int:pk>/", views.questionnaire_edit, name="questionnaire-edit"),
    path("wording/", views.wording_list, name="wording-list"),
    path("wording/<slug:measure>/", views.wording_edit, name="wording-edit"),
]
