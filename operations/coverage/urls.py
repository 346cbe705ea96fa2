from django.urls import path

from operations.coverage import views

app_name = "coverage"
urlpatterns = [
    path("", views.coverage, name="index"),
    path("births/", views.births, name="births"),
]
