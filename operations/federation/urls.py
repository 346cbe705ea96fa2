from django.urls import path

from operations.federation import views

app_name = "federation"
urlpatterns = [
    # The federation officer's pages: figures its sharing members share, suppressed.
    path("", views.rollup, name="rollup"),
    path("coverage/", views.coverage, name="coverage"),
    # A member's manager switches sharing on or off.
    path("sharing/", views.sharing, name="sharing"),
]
