"""API: /api/v1/evaluation-projects/ and /api/v1/exports/ (create, list,
status with progress and suppression, cancel, discard, download). Managers of the organisation only;
another organisation's rows are a 404. A project's secret is never in any
response: the serializer names its fields and the secret is not one."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api_fields import ModelSerializer
from operations.core.models import Service, active_membership
from operations.core.permissions import IsManager
from operations.evaluation import anonymise, services
from operations.evaluation.models import (
    K_MAX,
    K_MIN,
    MAX_SUPPRESSED_PERCENT_MAX,
    EvaluationExport,
    EvaluationProject,
    ExportFormat,
)
from operations.outcomes.models import MeasureCode


class ManagersOnly(IsManager):
    message = "Only managers can work with evaluation exports."


class EvaluationProjectSerializer(ModelSerializer):
    k = serializers.IntegerField(min_value=K_MIN, max_value=K_MAX, default=5)
    quasi_identifiers = serializers.ListField(
        child=serializers.ChoiceField(choices=anonymise.QUASI_IDENTIFIERS),
        allow_empty=False,
        default=list(anonymise.DEFAULT_QUASI_IDENTIFIERS),
    )
    max_suppressed_percent = serializers.IntegerField(min_value=0, max_value=MAX_SUPPRESSED_PERCENT_MAX, default=5)

    class Meta:
        model = EvaluationProject
        fields = ["id", "name", "description", "k", "quasi_identifiers", "max_suppressed_percent", "created_at"]
        read_only_fields = ["id", "created_at"]


class ExportSerializer(ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=EvaluationProject.objects.none())
    services = serializers.PrimaryKeyRelatedField(many=True, queryset=Service.objects.none(), required=False)
    measures = serializers.ListField(child=serializers.ChoiceField(choices=MeasureCode.choices), required=False)
    format = serializers.ChoiceField(choices=ExportFormat.choices, default=ExportFormat.CSV)
    download_url = serializers.SerializerMethodField()
    suppressed_share = serializers.FloatField(
        read_only=True,
        allow_null=True,
        min_value=0,
        max_value=1,
        help_text="Share of participant rows suppressed to reach k, from 0 to 1 (0.4 is 40%); null until built.",
    )
    suppression_over_limit = serializers.BooleanField(
        read_only=True,
        help_text="True when more rows were suppressed than the project's max_suppressed_percent: check the "
        "grouping before sharing, or discard the export.",
    )

    class Meta:
        model = EvaluationExport
        fields = [
            "id", "project", "period_from", "period_to", "services", "measures", "format",
            "status", "progress", "participant_rows", "assessment_rows", "suppressed_rows", "k_achieved",
            "suppressed_share", "suppression_over_limit",
            "file_size", "error", "created_at", "started_at", "finished_at", "expires_at", "download_count",
            "discarded_at", "download_url",
        ]  # fmt: skip
        read_only_fields = [
            "id", "status", "progress", "participant_rows", "assessment_rows", "suppressed_rows", "k_achieved",
            "file_size", "error", "created_at", "started_at", "finished_at", "expires_at", "download_count",
            "discarded_at",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only the caller's organisation's projects and services: others are field errors.
            self.fields["project"].queryset = EvaluationProject.objects.visible_to(request.user)
            membership = active_membership(request.user)
            organisation_id = membership.organisation_id if membership else None
            self.fields["services"].child_relation.queryset = Service.objects.filter(organisation_id=organisation_id)

    def get_download_url(self, export: EvaluationExport) -> str | None:
        """An expiring signed link for the page-style download (null until ready)."""
        request = self.context.get("request")
        if request is None or not export.is_downloadable:
            return None
        return request.build_absolute_uri(services.download_url(export=export, user=request.user))

    def validate(self, attrs):
        start, end = attrs.get("period_from"), attrs.get("period_to")
        if start and end and end < start:
            raise serializers.ValidationError({"period_to": ["The end of the period is before its start."]})
        return attrs


class EvaluationProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """PUT/PATCH rename or re-describe a project; its privacy settings change
    only until its first export (a 400 naming them after that)."""

    serializer_class = EvaluationProjectSerializer
    permission_classes = [ManagersOnly]

    def get_queryset(self):
        return EvaluationProject.objects.visible_to(self.request.user).order_by("name", "pk")

    def perform_create(self, serializer) -> None:
        membership = active_membership(self.request.user)
        serializer.instance = services.project_create(
            organisation=membership.organisation, by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.project_update(
            project=serializer.instance, by=self.request.user, **serializer.validated_data
        )


class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ExportSerializer
    permission_classes = [ManagersOnly]

    def get_queryset(self):
        return (
            EvaluationExport.objects.visible_to(self.request.user)
            .select_related("project")
            .prefetch_related("services")
            .order_by("-created_at", "-pk")
        )

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.export_request(project=data.pop("project"), by=self.request.user, **data)

    @extend_schema(request=None, responses=ExportSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancels a queued or running export (400 once it has ended)."""
        export = self.get_object()
        services.export_cancel(export=export, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=export.pk)).data)

    @extend_schema(request=None, responses=ExportSerializer)
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk: str | None = None) -> Response:
        """Discards a finished export: its file is deleted and it can no longer
        be downloaded; audited (400 while it is still being built, or once discarded)."""
        export = self.get_object()
        services.export_discard(export=export, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=export.pk)).data)

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The export's ZIP file."),
            404: OpenApiResponse(description="Not found, not ready, discarded, or past its retention date."),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None):
        """The ZIP file of a finished export; audited each time."""
        export = self.get_object()
        try:
            services.export_download(export=export, by=request.user)
        except services.LinkExpired as exc:
            raise NotFound(
                "This export has no file to download: not ready, discarded, or past its retention date."
            ) from exc
        return FileResponse(
            export.path.open("rb"), as_attachment=True, filename=f"evaluation-export-{export.pk}.zip",
            status=status.HTTP_200_OK, content_type="application/zip",
        )  # fmt: skip
