"""API for the base layer: the caller, their organisations, council areas
and services. Every queryset goes through ``visible_to``."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.db import models
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api_fields import ModelSerializer, QueryParameters, Serializer
from operations.core.audit import AuditAction, audit_log
from operations.core.models import CouncilArea, Membership, Organisation, Service, User, active_membership
from operations.core.permissions import IsMember, ManagersWrite
from operations.core.security import confirmed_device, user_requires_two_factor
from operations.core.services import service_saved


class CouncilAreaSerializer(ModelSerializer):
    class Meta:
        model = CouncilArea
        fields = ["id", "name", "gss_code", "health_board"]


class OrganisationSerializer(ModelSerializer):
    council_areas = serializers.SlugRelatedField(slug_field="gss_code", many=True, read_only=True)
    federation = serializers.CharField(
        source="member_of.name", read_only=True, default="", help_text="The federation it is a branch of, if any."
    )

    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "federation", "council_areas"]


class MembershipSerializer(ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation_id", "organisation", "role"]


class MeSerializer(ModelSerializer):
    memberships = serializers.SerializerMethodField()
    role = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "active_organisation", "role", "memberships"]

    def get_role(self, user: User) -> str | None:
        membership = active_membership(user)
        return membership.role if membership else None

    def get_memberships(self, user: User) -> list[dict]:
        memberships = Membership.objects.active().filter(user=user).select_related("organisation")
        return MembershipSerializer(memberships, many=True).data


class ServiceSerializer(ModelSerializer):
    policy_summary = serializers.CharField(read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "is_active",
            "start_rule",
            "start_gestation_weeks",
            "end_child_age_months",
            "end_support_months",
            "bereavement_months",
            "waiting_target_working_days",
            "policy_summary",
        ]

    def validate(self, attrs: dict) -> dict:
        merged = {**({} if self.instance is None else self._current(self.instance)), **attrs}
        errors: dict[str, str] = {}
        if merged.get("end_child_age_months") is None and merged.get("end_support_months") is None:
            errors["end_child_age_months"] = "Set when support ends: a child's age, a length of support, or both."
        if merged.get("start_rule") == "gestation_week" and merged.get("start_gestation_weeks") is None:
            errors["start_gestation_weeks"] = "Give the week of pregnancy support starts from."
        weeks = merged.get("start_gestation_weeks")
        if weeks is not None and weeks > 42:
            errors["start_gestation_weeks"] = "The starting week of pregnancy must be 42 or less."
        if errors:
            raise serializers.ValidationError(errors)
        organisation_id = self.context["organisation_id"]
        same_name = Service.objects.filter(organisation_id=organisation_id, name=merged.get("name"))
        if self.instance is not None:
            same_name = same_name.exclude(pk=self.instance.pk)
        if same_name.exists():
            raise serializers.ValidationError({"name": "Your organisation already has a service with this name."})
        return attrs

    @staticmethod
    def _current(instance: Service) -> dict:
        return {
            "name": instance.name,
            "start_rule": instance.start_rule,
            "start_gestation_weeks": instance.start_gestation_weeks,
            "end_child_age_months": instance.end_child_age_months,
            "end_support_months": instance.end_support_months,
        }


class TokenRequestSerializer(Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    otp_token = serializers.RegexField(
        r"^\d{6}$",
        required=False,
        allow_blank=True,
        help_text="The current code from the authenticator app; needed by anyone who has enrolled one.",
        error_messages={"invalid": "Give the six digits your authenticator app shows."},
    )


class TokenResponseSerializer(Serializer):
    token = serializers.CharField()


@extend_schema(
    request=TokenRequestSerializer,
    responses={
        200: TokenResponseSerializer,
        400: OpenApiResponse(description="Wrong username, password or authenticator code"),
        403: OpenApiResponse(description="Two-factor authentication is required and no authenticator is enrolled"),
        429: OpenApiResponse(description="Locked out after too many failed attempts"),
    },
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def obtain_token(request: Request) -> Response:
    """Issues the caller's API token. A person with an enrolled authenticator
    (required for the roles in TWO_FACTOR_REQUIRED_ROLES) must also send
    ``otp_token``, so a token always stands for a two-factor sign-in.
    Failures count towards the sign-in lockout."""
    serializer = TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    # The plain Django request: django-axes marks a locked-out attempt on it,
    # and its middleware answers 429 through operations.core.security.lockout_response.
    http_request = request._request
    user = authenticate(http_request, username=data["username"], password=data["password"])
    if user is None:
        raise exceptions.ValidationError({"non_field_errors": ["Unable to sign in with these details."]})
    device = confirmed_device(user)
    if device is None and user_requires_two_factor(user):
        raise exceptions.PermissionDenied(
            "Your role requires two-factor authentication: enrol an authenticator app on the website first."
        )
    if device is not None:
        if not data.get("otp_token"):
            raise exceptions.ValidationError({"otp_token": ["Give the current code from your authenticator app."]})
        allowed, _ = device.verify_is_allowed()
        if not allowed or not device.verify_token(data["otp_token"]):
            user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=http_request)
            raise exceptions.ValidationError({"otp_token": ["That code did not match; try the newest one."]})
    token, _ = Token.objects.get_or_create(user=user)
    audit_log(action=AuditAction.LOGIN, actor=user, summary="API token issued")
    return Response({"token": token.key})


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
@permission_classes([IsMember])
def me(request: Request) -> Response:
    return Response(MeSerializer(request.user).data)


class ScopedViewSetMixin:
    """The scaffolding every viewset over an organisation's rows shares;
    first among a viewset's bases, so its ``perform_create`` wins over DRF's.

    The rows are ``model.objects.visible_to(user)`` (the model's one scoping
    rule), ordered by ``ordering``; ``shape(queryset)`` adds the joins a
    serializer reads. A list is narrowed by ``filters`` (a
    ``QueryParameters``; ``filter_lookups`` maps a parameter to its lookup
    when the names differ). Serializers get ``organisation_id``, the
    caller's active organisation; a plain create saves the row into it.
    Writes with rules go through a service in ``perform_create``/
    ``perform_update``: its ValidationError is a 400 with field errors
    (``api_errors.exception_handler``), never a 500."""

    model: type[models.Model]
    ordering: tuple[str, ...] = ()
    filters: type[QueryParameters] | None = None
    filter_lookups: dict[str, str] = {}

    def scoped(self) -> models.QuerySet:
        return self.model.objects.visible_to(self.request.user)

    def shape(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset

    def get_queryset(self) -> models.QuerySet:
        queryset = self.shape(self.scoped())
        if self.ordering:
            queryset = queryset.order_by(*self.ordering)
        if self.action == "list" and self.filters is not None:
            for name, value in self.filters.of(self.request).items():
                if value not in (None, ""):
                    queryset = queryset.filter(**{self.filter_lookups.get(name, name): value})
        return queryset

    @property
    def organisation_id(self) -> int | None:
        membership = active_membership(self.request.user)
        return membership.organisation_id if membership else None

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "organisation_id": self.organisation_id}

    def perform_create(self, serializer) -> None:
        serializer.save(organisation_id=self.organisation_id)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return (
            Organisation.objects.visible_to(self.request.user)
            .select_related("member_of")
            .prefetch_related("council_areas")
            .distinct()
        )


class CouncilAreaViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CouncilAreaSerializer
    queryset = CouncilArea.objects.all()
    pagination_class = None


class ServiceViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Services of the caller's organisation. Managers create and change
    them; a service is ended by setting ``is_active`` false, not deleted."""

    model = Service
    serializer_class = ServiceSerializer
    permission_classes = [ManagersWrite]

    def perform_update(self, serializer) -> None:
        service_saved(service=serializer.save(), created=False)
