from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "volunteers.matching"
    label = "matching"
    verbose_name = "Matching, visits and contact logs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A PSO's caseload is known here; the outcomes sub-app below asks for it.
        from operations.core import caseload
        from volunteers.matching.selectors import caseload_parent_ids

        caseload.register(caseload_parent_ids)
