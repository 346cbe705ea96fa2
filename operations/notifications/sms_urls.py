"""The SMS providers' webhooks (public: the providers call them)."""

from django.urls import path

from operations.notifications import webhooks

app_name = "sms"
urlpatterns = [
    path("twilio/status/", webhooks.twilio_status, name="twilio-status"),
    path("twilio/inbound/", webhooks.twilio_inbound, name="twilio-inbound"),
    path("vonage/status/", webhooks.vonage_status, name="vonage-status"),
    path("vonage/inbound/", webhooks.vonage_inbound, name="vonage-inbound"),
]
