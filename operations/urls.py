from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from operations.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("organisation/switch/", views.switch_organisation, name="switch-organisation"),
    path("about/", views.about, name="about"),
    path("services/", views.service_list, name="service-list"),
    path("services/<int:pk>/", views.service_detail, name="service-detail"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("referrals/", include("referrals.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("matching/", include("volunteers.matching.urls")),
    path("notifications/", include("operations.notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("operations.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
