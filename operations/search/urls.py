"""The search box's page (mounted at /search/)."""

from django.urls import path

from operations.search import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
]
