"""The rows an export reads: one per referral of a parent whose evaluation
consent stands, and the assessments of those referrals. Dates are read
here and turned into day counts by the builder; they are never written."""

from __future__ import annotations

from django.db.models import Count, IntegerField, Min, OuterRef, QuerySet, Subquery, Sum, TextField
from django.db.models.functions import Cast, Coalesce

from operations.outcomes.models import Assessment
from referrals.models import Referral
from volunteers.matching.models import ContactLog, Match

#: What the histogram pass reads: the quasi-identifiers' raw values.
QUASI_FIELDS = (
    "parent__date_of_birth",
    "received_on",
    "parent__council_area__gss_code",
    "parent__role",
    "source",
    "service__kind",
)

#: What the writing pass reads, in this order.
PARTICIPANT_FIELDS = (
    "pk",
    "parent_id",
    *QUASI_FIELDS,
    "first_contact_on",
    "first_match_at",
    "support_from",
    "ended_on",
    "ending_type",
    "contacts",
    "contact_minutes",
)

ASSESSMENT_FIELDS = (
    "parent_id",
    "referral_id",
    "referral__received_on",
    "measure",
    "questionnaire_id",
    "timepoint",
    "taken_on",
    "total",
    "band",
    "item_scores_text",
)


def _service_ids(export) -> list[int]:
    """The export's service filter, asked once per build (four queries use it)."""
    if not hasattr(export, "_service_ids"):
        export._service_ids = list(export.services.values_list("pk", flat=True))
    return export._service_ids


def referrals_in_scope(export) -> QuerySet[Referral]:
    """Referrals of the export's organisation and filters whose parent's
    evaluation consent stands and who has not been erased."""
    rows = Referral.objects.filter(
        organisation_id=export.organisation_id,
        parent__evaluation_consent_given_on__isnull=False,
        parent__evaluation_consent_withdrawn_on__isnull=True,
        parent__erased_at__isnull=True,
    )
    if export.period_from:
        rows = rows.filter(received_on__gte=export.period_from)
    if export.period_to:
        rows = rows.filter(received_on__lte=export.period_to)
    service_ids = _service_ids(export)
    if service_ids:
        rows = rows.filter(service_id__in=service_ids)
    return rows.order_by()


def _per_referral(queryset: QuerySet, aggregate) -> Subquery:
    return Subquery(
        queryset.filter(match__referral_id=OuterRef("pk"))
        .order_by()
        .values("match__referral_id")
        .annotate(value=aggregate)
        .values("value")[:1]
    )


def participant_rows(export) -> QuerySet:
    matches = Match.objects.filter(referral_id=OuterRef("pk")).order_by()
    ended = matches.filter(ended_on__isnull=False).order_by("-ended_on", "-pk")
    return (
        referrals_in_scope(export)
        .annotate(
            first_contact_on=_per_referral(ContactLog.objects, Min("contact_date")),
            contacts=Coalesce(_per_referral(ContactLog.objects, Count("pk")), 0, output_field=IntegerField()),
            contact_minutes=Coalesce(
                _per_referral(ContactLog.objects, Sum("duration_minutes")), 0, output_field=IntegerField()
            ),
            first_match_at=Subquery(matches.order_by("confirmed_at").values("confirmed_at")[:1]),
            support_from=Coalesce(
                "support_started_on",
                Subquery(matches.filter(started_on__isnull=False).order_by("started_on").values("started_on")[:1]),
            ),
            ended_on=Subquery(ended.values("ended_on")[:1]),
            ending_type=Subquery(ended.values("ending_type")[:1]),
        )
        .order_by("pk")
        .values_list(*PARTICIPANT_FIELDS)
    )


def quasi_rows(export) -> QuerySet:
    return referrals_in_scope(export).values_list(*QUASI_FIELDS)


def assessment_rows(export) -> QuerySet:
    rows = Assessment.objects.for_evaluation().filter(
        organisation_id=export.organisation_id, referral__in=referrals_in_scope(export).values("pk")
    )
    if export.measures:
        rows = rows.filter(measure__in=export.measures)
    # The scores as their JSON text ("[1, 0, null]"): reformatting it is much
    # cheaper than decoding JSON for every row.
    rows = rows.annotate(item_scores_text=Cast("item_scores", output_field=TextField()))
    return rows.order_by("referral_id", "pk").values_list(*ASSESSMENT_FIELDS)
