from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "volunteers.matching"
    label = "matching"
    verbose_name = "Matching, visits and contact logs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse

        from operations.core.page_links import PageLink, register_link
        from referrals.workflow import Status

        # The referral page (a lower layer) shows this without naming our URLs.
        register_link(
            "referral",
            PageLink(
                label="Find a volunteer or PSO",
                url=lambda referral: reverse("matching:candidates", args=[referral.pk]),
                shown=lambda referral: referral.status in (Status.WAITING, Status.ASSESSED),
            ),
        )

        # A PSO's caseload is known here; the outcomes sub-app below asks for it.
        from operations.core import caseload
        from volunteers.matching.selectors import caseload_parent_ids

        caseload.register(caseload_parent_ids)

        from operations.core.signals import organisation_created
        from volunteers.matching import receivers

        organisation_created.connect(receivers.make_matching_settings, dispatch_uid="matching-settings")
