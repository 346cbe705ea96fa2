"""GET /api/v1/dashboard/: the figures behind the dashboard's charts, with
the same filters. Suppressed by default (``?mode=publication``: the true
small counts never leave the server); ``?mode=internal`` gives a manager the
exact figures, and every answer says which it is. Managers only."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api_fields import QueryParameters, id_field
from operations.core.models import Service
from operations.core.permissions import IsManager
from operations.dashboard.figures import Dashboard
from operations.dashboard.modes import API_DEFAULT, INVALID, Mode, mode_from
from operations.dashboard.period import Filters, default_period, period_errors
from operations.dashboard.selectors import dashboard_for


class ManagersOnly(IsManager):
    message = "Only managers can see the dashboard."


class DashboardQuerySerializer(QueryParameters):
    date_from = serializers.DateField(required=False, help_text="First day (default: 12 months ago, 1st).")
    date_to = serializers.DateField(required=False, help_text="Last day, included (default: today).")
    service = id_field(required=False, help_text="A service of your organisation (default: every service).")
    mode = serializers.ChoiceField(
        choices=Mode.choices,
        required=False,
        error_messages={"invalid_choice": INVALID},
        help_text='publication (the default): counts under the threshold as "<10" (the threshold), and '
        'those that would reveal one as "suppressed"; internal: exact figures, not to be published.',
    )

    def validate_service(self, value: int) -> Service:
        service = Service.objects.visible_to(self.context["request"].user).filter(pk=value).first()
        if service is None:
            raise serializers.ValidationError("Choose a service of your organisation.")
        return service

    def validate(self, attrs: dict) -> dict:
        default_from, default_to = default_period()
        attrs.setdefault("date_from", default_from)
        attrs.setdefault("date_to", default_to)
        attrs["mode"] = mode_from(attrs, default=API_DEFAULT)
        errors = period_errors(attrs["date_from"], attrs["date_to"])
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


# --- The response, described for the OpenAPI schema -------------------------
_COUNT = {
    "oneOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "pattern": "^(<[0-9]+|suppressed)$"},
    ],
    "description": 'A count, or "<10" for 1 to 9, or "suppressed" where it would reveal a small count.',
}
_DECIMAL = {"type": "string", "nullable": True, "description": "A decimal number; null when too few to show."}
_TABLE = {
    "type": "object",
    "properties": {
        "caption": {"type": "string"},
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "label": {"type": "string"},
                    "values": {"type": "array", "items": _COUNT},
                },
                "required": ["key", "label", "values"],
            },
        },
        "totals": {"type": "array", "items": _COUNT},
    },
    "required": ["caption", "columns", "rows", "totals"],
}
_COUNTS = {"type": "object", "additionalProperties": _COUNT}
DASHBOARD_SCHEMA = {
    "type": "object",
    "properties": {
        "period": {
            "type": "object",
            "properties": {
                "date_from": {"type": "string", "format": "date"},
                "date_to": {"type": "string", "format": "date"},
                "service": {"type": "integer", "nullable": True},
            },
            "required": ["date_from", "date_to", "service"],
        },
        "mode": {
            "type": "string",
            "enum": list(Mode.values),
            "description": "publication: small counts suppressed; internal: exact figures, not to be published.",
        },
        "mode_notice": {"type": "string", "description": "What the mode means, in the words the pages show."},
        "threshold": {"type": "integer"},
        "generated_at": {"type": "string", "format": "date-time"},
        "headline": _COUNTS,
        "contact_hours": _DECIMAL,
        "waiting": {
            "type": "object",
            "properties": {"referrals": _COUNT, "median_days": _DECIMAL, "p90_days": _DECIMAL},
            "required": ["referrals", "median_days", "p90_days"],
        },
        "reach": _COUNTS,
        "tables": {
            "type": "object",
            "additionalProperties": _TABLE,
            "description": "Keyed by table: referrals_by_month, referrals_by_source, referrals_by_channel (how "
            "they came in: typed by staff, an online form, a partner system), referrals_by_referrer_kind (the "
            "kind of the referrer's team; not_recorded without one), council_areas, supervision, pvg, groups, "
            "concerns_by_kind, concerns_by_urgency, concerns_by_outcome (the four referral tables count the "
            "referrals received in the period and share one total; so do the three concern tables for the "
            "concerns raised in it).",
        },
        "concerns_acknowledged": {
            "type": "object",
            "description": "Clock minutes from a concern being raised to being acknowledged, for concerns raised "
            "in the period and acknowledged since (not those opened from supervision).",
            "properties": {"concerns": _COUNT, "median_minutes": _DECIMAL, "p90_minutes": _DECIMAL},
            "required": ["concerns", "median_minutes", "p90_minutes"],
        },
        "outcomes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "measure": {"type": "string"},
                    "name": {"type": "string"},
                    "higher_is_better": {"type": "boolean"},
                    "reliable_change": {"type": "string"},
                    "people": _COUNT,
                    "mean_change": _DECIMAL,
                    "reliably_improved": {**_COUNT, "nullable": True},
                    "share_reliably_improved": {"type": "integer", "nullable": True},
                },
                "required": ["measure", "name", "people", "mean_change", "reliably_improved"],
            },
        },
    },
    "required": [
        "period",
        "mode",
        "mode_notice",
        "threshold",
        "headline",
        "waiting",
        "reach",
        "tables",
        "outcomes",
        "concerns_acknowledged",
    ],
}


def dashboard_json(board: Dashboard) -> dict:
    filters = board.filters
    return {
        "period": {
            "date_from": filters.date_from.isoformat(),
            "date_to": filters.date_to.isoformat(),
            "service": filters.service_id,
        },
        "mode": board.mode.value,
        "mode_notice": board.mode.notice,
        "threshold": board.threshold,
        "generated_at": timezone.now().isoformat(),
        "headline": {name: figure.as_json() for name, figure in board.headline.items()},
        "contact_hours": str(board.contact_hours) if board.contact_hours is not None else None,
        "waiting": {
            "referrals": board.waiting.referrals.as_json(),
            "median_days": str(board.waiting.median_days) if board.waiting.median_days is not None else None,
            "p90_days": str(board.waiting.p90_days) if board.waiting.p90_days is not None else None,
        },
        "reach": {name: figure.as_json() for name, figure in board.reach.items()},
        "tables": {key: table.as_json() for key, table in board.tables.items()},
        "outcomes": [outcome.as_json() for outcome in board.outcomes],
        "concerns_acknowledged": board.acknowledging.as_json(),
    }


@extend_schema(
    parameters=[DashboardQuerySerializer],
    responses={200: DASHBOARD_SCHEMA},
    description="The dashboard's figures for a period and service: small counts suppressed, "
    "or exact with mode=internal.",
)
@api_view(["GET"])
@permission_classes([ManagersOnly])
def dashboard(request: Request) -> Response:
    data = DashboardQuerySerializer.of(request)
    filters = Filters(date_from=data["date_from"], date_to=data["date_to"], service=data.get("service"))
    return Response(dashboard_json(dashboard_for(request.user, filters, mode=data["mode"])))
