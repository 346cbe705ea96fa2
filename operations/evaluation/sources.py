"""The rows an export reads: one per referral of a parent whose evaluation
consent stands, and the assessments of those referrals. Dates are read
here and turned into day counts by the builder; they are never written.

Rows are read per ``Scope``: one organisation and the export's filters. A
branch export reads one scope (``scope_of``); a pooled export one per member
that opted in, so a member's rows are chosen exactly as its own branch
export would choose them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True)
class Scope:
    """One organisation's rows under an export's filters: referrals received
    in the period, of these services (none: all), assessments of these
    measures (none: all). ``member`` names the organisation in a pooled
    export that shows it (empty otherwise)."""

    organisation_id: int
    period_from: date | None = None
    period_to: date | None = None
    service_ids: tuple[int, ...] = ()
    measures: tuple[str, ...] = ()
    member: str = ""


def scope_of(export) -> Scope:
    """A branch export's one scope (its service filter asked once per build)."""
    return Scope(
        organisation_id=export.organisation_id,
        period_from=export.period_from,
        period_to=export.period_to,
        service_ids=tuple(export.services.values_list("pk", flat=True)),
        measures=tuple(export.measures),
    )


def referrals_in_scope(scope: Scope) -> QuerySet[Referral]:
    """Referrals of the scope's organisation and filters whose parent's
    evaluation consent stands and who has not been erased."""
    rows = Referral.objects.filter(
        organisation_id=scope.organisation_id,
        parent__evaluation_consent_given_on__isnull=False,
        parent__evaluation_consent_withdrawn_on__isnull=True,
        parent__erased_at__isnull=True,
    )
    if scope.period_from:
        rows = rows.filter(received_on__gte=scope.period_from)
    if scope.period_to:
        rows = rows.filter(received_on__lte=scope.period_to)
    if scope.service_ids:
        rows = rows.filter(service_id__in=scope.service_ids)
    return rows.order_by()


def _per_referral(queryset: QuerySet, aggregate) -> Subquery:
    return Subquery(
        queryset.filter(match__referral_id=OuterRef("pk"))
        .order_by()
        .values("match__referral_id")
        .annotate(value=aggregate)
        .values("value")[:1]
    )


def participant_rows(scope: Scope) -> QuerySet:
    matches = Match.objects.filter(referral_id=OuterRef("pk")).order_by()
    ended = matches.filter(ended_on__isnull=False).order_by("-ended_on", "-pk")
    return (
        referrals_in_scope(scope)
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


def quasi_rows(scope: Scope) -> QuerySet:
    return referrals_in_scope(scope).values_list(*QUASI_FIELDS)


def assessment_rows(scope: Scope) -> QuerySet:
    rows = Assessment.objects.for_evaluation().filter(
        organisation_id=scope.organisation_id, referral__in=referrals_in_scope(scope).values("pk")
    )
    if scope.measures:
        rows = rows.filter(measure__in=scope.measures)
    # The scores as their JSON text ("[1, 0, null]"): reformatting it is much
    # cheaper than decoding JSON for every row.
    rows = rows.annotate(item_scores_text=Cast("item_scores", output_field=TextField()))
    return rows.order_by("referral_id", "pk").values_list(*ASSESSMENT_FIELDS)
