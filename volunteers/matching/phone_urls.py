"""The phone app's addresses, at the site's root: a service worker controls
only the pages under its own address."""

from django.urls import path

from volunteers.matching import phone_views

urlpatterns = [
    path("sw.js", phone_views.service_worker, name="phone-service-worker"),
    path("manifest.webmanifest", phone_views.manifest, name="phone-manifest"),
    path("offline/", phone_views.offline, name="phone-offline"),
    path("phone/families.json", phone_views.families, name="phone-families"),
]
