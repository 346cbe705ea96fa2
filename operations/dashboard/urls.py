from django.urls import path

from operations.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("summary/", views.summary, name="summary"),
]
