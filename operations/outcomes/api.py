"""API of the outcomes sub-app: /api/v1/assessments/ and /api/v1/safety-alerts/.

Coordinators and managers only (``IsStaffRole``); every queryset goes through
``visible_to``, so another organisation's record is a 404. Writes go through
the services; their ValidationErrors become 400s with field errors."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api_fields import ModelSerializer, QueryParameters, Serializer, id_field
from operations.core.audit import AuditAction, audit_log
from operations.core.models import Role, active_membership
from operations.core.permissions import IsMember, IsStaffRole
from operations.outcomes import services
from operations.outcomes.access import assessable_parents, assessable_referrals
from operations.outcomes.models import Assessment, MeasureCode, Questionnaire, SafetyAlert, Timepoint


class AssessmentSerializer(ModelSerializer):
    parent = id_field(source="parent_id")
    referral = id_field(source="referral_id")
    questionnaire = id_field(source="questionnaire_id", required=False, allow_null=True, default=None)
    responses = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=10, allow_null=True),
        min_length=1,
        max_length=50,
        help_text="The position of the option chosen for each item, in item order (0 = the first option "
        "printed on the form); null for an unanswered item (CORE-10 allows one).",
    )
    item_scores = serializers.ListField(child=serializers.IntegerField(allow_null=True), read_only=True)
    alert_items = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    safety_alerts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "parent",
            "referral",
            "measure",
            "questionnaire",
            "timepoint",
            "taken_on",
            "responses",
            "item_scores",
            "total",
            "band",
            "alert_items",
            "safety_alerts",
            "scoring_version",
            "entered_by",
            "entered_at",
        ]
        read_only_fields = ["total", "band", "scoring_version", "entered_by", "entered_at"]
        validators: list = []


class SafetyAlertSerializer(ModelSerializer):
    measure = serializers.CharField(source="assessment.measure", read_only=True)

    class Meta:
        model = SafetyAlert
        fields = [
            "id",
            "parent",
            "assessment",
            "measure",
            "item_number",
            "item_score",
            "raised_at",
            "action_taken",
            "actioned_by",
            "actioned_at",
        ]
        read_only_fields = fields


class AlertCloseSerializer(Serializer):
    action_taken = serializers.CharField(max_length=2000)


def _in_organisation(queryset, pk, field: str, message: str):
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if pk is not None and found is None:
        raise serializers.ValidationError({field: message})
    return found


class IsAssessor(IsMember):
    message = "Only PSOs, coordinators and managers enter and read assessments."

    def has_permission(self, request, view) -> bool:
        membership = active_membership(request.user)
        return membership is not None and membership.role in (Role.PSO, Role.COORDINATOR, Role.MANAGER)


class AssessmentFilters(QueryParameters):
    parent = id_field(required=False, help_text="Only this parent's assessments.")
    referral = id_field(required=False, help_text="Only this referral's assessments.")
    measure = serializers.ChoiceField(choices=MeasureCode.choices, required=False)
    timepoint = serializers.ChoiceField(choices=Timepoint.choices, required=False)


@extend_schema_view(list=extend_schema(parameters=[AssessmentFilters]))
class AssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Outcome assessments of the caller's organisation (a PSO: of the parents
    on their own open caseload). Totals, bands and alerts are computed from
    ``responses``; an alert item above 0 opens a safety alert. Refused (400)
    without a lawful basis for health data on the parent's record, for a
    future date or one before the referral."""

    permission_classes = [IsAssessor]
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        queryset = Assessment.objects.visible_to(self.request.user).prefetch_related("safety_alerts")
        if self.action == "list":
            filters = AssessmentFilters.of(self.request)
            for field in ("parent", "referral"):
                if field in filters:
                    queryset = queryset.filter(**{f"{field}_id": filters[field]})
            for field in ("measure", "timepoint"):
                if field in filters:
                    queryset = queryset.filter(**{field: filters[field]})
        return queryset

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        assessment = self.get_object()
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=assessment, summary="Assessment viewed (API)")
        return Response(self.get_serializer(assessment).data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = request.user
        parent = _in_organisation(
            assessable_parents(user), data["parent_id"], "parent", "No parent with this id that you may assess."
        )
        referral = _in_organisation(
            assessable_referrals(user),
            data["referral_id"],
            "referral",
            "No referral with this id that you may assess.",
        )
        questionnaire = _in_organisation(
            Questionnaire.objects.visible_to(user),
            data.get("questionnaire_id"),
            "questionnaire",
            "No questionnaire with this id in your organisation.",
        )
        assessment = services.assessment_create(
            actor=user,
            organisation=active_membership(user).organisation,
            parent=parent,
            referral=referral,
            measure=data["measure"],
            questionnaire=questionnaire,
            timepoint=data["timepoint"],
            taken_on=data["taken_on"],
            responses=data["responses"],
        )
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)


class SafetyAlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Safety alerts of the caller's organisation. The list holds the open
    ones, oldest first; close one by recording the action taken."""

    permission_classes = [IsStaffRole]
    serializer_class = SafetyAlertSerializer

    def get_queryset(self):
        queryset = SafetyAlert.objects.visible_to(self.request.user).select_related("assessment")
        if self.action == "list":
            queryset = queryset.open().order_by("raised_at", "pk")
        return queryset

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        alert = self.get_object()
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=alert, summary="Safety alert viewed (API)")
        return Response(self.get_serializer(alert).data)

    @extend_schema(request=AlertCloseSerializer, responses=SafetyAlertSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        alert = self.get_object()
        body = AlertCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alert = services.safety_alert_close(
            alert=alert, actor=request.user, action_taken=body.validated_data["action_taken"]
        )
        return Response(self.get_serializer(alert).data)
