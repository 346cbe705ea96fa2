from django.urls import path

from operations.notifications import inbox_views as views

# The coordinators' inbox of texts received (/messages/).
app_name = "messages"
urlpatterns = [
    path("", views.inbox_list, name="inbox"),
    path("<int:pk>/link/", views.inbox_link, name="link"),
    path("<int:pk>/done/", views.inbox_done, name="done"),
    path("parents/<int:pk>/texts-again/", views.texts_again, name="texts-again"),
]
