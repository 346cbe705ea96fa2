"""API of the safeguarding loop: concerns raised, worked through
new -> acknowledged -> action planned -> closed, with their timeline.

Every queryset goes through ``Concern.objects.visible_to``; writes go
through the services, whose ValidationError is a 400 with field errors.
What a reader gets is chosen per concern by ``Concern.notes_visible_to``:
the volunteer who raised one reads its status (``ConcernStatusSerializer``),
never the notes, the owner or the outcome of the work done on it."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api import ScopedViewSetMixin
from operations.core.api_fields import ModelSerializer, QueryParameters, Serializer, id_field
from operations.core.audit import AuditAction, audit_log
from operations.core.models import Membership, User
from operations.core.permissions import IsMember
from volunteers.matching.api import VisibleMatchField, pattern_choice
from volunteers.safeguarding import selectors, services
from volunteers.safeguarding.models import (
    About,
    Concern,
    ConcernEvent,
    ConcernStatus,
    EventKind,
    Kind,
    Outcome,
    Source,
    Urgency,
)

#: What the volunteer who raised a concern sees of its timeline: the steps,
#: not the escalations or reminders of the organisation's own work.
STATUS_EVENTS = (EventKind.RAISED, EventKind.ACKNOWLEDGED, EventKind.PLANNED, EventKind.CLOSED)

_WORK_REFUSED = "Only a coordinator, a manager, a safeguarding lead or the volunteer's supervisor can work a concern."


def _name(user: User | None) -> str | None:
    return user.get_full_name() or user.get_username() if user is not None else None


@extend_schema_field({"type": "string", "nullable": True, "description": "The person's name."})
class PersonNameField(serializers.Field):
    """A person's name, from the user the source names (None stays None).
    Not read-only, so that the schema does not require it: it is among what
    the volunteer who raised a concern is not sent."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, allow_null=True, **kwargs)

    def to_representation(self, user: User) -> str | None:
        return _name(user)


def _notes_visible(serializer: serializers.Serializer, concern: Concern) -> bool:
    """``concern.notes_visible_to`` the caller, asked once per organisation
    in a request: the answer depends on the caller and the organisation only,
    and for a volunteer it is a query (are they a lead?)."""
    known = serializer.context.setdefault("notes_visible", {})
    if concern.organisation_id not in known:
        known[concern.organisation_id] = concern.notes_visible_to(serializer.context["request"].user)
    return known[concern.organisation_id]


# --- The timeline ---------------------------------------------------------------


class ConcernEventStatusSerializer(ModelSerializer):
    kind = pattern_choice(EventKind.choices, read_only=True)

    class Meta:
        model = ConcernEvent
        fields = ["kind", "at"]
        read_only_fields = fields


class ConcernEventSerializer(ConcernEventStatusSerializer):
    # Declared optional (not read-only) so the schema does not require what
    # the volunteer who raised the concern is not sent.
    id = serializers.IntegerField(required=False)
    actor = serializers.IntegerField(source="actor_id", required=False, allow_null=True)
    actor_name = PersonNameField(source="actor")
    note = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.IntegerField(source="owner_id", required=False, allow_null=True)
    owner_name = PersonNameField(source="owner")
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    outcome = pattern_choice(
        Outcome.choices, required=False, allow_blank=True, help_text="Blank except on the closing step."
    )

    class Meta:
        model = ConcernEvent
        fields = ["id", "kind", "at", "actor", "actor_name", "note", "owner", "owner_name", "follow_up_on", "outcome"]
        read_only_fields = ["at"]


# --- A concern --------------------------------------------------------------------


class ConcernStatusSerializer(ModelSerializer):
    """What the volunteer who raised a concern reads: what they sent and
    where it has got to ("received by … at 14:05", "closed")."""

    about = pattern_choice(About.choices, read_only=True)
    kind = pattern_choice(Kind.choices, read_only=True)
    urgency = pattern_choice(Urgency.choices, read_only=True)
    status = pattern_choice(ConcernStatus.choices, read_only=True)
    acknowledged_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Concern
        fields = [
            "id",
            "match",
            "about",
            "kind",
            "urgency",
            "details",
            "status",
            "raised_at",
            "acknowledged_at",
            "acknowledged_by_name",
            "closed_at",
        ]
        read_only_fields = fields

    def get_acknowledged_by_name(self, concern: Concern) -> str | None:
        return _name(concern.acknowledged_by)


class ConcernSerializer(ConcernStatusSerializer):
    """A concern as read. The fields from ``parent`` on are sent to those who
    may read a concern's notes (coordinators, managers, the safeguarding
    leads, PSOs); the volunteer who raised it gets the status fields only."""

    parent = serializers.IntegerField(source="parent_id", required=False, allow_null=True)
    volunteer = serializers.IntegerField(
        source="volunteer_id", required=False, allow_null=True, help_text="The volunteer or PSO concerned."
    )
    source = pattern_choice(Source.choices, required=False)
    raised_by = serializers.IntegerField(source="raised_by_id", required=False, allow_null=True)
    raised_by_name = PersonNameField(source="raised_by")
    acknowledged_by = serializers.IntegerField(source="acknowledged_by_id", required=False, allow_null=True)
    owner = serializers.IntegerField(source="owner_id", required=False, allow_null=True)
    owner_name = PersonNameField(source="owner")
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    outcome = pattern_choice(Outcome.choices, required=False, allow_blank=True, help_text="Blank until closed.")
    closed_by = serializers.IntegerField(source="closed_by_id", required=False, allow_null=True)
    escalate_at = serializers.DateTimeField(
        required=False, help_text="When it escalates to the manager and the deputy lead if still new."
    )
    escalated_at = serializers.DateTimeField(required=False, allow_null=True)

    class Meta(ConcernStatusSerializer.Meta):
        fields = [
            *ConcernStatusSerializer.Meta.fields,
            "parent",
            "volunteer",
            "source",
            "raised_by",
            "raised_by_name",
            "acknowledged_by",
            "owner",
            "owner_name",
            "follow_up_on",
            "outcome",
            "closed_by",
            "escalate_at",
            "escalated_at",
        ]
        read_only_fields = ConcernStatusSerializer.Meta.fields

    #: The serializer for a reader who may not read the notes.
    status_only = ConcernStatusSerializer

    def to_representation(self, concern: Concern) -> dict:
        if not _notes_visible(self, concern):
            return self.status_only(concern, context=self.context).data
        return super().to_representation(concern)


class ConcernStatusDetailSerializer(ConcernStatusSerializer):
    events = serializers.SerializerMethodField()

    class Meta(ConcernStatusSerializer.Meta):
        fields = [*ConcernStatusSerializer.Meta.fields, "events"]
        read_only_fields = fields

    def get_events(self, concern: Concern) -> list[dict]:
        steps = [event for event in concern.events.all() if event.kind in STATUS_EVENTS]
        return ConcernEventStatusSerializer(steps, many=True).data


class ConcernDetailSerializer(ConcernSerializer):
    """One concern with its timeline, oldest step first."""

    events = ConcernEventSerializer(many=True, read_only=True)

    class Meta(ConcernSerializer.Meta):
        fields = [*ConcernSerializer.Meta.fields, "events"]

    status_only = ConcernStatusDetailSerializer


# --- Writes -------------------------------------------------------------------------


class ConcernRaiseSerializer(Serializer):
    match = VisibleMatchField(
        pk_field=id_field(),
        required=False,
        allow_null=True,
        help_text="The family (one of the caller's own for a volunteer or PSO); "
        "leave out for a concern about the volunteer themself.",
    )
    about = pattern_choice(About.choices)
    kind = pattern_choice(Kind.choices)
    urgency = pattern_choice(Urgency.choices)
    details = serializers.CharField(max_length=services.DETAILS_MAX_LENGTH)
    client_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Made by the app before sending: the same concern sent again with the same key is kept "
        "once (the answer is then 200 with the concern already kept, not 201).",
    )


class OrganisationOwnerField(serializers.PrimaryKeyRelatedField):
    """A person of the caller's organisation; anyone else is 'not found'
    (the service then says who may own a concern)."""

    def get_queryset(self):
        return User.objects.filter(
            pk__in=Membership.objects.filter(organisation_id=self.context["organisation_id"], is_active=True).values(
                "user_id"
            )
        )


class ConcernPlanSerializer(Serializer):
    owner = OrganisationOwnerField(
        pk_field=id_field(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Who owns the follow-up: a coordinator, manager or PSO.",
    )
    follow_up_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Within 90 days; the owner is reminded that day."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="What action is planned.")


class ConcernCloseSerializer(Serializer):
    outcome = pattern_choice(Outcome.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="What was done.")


class ConcernFilters(QueryParameters):
    status = pattern_choice(ConcernStatus.choices, required=False)
    urgency = pattern_choice(Urgency.choices, required=False)
    owner = id_field(required=False, help_text="Only the concerns this person owns.")


_RAISED = OpenApiResponse(ConcernDetailSerializer, description="Raised now.")
_KEPT = OpenApiResponse(ConcernDetailSerializer, description="Sent before with this client_key: the concern kept then.")


@extend_schema_view(
    list=extend_schema(parameters=[ConcernFilters]),
    retrieve=extend_schema(responses=ConcernDetailSerializer),
    create=extend_schema(request=ConcernRaiseSerializer, responses={201: _RAISED, 200: _KEPT}),
)
class ConcernViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Concerns the caller may see, unacknowledged first, then the most
    urgent and the oldest: the organisation's for coordinators, managers and
    the safeguarding leads; a PSO's own, their families' and their
    supervisees'; a volunteer's own, status only. Any member raises one;
    coordinators, managers, the leads, the owner and the volunteer's
    supervisor work it. Reading one is audited."""

    model = Concern
    filters = ConcernFilters
    filter_lookups = {"owner": "owner_id"}
    serializer_class = ConcernSerializer
    permission_classes = [IsMember]

    def shape(self, queryset):
        queryset = queryset.select_related("acknowledged_by", "raised_by", "owner")
        if self.action != "list":
            events = ConcernEvent.objects.select_related("actor", "owner").order_by("at", "pk")
            queryset = queryset.prefetch_related(Prefetch("events", queryset=events))
        # The worklist's order: unacknowledged first, most urgent and oldest first within.
        return selectors.worklist_order(queryset)

    def get_serializer_class(self):
        return ConcernSerializer if self.action == "list" else ConcernDetailSerializer

    def _answer(self, concern: Concern, code: int = status.HTTP_200_OK) -> Response:
        # Read again through the scoped queryset: the timeline as it is now.
        fresh = self.get_queryset().get(pk=concern.pk)
        return Response(ConcernDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        concern = self.get_object()
        audit_log(
            action=AuditAction.VIEW, actor=request.user, obj=concern, summary=f"Concern {concern.pk} viewed (API)"
        )
        return Response(self.get_serializer(concern).data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        body = ConcernRaiseSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        concern, made = services.concern_raise_once(actor=request.user, data=dict(body.validated_data))
        return self._answer(concern, status.HTTP_201_CREATED if made else status.HTTP_200_OK)

    def _workable(self) -> Concern:
        """The concern, if the caller may work it: out of sight is a 404, in
        sight but not theirs to work (the volunteer who raised it) a 403."""
        concern = self.get_object()
        if not services.can_work(self.request.user, concern):
            self.permission_denied(self.request, message=_WORK_REFUSED)
        return concern

    @extend_schema(request=None, responses=ConcernDetailSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk=None) -> Response:
        """New -> acknowledged, by the caller, now. Acknowledging one already
        acknowledged changes nothing; a closed one is a 400."""
        concern = services.concern_acknowledge(actor=request.user, concern=self._workable())
        return self._answer(concern)

    @extend_schema(request=ConcernPlanSerializer, responses=ConcernDetailSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request: Request, pk=None) -> Response:
        """Action planned: who owns the follow-up, when, and what. Planning a
        new concern acknowledges it too."""
        concern = self._workable()
        body = ConcernPlanSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        concern = services.concern_plan(actor=request.user, concern=concern, **body.validated_data)
        return self._answer(concern)

    @extend_schema(request=ConcernCloseSerializer, responses=ConcernDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        """Closed with an outcome and a note saying what was done."""
        concern = self._workable()
        body = ConcernCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        concern = services.concern_close(actor=request.user, concern=concern, **body.validated_data)
        return self._answer(concern)
