from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from operations.core import views
from operations.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("organisation/switch/", views.switch_organisation, name="switch-organisation"),
    path("about/", views.about, name="about"),
    path("retention/", views.retention, name="retention"),
    path("services/", views.service_list, name="service-list"),
    path("services/<int:pk>/", views.service_detail, name="service-detail"),
    path("account/", views.account, name="account"),
    path("account/two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("account/two-factor/recovery-codes/", views.two_factor_recovery_codes, name="two-factor-recovery-codes"),
    path("audit/", views.audit_log_list, name="audit-log"),
    # Signing out clears what the phone app kept (before the auth views' own logout).
    path("accounts/logout/", views.sign_out),
    path("accounts/", include("django.contrib.auth.urls")),
    path("referrals/", include("referrals.urls")),
    # The public online referral forms (/refer/<slug>/) and their staff pages (/online-referrals/).
    path("", include("referrals.online.urls")),
    path("outcomes/", include("operations.outcomes.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("matching/", include("volunteers.matching.urls")),
    # The volunteer's phone app: /sw.js, /manifest.webmanifest, /offline/, /phone/families.json.
    path("", include("volunteers.matching.phone_urls")),
    path("concerns/", include("volunteers.safeguarding.urls")),
    path("expenses/", include("volunteers.expenses.urls")),
    path("notifications/", include("operations.notifications.urls")),
    # Texts received from parents and volunteers: the coordinators' inbox.
    path("messages/", include("operations.notifications.inbox_urls")),
    # The SMS providers' webhooks: delivery receipts and texts sent to an organisation's number.
    path("sms/", include("operations.notifications.sms_urls")),
    path("groups/", include("operations.groups.urls")),
    path("calendar/", include("operations.calendar.urls")),
    path("dashboard/", include("operations.dashboard.urls")),
    path("coverage/", include("operations.coverage.urls")),
    path("closures/", include("operations.closures.urls")),
    path("evaluation/", include("operations.evaluation.urls")),
    path("import/", include("operations.imports.urls")),
    # Pooled evaluation across a federation, for its officers.
    path("federation/evaluation/", include("operations.evaluation.pooled.urls")),
    # Federation officers' pages (they belong to no organisation) and a member's sharing switch.
    path("federation/", include("operations.federation.urls")),
    path("search/", include("operations.search.urls")),
    path("partners/", include("referrals.partners.urls")),
    # The referrer's public status page, a note to the referrer, the wording of the updates.
    path("", include("operations.referrer_updates.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("operations.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as its own response,
    # so the docs page works under a Content-Security-Policy without inline scripts.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# A database out of reach answers 503 with Retry-After (operations.core.views.server_error).
handler500 = "operations.core.views.server_error"
handler404 = "operations.core.api_errors.not_found"
