"""API of the referrals app: /api/v1/referrals/ and /api/v1/parents/.

Coordinators and managers only (``IsStaffRole``); every queryset goes through
``visible_to``, so another organisation's record is a 404. Writes go through
the services; their ValidationErrors become 400s with field errors."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api_fields import ModelSerializer, QueryParameters, Serializer, id_field
from operations.core.audit import AuditAction, audit_log
from operations.core.models import CouncilArea, Service, active_membership
from operations.core.permissions import IsManager, IsStaffRole
from referrals import services
from referrals.checklist import missing_before_matching
from referrals.contact import contact_permissions
from referrals.models import Channel, Child, Parent, ProcessingRestriction, Referral, Referrer, Urgency
from referrals.selectors import referrals_filtered
from referrals.workflow import Status

_SERVICE_ERRORS = {
    "does_not_exist": "Choose a service of your organisation.",
    "incorrect_type": "Give the service's id.",
}
_REFERRER_ERRORS = {
    "does_not_exist": "Choose an active referrer from your organisation's directory.",
    "incorrect_type": "Give the referrer's id.",
}


class ChildSerializer(ModelSerializer):
    class Meta:
        model = Child
        fields = [
            "id",
            "name",
            "due_date",
            "birth_date",
            "gestation_weeks_at_birth",
            "neonatal_care",
            "loss_kind",
            "loss_date",
            "loss_reviewed_at",
        ]
        read_only_fields = ["loss_reviewed_at"]
        validators: list = []


class ContactPermissionsSerializer(Serializer):
    recorded = serializers.BooleanField()
    safe_channels = serializers.ListField(child=serializers.CharField())
    may_name_service = serializers.BooleanField()
    best_times = serializers.CharField()
    through_referrer = serializers.BooleanField(
        help_text="Recorded that no channel is safe: contact goes through the referrer."
    )


class ParentSerializer(ModelSerializer):
    council_area = serializers.SlugRelatedField(
        slug_field="gss_code", queryset=CouncilArea.objects.all(), required=False, allow_null=True
    )
    children = ChildSerializer(many=True, read_only=True)
    contact = serializers.SerializerMethodField()
    is_young_parent = serializers.BooleanField(read_only=True)

    class Meta:
        model = Parent
        fields = [
            "id",
            *services.PARENT_FIELDS,
            *services.CONTACT_SAFETY_FIELDS,
            # Read-only: restricted and lifted by a manager on the parent's page.
            "processing_restricted",
            "is_young_parent",
            "contact",
            "children",
        ]
        validators: list = []

    @extend_schema(responses=ContactPermissionsSerializer)
    def get_contact(self, parent: Parent) -> dict:
        permissions = contact_permissions(parent)
        return {
            "recorded": permissions.recorded,
            "safe_channels": list(permissions.safe_channels),
            "may_name_service": permissions.may_name_service,
            "best_times": permissions.best_times,
            "through_referrer": permissions.through_referrer,
        }


class ParentWriteSerializer(ParentSerializer):
    """The parent inside a referral-create request, with the safe-contact
    answer asked at intake (channels, or ``contact_through_referrer``)."""

    class Meta(ParentSerializer.Meta):
        fields = [*services.PARENT_FIELDS, *services.CONTACT_SAFETY_FIELDS]


class NewChildSerializer(Serializer):
    due_date = serializers.DateField(required=False, allow_null=True)
    birth_date = serializers.DateField(required=False, allow_null=True)


class ReferrerSummarySerializer(Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    team_id = serializers.IntegerField(allow_null=True, help_text="The referrer's team (referring organisation).")
    team = serializers.CharField(help_text="The team's name; blank without a team.")


class ReferralSerializer(ModelSerializer):
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.none(), error_messages=_SERVICE_ERRORS)
    parent_name = serializers.CharField(source="parent.display_name", read_only=True)
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        read_only=True,
        help_text="How the referral came in (the labels the pages show are in the enum's description); "
        "set when it arrives, never changed.",
    )
    referrer = serializers.PrimaryKeyRelatedField(
        queryset=Referrer.objects.none(),
        required=False,
        allow_null=True,
        error_messages=_REFERRER_ERRORS,
        help_text="Who referred: the id of an active referrer of your directory (GET /api/v1/referrers/).",
    )
    referrer_details = serializers.SerializerMethodField(
        help_text="The referrer and their team; null when none is recorded (referrals made before the "
        "directory may have referrer_name and referrer_contact instead)."
    )
    days_left = serializers.SerializerMethodField()
    missing_before_matching = serializers.SerializerMethodField(
        help_text="What is still missing on the parent's record before they can be matched, in plain words."
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "parent",
            "parent_name",
            "service",
            "source",
            "channel",
            "referrer",
            "referrer_details",
            "referrer_updates_consent",
            "referrer_name",
            "referrer_contact",
            "reason",
            "urgency",
            "received_on",
            "status",
            "status_changed_at",
            "support_started_on",
            "eligibility_start",
            "eligibility_end",
            "eligibility_estimated",
            "eligibility_reason",
            "eligibility_override_reason",
            "eligibility_override_at",
            "days_left",
            "missing_before_matching",
            "created_at",
        ]
        read_only_fields = [
            "parent",
            "status",
            "status_changed_at",
            "support_started_on",
            "eligibility_start",
            "eligibility_end",
            "eligibility_estimated",
            "eligibility_reason",
            "created_at",
        ]
        validators: list = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["service"].queryset = Service.objects.visible_to(request.user)
            # Active referrers only, but a referral keeps the one it has even once deactivated.
            current = self.instance.referrer_id if isinstance(self.instance, Referral) else None
            self.fields["referrer"].queryset = Referrer.objects.visible_to(request.user).filter(
                Q(is_active=True) | Q(pk=current or 0)
            )

    @extend_schema_field(ReferrerSummarySerializer(allow_null=True))
    def get_referrer_details(self, referral: Referral) -> dict | None:
        referrer = referral.referrer
        if referrer is None:
            return None
        team = referrer.referring_organisation
        return {
            "id": referrer.pk,
            "name": referrer.name,
            "role": referrer.role,
            "team_id": team.pk if team is not None else None,
            "team": team.name if team is not None else "",
        }

    def get_days_left(self, referral: Referral) -> int | None:
        return referral.days_left()

    def get_missing_before_matching(self, referral: Referral) -> list[str]:
        return missing_before_matching(referral.parent)


class ReferralCreateSerializer(ReferralSerializer):
    """A referral with its parent (new, or an existing ``parent_id``) and an optional pregnancy or child."""

    parent_id = id_field(required=False, write_only=True)
    parent_details = ParentWriteSerializer(required=False, write_only=True, source="parent_data")
    child = NewChildSerializer(required=False, write_only=True)
    eligibility_override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed to accept a parent already past the service's end date.",
    )
    record_not_eligible = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text="For a parent past the service's end date: keep the referral, closed as not eligible.",
    )

    class Meta(ReferralSerializer.Meta):
        fields = [
            *ReferralSerializer.Meta.fields,
            "parent_id",
            "parent_details",
            "child",
            "record_not_eligible",
        ]

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("parent_id") and not attrs.get("parent_data"):
            raise serializers.ValidationError(
                {"parent_details": "Give the parent's details, or parent_id for a parent already on file."}
            )
        return attrs


@extend_schema_field({"type": "string", "enum": [choice.value for choice in Status]})
class StatusField(serializers.ChoiceField):
    """The referral states; described inline so the schema keeps one enum name per choice set."""


class TransitionSerializer(Serializer):
    to_status = StatusField(
        choices=Status.choices,
        help_text="The state to move to. Matched and active are refused here (400): a referral is matched by "
        "confirming a match (POST /api/v1/matches/) and active when the first contact is logged on it.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralFilters(QueryParameters):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    service = id_field(required=False, help_text="A service's id.")
    council_area = id_field(required=False, help_text="A council area's id (the parent's area).")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, help_text="1 urgent, 2 soon, 3 routine.")


@extend_schema_view(list=extend_schema(parameters=[ReferralFilters]))
class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals of the caller's organisation. Filters: ``status``, ``service``,
    ``council_area`` (id), ``urgency`` (1 urgent, 2 soon, 3 routine)."""

    permission_classes = [IsStaffRole]

    def get_queryset(self):
        queryset = Referral.objects.visible_to(self.request.user).select_related(
            "parent", "service", "referrer__referring_organisation"
        )
        if self.action == "list":
            queryset = referrals_filtered(queryset, ReferralFilters.of(self.request))
        return queryset

    def get_serializer_class(self):
        return ReferralCreateSerializer if self.action == "create" else ReferralSerializer

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ReferralCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parent = None
        with transaction.atomic():
            if data.get("parent_id"):
                parent = Parent.objects.visible_to(request.user).filter(pk=data["parent_id"]).first()
                if parent is None:
                    raise serializers.ValidationError({"parent_id": "No parent with this id in your organisation."})
            child = data.get("child") or None
            given = data.get("parent_data") or {}
            referral = services.referral_create(
                actor=request.user,
                organisation=active_membership(request.user).organisation,
                service=data["service"],
                parent=parent,
                parent_data={k: v for k, v in given.items() if k in services.PARENT_FIELDS} if given else None,
                child_data=child if child and (child.get("due_date") or child.get("birth_date")) else None,
                referral_data={k: v for k, v in data.items() if k in services.REFERRAL_FIELDS},
                safety_data={k: v for k, v in given.items() if k in services.CONTACT_SAFETY_FIELDS},
                eligibility_override_reason=data.get("eligibility_override_reason", ""),
                record_not_eligible=data.get("record_not_eligible", False),
            )
        return Response(ReferralSerializer(referral, context=self.get_serializer_context()).data, status=201)

    def perform_update(self, serializer) -> None:
        serializer.instance = services.referral_update(
            actor=self.request.user,
            referral=serializer.instance,
            data=dict(serializer.validated_data),
        )

    @extend_schema(request=TransitionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk=None) -> Response:
        referral = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.referral_transition(
            actor=request.user,
            referral=referral,
            to_status=body.validated_data["to_status"],
            reason=body.validated_data["reason"],
        )
        return Response(ReferralSerializer(referral, context=self.get_serializer_context()).data)


class ManagersRestrict(IsManager):
    message = "Only managers can restrict processing of a record or lift a restriction."


class RestrictSerializer(Serializer):
    """Parsed only: the rules (a reason, a date not in the future, no
    safeguarding hold) are the service's, as on the page."""

    requested_on = serializers.DateField(required=False, allow_null=True, help_text="When the parent asked.")
    reason = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="Why (300 at most)."
    )


class LiftRestrictionSerializer(Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="Why it is lifted."
    )


class RestrictionSerializer(ModelSerializer):
    """The restriction as recorded; its reasons stay on the page (they may
    describe the person) and in the subject access export."""

    processing_restricted = serializers.SerializerMethodField()

    class Meta:
        model = ProcessingRestriction
        fields = ["id", "parent", "requested_on", "recorded_at", "lifted_on", "processing_restricted"]

    def get_processing_restricted(self, restriction: ProcessingRestriction) -> bool:
        return restriction.lifted_on is None


class ParentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Parents of the caller's organisation with their children and contact safety.
    Parents are created with a referral (POST /api/v1/referrals/)."""

    permission_classes = [IsStaffRole]
    serializer_class = ParentSerializer

    def get_queryset(self):
        return Parent.objects.visible_to(self.request.user).select_related("council_area").prefetch_related("children")

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        parent = self.get_object()
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=parent, summary="Parent record viewed (API)")
        return Response(self.get_serializer(parent).data)

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        with transaction.atomic():
            parent = services.parent_update(actor=self.request.user, parent=serializer.instance, data=data)
            safety = {k: v for k, v in data.items() if k in services.CONTACT_SAFETY_FIELDS}
            if safety:
                parent = services.parent_record_contact_safety(actor=self.request.user, parent=parent, data=safety)
        serializer.instance = parent

    @extend_schema(request=RestrictSerializer, responses={201: RestrictionSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ManagersRestrict])
    def restrict(self, request: Request, pk=None) -> Response:
        """Restricts processing of the record at the parent's request (Art. 18):
        kept, nothing new done with it, until lifted."""
        parent = self.get_object()
        body = RestrictSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        restriction = services.parent_restrict(
            actor=request.user,
            parent=parent,
            requested_on=body.validated_data.get("requested_on"),
            reason=body.validated_data.get("reason", ""),
        )
        return Response(RestrictionSerializer(restriction).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LiftRestrictionSerializer, responses={200: RestrictionSerializer})
    @action(detail=True, methods=["post"], url_path="lift-restriction", permission_classes=[ManagersRestrict])
    def lift_restriction(self, request: Request, pk=None) -> Response:
        """Lifts the standing restriction, with the reason."""
        parent = self.get_object()
        body = LiftRestrictionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        restriction = services.parent_lift_restriction(
            actor=request.user, parent=parent, reason=body.validated_data.get("reason", "")
        )
        return Response(RestrictionSerializer(restriction).data)

    @extend_schema(request=ChildSerializer, responses={201: ChildSerializer})
    @action(detail=True, methods=["post"])
    def children(self, request: Request, pk=None) -> Response:
        """Adds a pregnancy or a child; eligibility is recomputed."""
        parent = self.get_object()
        body = ChildSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        child = services.child_save(actor=request.user, parent=parent, data=dict(body.validated_data))
        return Response(ChildSerializer(child).data, status=status.HTTP_201_CREATED)


class ChildViewSet(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """A pregnancy or child: record the birth or a loss; eligibility is recomputed.
    Add one with POST /api/v1/parents/{id}/children/."""

    permission_classes = [IsStaffRole]
    serializer_class = ChildSerializer

    def get_queryset(self):
        return Child.objects.visible_to(self.request.user).select_related("parent")

    def perform_update(self, serializer) -> None:
        child = serializer.instance
        serializer.instance = services.child_save(
            actor=self.request.user,
            parent=child.parent,
            child=child,
            data=dict(serializer.validated_data),
        )
