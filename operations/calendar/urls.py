from django.urls import path

from operations.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.calendar_page, name="index"),
]
