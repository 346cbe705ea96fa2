"""API: candidates, whole-list proposals and their confirmation, matches,
visits, contact logs and the signposting directory. Every queryset goes
through ``visible_to``; a service's ValidationError becomes a 400."""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import F
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.access import get_service_for
from operations.core.api import ScopedViewSetMixin
from operations.core.api_fields import ModelSerializer, QueryParameters, Serializer, id_field
from operations.core.models import active_membership
from operations.core.permissions import IsMember, IsStaffRole, ManagersWrite
from referrals.models import Parent
from volunteers.matching import selectors, services
from volunteers.matching.access import get_referral_for_matching
from volunteers.matching.assignment import MODE_SCORE, MODES
from volunteers.matching.contact_details import contact_details_for
from volunteers.matching.models import (
    ConflictOfInterest,
    ContactLog,
    ContactMode,
    DirectoryEntry,
    EndingType,
    Match,
    MatchReview,
    MatchStatus,
    Topic,
    Visit,
)
from volunteers.models import VolunteerProfile

_NOT_FOUND = OpenApiResponse(description="No service with this id in the caller's organisation.")


def pattern_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field described in the schema as a string with a pattern,
    not a named enum: its field name ("mode", "status", "to_status") is
    used by other apps for other choice sets, and enum names must stay
    unique for the deployment check."""
    values = [value for value, _ in choices]

    @extend_schema_field(
        {"type": "string", "pattern": "^(" + "|".join(values) + ")$", "description": "One of: " + ", ".join(values)}
    )
    class PatternChoiceField(serializers.ChoiceField):
        pass

    return PatternChoiceField(choices=choices, **kwargs)


def _assessment(a) -> dict:
    return {
        "volunteer_id": a.volunteer.volunteer_id,
        "name": a.volunteer.name,
        "score": a.score,
        "components": [
            {"code": c.code, "label": c.label, "points": c.points, "out_of": c.out_of, "reason": c.reason}
            for c in a.components
        ],
        "exclusions": [{"code": e.code, "reason": e.reason} for e in a.exclusions],
    }


@extend_schema(responses=dict)
@api_view(["GET"])
@permission_classes([IsStaffRole])
def candidates(request: Request, pk: int) -> Response:
    referral = get_referral_for_matching(request.user, pk)
    page = selectors.candidates_for(referral)
    return Response(
        {
            "referral": referral.pk,
            "out_of": page.weights.total,
            "candidates": [_assessment(a) for a in page.candidates.ranked],
            "excluded": [_assessment(a) for a in page.candidates.excluded],
        }
    )


class ProposalRequestSerializer(Serializer):
    service = id_field()
    mode = pattern_choice([(m, m) for m in MODES], default=MODE_SCORE)


class PairSerializer(Serializer):
    referral = id_field()
    volunteer = id_field()


def override_reason_field() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=services.OVERRIDE_REASON_MAX_LENGTH,
        help_text="Needed to confirm a match before the referral's eligibility starts or after it ends: "
        "why the coordinator overrides it (kept on the match and audited).",
    )


class MatchConfirmSerializer(PairSerializer):
    eligibility_override_reason = override_reason_field()


class ConfirmSerializer(Serializer):
    pairs = PairSerializer(many=True, allow_empty=False)
    eligibility_override_reason = override_reason_field()


@extend_schema(methods=["GET"], parameters=[ProposalRequestSerializer], responses={200: dict, 404: _NOT_FOUND})
@extend_schema(methods=["POST"], request=ProposalRequestSerializer, responses={200: dict, 404: _NOT_FOUND})
@api_view(["GET", "POST"])
@permission_classes([IsStaffRole])
def proposals(request: Request) -> Response:
    """Proposals for every waiting parent of a service (nothing is written)."""
    data = request.data if request.method == "POST" else request.query_params
    serializer = ProposalRequestSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    service = get_service_for(request.user, serializer.validated_data["service"])
    result = selectors.proposals_for(service, mode=serializer.validated_data["mode"])
    return Response(
        {
            "service": service.pk,
            "mode": result.mode,
            "waiting": result.waiting,
            "matched": result.matched,
            "total_score": result.total,
            "greedy": {"matched": result.greedy_matched, "total_score": result.greedy_total},
            "proposals": [
                {"referral": row.referral.pk, "urgency": row.referral.urgency, **_assessment(row.assessment)}
                for row in result.rows
            ],
            "unmatched": [r.pk for r in result.unmatched],
            "left_out": [{"referral": referral.pk, "why": why} for referral, why in result.left_out],
        }
    )


@extend_schema(request=ConfirmSerializer, responses=dict)
@api_view(["POST"])
@permission_classes([IsStaffRole])
def proposals_confirm(request: Request) -> Response:
    """Confirms the selected pairs, each validated again now. 200 when at
    least one was confirmed (failures listed with why); 400 when none was."""
    serializer = ConfirmSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    pairs = [(p["referral"], p["volunteer"]) for p in serializer.validated_data["pairs"]]
    outcomes = services.match_confirm_batch(
        actor=request.user,
        organisation_id=active_membership(request.user).organisation_id,
        pairs=pairs,
        eligibility_override_reason=serializer.validated_data["eligibility_override_reason"],
    )
    body = {
        "confirmed": [
            {"referral": o.referral_id, "volunteer": o.volunteer_id, "match": o.match.pk} for o in outcomes if o.ok
        ],
        "failed": [
            {"referral": o.referral_id, "volunteer": o.volunteer_id, "errors": o.errors} for o in outcomes if not o.ok
        ],
    }
    return Response(body, status=status.HTTP_200_OK if body["confirmed"] else status.HTTP_400_BAD_REQUEST)


class ParentContactSerializer(Serializer):
    phone = serializers.CharField()
    address = serializers.CharField(help_text="Empty unless the organisation shares the address too.")
    safe_contact = serializers.CharField(help_text="The safe-contact answers in words.")


class MatchSerializer(ModelSerializer):
    parent_name = serializers.SerializerMethodField()
    parent_contact = serializers.SerializerMethodField(
        help_text="The parent's phone number (and address) for the volunteer of an open match, when her "
        "organisation shares them; null otherwise. Each time it is given, the audit log records it."
    )
    volunteer_name = serializers.CharField(source="volunteer.user.get_full_name", read_only=True)
    status = pattern_choice(MatchStatus.choices, read_only=True)
    ending_type = serializers.ChoiceField(
        choices=EndingType.choices, allow_blank=True, read_only=True, help_text="Blank until the match has ended."
    )

    class Meta:
        model = Match
        fields = [
            "id",
            "referral",
            "parent_name",
            "volunteer",
            "volunteer_name",
            "role",
            "status",
            "score",
            "confirmed_at",
            "introduced_on",
            "started_on",
            "ended_on",
            "ending_type",
            "next_review_on",
            "due_date",
            "on_call_from",
            "on_call_to",
            "extended_until",
            "parent_contact",
        ]
        read_only_fields = fields

    def get_parent_name(self, match: Match) -> str:
        return match.parent.preferred_name or match.parent.first_name

    @extend_schema_field(ParentContactSerializer(allow_null=True))
    def get_parent_contact(self, match: Match) -> dict | None:
        request = self.context.get("request")
        if request is None:
            return None
        details = contact_details_for(request.user, match, setting=getattr(match, "contact_details_setting", None))
        return asdict(details) if details else None


class MatchTransitionSerializer(Serializer):
    to_status = pattern_choice(MatchStatus.choices)
    ending_type = serializers.ChoiceField(choices=EndingType.choices, required=False, allow_blank=True, default="")
    closing_note = serializers.CharField(required=False, allow_blank=True, default="")


class MatchFilters(QueryParameters):
    status = pattern_choice(MatchStatus.choices, required=False)


@extend_schema_view(list=extend_schema(parameters=[MatchFilters]))
class MatchViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Matches the caller may see: the organisation's for coordinators and
    managers, their own for volunteers and PSOs. POST confirms one match
    (staff only): {"referral": id, "volunteer": id}."""

    serializer_class = MatchSerializer
    permission_classes = [IsMember]
    filters = MatchFilters

    def scoped(self):
        return selectors.matches_for(self.request.user)

    def shape(self, queryset):
        # The organisation's contact-details setting comes with each match,
        # not in one more query a match (``get_parent_contact``).
        return queryset.annotate(
            contact_details_setting=F("organisation__matching_settings__volunteer_contact_details")
        )

    @extend_schema(request=MatchConfirmSerializer, responses=MatchSerializer)
    def create(self, request: Request, *args, **kwargs) -> Response:
        if not IsStaffRole().has_permission(request, self):
            self.permission_denied(request, message=IsStaffRole.message)
        pair = MatchConfirmSerializer(data=request.data)
        pair.is_valid(raise_exception=True)
        match = services.match_confirm(
            actor=request.user,
            organisation_id=self.organisation_id,
            referral_id=pair.validated_data["referral"],
            volunteer_id=pair.validated_data["volunteer"],
            eligibility_override_reason=pair.validated_data["eligibility_override_reason"],
        )
        return Response(MatchSerializer(match).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MatchTransitionSerializer, responses=MatchSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsStaffRole])
    def transition(self, request: Request, pk=None) -> Response:
        match = self.get_object()
        body = MatchTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        match = services.match_transition(actor=request.user, match=match, **body.validated_data)
        return Response(MatchSerializer(selectors.matches_for(request.user).get(pk=match.pk)).data)


class VisibleMatchField(serializers.PrimaryKeyRelatedField):
    """Only matches the caller may see; any other id is 'not found' (400)."""

    def get_queryset(self):
        return Match.objects.visible_to(self.context["request"].user).select_related("referral", "volunteer")


class VisitSerializer(ModelSerializer):
    match = VisibleMatchField()
    mode = pattern_choice(ContactMode.choices, default=ContactMode.HOME_VISIT)
    client_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        write_only=True,
        help_text="Made by the app before sending: the same visit sent again with the same key is kept "
        "once (the answer is then 200 with the visit already kept, not 201).",
    )

    class Meta:
        model = Visit
        fields = ["id", "match", "planned_for", "at_time", "mode", "place", "cancelled", "client_key"]
        read_only_fields = ["cancelled"]


class VisitViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    model = Visit
    ordering = ("planned_for", "pk")
    serializer_class = VisitSerializer
    permission_classes = [IsMember]

    def create(self, request: Request, *args, **kwargs) -> Response:
        return _create_once(self, request, services.visit_plan_once)


class ContactLogSerializer(ModelSerializer):
    match = VisibleMatchField()
    mode = pattern_choice(ContactMode.choices)
    topics = serializers.ListField(child=serializers.ChoiceField(choices=Topic.choices), required=False, default=list)
    # Scoped to the caller's organisation in __init__.
    signposted_to = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=DirectoryEntry.objects.none()
    )
    duration_minutes = serializers.IntegerField(
        min_value=1,
        max_value=services.MAX_CONTACT_MINUTES,
        error_messages={
            "min_value": "Give how long the contact lasted (at least 1 minute).",
            "max_value": "A contact lasts 12 hours at most.",
        },
    )
    client_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        write_only=True,
        help_text="Made by the app before sending: the same log sent again with the same key is kept "
        "once (the answer is then 200 with the log already kept, not 201).",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["signposted_to"].child_relation.queryset = DirectoryEntry.objects.visible_to(request.user)

    class Meta:
        model = ContactLog
        fields = [
            "id",
            "match",
            "contact_date",
            "duration_minutes",
            "mode",
            "topics",
            "signposted_to",
            "note",
            "has_concern",
            "created_at",
            "client_key",
        ]
        read_only_fields = ["created_at"]


class ContactLogViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Contact logs of the matches the caller may see. A volunteer logs only
    for their own open matches, never past the end of support without an
    extension, never in the future, 1 minute to 12 hours."""

    model = ContactLog
    ordering = ("-contact_date", "-pk")
    serializer_class = ContactLogSerializer
    permission_classes = [IsMember]

    def shape(self, queryset):
        return queryset.prefetch_related("signposted_to")

    def create(self, request: Request, *args, **kwargs) -> Response:
        return _create_once(self, request, services.contact_log_create_once)


def _create_once(view, request: Request, write_once) -> Response:
    """Creates through a ``*_once`` service: 201 when made now, 200 with the
    record kept before when the same ``client_key`` was sent again."""
    serializer = view.get_serializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    match = data.pop("match")
    record, made = write_once(actor=request.user, match=match, data=data)
    answer = view.get_serializer(record).data
    return Response(answer, status=status.HTTP_201_CREATED if made else status.HTTP_200_OK)


class DirectoryEntrySerializer(ModelSerializer):
    class Meta:
        model = DirectoryEntry
        fields = ["id", "name", "description", "phone", "website", "is_active", "council_areas"]
        extra_kwargs = {
            "council_areas": {"help_text": "Ids of the council areas the service serves; empty for a national one."}
        }

    def validate_name(self, name: str) -> str:
        organisation_id = self.context["organisation_id"]
        same = DirectoryEntry.objects.filter(organisation_id=organisation_id, name=name)
        if self.instance is not None:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise serializers.ValidationError("The directory already has an entry with this name.")
        return name


class DirectoryViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The signposting directory: every member reads, managers write."""

    model = DirectoryEntry
    serializer_class = DirectoryEntrySerializer
    permission_classes = [ManagersWrite]

    def shape(self, queryset):
        return queryset.prefetch_related("council_areas")


class MatchReviewSerializer(ModelSerializer):
    match = VisibleMatchField()

    class Meta:
        model = MatchReview
        fields = ["id", "match", "held_on", "going_well", "notes", "next_review_on"]
        read_only_fields = ["next_review_on"]


class MatchReviewFilters(QueryParameters):
    match = id_field(required=False, help_text="Only this match's reviews.")


@extend_schema_view(list=extend_schema(parameters=[MatchReviewFilters]))
class MatchReviewViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Reviews of matches (coordinators and managers); ``?match=id`` for one
    match's. Recording one sets the match's next review date."""

    model = MatchReview
    ordering = ("-held_on", "-pk")
    filters = MatchReviewFilters
    filter_lookups = {"match": "match_id"}
    serializer_class = MatchReviewSerializer
    permission_classes = [IsStaffRole]

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.match_review_record(
            actor=self.request.user,
            match=data["match"],
            held_on=data["held_on"],
            going_well=data.get("going_well", True),
            notes=data.get("notes", ""),
        )


class ConflictSerializer(ModelSerializer):
    # Both scoped to the caller's organisation in __init__: any other id is a field error.
    parent = serializers.PrimaryKeyRelatedField(queryset=Parent.objects.none())
    volunteer = serializers.PrimaryKeyRelatedField(queryset=VolunteerProfile.objects.none())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["parent"].queryset = Parent.objects.visible_to(request.user)
            self.fields["volunteer"].queryset = VolunteerProfile.objects.visible_to(request.user)

    class Meta:
        model = ConflictOfInterest
        fields = ["id", "parent", "volunteer", "note", "recorded_at"]
        read_only_fields = ["recorded_at"]
        # The service says "already recorded" against the volunteer field.
        validators: list = []


class ConflictFilters(QueryParameters):
    parent = id_field(required=False, help_text="Only this parent's conflicts.")


@extend_schema_view(list=extend_schema(parameters=[ConflictFilters]))
class ConflictViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Conflicts of interest (coordinators and managers): a volunteer never
    suggested for a parent. ``?parent=id`` for one parent's."""

    model = ConflictOfInterest
    ordering = ("-recorded_at", "-pk")
    filters = ConflictFilters
    filter_lookups = {"parent": "parent_id"}
    serializer_class = ConflictSerializer
    permission_classes = [IsStaffRole]

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.conflict_record(
            actor=self.request.user,
            parent=data["parent"],
            volunteer_id=data["volunteer"].pk,
            note=data.get("note", ""),
        )

    def perform_destroy(self, instance) -> None:
        services.conflict_remove(actor=self.request.user, conflict=instance)
