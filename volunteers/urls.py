"""Pages of the volunteers app (mounted at /volunteers/)."""

app_name = "volunteers"
urlpatterns: list = []
