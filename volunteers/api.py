"""API: /api/v1/volunteers/ and /api/v1/supervisions/, scoped through
``visible_to`` (a volunteer sees only themselves). Restricted fields (PVG
membership number, preferences, coordinator notes, supervision notes) are
left out of the response for roles that must not see them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api_fields import ModelSerializer, Serializer
from operations.core.models import STAFF_ROLES, CouncilArea, Role, User, active_membership
from operations.core.permissions import IsMember
from volunteers import selectors, services
from volunteers.access import get_own_profile_for
from volunteers.models import (
    Kind,
    LivedExperience,
    PvgScheme,
    Status,
    SupervisionAction,
    SupervisionMode,
    SupervisionSession,
    VolunteerProfile,
    Wellbeing,
)

STAFF_ONLY_PROFILE_FIELDS = ("preferences", "coordinator_notes", "gender")


def _is_staff(request) -> bool:
    membership = active_membership(request.user)
    return membership is not None and membership.role in STAFF_ROLES


class PvgSerializer(Serializer):
    membership_number = serializers.CharField(max_length=40)
    scheme = serializers.ChoiceField(choices=PvgScheme.choices)
    issued_on = serializers.DateField()
    renewal_due = serializers.DateField(required=False, allow_null=True)


class FitnessReasonSerializer(Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


def _members_of_callers_organisation(request):
    """Users the caller may name in a write: members of their organisation."""
    membership = active_membership(request.user) if request is not None else None
    if membership is None:
        return User.objects.none()
    return User.objects.filter(
        memberships__organisation_id=membership.organisation_id, memberships__is_active=True
    ).distinct()


def _scope_choices_to_organisation(serializer) -> None:
    """Relation fields offer (and accept) only the caller's organisation's
    rows: never another organisation's people or vocabulary, not even as a
    choice in the browsable API's forms."""
    request = serializer.context.get("request")
    membership = active_membership(request.user) if request is not None else None
    organisation_id = membership.organisation_id if membership else None
    for name, field in serializer.fields.items():
        relation = getattr(field, "child_relation", field)
        if not isinstance(relation, serializers.PrimaryKeyRelatedField) or relation.read_only:
            continue
        if relation.queryset.model is User:
            relation.queryset = _members_of_callers_organisation(request)
            # The same words whether the id exists elsewhere or not at all.
            relation.error_messages["does_not_exist"] = (
                "Choose a PSO or coordinator of this organisation."
                if name == "supervisor"
                else "Choose a member of your organisation."
            )
        elif relation.queryset.model is LivedExperience:
            relation.queryset = LivedExperience.objects.filter(organisation_id=organisation_id)


class VolunteerSerializer(ModelSerializer):
    name = serializers.CharField(source="user.get_full_name", read_only=True)
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=Kind.choices), allow_empty=False)
    # The grid is checked by the service, so the error names the bad cells.
    availability = serializers.ListField(child=serializers.CharField(max_length=10), required=False)
    council_areas = serializers.SlugRelatedField(
        slug_field="gss_code", many=True, queryset=CouncilArea.objects.all(), required=False
    )
    lived_experience = serializers.PrimaryKeyRelatedField(
        many=True, queryset=LivedExperience.objects.all(), required=False
    )
    max_caseload = serializers.IntegerField(required=False)
    fit_to_match = serializers.SerializerMethodField()
    fitness_reasons = serializers.SerializerMethodField()
    next_supervision_on = serializers.SerializerMethodField()
    current_caseload = serializers.SerializerMethodField()
    supervisor = serializers.SerializerMethodField()
    pvg = serializers.SerializerMethodField()
    # For creating a profile: an existing member, or a new account.
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, write_only=True)
    username = serializers.CharField(required=False, write_only=True)
    first_name = serializers.CharField(required=False, write_only=True)
    last_name = serializers.CharField(required=False, write_only=True)
    role = serializers.ChoiceField(
        choices=[Role.VOLUNTEER, Role.PSO], required=False, write_only=True, default=Role.VOLUNTEER
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _scope_choices_to_organisation(self)

    class Meta:
        model = VolunteerProfile
        fields = [
            "id",
            "user_id",
            "name",
            "kinds",
            "status",
            "status_changed_on",
            "phone",
            "email",
            "council_areas",
            "localities",
            "languages",
            "availability",
            "lived_experience",
            "gender",
            "max_caseload",
            "preferences",
            "coordinator_notes",
            "unavailable_until",
            "fit_to_match",
            "fitness_reasons",
            "next_supervision_on",
            "current_caseload",
            "supervisor",
            "pvg",
            "user",
            "username",
            "first_name",
            "last_name",
            "role",
        ]
        # Her break is hers to set (``me``); others read the day she is back.
        # Her reason is read on her profile page and the compliance page.
        read_only_fields = ["status", "status_changed_on", "user_id", "unavailable_until"]

    def _evaluated(self, profile: VolunteerProfile) -> VolunteerProfile:
        if not hasattr(profile, "fitness_reasons"):
            selectors.evaluate([profile], settings=self.context["settings"], required=self.context["required"])
        return profile

    def get_fit_to_match(self, profile) -> bool:
        return self._evaluated(profile).is_fit

    @extend_schema(responses=FitnessReasonSerializer(many=True))
    def get_fitness_reasons(self, profile) -> list[dict]:
        return [{"code": r.code, "message": r.message} for r in self._evaluated(profile).fitness_reasons]

    def get_next_supervision_on(self, profile) -> str | None:
        due = self._evaluated(profile).next_supervision_on
        return due.isoformat() if due else None

    def get_current_caseload(self, profile) -> int:
        return profile.current_caseload

    def get_supervisor(self, profile) -> int | None:
        supervisor = self._evaluated(profile).supervisor
        return supervisor.pk if supervisor else None

    def get_pvg(self, profile) -> dict | None:
        pvg = selectors._pvg_of(profile)
        if pvg is None:
            return None
        data = {"scheme": pvg.scheme, "issued_on": pvg.issued_on, "renewal_due": pvg.renewal_due}
        if _is_staff(self.context["request"]):
            data["membership_number"] = pvg.membership_number
        return data

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        if not _is_staff(self.context["request"]):
            for name in STAFF_ONLY_PROFILE_FIELDS:
                data.pop(name, None)
        return data


class CheckLineSerializer(Serializer):
    label = serializers.CharField()
    words = serializers.CharField()
    attention = serializers.BooleanField()


class OwnDetailsSerializer(Serializer):
    """A volunteer's or PSO's own details, as "My details" shows them.

    ``unavailable_until`` is the day she is back in matching (out of
    matching before it); null ends a break. Her ``unavailable_reason`` is
    written here and read by coordinators only. ``checks`` are read-only."""

    # The grid is checked by the service, so the error names the bad cells.
    availability = serializers.ListField(child=serializers.CharField(max_length=10), required=False)
    council_areas = serializers.SlugRelatedField(
        slug_field="gss_code", many=True, queryset=CouncilArea.objects.all(), required=False
    )
    languages = serializers.CharField(max_length=200, allow_blank=True, required=False)
    unavailable_until = serializers.DateField(allow_null=True, required=False)
    unavailable_reason = serializers.CharField(max_length=300, allow_blank=True, required=False, write_only=True)
    on_break = serializers.BooleanField(read_only=True)
    checks = serializers.SerializerMethodField()

    @extend_schema_field(CheckLineSerializer(many=True))
    def get_checks(self, profile) -> list[dict]:
        return [line._asdict() for line in selectors.own_checks(profile).lines]

    def to_representation(self, profile) -> dict:
        data = super().to_representation(profile)
        # A break that ended is no break: the stored date is history.
        if not profile.on_break:
            data["unavailable_until"] = None
        return data


class StatusChangeSerializer(Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False)


class VolunteerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Volunteers and PSOs with a read-only ``fit_to_match`` and its reasons.

    Coordinators and managers create and change profiles; a PSO reads their
    supervisees, a volunteer only themselves."""

    serializer_class = VolunteerSerializer
    permission_classes = [IsMember]

    def get_queryset(self):
        return selectors.with_checks(VolunteerProfile.objects.visible_to(self.request.user)).prefetch_related(
            "lived_experience"
        )

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        membership = active_membership(self.request.user)
        if membership is not None:
            context["settings"] = selectors.settings_for(membership.organisation_id)
            context["required"] = selectors.required_course_ids(membership.organisation_id)
        return context

    def _require_staff(self) -> None:
        if not _is_staff(self.request):
            raise PermissionDenied("Only coordinators and managers can change volunteer records.")

    def _reloaded(self, pk: int) -> VolunteerProfile:
        return self.get_queryset().get(pk=pk)

    @extend_schema(methods=["GET"], responses=OwnDetailsSerializer)
    @extend_schema(methods=["PATCH"], request=OwnDetailsSerializer, responses=OwnDetailsSerializer)
    @action(detail=False, methods=["get", "patch"], url_path="me", serializer_class=OwnDetailsSerializer)
    def me(self, request: Request) -> Response:
        """The caller's own week, areas, languages and break, and her checks:
        for volunteers and PSOs (staff change profiles on their records)."""
        if active_membership(request.user).role not in (Role.VOLUNTEER, Role.PSO):
            raise PermissionDenied("My details are for volunteers and PSOs.")
        profile = get_own_profile_for(request.user)
        if request.method == "PATCH":
            body = OwnDetailsSerializer(data=request.data, partial=True)
            body.is_valid(raise_exception=True)
            _own_details_apply(profile=profile, actor=request.user, values=body.validated_data)
            profile = get_own_profile_for(request.user)
        return Response(OwnDetailsSerializer(profile).data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        self._require_staff()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = active_membership(request.user)
        profile = services.volunteer_create(
            organisation=membership.organisation, actor=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(self._reloaded(profile.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        self._require_staff()
        profile = self.get_object()
        serializer = self.get_serializer(profile, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        values = {
            key: value
            for key, value in serializer.validated_data.items()
            if key in services.PROFILE_FIELDS or key in ("council_areas", "lived_experience")
        }
        services.volunteer_update(profile=profile, actor=request.user, **values)
        return Response(self.get_serializer(self._reloaded(profile.pk)).data)

    @extend_schema(request=StatusChangeSerializer, responses=VolunteerSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, pk=None) -> Response:
        self._require_staff()
        profile = self.get_object()
        body = StatusChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.volunteer_change_status(profile=profile, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self._reloaded(profile.pk)).data)

    @extend_schema(request=PvgSerializer, responses=VolunteerSerializer)
    @action(detail=True, methods=["put"], url_path="pvg")
    def pvg(self, request: Request, pk=None) -> Response:
        self._require_staff()
        profile = self.get_object()
        body = PvgSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.pvg_record_save(profile=profile, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self._reloaded(profile.pk)).data)


@transaction.atomic
def _own_details_apply(*, profile: VolunteerProfile, actor: User, values: dict) -> None:
    """One PATCH, all of it or nothing: her details through their service,
    then her break through its own (a refused break leaves the details as
    they were)."""
    details = {name: values[name] for name in ("availability", "council_areas", "languages") if name in values}
    if details:
        current = {
            "availability": profile.availability,
            "council_areas": list(profile.council_areas.all()),
            "languages": profile.languages,
        }
        services.volunteer_own_details_save(profile=profile, actor=actor, **{**current, **details})
    if "unavailable_until" not in values:
        return
    until = values["unavailable_until"]
    if until is not None:
        services.volunteer_break_start(
            profile=profile, actor=actor, until=until, reason=values.get("unavailable_reason", "")
        )
    elif profile.on_break:  # null when not on a break: nothing to end
        services.volunteer_break_end(profile=profile, actor=actor)


class ActionSerializer(ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())

    class Meta:
        model = SupervisionAction
        fields = ["id", "description", "owner", "due_on", "done_on"]
        read_only_fields = ["done_on"]


class SupervisionSerializer(ModelSerializer):
    supervisor = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    volunteers = serializers.PrimaryKeyRelatedField(many=True, queryset=VolunteerProfile.objects.none())
    mode = serializers.ChoiceField(choices=SupervisionMode.choices)
    wellbeing = serializers.ChoiceField(choices=Wellbeing.choices)
    duration_minutes = serializers.IntegerField()
    actions = ActionSerializer(many=True, required=False)

    class Meta:
        model = SupervisionSession
        fields = [
            "id",
            "supervisor",
            "volunteers",
            "held_on",
            "mode",
            "duration_minutes",
            "wellbeing",
            "notes",
            "actions",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["volunteers"].child_relation.queryset = VolunteerProfile.objects.visible_to(request.user)
        _scope_choices_to_organisation(self)
        _scope_choices_to_organisation(self.fields["actions"].child)

    def to_representation(self, session) -> dict:
        data = super().to_representation(session)
        user = self.context["request"].user
        if not session.notes_visible_to(user):
            data.pop("notes", None)
            data.pop("wellbeing", None)
            data["actions"] = [row for row in data["actions"] if row["owner"] == user.pk]
        return data


class SupervisionReadSerializer(SupervisionSerializer):
    """A supervision session as read. ``notes`` and ``wellbeing`` are sent to
    the supervisor, coordinators and managers only: for anyone else they are
    absent."""

    wellbeing = serializers.ChoiceField(choices=Wellbeing.choices, required=False)


@extend_schema_view(
    list=extend_schema(responses=SupervisionReadSerializer),
    retrieve=extend_schema(responses=SupervisionReadSerializer),
    create=extend_schema(request=SupervisionSerializer, responses={201: SupervisionReadSerializer}),
)
class SupervisionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Supervision sessions. PSOs, coordinators and managers log them; notes
    are returned to the supervisor, coordinators and managers only."""

    serializer_class = SupervisionSerializer
    permission_classes = [IsMember]

    def get_queryset(self):
        return (
            SupervisionSession.objects.visible_to(self.request.user)
            .select_related("supervisor")
            .prefetch_related("volunteers", Prefetch("actions", queryset=SupervisionAction.objects.order_by("pk")))
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        membership = active_membership(request.user)
        if membership.role not in (Role.PSO, Role.COORDINATOR, Role.MANAGER):
            raise PermissionDenied("Only PSOs, coordinators and managers log supervision.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if membership.role == Role.PSO and data["supervisor"].pk != request.user.pk:
            raise serializers.ValidationError({"supervisor": "A PSO logs their own supervision sessions."})
        session = services.supervision_session_create(
            organisation=membership.organisation, actor=request.user, actions=data.pop("actions", []), **data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data, status=201)
